/**
 * Spatial decay c(r) of dipole responses and the length ξ_g (SPEC §6.3; seed 001 App. A2b,
 * Eq. A13, Fig. 19).
 *
 * For each excited pair ij with normalized response ẑ = z/|z| and every other interacting pair
 * kl with unit dipole d̂_kl = d_kl/√2 (+n_kl on l, −n_kl on k):
 *   C_kl = (ẑ·d̂_kl)² = ((ẑ_l − ẑ_k)·n_kl)² / 2,
 * binned by the minimum-image distance r between the midpoints of ij and kl; the **median** of C
 * per bin is taken for each excited pair, and the medians are averaged over excited pairs (and
 * over glasses at the ensemble level). Continuum elasticity gives c(r) ~ r^(−2d); ξ_g is the
 * maximum of r^(2d) c(r) (statistics/decayLength.ts xiFromDecay), ω_g = 2π c_s/ξ_g.
 *
 * Cost per excited pair: one pass over the P interacting pairs (distance, bin, C), a counting
 * sort of the values by bin, and an exact median per bin by quickselect: O(P), no allocation.
 * The medians are exact (no histogram approximation); an even count takes the mean of the two
 * middle values.
 */
import type { Box } from "../core/box.js";
import { GlassmechError } from "../core/errors.js";
import type { PairRecords } from "../forces/types.js";
import type { BlockMatrix } from "../linalg/blockMatrix.js";
import { omegaFromLength, xiFromDecay, type DecayLengthOptions } from "../statistics/decayLength.js";
import { dipoleResponses, type DipoleResponseOptions, type DipoleResponses } from "./dipoles.js";
import { selectInPlace } from "../core/partition.js";

export interface DecayOptions {
  /** Bin width in r (default a0/4, a0 = (V/N)^(1/d)). */
  readonly binWidth?: number;
  /** Largest r binned (default half the smallest perpendicular box width: minimum image is exact below it). */
  readonly rMax?: number;
}

/** c(r) of one glass or an ensemble. Arrays have one entry per bin (empty bins at the ends trimmed). */
export interface DecayFunction {
  readonly d: number;
  readonly binWidth: number;
  /** Bin centers. */
  readonly r: Float64Array;
  /** Mean over excited pairs of the per-bin median of C (NaN for a bin no pair reached). */
  readonly c: Float64Array;
  /** Standard error of that mean (spread over excited pairs). */
  readonly cStdError: Float64Array;
  /** r^(2d) c(r). */
  readonly r2dC: Float64Array;
  /** Excited pairs that contributed a median to each bin. */
  readonly dipolesPerBin: Int32Array;
  /** Excited pairs accumulated. */
  readonly dipoles: number;
}

/**
 * Accumulates c(r) over excited pairs of one glass: construct once (precomputes pair midpoints
 * and unit vectors), `add` each response, then `result`.
 */
export class DecayAccumulator {
  readonly d: number;
  readonly binWidth: number;
  readonly rMax: number;
  readonly nBins: number;
  private readonly n: number;
  private readonly h: Float64Array;
  private readonly recordCount: number;
  /** Compact index of each record (−1 for a self-image record), and the compact pair data. */
  private readonly compactOf: Int32Array;
  private readonly P: number;
  private readonly pk: Int32Array;
  private readonly pl: Int32Array;
  private readonly unit: Float64Array;
  /** Midpoints in fractional coordinates. */
  private readonly mid: Float64Array;
  private readonly binOf: Int32Array;
  private readonly val: Float64Array;
  private readonly sorted: Float64Array;
  private readonly start: Int32Array;
  private readonly sum: Float64Array;
  private readonly sum2: Float64Array;
  private readonly count: Int32Array;
  private dipoles = 0;

  constructor(records: PairRecords, positions: Float64Array, box: Box, options: DecayOptions = {}) {
    const d = records.d;
    if (box.d !== d) throw new GlassmechError(`decay: records are ${d}D, the box ${box.d}D`);
    const n = positions.length / d;
    if (!Number.isInteger(n)) throw new GlassmechError(`decay: positions length ${positions.length} is not a multiple of d = ${d}`);
    this.d = d;
    this.n = n;
    this.h = Float64Array.from(box.h);
    const a0 = Math.pow(box.volume / n, 1 / d);
    this.binWidth = options.binWidth ?? a0 / 4;
    let wmin = Infinity;
    for (const w of box.perpendicularWidths()) wmin = Math.min(wmin, w);
    this.rMax = options.rMax ?? wmin / 2;
    if (!(this.binWidth > 0) || !Number.isFinite(this.binWidth)) throw new GlassmechError(`decay: bin width must be positive, got ${this.binWidth}`);
    if (!(this.rMax > this.binWidth)) throw new GlassmechError(`decay: rMax (${this.rMax}) must exceed the bin width (${this.binWidth})`);
    this.nBins = Math.floor(this.rMax / this.binWidth);

    const { count: R, i: ri, j: rj, delta, r: rl } = records;
    this.recordCount = R;
    this.compactOf = new Int32Array(R).fill(-1);
    let P = 0;
    for (let p = 0; p < R; p++) if (ri[p] !== rj[p]) this.compactOf[p] = P++;
    this.P = P;
    this.pk = new Int32Array(P);
    this.pl = new Int32Array(P);
    this.unit = new Float64Array(P * d);
    this.mid = new Float64Array(P * d);
    const x = new Float64Array(d);
    const s = new Float64Array(d);
    for (let p = 0; p < R; p++) {
      const q = this.compactOf[p];
      if (q < 0) continue;
      const k = ri[p];
      if (!(k >= 0 && k < n && rj[p] >= 0 && rj[p] < n)) throw new GlassmechError(`decay: record ${p} has particles outside 0..${n - 1}`);
      this.pk[q] = k;
      this.pl[q] = rj[p];
      const inv = 1 / rl[p];
      for (let a = 0; a < d; a++) {
        this.unit[q * d + a] = delta[p * d + a] * inv;
        x[a] = positions[k * d + a] + 0.5 * delta[p * d + a];
      }
      box.toFractional(x, 0, s);
      for (let a = 0; a < d; a++) this.mid[q * d + a] = s[a];
    }
    this.binOf = new Int32Array(P);
    this.val = new Float64Array(P);
    this.sorted = new Float64Array(P);
    this.start = new Int32Array(this.nBins + 1);
    this.sum = new Float64Array(this.nBins);
    this.sum2 = new Float64Array(this.nBins);
    this.count = new Int32Array(this.nBins);
  }

  /**
   * Adds the response z (n·d, any normalization) to the dipole of record `excited`: one median of
   * C per bin. The excited pair itself is left out.
   */
  add(z: Float64Array, excited: number): void {
    const { d, n, P, pk, pl, unit, mid, h, binOf, val, sorted, start, nBins } = this;
    if (z.length !== n * d) throw new GlassmechError(`decay: response has length ${z.length}, expected n·d = ${n * d}`);
    if (!(excited >= 0 && excited < this.recordCount) || this.compactOf[excited] < 0)
      throw new GlassmechError(`decay: record ${excited} is not an interacting pair`);
    const e = this.compactOf[excited];
    let zz = 0;
    for (let t = 0; t < z.length; t++) zz += z[t] * z[t];
    if (!(zz > 0) || !Number.isFinite(zz)) throw new GlassmechError("decay: the response is zero or not finite");
    // C = ((z_l − z_k)·n)² / (2|z|²): ẑ = z/|z|, d̂ = d/√2.
    const scale = 1 / (2 * zz);
    const inv = 1 / this.binWidth;
    start.fill(0);
    const eo = e * d;
    for (let q = 0; q < P; q++) {
      binOf[q] = -1;
      if (q === e) continue;
      // Minimum-image separation of the midpoints: fractional difference rounded, then x = h·s.
      let r2 = 0;
      for (let a = 0; a < d; a++) {
        let xa = 0;
        for (let b = 0; b < d; b++) {
          let sb = mid[q * d + b] - mid[eo + b];
          sb -= Math.floor(sb + 0.5);
          xa += h[a * d + b] * sb;
        }
        r2 += xa * xa;
      }
      const bin = Math.floor(Math.sqrt(r2) * inv);
      if (bin >= nBins) continue;
      const ko = pk[q] * d;
      const lo = pl[q] * d;
      let c = 0;
      for (let a = 0; a < d; a++) c += (z[lo + a] - z[ko + a]) * unit[q * d + a];
      binOf[q] = bin;
      val[q] = c * c * scale;
      start[bin + 1]++;
    }
    // Counting sort of the values by bin.
    for (let b = 0; b < nBins; b++) start[b + 1] += start[b];
    for (let q = 0; q < P; q++) {
      const b = binOf[q];
      if (b < 0) continue;
      sorted[start[b]++] = val[q];
    }
    // start[b] now holds the end of bin b; its beginning is the end of bin b − 1.
    let lo = 0;
    for (let b = 0; b < nBins; b++) {
      const hi = start[b];
      const m = hi - lo;
      if (m > 0) {
        const med = medianInPlace(sorted, lo, m);
        this.sum[b] += med;
        this.sum2[b] += med * med;
        this.count[b]++;
      }
      lo = hi;
    }
    this.dipoles++;
  }

  /** c(r) so far (bins without any data at the two ends are trimmed). */
  result(): DecayFunction {
    return finishDecay(this.d, this.binWidth, this.sum, this.sum2, this.count, this.dipoles);
  }

  /** Raw per-bin sums (for combining glasses): Σ medians, Σ medians², number of medians. */
  sums(): { sum: Float64Array; sum2: Float64Array; count: Int32Array; dipoles: number } {
    return { sum: this.sum.slice(), sum2: this.sum2.slice(), count: this.count.slice(), dipoles: this.dipoles };
  }
}

/** c, its standard error and r^(2d)c from per-bin sums; trims empty bins at both ends. */
function finishDecay(d: number, binWidth: number, sum: ArrayLike<number>, sum2: ArrayLike<number>, count: ArrayLike<number>, dipoles: number): DecayFunction {
  let first = 0;
  let last = count.length - 1;
  while (first <= last && count[first] === 0) first++;
  while (last >= first && count[last] === 0) last--;
  const K = Math.max(0, last - first + 1);
  const r = new Float64Array(K);
  const c = new Float64Array(K);
  const se = new Float64Array(K);
  const r2dC = new Float64Array(K);
  const nb = new Int32Array(K);
  for (let t = 0; t < K; t++) {
    const b = first + t;
    const m = count[b];
    r[t] = (b + 0.5) * binWidth;
    nb[t] = m;
    if (m === 0) {
      c[t] = NaN;
      se[t] = NaN;
      r2dC[t] = NaN;
      continue;
    }
    const mean = sum[b] / m;
    c[t] = mean;
    se[t] = m > 1 ? Math.sqrt(Math.max(0, sum2[b] / m - mean * mean) / (m - 1)) : NaN;
    r2dC[t] = Math.pow(r[t], 2 * d) * mean;
  }
  return { d, binWidth, r, c, cStdError: se, r2dC, dipolesPerBin: nb, dipoles };
}

/**
 * Median of a[lo .. lo + m) (m ≥ 1), reordering that range: Hoare quickselect with a
 * median-of-three pivot; an even count gives the mean of the two middle values.
 */
export function medianInPlace(a: Float64Array, lo: number, m: number): number {
  const kHi = lo + (m >> 1);
  const upper = selectInPlace(a, lo, lo + m - 1, kHi);
  if (m & 1) return upper;
  // After selecting kHi, everything in [lo, kHi) is ≤ a[kHi]: the lower middle is their maximum.
  let lower = -Infinity;
  for (let t = lo; t < kHi; t++) if (a[t] > lower) lower = a[t];
  return 0.5 * (lower + upper);
}


/** Combines per-glass c(r) on the same bins: medians pooled over all excited pairs (weights = dipoles per bin). */
export function combineDecay(parts: readonly DecayReport[]): DecayFunction {
  if (parts.length === 0) throw new GlassmechError("combineDecay: no c(r) to combine");
  const { d, binWidth } = parts[0];
  // Align on the global bin index b = round(r/binWidth − ½).
  let maxBin = 0;
  for (const p of parts) {
    if (p.d !== d || Math.abs(p.binWidth - binWidth) > 1e-12 * binWidth)
      throw new GlassmechError(`combineDecay: c(r) on different bins (d ${p.d} vs ${d}, width ${p.binWidth} vs ${binWidth})`);
    for (const r of p.r) maxBin = Math.max(maxBin, Math.round(r / binWidth - 0.5));
  }
  const sum = new Float64Array(maxBin + 1);
  const sum2 = new Float64Array(maxBin + 1);
  const count = new Int32Array(maxBin + 1);
  let dipoles = 0;
  for (const p of parts) {
    dipoles += p.dipoles;
    for (let t = 0; t < p.r.length; t++) {
      const m = p.dipolesPerBin[t];
      const c = p.c[t];
      if (!(m > 0) || c === null || !Number.isFinite(c)) continue;
      const b = Math.round(p.r[t] / binWidth - 0.5);
      const s = p.cStdError[t];
      // Σ medians and Σ medians² recovered from the mean and its standard error.
      const v = m > 1 && s !== null && Number.isFinite(s) ? s * s * m * (m - 1) : 0;
      sum[b] += m * c;
      sum2[b] += v + m * c * c;
      count[b] += m;
    }
  }
  return finishDecay(d, binWidth, sum, sum2, count, dipoles);
}

/** c(r) as stored in JSON results (NaN as null), with ξ_g when the bump could be fitted. */
export interface DecayReport {
  d: number;
  binWidth: number;
  dipoles: number;
  r: number[];
  c: (number | null)[];
  cStdError: (number | null)[];
  r2dC: (number | null)[];
  dipolesPerBin: number[];
  /** ξ_g (location of the maximum of r^(2d) c(r)), or null with `xiError` saying why. */
  xi: number | null;
  xiStdError: number | null;
  /** Bins fitted by the cubic. */
  xiWindow: [number, number] | null;
  /** ω_g = 2π c_s/ξ_g (null without ξ_g or c_s). */
  omegaG: number | null;
  xiError?: string;
}

/**
 * ξ_g from c(r) (SPEC §6.3): the maximum of r^(2d) c(r), by xiFromDecay (cubic in ln r around
 * the bump, weighted by the per-bin errors when all are finite).
 *
 * In a periodic box r^(2d) c(r) turns up again near half the box (images of the response add to
 * the continuum r^(−2d) tail), and with few dipoles that finite-size upturn can exceed the bump.
 * So the bump is located first as the first bin of the 3-bin running mean of ln(r^(2d) c) that is
 * the largest within ±logHalfWidth (default 0.3) in ln r, and ±2 bins, around it, and the fit only sees bins
 * up to e^(2·logHalfWidth) times that r. Throws a GlassmechError when there is no such bump or the
 * cubic has no maximum inside its window (box too small, or too few dipoles).
 */
export function decayLength(dec: DecayFunction, options: DecayLengthOptions = {}): { xi: number; xiStdError: number; window: [number, number] } {
  const r: number[] = [];
  const c: number[] = [];
  const e: number[] = [];
  let weighted = true;
  for (let t = 0; t < dec.r.length; t++) {
    if (!(dec.c[t] > 0)) continue;
    r.push(dec.r[t]);
    c.push(dec.c[t]);
    e.push(dec.cStdError[t]);
    if (!(dec.cStdError[t] > 0)) weighted = false;
  }
  const m = r.length;
  if (m < 5) throw new GlassmechError(`c(r) has ${m} bin(s) with data; need ≥ 5 to locate ξ_g`);
  const lw = options.logHalfWidth ?? 0.3;
  const y = r.map((rr, t) => 2 * dec.d * Math.log(rr) + Math.log(c[t]));
  const ys = y.map((_, t) => (y[Math.max(0, t - 1)] + y[t] + y[Math.min(m - 1, t + 1)]) / 3);
  let peak = -1;
  for (let t = 2; t < m - 2 && peak < 0; t++) {
    const lr = Math.log(r[t]);
    let best = true;
    // Neighbourhood: within ±lw in ln r, and at least 2 bins on each side.
    for (let u = 0; u < m && best; u++) if ((Math.abs(u - t) <= 2 || Math.abs(Math.log(r[u]) - lr) <= lw) && ys[u] > ys[t]) best = false;
    // The neighbourhood must be complete on the large-r side (else the peak is the data's end).
    if (best && Math.log(r[m - 1]) - lr > lw) peak = t;
  }
  if (peak < 0)
    throw new GlassmechError(
      `r^${2 * dec.d} c(r) has no bump below r = ${r[m - 1].toPrecision(3)} (it rises to the largest r binned): box too small for ξ_g, or too few dipoles`,
    );
  let keep = m;
  const rCut = r[peak] * Math.exp(2 * lw);
  while (keep > Math.max(5, peak + 3) && r[keep - 1] > rCut) keep--;
  const cut = <T>(a: T[]) => a.slice(0, keep);
  const fit = xiFromDecay(cut(r), cut(c), dec.d, weighted && options.errors === undefined ? { ...options, errors: cut(e) } : options);
  if (!fit.interior)
    throw new GlassmechError(
      `r^${2 * dec.d} c(r): the cubic fitted on [${fit.window[0].toPrecision(3)}, ${fit.window[1].toPrecision(3)}] has no maximum inside it: box too small for ξ_g, or too few dipoles`,
    );
  return { xi: fit.xi, xiStdError: fit.xiStdError, window: fit.window };
}

/** The JSON form of a DecayFunction plus ξ_g and ω_g = 2π c_s/ξ_g (fit failures are reported, not thrown). */
export function decayReport(dec: DecayFunction, cs?: number): DecayReport {
  const nul = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
  const out: DecayReport = {
    d: dec.d,
    binWidth: dec.binWidth,
    dipoles: dec.dipoles,
    r: Array.from(dec.r),
    c: nul(dec.c),
    cStdError: nul(dec.cStdError),
    r2dC: nul(dec.r2dC),
    dipolesPerBin: Array.from(dec.dipolesPerBin),
    xi: null,
    xiStdError: null,
    xiWindow: null,
    omegaG: null,
  };
  try {
    const f = decayLength(dec);
    out.xi = f.xi;
    out.xiStdError = Number.isFinite(f.xiStdError) ? f.xiStdError : null;
    out.xiWindow = f.window;
    if (cs !== undefined && cs > 0) out.omegaG = omegaFromLength(cs, f.xi);
  } catch (err) {
    if (!(err instanceof GlassmechError)) throw err;
    out.xiError = err.message;
  }
  return out;
}

export interface DecayRunOptions extends DipoleResponseOptions, DecayOptions {}

/**
 * Dipole responses of `pairs` and their c(r) in one go (SPEC §6.2–6.3): each response is binned
 * as soon as it is solved, so only one block of responses is held in memory.
 *
 * @example
 *   const sel = selectDipolePairs(g.records, { count: 100, seed: 1 });
 *   const { responses, decay } = dipoleDecay(g.hessian, g.records, g.config.positions, g.config.box, sel.pairs);
 *   decayReport(decay, cs).xi;
 */
export function dipoleDecay(
  M: BlockMatrix,
  records: PairRecords,
  positions: Float64Array,
  box: Box,
  pairs: Int32Array,
  options: DecayRunOptions = {},
): { responses: DipoleResponses; decay: DecayFunction; seconds: number } {
  const acc = new DecayAccumulator(records, positions, box, options);
  let seconds = 0;
  const user = options.onResponse;
  const responses = dipoleResponses(M, records, pairs, {
    ...options,
    onResponse: (z, index, kappa) => {
      const t0 = performance.now();
      acc.add(z, pairs[index]);
      seconds += (performance.now() - t0) / 1000;
      if (user !== undefined) user(z, index, kappa);
    },
  });
  return { responses, decay: acc.result(), seconds };
}
