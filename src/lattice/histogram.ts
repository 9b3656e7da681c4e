/**
 * Log-binned probability density of a positive sample (shareable with src/statistics/).
 */
import { GlassmechError } from "../core/errors.js";

export interface LogHistogram {
  readonly binsPerDecade: number;
  /** Bin k covers [lo[k], hi[k]), with lo = 10^(m/binsPerDecade) on a fixed decade-aligned grid. */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** Geometric bin centre √(lo·hi). */
  readonly center: Float64Array;
  readonly count: Float64Array;
  /** count / (n · (hi − lo)), so Σ density·(hi − lo) = 1 over all n samples. */
  readonly density: Float64Array;
  /** Sample size used for the normalization. */
  readonly n: number;
}

/**
 * Histogram of an ascending, strictly positive sample on bins equally spaced in log10 (edges
 * 10^(m/binsPerDecade), m integer), covering [min, max]. One pass over the sorted sample.
 */
export function logHistogram(sorted: ArrayLike<number>, binsPerDecade = 10): LogHistogram {
  const n = sorted.length;
  if (n === 0) throw new GlassmechError("logHistogram: empty sample");
  if (!(Number.isInteger(binsPerDecade) && binsPerDecade >= 1)) throw new GlassmechError(`logHistogram: binsPerDecade must be a positive integer, got ${binsPerDecade}`);
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  if (!(min > 0) || !Number.isFinite(max)) throw new GlassmechError(`logHistogram: sample must be positive and finite (min ${min}, max ${max})`);
  const m0 = Math.floor(Math.log10(min) * binsPerDecade);
  const m1 = Math.floor(Math.log10(max) * binsPerDecade);
  const nb = m1 - m0 + 1;
  const lo = new Float64Array(nb);
  const hi = new Float64Array(nb);
  const center = new Float64Array(nb);
  const count = new Float64Array(nb);
  const density = new Float64Array(nb);
  for (let k = 0; k < nb; k++) {
    lo[k] = Math.pow(10, (m0 + k) / binsPerDecade);
    hi[k] = Math.pow(10, (m0 + k + 1) / binsPerDecade);
    center[k] = Math.sqrt(lo[k]! * hi[k]!);
  }
  // Sorted input: advance the bin as the values cross its upper edge (edges from the same pow
  // calls, so every value lands in the bin whose [lo, hi) contains it).
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    while (k < nb - 1 && v >= hi[k]!) k++;
    count[k]!++;
  }
  for (let k2 = 0; k2 < nb; k2++) density[k2] = count[k2]! / (n * (hi[k2]! - lo[k2]!));
  return { binsPerDecade, lo, hi, center, count, density, n };
}
