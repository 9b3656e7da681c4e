import { Box } from "../core/box.js";
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import type { Rng } from "../core/rng.js";
import type { Model } from "../models/types.js";
import { permuteRows, spatialOrder } from "../core/spatialOrder.js";

export interface RandomStartOptions {
  d: number;
  n: number;
  /** Number density N/V (default: the model's default for d). */
  density?: number;
}

/** Fewest particles of a random start numbered in spatial order (3D positions of 0.5 MB, an L2 cache). */
export const ORDERED_START_MIN = 20_000;

/** Largest particle count we try to make (10⁸: the coordinates alone are 2.4 GB in 3D). */
export const MAX_PARTICLES = 100_000_000;

/**
 * Largest number density (in λ_ss^−d) of a random start: 2^(d−1), i.e. a spacing a0 = ρ^(−1/d)
 * of about 0.5–0.8 λ_ss. Denser starts overlap every core several times over; the overlap
 * removal then needs minutes for a hundred particles (ρ = 8 in 3D did not finish in 60 s) and
 * no glass of the papers (ρ ≤ 1.2) is anywhere near.
 */
export function maxDensity(d: number): number {
  return 2 ** (d - 1);
}

/** Checks d, n and the density of a random start; one clear error for each. */
export function checkRandomStart(d: number, n: number, density: number): void {
  if (!(d === 2 || d === 3 || d === 4)) throw new GlassmechError(`dimension d must be 2, 3 or 4, got ${d}`);
  if (!(Number.isInteger(n) && n >= 2)) throw new GlassmechError(`particle count n must be an integer ≥ 2, got ${n}`);
  if (n > MAX_PARTICLES) throw new GlassmechError(`particle count n = ${n} is above the supported ${MAX_PARTICLES.toExponential(0)}`);
  if (!(density > 0 && Number.isFinite(density))) throw new GlassmechError(`density must be positive, got ${density}`);
  if (density > maxDensity(d))
    throw new GlassmechError(`density ${density} is above ${maxDensity(d)} = 2^(d−1) in ${d}D: every particle core would overlap several others`);
}

/**
 * Initial state of SPEC §3.1: n particles uniformly at random in a cubic box at the requested
 * density. Binary models get exactly round(n·fraction) particles of each type, assigned in a
 * random order; polydisperse models draw per-particle sizes. All randomness comes from `rng`.
 * From ORDERED_START_MIN particles on they are numbered along a Morton curve (spatialOrder.ts),
 * which changes no statistics.
 * Overlaps are expected: the minimizers' displacement cap removes them.
 */
export function randomConfiguration(model: Model, rng: Rng, o: RandomStartOptions): Configuration {
  const { d, n } = o;
  const density = o.density ?? model.defaultDensity(d);
  checkRandomStart(d, n, density);
  const box = Box.forDensity(d, n, density);
  const L = box.h[0];
  const positions = new Float64Array(n * d);
  for (let k = 0; k < n * d; k++) positions[k] = rng.uniform() * L;
  // Large starts are numbered along a Morton curve (spatialOrder.ts): the same points, with
  // neighbours near in memory for every later kernel (at N = 10⁶ a V-cycle 1.9× and a Hessian
  // product 2.8× faster). Small ones keep their draw order, where the per-particle arrays fit in
  // cache anyway: so every glass of up to ORDERED_START_MIN particles (the studies' ensembles)
  // stays the same for the same seed as before this ordering existed.
  if (n >= ORDERED_START_MIN) positions.set(permuteRows(positions, d, spatialOrder(d, n, positions, box)));
  const types = new Int32Array(n);
  let sizes: Float64Array | null = null;
  if (model.scales.kind === "sizes") {
    if (model.sampleSizes === undefined) throw new GlassmechError(`model ${model.name} has per-particle sizes but no size distribution`);
    sizes = model.sampleSizes(n, () => rng.uniform());
  } else {
    // Exact composition: cumulative rounding, then a Fisher–Yates shuffle of the labels.
    let assigned = 0;
    let cumulative = 0;
    for (let t = 0; t < model.composition.length; t++) {
      cumulative += model.composition[t];
      const upto = t === model.composition.length - 1 ? n : Math.round(cumulative * n);
      for (; assigned < upto; assigned++) types[assigned] = t;
    }
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = types[i];
      types[i] = types[j];
      types[j] = t;
    }
  }
  return { d, n, box, positions, types, sizes, model: { name: model.name, params: { ...model.params } } };
}
