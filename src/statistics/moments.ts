/**
 * Means and their errors over independent samples (SPEC §5, "means with standard errors over
 * independent samples").
 */
import { GlassmechError } from "../core/errors.js";
import { requireFinite, requireSameLength, type Numbers } from "./validate.js";

/** A mean over `n` independent samples with its standard error (same units as the samples). */
export interface MeanWithError {
  readonly mean: number;
  /** s/√n with s² the unbiased (1/(n−1)) sample variance; NaN when n = 1. */
  readonly stdError: number;
  readonly n: number;
}

/**
 * Sample mean and its standard error, `⟨x⟩ = Σx/n`, `σ_⟨x⟩ = s/√n`, `s² = Σ(x − ⟨x⟩)²/(n − 1)`.
 * Example: `meanWithError([1, 2, 3])` → `{ mean: 2, stdError: 0.577…, n: 3 }`.
 */
export function meanWithError(values: Numbers): MeanWithError {
  requireFinite(values, "meanWithError(values)");
  const n = values.length;
  const m = mean(values);
  const se = n > 1 ? Math.sqrt(centeredSumSquares(values, m) / (n - 1) / n) : NaN;
  return { mean: m, stdError: se, n };
}

/** Arithmetic mean (two-pass compensated: the mean of the residuals is added back). */
export function mean(values: Numbers): number {
  const n = values.length;
  if (n === 0) throw new GlassmechError("mean: empty array");
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const m = s / n;
  let r = 0;
  for (let i = 0; i < n; i++) r += values[i] - m;
  return m + r / n;
}

/** Σ (x − m)². */
export function centeredSumSquares(values: Numbers, m: number): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - m;
    s += d * d;
  }
  return s;
}

/**
 * Variance `Σ(x − ⟨x⟩)²/(n − ddof)`: ddof = 0 is the ensemble average ⟨(x − ⟨x⟩)²⟩ of SPEC §5
 * (seed 001 Eq. A8); ddof = 1 is the unbiased sample variance.
 */
export function variance(values: Numbers, ddof: 0 | 1 = 0): number {
  requireFinite(values, "variance(values)", ddof + 1);
  return centeredSumSquares(values, mean(values)) / (values.length - ddof);
}

/** Ratio of two ensemble means with its error, e.g. ⟨G⟩/⟨K⟩ (SPEC §4.3 "also report G/K"). */
export interface RatioOfMeans {
  /** ⟨num⟩/⟨den⟩. */
  readonly value: number;
  /** Delta-method standard error (first order in the fluctuations, uses the covariance). */
  readonly stdError: number;
  /** Jackknife (leave-one-out) standard error; more robust for small n or skewed samples. */
  readonly jackknifeStdError: number;
  readonly n: number;
}

/**
 * `R = ⟨x⟩/⟨y⟩` over paired samples (x_i, y_i) of one ensemble (e.g. G_i, K_i of glass i).
 * Delta method: `Var R ≈ (s_x² − 2R s_xy + R² s_y²)/(n ⟨y⟩²)` with unbiased (1/(n−1)) sample
 * (co)variances. Jackknife: `R_(i) = (Σx − x_i)/(Σy − y_i)`, `Var R ≈ (n−1)/n Σ(R_(i) − R̄)²`.
 * Errors are NaN for n < 2. Throws if ⟨y⟩ = 0.
 */
export function ratioOfMeans(num: Numbers, den: Numbers): RatioOfMeans {
  requireFinite(num, "ratioOfMeans(num)");
  requireFinite(den, "ratioOfMeans(den)");
  requireSameLength(num, den, "ratioOfMeans(num, den)");
  const n = num.length;
  const mx = mean(num), my = mean(den);
  if (my === 0) throw new GlassmechError("ratioOfMeans: the mean of the denominator is zero");
  const R = mx / my;
  if (n < 2) return { value: R, stdError: NaN, jackknifeStdError: NaN, n };
  let sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = num[i] - mx, dy = den[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  sxx /= n - 1;
  syy /= n - 1;
  sxy /= n - 1;
  const varR = Math.max(0, sxx - 2 * R * sxy + R * R * syy) / (n * my * my);
  const sumX = mx * n, sumY = my * n;
  const loo = new Float64Array(n);
  let jm = 0;
  for (let i = 0; i < n; i++) {
    loo[i] = (sumX - num[i]) / (sumY - den[i]);
    jm += loo[i];
  }
  jm /= n;
  let jv = 0;
  for (let i = 0; i < n; i++) jv += (loo[i] - jm) * (loo[i] - jm);
  jv *= (n - 1) / n;
  return { value: R, stdError: Math.sqrt(varR), jackknifeStdError: Math.sqrt(jv), n };
}
