/**
 * Deformation coupling of a quasilocalized mode (SPEC §6.5; seed 001 App. A2c, Eqs. A15–A16):
 *   F_ab = Σ_k (∂²U/∂ε_ab ∂x_k) π_k
 * for the linear strain x → (I + ε)x (hessian/strain.ts strainCoupling, computed pair by pair),
 * symmetrized since ε is a symmetric strain tensor; split into F_iso = I Tr(F)/d and the
 * deviatoric F_dev = F − F_iso. π is defined up to sign: it is flipped so that the eigenvalue of
 * F_dev of largest magnitude is positive (Eq. A16's convention), and then
 *   dilation/shear = (Tr F / d) / λ_max(F_dev).
 */
import { GlassmechError } from "../core/errors.js";
import type { PairRecords } from "../forces/types.js";
import { strainCoupling } from "../hessian/strain.js";
import { symmetricEigenvalues } from "../linalg/dense.js";

export interface QlmCoupling {
  /** Symmetrized F (row-major d×d) for the sign-fixed mode. */
  readonly tensor: Float64Array;
  /** Tr(F)/d. */
  readonly isotropic: number;
  /** λ_max(F_dev) > 0 after the sign rule. */
  readonly deviatoricMax: number;
  /** (Tr F/d)/λ_max(F_dev) (Eq. A16). */
  readonly dilationShear: number;
  /** True when the sign rule flipped the mode (the caller negates its vector). */
  readonly flipped: boolean;
}

/** Coupling of mode π (n·d) to strain, with the sign rule of seed 001 Eq. A16. */
export function qlmCoupling(records: PairRecords, n: number, pi: Float64Array): QlmCoupling {
  const d = records.d;
  const F = strainCoupling(records, n, pi);
  const S = new Float64Array(d * d);
  let tr = 0;
  for (let a = 0; a < d; a++) tr += F[a * d + a];
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) S[a * d + b] = 0.5 * (F[a * d + b] + F[b * d + a]) - (a === b ? tr / d : 0);
  const ev = symmetricEigenvalues(d, S); // ascending
  const lo = ev[0], hi = ev[d - 1];
  if (!(Math.max(-lo, hi) > 0)) throw new GlassmechError("qlm coupling: the deviatoric coupling of the mode vanishes (dilation/shear undefined)");
  // A tie |λ_min| = |λ_max| (always in 2D, where the eigenvalues of F_dev are ±λ) leaves the rule
  // of Eq. A16 undecided; then the sign makes Tr F ≥ 0.
  const tie = Math.abs(hi + lo) <= 1e-9 * (hi - lo);
  const ext = tie ? hi : -lo > hi ? lo : hi;
  const flipped = tie ? tr < 0 : ext < 0;
  const sign = flipped ? -1 : 1;
  const tensor = new Float64Array(d * d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) tensor[a * d + b] = sign * 0.5 * (F[a * d + b] + F[b * d + a]);
  const isotropic = (sign * tr) / d;
  const deviatoricMax = tie ? hi : sign * ext;
  return { tensor, isotropic, deviatoricMax, dilationShear: isotropic / deviatoricMax, flipped };
}
