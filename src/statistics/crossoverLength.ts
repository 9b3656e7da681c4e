/**
 * The crossover length ξ_co of seed 003 SI S-3 (Fig. S2b–d): the lengths ξ_co and amplitudes A₁
 * that collapse r^(2d) c(r)/A₁ against r/ξ_co for c(r) measured at several parent temperatures
 * (c(r) of dipole responses, seed 003 Eqs. S8–S9, SPEC §6.3; the same collapse of the quartic
 * modes' c(r), Eqs. S10–S11, gives ξ_QLM with A₂, Fig. S4).
 */
import { GlassmechError } from "../core/errors.js";
import { leastSquares } from "./leastSquares.js";
import { requireFinite, requireInteger, requireSameLength, type Numbers } from "./validate.js";

/** One pooled c(r): bin centres r (increasing), c(r) > 0 and its standard error per bin (> 0). */
export interface DecayCurve {
  readonly r: Numbers;
  readonly c: Numbers;
  readonly cStdError: Numbers;
}

export interface CrossoverLengthOptions {
  /** Only bins with window[0] ≤ r ≤ window[1] take part (default: all). */
  readonly window?: readonly [number, number];
  /**
   * Degree of the master polynomial in ln(r/ξ_co); default "auto": the degree in 4…12 with the
   * smallest Bayesian information criterion χ² + (parameters)·ln(bins).
   */
  readonly degree?: number | "auto";
}

export interface CrossoverLength {
  /** ξ_co per curve, in the order given (units of r), with delta-method standard errors. */
  readonly xi: number[];
  readonly xiStdError: number[];
  /** A₁ per curve: the height of r^(2d) c(r) at r = ξ_co on the collapsed curve (units of c·r^(2d)). */
  readonly A1: number[];
  readonly A1StdError: number[];
  /** Degree of the master polynomial used. */
  readonly degree: number;
  /** Bins of each curve used. */
  readonly points: number[];
  /** χ² of the collapse (errors of ln c = σ_c/c), its degrees of freedom, and the error inflation applied. */
  readonly chi2: number;
  readonly dof: number;
  /** sqrt(max(1, χ²/dof)): the standard errors are multiplied by it (Birge ratio). */
  readonly errorScale: number;
  /** Range of ln(r/ξ_co) the collapsed data cover. */
  readonly logRange: [number, number];
  readonly iterations: number;
  /** The collapsed curves: x = r/ξ_co, y = r^(2d) c(r)/A₁ (the master curve peaks at (1, 1)). */
  readonly collapsed: { x: number[]; y: number[] }[];
}

const AUTO_DEGREES = [4, 5, 6, 7, 8, 9, 10, 11, 12];

interface Point {
  curve: number;
  x: number; // ln r
  y: number; // ln(r^{2d} c)
  sigma: number; // σ of y = σ_c/c
}

/**
 * ξ_co and A₁ of K ≥ 2 curves c_k(r) by a least-squares collapse on log scales:
 *   ln(r^{2d} c_k(r)) = ln A_k + F(ln r − ln ξ_k) + noise,
 * with one master curve F, a polynomial in u = ln(r/ξ) (degree by BIC, see options), fitted
 * jointly with all ln ξ_k and ln A_k by Levenberg–Marquardt (degrees 4, 5, … in turn, the first
 * started from each curve's own peak, each from the previous optimum), each bin weighted by
 * 1/σ², σ = σ_c/c.
 *
 * Scale convention. A collapse fixes only ratios: ξ_k → λξ_k and A_k → μA_k for all k at once,
 * with F re-shifted, fit equally well (seed 003 does not say how it fixed them). We fix both by
 * the master curve itself: ξ_co is where the collapsed r^(2d) c(r)/A₁ has its bump, its highest
 * interior local maximum (F peaks at r/ξ_co = 1 with F = 1), so A₁ is the height of that bump.
 * The maximum of r^(2d) c(r) is also how ξ_g is defined (SPEC §6.3, seed 001 Fig. 19), so ξ_co is a pooled-shape ξ_g: each
 * curve's ξ_co uses the bump of all curves. The convention treats every curve alike, so the
 * result does not depend on the order of the inputs (internally curve 0 anchors the gauge; the
 * reported ξ_co and A₁ are gauge-invariant).
 *
 * Errors: the covariance (JᵀWJ)⁻¹ of the fit (the collapse's curvature), times max(1, χ²/dof)
 * when the curves scatter about the master more than their errors say, then the delta method for
 * ln ξ_k = s_k + u_max and ln A_k = a_k + F(u_max), with u_max the master's maximum
 * (du_max/db = −∂_b F'/F'').
 * The bins of one c(r) share their excited pairs, so their errors are correlated and these
 * standard errors are a lower bound (no jackknife: the pooled curves carry no per-glass split).
 * Measured on planted curves (5 curves, ξ over a factor 2, 45 bins, 2 % noise, 30 draws): rms
 * z-score of ξ_co and A₁ 1.4 (a degree-6 master, too stiff for the bump, gives 3.4).
 *
 * Unusable input throws a GlassmechError: fewer than 2 curves, non-finite or non-positive r, c or
 * errors, r not increasing, fewer than 4 (or `degree`) bins of a curve in the window, curves
 * whose r (or, after the fit, r/ξ_co) ranges do not overlap in a connected chain, curves without a crossover
 * (a pure power law leaves ξ and A degenerate), a master curve without an interior maximum
 * (the bump lies beyond the data, e.g. rising r^(2d) c(r) up to L/2), or no convergence.
 * Example: `crossoverLength([{ r, c, cStdError }, …], 3, { window: [a0, Infinity] })`.
 */
export function crossoverLength(curves: readonly DecayCurve[], d: number, options: CrossoverLengthOptions = {}): CrossoverLength {
  requireInteger(d, "crossoverLength: d", 1);
  const degree = options.degree ?? "auto";
  if (degree !== "auto") requireInteger(degree, "crossoverLength: degree", 2);
  const minBins = degree === "auto" ? AUTO_DEGREES[0] : degree;
  const K = curves.length;
  if (K < 2) throw new GlassmechError(`crossoverLength: needs ≥ 2 curves to collapse, got ${K}`);
  const [rlo, rhi] = options.window ?? [0, Infinity];
  if (!(rhi > rlo)) throw new GlassmechError(`crossoverLength: window must have rmin < rmax, got [${rlo}, ${rhi}]`);
  const pts: Point[] = [];
  const counts: number[] = [];
  curves.forEach((cv, k) => {
    const what = `crossoverLength: curve ${k}`;
    requireSameLength(cv.r, cv.c, `${what} (r, c)`);
    requireSameLength(cv.r, cv.cStdError, `${what} (r, cStdError)`);
    requireFinite(cv.r, `${what} r`);
    requireFinite(cv.c, `${what} c`);
    requireFinite(cv.cStdError, `${what} cStdError`);
    let n = 0;
    for (let i = 0; i < cv.r.length; i++) {
      const r = cv.r[i], c = cv.c[i], e = cv.cStdError[i];
      if (!(r > 0) || (i > 0 && !(r > cv.r[i - 1]))) throw new GlassmechError(`${what}: r must be positive and increasing (bin ${i}: ${r})`);
      if (!(c > 0) || !(e > 0)) throw new GlassmechError(`${what}: bin ${i} has c = ${c} ± ${e}; need c > 0 and an error > 0 (ln c is fitted)`);
      if (r < rlo || r > rhi) continue;
      pts.push({ curve: k, x: Math.log(r), y: 2 * d * Math.log(r) + Math.log(c), sigma: e / c });
      n++;
    }
    if (n < minBins) throw new GlassmechError(`${what}: ${n} bin(s) in the window [${rlo}, ${rhi}]; need ≥ ${minBins}`);
    counts.push(n);
  });
  requireOverlap(pts, K, new Float64Array(K), "r");

  // Degrees in increasing order, each started from the previous optimum (the first from the
  // curves' peaks): a higher degree then only refines a collapse instead of falling into another
  // minimum of χ², where one curve slides off the others (seen on measured c(r)).
  const fits: Fit[] = [];
  let failure: GlassmechError | undefined;
  let start = initialShifts(pts, K);
  const highest = degree === "auto" ? AUTO_DEGREES[AUTO_DEGREES.length - 1] : degree;
  for (let g = Math.min(AUTO_DEGREES[0], highest); g <= highest; g++) {
    try {
      const f = fitCollapse(pts, K, g, start);
      fits.push(f);
      start = Float64Array.from({ length: K }, (_, k) => f.shift(f.theta, k));
    } catch (e) {
      if (!(e instanceof GlassmechError)) throw e;
      failure = e;
    }
  }
  const usable = degree === "auto" ? fits : fits.filter((f) => f.degree === degree);
  if (usable.length === 0) throw failure!;
  // Automatic degree: the smallest Bayesian information criterion χ² + (parameters)·ln(bins).
  const bic = (f: Fit) => f.chi2 + f.P * Math.log(pts.length);
  const fit = usable.reduce((a, b) => (bic(b) < bic(a) ? b : a));
  const { theta, chi2, dof, cov, poly, shift, amp, P, nS, nB, half, iterations } = fit;
  const errorScale = Math.sqrt(Math.max(1, chi2 / dof));

  // u_max = the highest interior local maximum of the master (the bump; scale convention above).
  // Measured c(r) turn up again near L/2, where periodic images add up: a rise at the end of the
  // range is not a local maximum and is ignored (the first interior maximum instead would catch
  // the wiggles a degree-12 master makes at small r on measured curves).
  let ulo = Infinity, uhi = -Infinity;
  for (const p of pts) { const u = p.x - shift(theta, p.curve); ulo = Math.min(ulo, u); uhi = Math.max(uhi, u); }
  const grid = 400, h = (uhi - ulo) / grid;
  const value = (j: number) => poly(theta, ulo + j * h).v;
  let ustar = NaN;
  for (let j = 1; j < grid; j++) {
    if (!(value(j) >= value(j - 1) && value(j) > value(j + 1))) continue;
    let u = ulo + j * h;
    for (let it = 0; it < 8; it++) { const f = poly(theta, u); if (f.d2 < 0) u = Math.min(uhi, Math.max(ulo, u - f.dv / f.d2)); }
    const f = poly(theta, u);
    if (f.d2 < 0 && u > ulo && u < uhi && Math.abs(f.dv) <= 1e-8 * (Math.abs(f.v) + 1) && !(poly(theta, ustar).v >= f.v)) ustar = u;
  }
  if (!Number.isFinite(ustar))
    throw new GlassmechError("crossoverLength: the collapsed r^(2d) c(r) has no maximum inside its range (no bump: it rises or falls throughout): the scale of ξ_co is unset; larger r (bigger glasses) are needed");
  const top = poly(theta, ustar);

  // Delta method: g·Cov·g for ln ξ_k = s_k + u_max and ln A_k = a_k + F(u_max).
  const dU = new Float64Array(nB), dF = new Float64Array(nB);
  {
    let tj = 1;
    for (let j = 0; j < nB; j++) {
      dF[j] = tj;
      dU[j] = j === 0 ? 0 : -(j * Math.pow(top.t, j - 1)) / half / top.d2;
      tj *= top.t;
    }
  }
  const quad = (g: Float64Array) => {
    let v = 0;
    for (let i = 0; i < P; i++) if (g[i] !== 0) for (let j = 0; j < P; j++) v += g[i] * cov[i * P + j] * g[j];
    return Math.sqrt(Math.max(0, v)) * errorScale;
  };
  const xi: number[] = [], xiStdError: number[] = [], A1: number[] = [], A1StdError: number[] = [];
  for (let k = 0; k < K; k++) {
    const gx = new Float64Array(P), ga = new Float64Array(P);
    gx.set(dU, 2 * nS);
    ga.set(dF, 2 * nS);
    if (k > 0) { gx[k - 1] = 1; ga[nS + k - 1] = 1; }
    const lx = shift(theta, k) + ustar, la = amp(theta, k) + top.v;
    xi.push(Math.exp(lx));
    xiStdError.push(Math.exp(lx) * quad(gx));
    A1.push(Math.exp(la));
    A1StdError.push(Math.exp(la) * quad(ga));
  }
  const lnXi = xi.map(Math.log);
  requireOverlap(pts, K, Float64Array.from(lnXi), "r/ξ_co");
  const collapsed = curves.map(() => ({ x: [] as number[], y: [] as number[] }));
  for (const p of pts) {
    collapsed[p.curve].x.push(Math.exp(p.x - lnXi[p.curve]));
    collapsed[p.curve].y.push(Math.exp(p.y) / A1[p.curve]);
  }
  return { xi, xiStdError, A1, A1StdError, degree: fit.degree, points: counts, chi2, dof, errorScale, logRange: [ulo - ustar, uhi - ustar], iterations, collapsed };
}

interface Fit {
  degree: number;
  theta: Float64Array;
  chi2: number;
  dof: number;
  /** (JᵀWJ)⁻¹ of θ, row-major P×P. */
  cov: Float64Array;
  poly: (th: Float64Array, u: number) => { v: number; dv: number; d2: number; t: number };
  shift: (th: Float64Array, k: number) => number;
  amp: (th: Float64Array, k: number) => number;
  P: number;
  nS: number;
  nB: number;
  half: number;
  iterations: number;
}

/**
 * The collapse at one master degree: Levenberg–Marquardt over θ from the shifts s0, then the
 * covariance at the optimum. Throws when the fit does not converge or θ is not determined.
 */
function fitCollapse(pts: Point[], K: number, degree: number, s0: Float64Array): Fit {
  // Parameters θ = [s_1..s_{K−1}, a_1..a_{K−1}, b_0..b_degree]; s_0 = a_0 = 0 fix the gauge.
  const nS = K - 1, nB = degree + 1, P = 2 * nS + nB, n = pts.length;
  if (n <= P) throw new GlassmechError(`crossoverLength: ${n} bins for ${P} parameters`);
  let lo = Infinity, hi = -Infinity;
  for (const p of pts) { lo = Math.min(lo, p.x - s0[p.curve]); hi = Math.max(hi, p.x - s0[p.curve]); }
  // The polynomial lives in t = (u − centre)/half for conditioning only: the space of polynomials
  // is shift-invariant, so the fit does not depend on this choice.
  const centre = 0.5 * (lo + hi), half = 0.5 * (hi - lo);
  const shift = (th: Float64Array, k: number) => (k === 0 ? 0 : th[k - 1]);
  const amp = (th: Float64Array, k: number) => (k === 0 ? 0 : th[nS + k - 1]);
  const poly = (th: Float64Array, u: number) => {
    const t = (u - centre) / half;
    let v = 0, dv = 0, d2 = 0;
    for (let j = nB - 1; j >= 0; j--) { d2 = d2 * t + 2 * dv; dv = dv * t + v; v = v * t + th[2 * nS + j]; }
    return { v, dv: dv / half, d2: d2 / (half * half), t };
  };
  const residuals = (th: Float64Array, out: Float64Array): number => {
    let chi2 = 0;
    for (let i = 0; i < n; i++) {
      const p = pts[i];
      out[i] = (amp(th, p.curve) + poly(th, p.x - shift(th, p.curve)).v - p.y) / p.sigma;
      chi2 += out[i] * out[i];
    }
    return chi2;
  };
  const J = new Float64Array(n * P);
  const jacobian = (th: Float64Array): void => {
    J.fill(0);
    for (let i = 0; i < n; i++) {
      const p = pts[i], k = p.curve, f = poly(th, p.x - shift(th, k));
      const row = i * P;
      if (k > 0) { J[row + k - 1] = -f.dv / p.sigma; J[row + nS + k - 1] = 1 / p.sigma; }
      let tj = 1;
      for (let j = 0; j < nB; j++) { J[row + 2 * nS + j] = tj / p.sigma; tj *= f.t; }
    }
  };

  // Start: shifts from each curve's peak, amplitudes and master from the linear fit at those shifts.
  const theta = new Float64Array(P);
  for (let k = 1; k < K; k++) theta[k - 1] = s0[k];
  {
    const A = new Float64Array(n * (nS + nB));
    const y = new Float64Array(n), w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = pts[i], t = (p.x - s0[p.curve] - centre) / half;
      if (p.curve > 0) A[i * (nS + nB) + p.curve - 1] = 1;
      let tj = 1;
      for (let j = 0; j < nB; j++) { A[i * (nS + nB) + nS + j] = tj; tj *= t; }
      y[i] = p.y;
      w[i] = 1 / (p.sigma * p.sigma);
    }
    const lin = leastSquares(n, nS + nB, A, y, w);
    theta.set(lin.coefficients, nS);
  }

  // Levenberg–Marquardt with Marquardt's diagonal scaling; each step is a damped QR solve.
  const res = new Float64Array(n), trialRes = new Float64Array(n);
  const Aaug = new Float64Array((n + P) * P), yaug = new Float64Array(n + P);
  let chi2 = residuals(theta, res);
  let lambda = 1e-3, iterations = 0, converged = false;
  for (; iterations < 500 && !converged; iterations++) {
    jacobian(theta);
    Aaug.fill(0);
    Aaug.set(J);
    for (let i = 0; i < n; i++) yaug[i] = -res[i];
    for (let j = 0; j < P; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += J[i * P + j] * J[i * P + j];
      Aaug[(n + j) * P + j] = Math.sqrt(lambda * s);
      yaug[n + j] = 0;
    }
    const step = leastSquares(n + P, P, Aaug, yaug).coefficients;
    const trial = theta.map((v, j) => v + step[j]);
    const c2 = anchored(pts, K, (k) => shift(trial, k)) ? residuals(trial, trialRes) : Infinity;
    if (c2 < chi2) {
      converged = chi2 - c2 <= 1e-12 * chi2;
      theta.set(trial);
      res.set(trialRes);
      chi2 = c2;
      lambda = Math.max(lambda / 3, 1e-12);
    } else {
      lambda *= 4;
      converged = lambda > 1e10; // no step lowers χ² any more: a minimum to rounding
    }
  }
  if (!converged) throw new GlassmechError(`crossoverLength: the collapse did not converge in ${iterations} iterations`);

  let cov: Float64Array;
  jacobian(theta);
  try {
    cov = leastSquares(n, P, J, new Float64Array(n)).unscaledCovariance;
  } catch (e) {
    if (!(e instanceof GlassmechError)) throw e;
    throw new GlassmechError("crossoverLength: the collapse leaves ξ_co and A₁ undetermined (curves without a crossover, e.g. pure power laws, or too few bins)");
  }
  return { degree, theta, chi2, dof: n - P, cov, poly, shift, amp, P, nS, nB, half, iterations };

}

/**
 * Whether every curve keeps at least half of its bins inside the range of ln r − shift that the
 * other curves span. A flexible master can otherwise fit one curve on its own by sliding it away
 * from the rest (seen on measured c(r), whose upturn near L/2 does not scale with ξ); the
 * Levenberg–Marquardt search rejects such steps.
 */
function anchored(pts: Point[], K: number, shift: (k: number) => number): boolean {
  const lo = new Float64Array(K).fill(Infinity), hi = new Float64Array(K).fill(-Infinity);
  for (const p of pts) { const u = p.x - shift(p.curve); lo[p.curve] = Math.min(lo[p.curve], u); hi[p.curve] = Math.max(hi[p.curve], u); }
  for (let k = 0; k < K; k++) {
    let a = Infinity, b = -Infinity;
    for (let j = 0; j < K; j++) if (j !== k) { a = Math.min(a, lo[j]); b = Math.max(b, hi[j]); }
    let inside = 0, all = 0;
    for (const p of pts) if (p.curve === k) { all++; const u = p.x - shift(k); if (u >= a && u <= b) inside++; }
    if (2 * inside < all) return false;
  }
  return true;
}

/** ln r of each curve's maximum of a 3-bin running mean of ln(r^{2d} c), relative to curve 0. */
function initialShifts(pts: Point[], K: number): Float64Array {
  const peak = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const own = pts.filter((p) => p.curve === k);
    let best = -Infinity;
    for (let i = 0; i < own.length; i++) {
      const a = own[Math.max(0, i - 1)].y, b = own[i].y, c = own[Math.min(own.length - 1, i + 1)].y;
      if ((a + b + c) / 3 > best) { best = (a + b + c) / 3; peak[k] = own[i].x; }
    }
  }
  return peak.map((v) => v - peak[0]);
}

/**
 * Throws unless the curves' ranges of ln r − shift form one connected chain of overlaps, each
 * overlap holding ≥ 3 bins of both curves (a collapse can only compare curves that share a range).
 */
function requireOverlap(pts: Point[], K: number, shifts: Float64Array, what: string): void {
  const lo = new Float64Array(K).fill(Infinity), hi = new Float64Array(K).fill(-Infinity);
  for (const p of pts) { const u = p.x - shifts[p.curve]; lo[p.curve] = Math.min(lo[p.curve], u); hi[p.curve] = Math.max(hi[p.curve], u); }
  const inside = (k: number, a: number, b: number) => pts.filter((p) => p.curve === k && p.x - shifts[k] >= a && p.x - shifts[k] <= b).length;
  const linked = (j: number, k: number) => {
    const a = Math.max(lo[j], lo[k]), b = Math.min(hi[j], hi[k]);
    return b > a && inside(j, a, b) >= 3 && inside(k, a, b) >= 3;
  };
  const seen = new Set([0]), queue = [0];
  while (queue.length > 0) {
    const j = queue.pop()!;
    for (let k = 0; k < K; k++) if (!seen.has(k) && linked(j, k)) { seen.add(k); queue.push(k); }
  }
  if (seen.size < K) {
    const apart = [...Array(K).keys()].filter((k) => !seen.has(k));
    throw new GlassmechError(`crossoverLength: curve(s) ${apart.join(", ")} share no range of ${what} (≥ 3 bins each) with curve 0's group: nothing to collapse them onto`);
  }
}
