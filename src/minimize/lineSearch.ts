import type { EnergyForces } from "../forces/types.js";
import { maxParticleNorm } from "./vectors.js";

/**
 * Line search along a descent direction p for nonlinear CG (SPEC §3.4), on
 * φ(α) = U(x + α p) with exact slope φ'(α) = −F(x + α p)·p.
 *
 * Accepts α when |φ'(α)| ≤ σ|φ'(0)| (the strong-Wolfe curvature condition) and the energy has
 * not risen above φ(0) by more than its round-off `noise`. Near convergence, energy differences
 * (~|F|²/k ≈ 1e−20) are far below the round-off of U itself (~1e−13·|U|), so energy is used only
 * to detect real overshoots (a hump between two points) and the root of φ' is found by a
 * safeguarded secant / bisection in a bracket [lo, hi] with φ'(lo) < 0 — the derivative-based
 * strategy of Hager & Zhang's approximate Wolfe conditions (SIAM J. Optim. 16, 170 (2005)).
 *
 * `alphaMax` caps the step (the per-particle displacement cap): if φ' is still negative there and
 * the energy went down, the capped step is accepted.
 */
export interface LineSearchParams {
  /** Curvature parameter σ (default 0.1). */
  sigma: number;
  /** Trial evaluations allowed per search (default 40). */
  maxEvaluations: number;
}

/** Scratch buffers (length n·d) and the result of the last search. No allocation per search. */
export class LineSearchWorkspace {
  /** Trial point and its forces. */
  readonly xt: Float64Array;
  readonly ft: Float64Array;
  /** Accepted point and its forces (valid when `moved`). */
  readonly xa: Float64Array;
  readonly fa: Float64Array;
  alpha = 0;
  energy = 0;
  maxForce = 0;
  evaluations = 0;
  /** True when a point was accepted by the Wolfe-type test (or at the cap). */
  ok = false;
  /** True when xa/fa hold a point with energy ≤ φ(0) + noise (ok, or a fallback with φ' < 0). */
  moved = false;

  constructor(len: number) {
    this.xt = new Float64Array(len);
    this.ft = new Float64Array(len);
    this.xa = new Float64Array(len);
    this.fa = new Float64Array(len);
  }
}

/** Round-off scale of an energy value: differences below this are not trusted. */
export function energyNoise(u: number): number {
  return 1e-11 * Math.max(1, Math.abs(u));
}

/**
 * Searches along p from x (energy phi0, slope g0 = −F·p < 0), first trial alpha0, cap alphaMax.
 * Results in `ws` (see LineSearchWorkspace).
 */
export function lineSearch(
  energyForces: EnergyForces,
  d: number,
  x: Float64Array,
  p: Float64Array,
  phi0: number,
  g0: number,
  alpha0: number,
  alphaMax: number,
  params: LineSearchParams,
  ws: LineSearchWorkspace,
): void {
  const len = x.length;
  const { xt, ft } = ws;
  const noise = energyNoise(phi0);
  const target = params.sigma * Math.abs(g0);
  ws.ok = false;
  ws.moved = false;
  ws.evaluations = 0;

  let lo = 0;
  let glo = g0;
  let philo = phi0;
  let hi = Infinity;
  let ghi = NaN;
  let alpha = Math.min(alpha0, alphaMax);
  if (!(alpha > 0) || !Number.isFinite(alpha)) alpha = alphaMax;
  // Which end moved last (+1 lo, −1 hi) and how often in a row: regula falsi stalls when one end
  // stays fixed, so after two same-side updates we bisect.
  let lastSide = 0;
  let sameSide = 0;

  for (let it = 0; it < params.maxEvaluations; it++) {
    for (let k = 0; k < len; k++) xt[k] = x[k] + alpha * p[k];
    const phi = energyForces(xt, ft);
    ws.evaluations++;
    let g = 0;
    for (let k = 0; k < len; k++) g -= ft[k] * p[k];
    let side: number;
    if (!Number.isFinite(phi) || !Number.isFinite(g)) {
      hi = alpha; // non-finite: treat as an overshoot without slope information
      ghi = NaN;
      side = -1;
    } else if (phi > phi0 + noise || phi > philo + noise) {
      hi = alpha; // energy rose: a minimum lies before α (even if φ'(α) < 0: a hump in between)
      ghi = g;
      side = -1;
    } else if (Math.abs(g) <= target) {
      accept(ws, xt, ft, alpha, phi, d);
      ws.ok = true;
      return;
    } else if (g > 0) {
      hi = alpha;
      ghi = g;
      side = -1;
    } else {
      lo = alpha;
      glo = g;
      philo = phi;
      accept(ws, xt, ft, alpha, phi, d); // best descent point so far (fallback)
      if (alpha >= alphaMax) {
        ws.ok = true; // capped step, still going down: take it
        return;
      }
      side = 1;
    }
    sameSide = side === lastSide ? sameSide + 1 : 0;
    lastSide = side;

    // Next trial.
    let next: number;
    if (hi === Infinity) {
      // Extrapolate the secant of φ' through (0, g0) and (lo, glo); grow by 1.5× to 4×.
      next = glo > g0 ? lo - (glo * lo) / (glo - g0) : 4 * lo;
      next = Math.min(Math.max(next, 1.5 * lo), 4 * lo, alphaMax);
    } else {
      const w = hi - lo;
      if (!(w > 1e-15 * hi)) break; // bracket collapsed to round-off
      if (Number.isFinite(ghi) && ghi > 0 && sameSide < 2) {
        next = lo - (glo * w) / (ghi - glo); // secant root of φ' in [lo, hi]
        next = Math.min(Math.max(next, lo + 0.01 * w), hi - 0.01 * w);
      } else if (Number.isNaN(ghi)) {
        next = lo + 0.25 * w; // non-finite energy or forces at hi: back off hard
      } else {
        next = lo + 0.5 * w;
      }
    }
    alpha = next;
  }
  // Budget exhausted: xa/fa hold the best descent point (if any) and ws.moved says so.
}

function accept(ws: LineSearchWorkspace, xt: Float64Array, ft: Float64Array, alpha: number, phi: number, d: number): void {
  ws.xa.set(xt);
  ws.fa.set(ft);
  ws.alpha = alpha;
  ws.energy = phi;
  ws.maxForce = maxParticleNorm(ft, d);
  ws.moved = true;
}
