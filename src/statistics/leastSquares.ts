/**
 * Weighted linear least squares by Householder QR (Golub & Van Loan §5.3): the fitting core of
 * every statistic here (power laws §6.2, ω⁴ fits §6.1, the cubic of §6.3, T_co §5, Boltzmann §7).
 * Small dense problems (n rows × p ≤ ~6 columns); columns are scaled to unit norm before the
 * factorization, so badly scaled designs (e.g. powers of r up to r³) stay well conditioned.
 */
import { GlassmechError } from "../core/errors.js";
import { requireFinite, requireSameLength, requireInteger, type Numbers } from "./validate.js";

export interface LeastSquaresResult {
  /** Best-fit coefficients β (length p). */
  readonly coefficients: Float64Array;
  /** (AᵀWA)⁻¹, row-major p×p: the covariance of β when the weights are exact 1/σ². */
  readonly unscaledCovariance: Float64Array;
  /** Weighted residual sum of squares Σ w (y − Aβ)² (= χ² when w = 1/σ²). */
  readonly chi2: number;
  /** n − p. */
  readonly dof: number;
}

/**
 * Minimize Σ_i w_i (y_i − Σ_k A_ik β_k)² for a row-major n×p design `A`. Weights default to 1
 * and must be ≥ 0 (rows with w = 0 are ignored). Throws if fewer effective rows than p or if the
 * design is rank deficient.
 */
export function leastSquares(n: number, p: number, A: Float64Array, y: Numbers, weights?: Numbers): LeastSquaresResult {
  if (A.length !== n * p) throw new GlassmechError(`leastSquares: design has ${A.length} entries, expected ${n}×${p}`);
  if (y.length !== n) throw new GlassmechError(`leastSquares: y has ${y.length} entries, expected ${n}`);
  if (weights !== undefined && weights.length !== n) throw new GlassmechError(`leastSquares: weights have ${weights.length} entries, expected ${n}`);
  // Column-major copy of √w·A with the zero-weight rows dropped.
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new GlassmechError(`leastSquares: weight ${i} must be finite and ≥ 0, got ${w}`);
    if (w > 0) rows.push(i);
  }
  const m = rows.length;
  if (m < p) throw new GlassmechError(`leastSquares: ${m} usable point(s) for ${p} parameter(s)`);
  const Q = new Float64Array(m * p); // column k at Q[k*m .. k*m+m)
  const b = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    const i = rows[r];
    const sw = Math.sqrt(weights === undefined ? 1 : weights[i]);
    for (let k = 0; k < p; k++) Q[k * m + r] = sw * A[i * p + k];
    b[r] = sw * y[i];
  }
  const colScale = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += Q[k * m + r] * Q[k * m + r];
    s = Math.sqrt(s);
    if (!(s > 0)) throw new GlassmechError(`leastSquares: column ${k} of the design is zero (rank deficient)`);
    colScale[k] = s;
    for (let r = 0; r < m; r++) Q[k * m + r] /= s;
  }
  // Householder QR in place; R kept in Rm (p×p upper triangular, row-major).
  const Rm = new Float64Array(p * p);
  for (let k = 0; k < p; k++) {
    let norm = 0;
    for (let r = k; r < m; r++) norm += Q[k * m + r] * Q[k * m + r];
    norm = Math.sqrt(norm);
    const alpha = Q[k * m + k] > 0 ? -norm : norm;
    if (Math.abs(alpha) < 1e-12) throw new GlassmechError(`leastSquares: the design is rank deficient (column ${k} depends on the others)`);
    // v = x − αe₁, stored in place of column k's rows k..m−1.
    Q[k * m + k] -= alpha;
    let vv = 0;
    for (let r = k; r < m; r++) vv += Q[k * m + r] * Q[k * m + r];
    for (let j = k + 1; j < p; j++) {
      let dot = 0;
      for (let r = k; r < m; r++) dot += Q[k * m + r] * Q[j * m + r];
      const f = (2 * dot) / vv;
      for (let r = k; r < m; r++) Q[j * m + r] -= f * Q[k * m + r];
    }
    let dotb = 0;
    for (let r = k; r < m; r++) dotb += Q[k * m + r] * b[r];
    const fb = (2 * dotb) / vv;
    for (let r = k; r < m; r++) b[r] -= fb * Q[k * m + r];
    Rm[k * p + k] = alpha;
    for (let j = k + 1; j < p; j++) Rm[k * p + j] = Q[j * m + k];
  }
  // Back substitution R β' = (Qᵀb)[0..p), then undo the column scaling.
  const beta = new Float64Array(p);
  for (let k = p - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < p; j++) s -= Rm[k * p + j] * beta[j];
    beta[k] = s / Rm[k * p + k];
  }
  let chi2 = 0;
  for (let r = p; r < m; r++) chi2 += b[r] * b[r];
  // R⁻¹ (upper triangular), then (AᵀWA)⁻¹ = D⁻¹ R⁻¹ R⁻ᵀ D⁻¹ with D the column scales.
  const Ri = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    Ri[j * p + j] = 1 / Rm[j * p + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += Rm[i * p + k] * Ri[k * p + j];
      Ri[i * p + j] = -s / Rm[i * p + i];
    }
  }
  const cov = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < p; k++) s += Ri[i * p + k] * Ri[j * p + k];
      cov[i * p + j] = s / (colScale[i] * colScale[j]);
    }
  for (let k = 0; k < p; k++) beta[k] /= colScale[k];
  return { coefficients: beta, unscaledCovariance: cov, chi2, dof: m - p };
}

export interface FitOptions {
  /** Per-point weights w_i ≥ 0; pass 1/σ_i² together with `absoluteSigma: true` for known errors. */
  readonly weights?: Numbers;
  /**
   * true: weights are exact inverse variances, so errors come from (AᵀWA)⁻¹ alone.
   * false (default): errors are scaled by the reduced χ² (χ²/dof), i.e. the scatter of the data.
   */
  readonly absoluteSigma?: boolean;
}

/** Straight-line fit y = intercept + slope·x. */
export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
  readonly slopeStdError: number;
  readonly interceptStdError: number;
  /** Cov(intercept, slope). */
  readonly covariance: number;
  readonly chi2: number;
  readonly dof: number;
  readonly n: number;
}

/** Covariance matrix of the coefficients under the FitOptions rule (NaN when dof = 0 and not absolute). */
function coefficientCovariance(res: LeastSquaresResult, absolute: boolean): Float64Array {
  const f = absolute ? 1 : res.dof > 0 ? res.chi2 / res.dof : NaN;
  return res.unscaledCovariance.map((v) => v * f);
}

/**
 * Weighted least-squares line y = a + b x with standard errors (see FitOptions for the error rule).
 * Example: `linearFit([0, 1, 2], [1, 3, 5])` → `{ slope: 2, intercept: 1, … }`.
 */
export function linearFit(x: Numbers, y: Numbers, options: FitOptions = {}): LinearFit {
  requireFinite(x, "linearFit(x)", 2);
  requireFinite(y, "linearFit(y)", 2);
  requireSameLength(x, y, "linearFit(x, y)");
  const n = x.length;
  const A = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) { A[2 * i] = 1; A[2 * i + 1] = x[i]; }
  const res = leastSquares(n, 2, A, y, options.weights);
  const cov = coefficientCovariance(res, options.absoluteSigma ?? false);
  return {
    intercept: res.coefficients[0], slope: res.coefficients[1],
    interceptStdError: Math.sqrt(cov[0]), slopeStdError: Math.sqrt(cov[3]), covariance: cov[1],
    chi2: res.chi2, dof: res.dof, n,
  };
}

/** Polynomial fit y = Σ_k c_k x^k, k = 0..degree. */
export interface PolyFit {
  readonly degree: number;
  /** c_k in the original variable x, ascending powers. */
  readonly coefficients: number[];
  readonly stdErrors: number[];
  /** The fit is done in t = (x − center)/scale (t ∈ [−1, 1] over the data): y = Σ a_k t^k. */
  readonly center: number;
  readonly scale: number;
  readonly scaledCoefficients: number[];
  /** Covariance of scaledCoefficients, row-major (degree+1)², under the FitOptions error rule. */
  readonly scaledCovariance: number[];
  readonly chi2: number;
  readonly dof: number;
}

/**
 * Least-squares polynomial of the given degree, fitted in the centred and scaled variable
 * t = (x − center)/scale (conditioning), reported in both t and x. Standard errors follow the
 * FitOptions rule; those of the x-coefficients come from the exact linear map t-basis → x-basis.
 * Example: `polyFit(x, y, 3)` for the cubic of SPEC §6.3.
 */
export function polyFit(x: Numbers, y: Numbers, degree: number, options: FitOptions = {}): PolyFit {
  requireInteger(degree, "polyFit: degree", 0);
  requireFinite(x, "polyFit(x)", degree + 1);
  requireFinite(y, "polyFit(y)", degree + 1);
  requireSameLength(x, y, "polyFit(x, y)");
  const n = x.length, p = degree + 1;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) { lo = Math.min(lo, x[i]); hi = Math.max(hi, x[i]); }
  const center = 0.5 * (lo + hi);
  const scale = hi > lo ? 0.5 * (hi - lo) : 1;
  const A = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const t = (x[i] - center) / scale;
    let tk = 1;
    for (let k = 0; k < p; k++) { A[i * p + k] = tk; tk *= t; }
  }
  const res = leastSquares(n, p, A, y, options.weights);
  const covT = coefficientCovariance(res, options.absoluteSigma ?? false);
  // x-coefficients c = T a with t^k = Σ_j C(k, j) x^j (−center)^(k−j) / scale^k.
  const T = new Float64Array(p * p); // T[j*p + k]
  for (let k = 0; k < p; k++) {
    let binom = 1; // C(k, j) built up over j
    for (let j = 0; j <= k; j++) {
      T[j * p + k] = (binom * Math.pow(-center, k - j)) / Math.pow(scale, k);
      binom = (binom * (k - j)) / (j + 1);
    }
  }
  const coefficients: number[] = [], stdErrors: number[] = [];
  for (let j = 0; j < p; j++) {
    let c = 0, v = 0;
    for (let k = 0; k < p; k++) {
      c += T[j * p + k] * res.coefficients[k];
      for (let l = 0; l < p; l++) v += T[j * p + k] * covT[k * p + l] * T[j * p + l];
    }
    coefficients.push(c);
    stdErrors.push(Math.sqrt(Math.max(0, v)));
  }
  return { degree, coefficients, stdErrors, center, scale, scaledCoefficients: Array.from(res.coefficients), scaledCovariance: Array.from(covT), chi2: res.chi2, dof: res.dof };
}

/** Evaluates Σ_k c_k x^k (Horner), for `PolyFit.coefficients`. */
export function polyEval(coefficients: Numbers, x: number): number {
  let s = 0;
  for (let k = coefficients.length - 1; k >= 0; k--) s = s * x + coefficients[k];
  return s;
}
