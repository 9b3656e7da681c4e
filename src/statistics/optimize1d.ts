/**
 * One-dimensional minimization and root finding for the small fits of this folder
 * (T_co collapse §5, truncated power-law likelihood §6.2).
 */
import { GlassmechError } from "../core/errors.js";

/**
 * Minimum of f on [a, b]: scan `gridPoints` equally spaced points (guards against local minima),
 * then golden-section refinement inside the bracket around the best grid point to |Δx| ≤ tol·(b − a).
 * Returns the argmin and the value there.
 */
export function minimizeScalar(f: (x: number) => number, a: number, b: number, gridPoints = 41, tol = 1e-10): { x: number; value: number } {
  if (!(b > a) || !Number.isFinite(a) || !Number.isFinite(b)) throw new GlassmechError(`minimizeScalar: need a finite interval a < b, got [${a}, ${b}]`);
  const G = Math.max(3, gridPoints);
  let bestI = 0, bestF = Infinity;
  const h = (b - a) / (G - 1);
  for (let i = 0; i < G; i++) {
    const v = f(a + i * h);
    if (v < bestF) { bestF = v; bestI = i; }
  }
  if (!Number.isFinite(bestF)) throw new GlassmechError("minimizeScalar: the objective is not finite anywhere on the grid");
  let lo = a + Math.max(0, bestI - 1) * h, hi = a + Math.min(G - 1, bestI + 1) * h;
  const gr = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - gr * (hi - lo), x2 = lo + gr * (hi - lo);
  let f1 = f(x1), f2 = f(x2);
  while (hi - lo > tol * (b - a)) {
    if (f1 < f2 || (!Number.isFinite(f2) && Number.isFinite(f1))) {
      hi = x2; x2 = x1; f2 = f1; x1 = hi - gr * (hi - lo); f1 = f(x1);
    } else {
      lo = x1; x1 = x2; f1 = f2; x2 = lo + gr * (hi - lo); f2 = f(x2);
    }
  }
  const xm = 0.5 * (lo + hi);
  const fm = f(xm);
  const gx = a + bestI * h;
  return fm <= bestF ? { x: xm, value: fm } : { x: gx, value: bestF };
}

/** Root of a continuous f on [a, b] with f(a)·f(b) ≤ 0, by bisection to |Δx| ≤ tol·(b − a). */
export function bisect(f: (x: number) => number, a: number, b: number, tol = 1e-13): number {
  let fa = f(a);
  const fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (!(fa * fb < 0)) throw new GlassmechError(`bisect: f has the same sign at both ends of [${a}, ${b}]`);
  let lo = a, hi = b;
  while (hi - lo > tol * (b - a)) {
    const mid = 0.5 * (lo + hi);
    const fm = f(mid);
    if (fm === 0) return mid;
    if ((fm < 0) === (fa < 0)) { lo = mid; fa = fm; } else hi = mid;
  }
  return 0.5 * (lo + hi);
}
