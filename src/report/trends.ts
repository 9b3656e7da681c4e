/**
 * Trend detection on a handful of ensemble points with error bars: does y rise, fall or stay
 * flat as the control parameter x grows? Used by the report to say, for each statement of the
 * paper (./paperValues.ts), whether our data reproduce it: computed, never hard-coded.
 *
 * Rules (z = slope / its standard error, from a weighted linear fit y = a + b x):
 * - "up"/"down": **yes** if the slope has the stated sign with z ≥ `zMin` (default 2, ≈ 95%);
 *   **no** if it has the opposite sign with |z| ≥ zMin; otherwise **inconclusive**.
 * - "flat": the relative change over the x range, |b|·(x_max − x_min)/mean|y|, is compared with the
 *   tolerance: **yes** if within it (a small but significant slope still counts as "largely
 *   insensitive"); **no** if beyond it and |z| ≥ zMin; **inconclusive** if beyond it but not
 *   significant (noise too large to tell).
 * A linear slope is a robust sign test for a monotonic trend even when the curve bends (e.g. the
 * DSS G/K plateau): misfit does not bias the sign. Weights are 1/σ² with σ taken as absolute
 * (ensemble standard errors are real error estimates); without usable errors the fit is unweighted
 * and its slope error is scaled by the residual (needs ≥ 3 points).
 */
import { linearFit } from "../statistics/index.js";

export type Verdict = "yes" | "no" | "inconclusive" | "no data";

export interface TrendPoint {
  x: number;
  y: number;
  /** 1σ standard error (NaN or undefined = unknown). */
  err?: number;
}

export interface TrendResult {
  verdict: Verdict;
  /** Points used (finite x and y). */
  n: number;
  slope: number;
  slopeStdError: number;
  /** slope / slopeStdError. */
  z: number;
  /** |slope|·(x range)/mean|y|: the fitted relative change over the range. */
  relativeChange: number;
  /** Spearman rank correlation of y with x (−1 … 1). */
  spearman: number;
  /** y at the smallest x divided by y at the largest x (measured endpoints). */
  endRatio: number;
  /** One-line reason, e.g. "slope −0.31 ± 0.04 (z = −7.8)". */
  detail: string;
}

export interface TrendOptions {
  /** Significance threshold on |z| (default 2). */
  zMin?: number;
  /** Largest relative change still "flat" (default 0.2). */
  flatTolerance?: number;
}

/** Spearman rank correlation (average ranks for ties); NaN for fewer than 2 points or no spread. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const rank = (v: readonly number[]): number[] => {
    const idx = v.map((_, i) => i).sort((a, b) => v[a] - v[b]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < idx.length; ) {
      let j = i;
      while (j + 1 < idx.length && v[idx[j + 1]] === v[idx[i]]) j++;
      for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const n = x.length;
  if (n < 2) return NaN;
  const rx = rank(x), ry = rank(y);
  const m = (n - 1) / 2;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i] - m) * (ry[i] - m);
    sxx += (rx[i] - m) ** 2;
    syy += (ry[i] - m) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

const fmt = (v: number): string => (Number.isFinite(v) ? v.toPrecision(3) : String(v));

/** Checks one stated trend ("up", "down" or "flat" as x grows) on the points. */
export function checkTrend(points: readonly TrendPoint[], direction: "up" | "down" | "flat", o: TrendOptions = {}): TrendResult {
  const zMin = o.zMin ?? 2;
  const tol = o.flatTolerance ?? 0.2;
  const p = points.filter((q) => Number.isFinite(q.x) && Number.isFinite(q.y)).sort((a, b) => a.x - b.x);
  const none: TrendResult = { verdict: "no data", n: p.length, slope: NaN, slopeStdError: NaN, z: NaN, relativeChange: NaN, spearman: NaN, endRatio: NaN, detail: `${p.length} point(s): need ≥ 2` };
  if (p.length < 2 || p[0].x === p[p.length - 1].x) return none;
  const x = p.map((q) => q.x), y = p.map((q) => q.y);
  const weighted = p.every((q) => q.err !== undefined && Number.isFinite(q.err) && q.err > 0);
  if (!weighted && p.length < 3) return { ...none, detail: "2 points without error bars: no significance possible" };
  const fit = weighted ? linearFit(x, y, { weights: p.map((q) => 1 / (q.err as number) ** 2), absoluteSigma: true }) : linearFit(x, y);
  const slope = fit.slope, se = fit.slopeStdError;
  const z = se > 0 ? slope / se : slope === 0 ? 0 : Math.sign(slope) * Infinity;
  const meanAbs = y.reduce((a, v) => a + Math.abs(v), 0) / y.length;
  const relativeChange = meanAbs > 0 ? (Math.abs(slope) * (x[x.length - 1] - x[0])) / meanAbs : NaN;
  const rho = spearman(x, y);
  const endRatio = y[0] / y[y.length - 1];
  const significant = Math.abs(z) >= zMin;
  let verdict: Verdict;
  if (direction === "flat") verdict = relativeChange <= tol ? "yes" : significant ? "no" : "inconclusive";
  else {
    const want = direction === "up" ? 1 : -1;
    verdict = !significant ? "inconclusive" : Math.sign(slope) === want ? "yes" : "no";
  }
  const detail =
    `slope ${fmt(slope)} ± ${fmt(se)} (z = ${fmt(z)}${weighted ? "" : ", unweighted"}), Spearman ${fmt(rho)}` +
    (direction === "flat" ? `, relative change ${(100 * relativeChange).toFixed(0)}% (flat if ≤ ${(100 * tol).toFixed(0)}%)` : "");
  return { verdict, n: p.length, slope, slopeStdError: se, z, relativeChange, spearman: rho, endRatio, detail };
}

/**
 * Agreement of a value with a published one: **yes** if |ours − paper| ≤ tolerance; **no** if it is
 * beyond tolerance + 2σ (σ our standard error); **inconclusive** in between.
 */
export function checkValue(ours: number, stdError: number, paper: number, tolerance: number): Verdict {
  if (!Number.isFinite(ours)) return "no data";
  const dev = Math.abs(ours - paper);
  if (dev <= tolerance) return "yes";
  const s = Number.isFinite(stdError) ? stdError : 0;
  return dev > tolerance + 2 * s ? "no" : "inconclusive";
}

/**
 * A stated factor between two values (e.g. "varies by an order of magnitude"): **yes** if our
 * ratio is within a factor `within` (default 2) of the paper's, on a log scale; **no** otherwise.
 */
export function checkRatio(ours: number, paper: number, within = 2): Verdict {
  if (!(Number.isFinite(ours) && ours > 0 && paper > 0)) return "no data";
  return Math.abs(Math.log(ours / paper)) <= Math.log(within) ? "yes" : "no";
}
