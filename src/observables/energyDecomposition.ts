/**
 * Hessian energy decomposition of a mode (SPEC §4.6; seed 001 Eqs. 8–10).
 *
 * For a pair with r_ij = x_j − x_i, r, n = r_ij/r, the Hessian is
 *   M = Σ φ'' (∂r/∂x)⊗(∂r/∂x) + Σ φ' ∂²r/∂x∂x,
 * and for a displacement field u with w = u_j − u_i
 *   (∂r/∂x)·u = n·w,   u·(∂²r/∂x∂x)·u = (|w|² − (n·w)²)/r.
 * Splitting by the signs of φ'' and φ' (M = M''₊ + M''₋ + M'₊ + M'₋, Eq. 9):
 *   k± = Σ_{φ''≷0} φ'' (n·w)²,   f± = Σ_{φ'≷0} (φ'/r)(|w|² − (n·w)²),
 * so u·M·u = k₊ + k₋ + f₊ + f₋ (Eq. 10); for a normalized mode that is ω² (m = 1). f₊ collects
 * the attractive pair forces (φ' > 0, stabilizing), f₋ the repulsive ones.
 * Units: energy/length² for a dimensionless (normalized) u; `scaled` divides by ω0² (SPEC §0).
 */
import { GlassmechError } from "../core/errors.js";
import type { PairRecords } from "../forces/types.js";

export interface EnergyDecomposition {
  /** u·M''₊·u (φ'' > 0, stabilizing stiffnesses). */
  readonly kPlus: number;
  /** u·M''₋·u (φ'' < 0, destabilizing stiffnesses), ≤ 0. */
  readonly kMinus: number;
  /** u·M'₊·u (φ' > 0, attractive forces), ≥ 0. */
  readonly fPlus: number;
  /** u·M'₋·u (φ' < 0, repulsive forces), ≤ 0. */
  readonly fMinus: number;
  /** u·M·u = kPlus + kMinus + fPlus + fMinus. */
  readonly total: number;
  /** u·u (1 for a normalized mode). */
  readonly norm2: number;
  /** Each term divided by ω0² (NaN when ω0 was not given). */
  readonly scaled: { kPlus: number; kMinus: number; fPlus: number; fMinus: number; total: number };
}

/**
 * The four contributions of Eq. 10 for the displacement field u (length n·d, particle-major),
 * taken as given (normalize it for ω²); `omega0` (SPEC §0) for the rescaled terms.
 *
 * @example
 *   const parts = hessianEnergyDecomposition(sys.records(x), n, mode, result.omega0);
 *   parts.kMinus / parts.total;
 */
export function hessianEnergyDecomposition(records: PairRecords, n: number, u: Float64Array, omega0 = NaN): EnergyDecomposition {
  const { d, count, i: ri, j: rj, delta, r, dphi, d2phi } = records;
  if (u.length !== n * d) throw new GlassmechError(`energy decomposition: mode has length ${u.length}, expected n·d = ${n * d}`);
  let kp = 0;
  let km = 0;
  let fp = 0;
  let fm = 0;
  for (let p = 0; p < count; p++) {
    const i = ri[p];
    const j = rj[p];
    if (i === j) continue; // a self-image record does not enter M (hessian/assemble.ts)
    const o = p * d;
    const rr = r[p];
    let nw = 0;
    let ww = 0;
    for (let a = 0; a < d; a++) {
      const w = u[j * d + a] - u[i * d + a];
      nw += delta[o + a] * w;
      ww += w * w;
    }
    nw /= rr;
    const k = d2phi[p] * nw * nw;
    if (d2phi[p] > 0) kp += k;
    else km += k;
    const f = (dphi[p] / rr) * (ww - nw * nw);
    if (dphi[p] > 0) fp += f;
    else fm += f;
  }
  let norm2 = 0;
  for (let s = 0; s < u.length; s++) norm2 += u[s] * u[s];
  const total = kp + km + fp + fm;
  const w2 = omega0 * omega0;
  return {
    kPlus: kp,
    kMinus: km,
    fPlus: fp,
    fMinus: fm,
    total,
    norm2,
    scaled: { kPlus: kp / w2, kMinus: km / w2, fPlus: fp / w2, fMinus: fm / w2, total: total / w2 },
  };
}
