import type { Model } from "../models/types.js";

/** Largest time step we ever pick automatically (SPEC §3.2 default). */
export const DEFAULT_DT = 0.005;

/**
 * A stable MD time step for `model` at temperature T.
 *
 * Why: stiff models at high T (QSS q = 20 at T ≈ 6, PSS r_c = 1.1) blow up with dt = 0.005.
 * The fastest motion is the head-on collision of the smallest pair: we find the reduced distance
 * x* where the pair energy exceeds its minimum by 10 T (collisions harder than that are
 * Boltzmann-rare, ~e⁻¹⁰), take the curvature there as a spring, ω* = sqrt(2 ε f''(x*))/λ
 * (reduced mass ½), and keep ω*·dt ≤ 0.5. That criterion reproduces the standard dt = 0.005
 * for PSS r_c = 1.2 at T = 2 and KABLJ at T = 1 (ω*dt ≈ 0.5), and gives dt ≈ 0.0026 for PSS
 * r_c = 1.1 at T = 6 and ≈ 0.0009 for QSS q = 20 at T = 6. The MD blow-up watch remains the
 * safety net.
 */
export function autoTimeStep(model: Model, T: number): number {
  if (!(T > 0)) return DEFAULT_DT;
  const s = model.scales;
  let lambda: number, eps: number;
  if (s.kind === "types") {
    lambda = Infinity;
    eps = 0;
    for (let k = 0; k < s.lambda.length; k++) {
      lambda = Math.min(lambda, s.lambda[k]);
      eps = Math.max(eps, s.epsilon[k]);
    }
  } else {
    // POLY: the smallest possible pair size λ_min of the size distribution (sizes ≥ ~0.6).
    lambda = 0.6;
    eps = s.epsilon;
  }
  const out = new Float64Array(3);
  const xc = model.reduced.xc;
  const f = (x: number): number => {
    model.reduced.eval2(x, out);
    return out[0];
  };
  // The minimum of f on (0, xc) (at xc for purely repulsive models, where f → 0).
  let xm = xc, fm = 0;
  const steps = 2000;
  for (let k = 1; k < steps; k++) {
    const x = 0.3 + ((xc - 0.3) * k) / steps;
    const v = f(x);
    if (v < fm) {
      fm = v;
      xm = x;
    }
  }
  const target = fm + (10 * T) / eps;
  let lo = 0.05, hi = xm;
  if (!(f(lo) > target)) return DEFAULT_DT;
  for (let k = 0; k < 200; k++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  model.reduced.eval2(hi, out);
  const omega = Math.sqrt(2 * eps * Math.max(out[2], 0)) / lambda;
  if (!(omega > 0)) return DEFAULT_DT;
  const dt = 0.5 / omega;
  // Round down to two significant digits so logs and file headers stay readable.
  const p = Math.pow(10, Math.floor(Math.log10(dt)) - 1);
  return Math.min(DEFAULT_DT, Number((Math.floor(dt / p) * p).toPrecision(2)));
}
