import { Box } from "../core/box.js";
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import type { Rng } from "../core/rng.js";
import type { Model } from "../models/types.js";

export interface RandomStartOptions {
  d: number;
  n: number;
  /** Number density N/V (default: the model's default for d). */
  density?: number;
}

/**
 * Initial state of SPEC §3.1: n particles uniformly at random in a cubic box at the requested
 * density. Binary models get exactly round(n·fraction) particles of each type, assigned in a
 * random order; polydisperse models draw per-particle sizes. All randomness comes from `rng`.
 * Overlaps are expected: the minimizers' displacement cap removes them.
 */
export function randomConfiguration(model: Model, rng: Rng, o: RandomStartOptions): Configuration {
  const { d, n } = o;
  if (!(d === 2 || d === 3 || d === 4)) throw new GlassmechError(`dimension d must be 2, 3 or 4, got ${d}`);
  if (!(Number.isInteger(n) && n >= 2)) throw new GlassmechError(`particle count n must be an integer ≥ 2, got ${n}`);
  const density = o.density ?? model.defaultDensity(d);
  if (!(density > 0 && Number.isFinite(density))) throw new GlassmechError(`density must be positive, got ${density}`);
  const box = Box.forDensity(d, n, density);
  const L = box.h[0];
  const positions = new Float64Array(n * d);
  for (let k = 0; k < n * d; k++) positions[k] = rng.uniform() * L;
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
