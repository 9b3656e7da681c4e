import { GlassmechError } from "../core/errors.js";

/**
 * Checks that every command makes before reporting numbers of a configuration: a non-finite
 * energy (particles on top of each other) or a glass without a single interacting pair (N = 1,
 * or particles too far apart to touch) gives numbers that look like results — NaN energies,
 * G = K = 0 — but mean nothing. Refuse them with the reason instead (issue 16).
 */
export function assertFiniteEnergy(energyPerParticle: number, maxForce: number, where: { file?: string } = {}): void {
  if (!Number.isFinite(energyPerParticle) || !Number.isFinite(maxForce))
    throw new GlassmechError(
      `the energy (${energyPerParticle}) or the forces are not finite: particles probably sit on top of each other`,
      where,
    );
}

/** A configuration worth measuring: N ≥ 2 and at least one interacting pair (coordination > 0). */
export function assertMeasurable(n: number, coordination: number, where: { file?: string } = {}): void {
  if (n < 2) throw new GlassmechError(`a configuration of ${n} particle has nothing to measure (N ≥ 2 needed)`, where);
  if (!(coordination > 0))
    throw new GlassmechError("no two particles interact (coordination 0): the particles do not touch, so there are no moduli, modes or dipoles to measure", where);
}
