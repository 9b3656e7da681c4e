import type { EnergyForces } from "../forces/types.js";
import { GlassmechError } from "../core/errors.js";
import { firstNonFiniteParticle, maxParticleNorm } from "./vectors.js";

/** Shared start-up checks of the minimizers. */

/** Checks that x has a whole number of d-dimensional particles. */
export function checkShape(x: Float64Array, d: number, who: string): void {
  if (!(d === 2 || d === 3 || d === 4)) throw new GlassmechError(`${who}: dimension d must be 2, 3 or 4, got ${d}`);
  if (x.length === 0 || x.length % d !== 0) throw new GlassmechError(`${who}: position array of length ${x.length} is not a positive multiple of d = ${d}`);
}

/** Evaluates U and F at x; throws when the starting point itself has non-finite forces. */
export function initialEvaluation(energyForces: EnergyForces, x: Float64Array, f: Float64Array, d: number, who: string): { energy: number; maxForce: number } {
  const bad = firstNonFiniteParticle(x, d);
  if (bad >= 0) throw new GlassmechError(`${who}: starting position of particle ${bad} is not finite`);
  const energy = energyForces(x, f);
  const maxForce = maxParticleNorm(f, d);
  if (!Number.isFinite(energy) || !Number.isFinite(maxForce)) {
    const i = firstNonFiniteParticle(f, d);
    throw new GlassmechError(
      `${who}: energy (${energy}) or forces${i >= 0 ? ` (particle ${i})` : ""} are not finite at the starting configuration; ` +
        "particles probably sit on top of each other",
    );
  }
  return { energy, maxForce };
}
