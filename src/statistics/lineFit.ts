/**
 * Weighted least-squares straight line in closed form (normal equations), with errors inflated by
 * √(χ²/dof) when that exceeds 1: the lattice model's η fit and local slopes (SPEC §8), power laws
 * y ≈ A x^η fitted as ln y = ln A + η ln x. leastSquares.ts's linearFit solves the same problem by
 * QR with the FitOptions error rules; the two agree to rounding but not bit for bit (none of 129
 * lattice windows tried), so moving the lattice onto linearFit would change every published
 * lattice number in its last digits. Merging them is that deliberate change, not a refactor.
 */
import { GlassmechError } from "../core/errors.js";

export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  /** Standard errors from the weighted normal equations, scaled by √(χ²/dof) when that exceeds 1. */
  readonly slopeStderr: number;
  readonly interceptStderr: number;
  /** Covariance of (slope, intercept), same scaling. */
  readonly covariance: number;
  /** χ² per degree of freedom with the given weights (NaN when dof = 0). */
  readonly chi2PerDof: number;
  readonly points: number;
}

/**
 * Fits y = intercept + slope·x minimizing Σ w_k (y_k − intercept − slope x_k)², w_k = 1/σ_k².
 * Needs ≥ 2 points with distinct x.
 */
export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>): LineFit {
  const n = x.length;
  if (y.length !== n || w.length !== n) throw new GlassmechError("fitLine: x, y and w must have the same length");
  if (n < 2) throw new GlassmechError(`fitLine: need at least 2 points, got ${n}`);
  let S = 0;
  let Sx = 0;
  let Sy = 0;
  let Sxx = 0;
  let Sxy = 0;
  for (let k = 0; k < n; k++) {
    const wk = w[k]!;
    S += wk;
    Sx += wk * x[k]!;
    Sy += wk * y[k]!;
    Sxx += wk * x[k]! * x[k]!;
    Sxy += wk * x[k]! * y[k]!;
  }
  const det = S * Sxx - Sx * Sx;
  if (!(det > 0)) throw new GlassmechError("fitLine: the x values are all equal (or weights vanish)");
  const slope = (S * Sxy - Sx * Sy) / det;
  const intercept = (Sxx * Sy - Sx * Sxy) / det;
  let chi2 = 0;
  for (let k = 0; k < n; k++) {
    const r = y[k]! - intercept - slope * x[k]!;
    chi2 += w[k]! * r * r;
  }
  const dof = n - 2;
  const chi2PerDof = dof > 0 ? chi2 / dof : NaN;
  const scale = dof > 0 && chi2PerDof > 1 ? chi2PerDof : 1;
  return {
    slope,
    intercept,
    slopeStderr: Math.sqrt((S / det) * scale),
    interceptStderr: Math.sqrt((Sxx / det) * scale),
    covariance: (-Sx / det) * scale,
    chi2PerDof,
    points: n,
  };
}
