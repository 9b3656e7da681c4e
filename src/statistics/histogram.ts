/**
 * Logarithmically binned histograms (SPEC §6.1 vDOS plots, §6.2 "distribution p(κ) on log bins").
 */
import { GlassmechError } from "../core/errors.js";
import { requireFinite, requirePositive, type Numbers } from "./validate.js";

export interface LogHistogramOptions {
  /** Bins per decade of the variable (default 5). */
  readonly binsPerDecade?: number;
  /**
   * Range to bin. If both are given the edges run exactly from min to max, log-evenly at (about)
   * binsPerDecade; otherwise edges sit on the decade grid 10^(k/binsPerDecade) and cover the
   * positive data.
   */
  readonly min?: number;
  readonly max?: number;
}

export interface LogHistogram {
  /** K + 1 increasing bin edges. */
  readonly edges: number[];
  /** K geometric bin centers sqrt(e_k e_{k+1}). */
  readonly centers: number[];
  /** K raw counts; bin k is [e_k, e_{k+1}), the last bin also holds values equal to its top edge. */
  readonly counts: number[];
  /** K densities counts_k / (total · (e_{k+1} − e_k)): Σ density·width = 1 over ALL values. */
  readonly density: number[];
  /** Number of values (the normalization). */
  readonly total: number;
  /** Values outside the edges (including non-positive ones), counted in `total` only. */
  readonly outside: number;
}

/**
 * Histogram of `values` on logarithmic bins with a probability density normalized over all
 * values: density_k = counts_k/(n·Δ_k), Δ_k = e_{k+1} − e_k (units: 1/[value]).
 * Example: `logBinnedHistogram(kappas, { binsPerDecade: 8 })` → p(κ) for SPEC §6.2.
 */
export function logBinnedHistogram(values: Numbers, options: LogHistogramOptions = {}): LogHistogram {
  requireFinite(values, "logBinnedHistogram(values)");
  const bpd = options.binsPerDecade ?? 5;
  requirePositive(bpd, "logBinnedHistogram: binsPerDecade");
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > 0) { if (v < lo) lo = v; if (v > hi) hi = v; }
  }
  let edges: number[];
  if (options.min !== undefined && options.max !== undefined) {
    requirePositive(options.min, "logBinnedHistogram: min");
    requirePositive(options.max, "logBinnedHistogram: max");
    if (!(options.max > options.min)) throw new GlassmechError(`logBinnedHistogram: max (${options.max}) must exceed min (${options.min})`);
    const decades = Math.log10(options.max / options.min);
    const K = Math.max(1, Math.round(decades * bpd));
    edges = [];
    for (let k = 0; k <= K; k++) edges.push(options.min * Math.pow(10, (decades * k) / K));
    edges[K] = options.max;
  } else {
    const a = options.min ?? lo, b = options.max ?? hi;
    if (!(a > 0) || !(b >= a) || !Number.isFinite(a) || !Number.isFinite(b))
      throw new GlassmechError("logBinnedHistogram: no positive values to bin (give min and max explicitly)");
    const k0 = Math.floor(Math.log10(a) * bpd + 1e-9);
    let k1 = Math.ceil(Math.log10(b) * bpd - 1e-9);
    if (k1 <= k0) k1 = k0 + 1;
    edges = [];
    for (let k = k0; k <= k1; k++) edges.push(Math.pow(10, k / bpd));
    // Rounding of 10^(k/bpd) must not push the extreme data outside.
    if (edges[0] > a) edges[0] = a;
    if (edges[edges.length - 1] < b) edges[edges.length - 1] = b;
  }
  const K = edges.length - 1;
  const counts = new Array<number>(K).fill(0);
  const l0 = Math.log(edges[0]);
  const dl = (Math.log(edges[K]) - l0) / K; // edges are log-even up to the end adjustments above
  const first = edges[0], last = edges[K];
  let outside = 0;
  // A sorted sample (the lattice's 10⁷ κ) mostly stays in the previous value's bin [binLo, binHi):
  // test that before taking a log. Either way v lands in the one bin holding it (a value equal to
  // the top edge takes the search below), so the counts are those of the search alone.
  let k = 0, binLo = edges[0], binHi = edges[1];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v >= binLo && v < binHi) { counts[k]++; continue; }
    if (!(v >= first && v <= last)) { outside++; continue; }
    k = Math.min(K - 1, Math.max(0, Math.floor((Math.log(v) - l0) / dl)));
    // Fix rounding at bin boundaries so bin k is exactly [e_k, e_{k+1}).
    while (k > 0 && v < edges[k]) k--;
    while (k < K - 1 && v >= edges[k + 1]) k++;
    counts[k]++;
    binLo = edges[k];
    binHi = edges[k + 1];
  }
  const total = values.length;
  const centers: number[] = [], density: number[] = [];
  for (let k = 0; k < K; k++) {
    centers.push(Math.sqrt(edges[k] * edges[k + 1]));
    density.push(counts[k] / (total * (edges[k + 1] - edges[k])));
  }
  return { edges, centers, counts, density, total, outside };
}
