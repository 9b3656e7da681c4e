import { Box } from "./box.js";
import { GlassmechError } from "./errors.js";
import type { ModelDescriptor } from "./descriptor.js";

/**
 * A configuration (SPEC §2): box, d, positions, per-particle type (or size for POLY) and the
 * model descriptor. Positions are particle-major: x[i*d + a]. Types index the model's species
 * (0 = A = small for the binary models). `sizes` holds the per-particle λ_i of polydisperse
 * models and is null otherwise.
 */
export interface Configuration {
  readonly d: number;
  readonly n: number;
  readonly box: Box;
  readonly positions: Float64Array;
  readonly types: Int32Array;
  readonly sizes: Float64Array | null;
  readonly model: ModelDescriptor;
}

/** Checks the shapes and values of a configuration; throws one clear GlassmechError. */
export function validateConfiguration(c: Configuration, where: { file?: string } = {}): void {
  const { d, n } = c;
  if (c.box.d !== d) throw new GlassmechError(`box is ${c.box.d}-dimensional but the configuration is ${d}-dimensional`, where);
  if (!Number.isInteger(n) || n < 1) throw new GlassmechError(`particle count must be a positive integer, got ${n}`, where);
  if (c.positions.length !== n * d) throw new GlassmechError(`expected ${n * d} coordinates, got ${c.positions.length}`, where);
  if (c.types.length !== n) throw new GlassmechError(`expected ${n} types, got ${c.types.length}`, where);
  if (c.sizes !== null && c.sizes.length !== n) throw new GlassmechError(`expected ${n} sizes, got ${c.sizes.length}`, where);
  for (let k = 0; k < c.positions.length; k++)
    if (!Number.isFinite(c.positions[k])) throw new GlassmechError(`coordinate ${k % d} of particle ${Math.floor(k / d)} is not finite`, where);
  if (c.sizes !== null)
    for (let i = 0; i < n; i++)
      if (!(c.sizes[i] > 0) || !Number.isFinite(c.sizes[i])) throw new GlassmechError(`size of particle ${i} must be positive, got ${c.sizes[i]}`, where);
}

/** Number density N/V. */
export function numberDensity(c: Configuration): number {
  return c.n / c.box.volume;
}

/** A copy with new positions (and optionally a new box), sharing types, sizes and model. */
export function withPositions(c: Configuration, positions: Float64Array, box: Box = c.box): Configuration {
  return { ...c, positions, box };
}
