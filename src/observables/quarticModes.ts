/**
 * Quartic (nonlinear) quasilocalized modes π (SPEC §6.4; seed 001 Eq. A14, seed 003 SI Eqs. S6–S7):
 * local minima of the cost
 *   𝒢(z) = (z·M·z)² / (U''''::zzzz),
 * which solve M·π = [(π·M·π)/(U''''::ππππ)] U''''::πππ.
 *
 * Gradient (with A = z·M·z, B = U''''::zzzz, ∇A = 2 M·z, ∇B = 4 U''''::zzz):
 *   ∇𝒢 = 4 (A/B) [M·z − (A/B) U''''::zzz].
 * 𝒢 is homogeneous of degree 0 (scale-free), so ∇𝒢 ⟂ z and the search lives on the unit sphere
 * |z| = 1 inside the translation-free subspace (the d zero modes of M, SPEC §4.2, are projected
 * out at every step). The minimizer is Riemannian nonlinear CG on that sphere (Polak–Ribière+,
 * directions carried along the great circle, restart on a non-descent direction) with an exact
 * line search: along z(θ) = cos θ z + sin θ p̂, A(θ) is a quadratic and B(θ) a quartic form in
 * (cos θ, sin θ) whose coefficients come from one pass over the pairs (PairJets.lineQuartic), so
 * the first minimum of 𝒢(θ) is located by bisection on the sign of 2A'B − AB' without touching
 * the pairs again. Hence the cost decreases at every iteration. Cost per iteration: two passes over
 * the pairs, each with one M·v product: the fused (M·z, U''''::zzz, A, B) at the new point, and
 * (M·p̂, quartic coefficients) along the new direction.
 *
 * Stopping rule: |M·π − (A/B) U''''::πππ| / |M·π| < tol (default 1e-8). A start is flagged, never
 * kept silently, when it is zero, when z·M·z ≤ 0 (not a minimum), when U''''::zzzz ≤ 0 at the start
 * or along the search, when the line search cannot decrease 𝒢 even along −∇𝒢 (stalled), or at the
 * iteration cap.
 */
import { GlassmechError } from "../core/errors.js";
import type { PairJets } from "../hessian/contractions.js";
import { removeTranslations } from "../linalg/projection.js";

export type SearchStatus = "converged" | "maxIterations" | "nonpositiveQuartic" | "unstable" | "stalled" | "zero" | "duplicate";

export interface QuarticSearchOptions {
  /** Stationarity residual |M·π − (A/B) U''''::πππ| / |M·π| to reach (default 1e-8). */
  readonly tol?: number;
  /** Iteration cap (default 20000). */
  readonly maxIterations?: number;
  /** Called after every iteration with the cost 𝒢 and the residual at the new point. */
  readonly onIteration?: (iteration: number, cost: number, residual: number) => void;
  /**
   * Known modes (unit vectors): every `checkEvery` iterations the search stops as "duplicate" when
   * |z·π| exceeds `overlap` for one of them (it is running into a mode found already).
   */
  readonly known?: { readonly modes: readonly Float64Array[]; readonly overlap: number; readonly checkEvery?: number };
}

export interface QuarticSearchResult {
  readonly status: SearchStatus;
  /** The last iterate, |z| = 1, translation-free. */
  readonly vector: Float64Array;
  readonly iterations: number;
  readonly residual: number;
  /** 𝒢, z·M·z and U''''::zzzz at the last iterate. */
  readonly cost: number;
  readonly stiffness: number;
  readonly quartic: number;
  /** Index into `known.modes` for a "duplicate", with the overlap. */
  readonly duplicateOf: number | null;
  readonly overlap: number | null;
  readonly message: string;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

/** v ← v − (v·u) u for a unit vector u. */
function orthogonalize(v: Float64Array, u: Float64Array): void {
  const c = dot(v, u);
  for (let k = 0; k < v.length; k++) v[k] -= c * u[k];
}

/**
 * The exact line search on the great circle: returns the first θ ∈ (0, π) where 𝒢(θ) stops
 * decreasing, or −1 when 𝒢 does not decrease at θ = 0⁺, or −2 when B(θ) ≤ 0 before that.
 * A(θ) = c² Azz + 2cs Azp + s² App, B(θ) = Σ_k q[k] c^(4−k) s^k, c = cos θ, s = sin θ;
 * d𝒢/dθ has the sign of 2A'B − AB' wherever A, B > 0.
 */
export function lineMinimum(Azz: number, Azp: number, App: number, q: Float64Array): number {
  const slope = (th: number): number => {
    const c = Math.cos(th), s = Math.sin(th);
    const A = c * c * Azz + 2 * c * s * Azp + s * s * App;
    const dA = 2 * c * s * (App - Azz) + 2 * (c * c - s * s) * Azp;
    const c2 = c * c, s2 = s * s;
    const B = q[0] * c2 * c2 + q[1] * c2 * c * s + q[2] * c2 * s2 + q[3] * c * s2 * s + q[4] * s2 * s2;
    // d/dθ c^(4−k) s^k = −(4−k) c^(3−k) s^(k+1) + k c^(5−k) s^(k−1)
    const dB =
      -4 * q[0] * c2 * c * s +
      q[1] * (-3 * c2 * s2 + c2 * c2) +
      q[2] * (-2 * c * s2 * s + 2 * c2 * c * s) +
      q[3] * (-s2 * s2 + 3 * c2 * s2) +
      4 * q[4] * c * s2 * s;
    if (!(B > 0) || !(A > 0)) return NaN;
    return 2 * dA * B - A * dB;
  };
  const s0 = 4 * Azp * q[0] - Azz * q[1]; // 2A'(0)B(0) − A(0)B'(0)
  if (!(s0 < 0)) return -1;
  let lo = 0;
  let hi = -1;
  for (let th = 1e-14; th < Math.PI; th *= 2) {
    const v = slope(th);
    if (Number.isNaN(v)) return -2;
    if (v >= 0) {
      hi = th;
      break;
    }
    lo = th;
  }
  if (hi < 0) {
    // 𝒢(π) = 𝒢(0): a decrease at 0⁺ implies a minimum inside (0, π); reaching here is rounding.
    const v = slope(Math.PI * (1 - 1e-12));
    if (Number.isNaN(v) || v < 0) return -2;
    hi = Math.PI * (1 - 1e-12);
  }
  for (let it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
    const mid = 0.5 * (lo + hi);
    const v = slope(mid);
    if (Number.isNaN(v)) return -2;
    if (v < 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * g = ∇𝒢 = 4 (A/B) [M·z − (A/B) U''''::zzz] from A = z·M·z, B = U''''::zzzz, mz = M·z and
 * t = U''''::zzz (g overwritten); returns the stationarity residual |M·z − (A/B) t| / |M·z|.
 */
export function costGradient(A: number, B: number, mz: Float64Array, t: Float64Array, g: Float64Array): number {
  const lam = A / B;
  let r2 = 0, m2 = 0;
  for (let k = 0; k < g.length; k++) {
    const rk = mz[k] - lam * t[k];
    g[k] = 4 * lam * rk;
    r2 += rk * rk;
    m2 += mz[k] * mz[k];
  }
  return Math.sqrt(r2 / m2);
}

/**
 * Minimizes 𝒢 from one start (any normalization; projected and normalized here).
 *
 * @example
 *   const jets = PairJets.fromRecords(prepared.records, prepared.config, prepared.model);
 *   const res = quarticModeSearch(jets, dipoleResponse);
 *   if (res.status === "converged") res.vector; // π, |π| = 1
 */
export function quarticModeSearch(jets: PairJets, start: Float64Array, options: QuarticSearchOptions = {}): QuarticSearchResult {
  const { d } = jets;
  const nd = jets.n * d;
  if (start.length !== nd) throw new GlassmechError(`quartic modes: a start needs n·d = ${nd} entries, got ${start.length}`);
  const tol = options.tol ?? 1e-8;
  const maxIt = options.maxIterations ?? 20000;
  if (!(tol > 0)) throw new GlassmechError(`quartic modes: tolerance must be positive, got ${tol}`);
  const z = Float64Array.from(start);
  const mz = new Float64Array(nd), t = new Float64Array(nd), g = new Float64Array(nd), gPrev = new Float64Array(nd);
  const p = new Float64Array(nd), ph = new Float64Array(nd), mp = new Float64Array(nd), zOld = new Float64Array(nd);
  const res = new Float64Array(2), q = new Float64Array(5);
  const known = options.known;
  const checkEvery = known?.checkEvery ?? 10;

  let iterations = 0;
  let residual = NaN;
  const finish = (status: SearchStatus, message: string, dup: number | null = null, overlap: number | null = null): QuarticSearchResult => ({
    status,
    vector: z,
    iterations,
    residual,
    cost: (res[0] * res[0]) / res[1],
    stiffness: res[0],
    quartic: res[1],
    duplicateOf: dup,
    overlap,
    message,
  });

  removeTranslations(d, z);
  const z2 = dot(z, z);
  if (!(z2 > 0) || !Number.isFinite(z2)) {
    res[0] = NaN;
    res[1] = NaN;
    return finish("zero", "the start vector is zero (or not finite) after removing translations");
  }
  for (let k = 0; k < nd; k++) z[k] /= Math.sqrt(z2);
  jets.evaluate(z, mz, t, res);
  let restartNext = true;
  let stalls = 0;
  for (;;) {
    const A = res[0], B = res[1];
    if (!(A > 0)) return finish("unstable", `z·M·z = ${A.toExponential(3)} ≤ 0: the Hessian is not positive here (not a minimum?)`);
    if (!(B > 0)) return finish("nonpositiveQuartic", `U''''::zzzz = ${B.toExponential(3)} ≤ 0${iterations === 0 ? " at the start" : ` after ${iterations} iterations`}`);
    residual = costGradient(A, B, mz, t, g);
    if (options.onIteration !== undefined && iterations > 0) options.onIteration(iterations, (A * A) / B, residual);
    if (residual < tol) return finish("converged", "");
    if (iterations >= maxIt) return finish("maxIterations", `no convergence in ${maxIt} iterations (residual ${residual.toExponential(2)})`);
    if (known !== undefined && iterations > 0 && iterations % checkEvery === 0)
      for (let m = 0; m < known.modes.length; m++) {
        const ov = Math.abs(dot(z, known.modes[m]));
        if (ov > known.overlap) return finish("duplicate", `runs into mode ${m} (overlap ${ov.toFixed(4)})`, m, ov);
      }
    removeTranslations(d, g);
    orthogonalize(g, z);
    // Polak–Ribière+ with the previous gradient carried to the new tangent space by projection.
    let beta = 0;
    if (!restartNext) {
      orthogonalize(gPrev, z);
      const gg = dot(gPrev, gPrev);
      let num = 0;
      for (let k = 0; k < nd; k++) num += g[k] * (g[k] - gPrev[k]);
      beta = gg > 0 ? Math.max(0, num / gg) : 0;
    }
    for (let k = 0; k < nd; k++) p[k] = -g[k] + beta * p[k];
    orthogonalize(p, z);
    if (!(dot(p, g) < 0)) for (let k = 0; k < nd; k++) p[k] = -g[k];
    const pn = Math.sqrt(dot(p, p));
    for (let k = 0; k < nd; k++) ph[k] = p[k] / pn;
    jets.lineQuartic(z, ph, mp, q);
    const theta = lineMinimum(A, dot(ph, mz), dot(ph, mp), q);
    if (theta === -2) return finish("nonpositiveQuartic", `U''''::zzzz turns ≤ 0 along the line search after ${iterations} iterations`);
    if (theta < 0) {
      // No decrease along p̂ (rounding): retry once along −∇𝒢, then give up.
      if (++stalls > 1 || restartNext)
        return finish("stalled", `the cost no longer decreases after ${iterations} iterations (residual ${residual.toExponential(2)})`);
      restartNext = true;
      continue;
    }
    stalls = 0;
    const c = Math.cos(theta), s = Math.sin(theta);
    zOld.set(z);
    for (let k = 0; k < nd; k++) {
      z[k] = c * z[k] + s * ph[k];
      // parallel transport of the direction along the great circle: p̂ → −s z + c p̂
      p[k] = pn * (c * ph[k] - s * zOld[k]);
    }
    removeTranslations(d, z);
    const zn = Math.sqrt(dot(z, z));
    for (let k = 0; k < nd; k++) z[k] /= zn;
    gPrev.set(g);
    restartNext = false;
    iterations++;
    jets.evaluate(z, mz, t, res);
  }
}
