/**
 * The elastic tensor of a pre-stressed solid from the relaxed strain Hessian (SPEC §4.3,
 * "optional: the full tensor C_abcd").
 *
 * Input: the relaxed second derivative of the energy density for a general linear strain
 * x → F x, F = I + ε (ε any d×d matrix; particles and cell strained together, then relaxed):
 *   W_ab,ce = (1/V) d²U/dε_ab dε_ce |relaxed = [∂²U/∂ε_ab∂ε_ce − Ξ_ab·M⁺·Ξ_ce] / V
 * (`elasticity` in ./elasticity.ts, `strainHessian`), and the virial
 * (Cauchy) stress σ_ab = (1/V) ∂U/∂ε_ab, tension positive (forces/measure.ts).
 *
 * Derivation (Wallace, "Thermodynamics of Crystals" §2; Barron & Klein, Proc. Phys. Soc. 85, 523
 * (1965)). The relaxed energy is rotation invariant, so it is a function of the Lagrangian strain
 * E = ½(FᵀF − I) = ½(ε + εᵀ + εᵀε). The chain rule at ε = 0 gives
 *   ∂U/∂ε_ab = ∂U/∂E_ab = V σ_ab,   ∂²U/∂ε_ab∂ε_ce = ∂²U/∂E_ab∂E_ce + δ_ac V σ_be,
 * so the Lagrangian (Brugger) constants, derivatives with respect to E at the reference state, are
 *   C^E_abce = W_ab,ce − δ_ac σ_be                                                    (1)
 * (minor-symmetric a↔b, c↔e and major-symmetric: a check of the stress term). The Cauchy stress
 * of the strained, relaxed solid is σ(F) = J⁻¹ F S Fᵀ with S = σ + C^E:E, J = det F; to first
 * order in a *symmetric* strain ε, dσ_ab = B_abce ε_ce with the stress–strain coefficients
 *   B_abce = C^E_abce + ½(δ_ac σ_be + δ_ae σ_bc + δ_bc σ_ae + δ_be σ_ac) − δ_ce σ_ab.       (2)
 * B is minor-symmetric but has the antisymmetric part ½(δ_ab σ_ce − δ_ce σ_ab) under ab ↔ ce,
 * which vanishes for a hydrostatic stress σ = −p I. We report the fully Voigt-symmetric
 *   C_abce = ½(B_abce + B_ceab)
 *          = C^E_abce + ½(δ_ac σ_be + δ_ae σ_bc + δ_bc σ_ae + δ_be σ_ac − δ_ab σ_ce − δ_ce σ_ab),  (3)
 * which for σ = −p I is the Barron–Klein/Birch result C^E_abce − p(δ_ac δ_be + δ_ae δ_bc − δ_ab δ_ce),
 * and the exact stress–strain coefficients are B_abce = C_abce + ½(δ_ab σ_ce − δ_ce σ_ab).
 *
 * Exact relations to the moduli of SPEC §4.3 (any residual stress):
 *   G (simple shear x_a += γ x_b, = W_ab,ab = dσ_ab/dγ)  = C_abab + ½(σ_bb − σ_aa),       (4)
 *   K = −(1/d) dp/dη = (1/d²) Σ_ac B_aacc            = (1/d²) Σ_ac C_aacc,              (5)
 * and the isotropic (Voigt) averages, exact for an isotropic C = λ δδ + μ(δδ + δδ):
 *   K_iso = (1/d²) Σ_ac C_aacc,   G_iso = [Σ_ab C_abab − (1/d) Σ_ac C_aacc] / ((d − 1)(d + 2)).  (6)
 *
 * Layout: full tensors are Float64Array(d⁴) with C_abce at ((a·d + b)·d + c)·d + e, i.e. the
 * d²×d² matrix W. Voigt form: the d(d+1)/2 symmetric index pairs in the
 * order of `voigtPairs` (xx, yy, zz, yz, xz, xy in 3D; xx, yy, xy in 2D), C_IJ = C_{a_I b_I c_J e_J}
 * with no factors of 2 (σ_I = Σ_J C_IJ e_J with engineering shear strains e = 2ε_ab, a ≠ b).
 * Units: energy/length^d (reduced ε/λ_ss^d), like G and K.
 */
import { GlassmechError } from "../core/errors.js";

const AXES = "xyzw";

/**
 * The symmetric index pairs (a ≤ b) in Voigt order: the diagonal first, then the off-diagonal
 * pairs with a descending, then b descending (3D: xx yy zz yz xz xy; 2D: xx yy xy; 4D: xx yy zz
 * ww zw yw yz xw xz xy).
 */
export function voigtPairs(d: number): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < d; a++) out.push([a, a]);
  for (let a = d - 2; a >= 0; a--) for (let b = d - 1; b > a; b--) out.push([a, b]);
  return out;
}

/** Labels of the Voigt pairs, e.g. ["xx", "yy", "zz", "yz", "xz", "xy"]. */
export function voigtLabels(d: number): string[] {
  return voigtPairs(d).map(([a, b]) => AXES[a] + AXES[b]);
}

/** The elastic tensors of one glass (see the module comment for the formulas). */
export interface ElasticTensor {
  readonly d: number;
  /** Voigt-symmetric stress–strain tensor C_abce of Eq. (3), length d⁴. */
  readonly C: Float64Array;
  /** Lagrangian (Brugger) constants C^E_abce of Eq. (1), symmetrized, length d⁴. */
  readonly lagrangian: Float64Array;
  /** Exact stress–strain coefficients B_abce of Eq. (2) (dσ_ab = B_abce ε_ce for symmetric ε), length d⁴. */
  readonly stressStrain: Float64Array;
  /** Virial stress σ (d×d row-major, tension positive). */
  readonly stress: Float64Array;
  /**
   * Largest violation of the minor/major symmetry of C^E = W − δσ before symmetrization,
   * relative to max |C^E|: a rounding-level number for a correct W and σ.
   */
  readonly asymmetry: number;
}

function idx(d: number, a: number, b: number, c: number, e: number): number {
  return ((a * d + b) * d + c) * d + e;
}

/**
 * Converts the relaxed strain Hessian W (d²×d² row-major, (1/V) d²U/dε_ab dε_ce) and the stress σ
 * (d×d) to the elastic tensors of Eqs. (1)–(3).
 */
export function elasticTensorFromStrainHessian(d: number, W: ArrayLike<number>, stress: ArrayLike<number>): ElasticTensor {
  const D = d * d;
  if (W.length !== D * D) throw new GlassmechError(`elastic tensor: strain Hessian needs ${D * D} entries for d = ${d}, got ${W.length}`);
  if (stress.length !== D) throw new GlassmechError(`elastic tensor: stress needs ${D} entries for d = ${d}, got ${stress.length}`);
  const s = (a: number, b: number): number => stress[a * d + b];
  const del = (a: number, b: number): number => (a === b ? 1 : 0);
  // Eq. (1), raw.
  const raw = new Float64Array(D * D);
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++)
      for (let c = 0; c < d; c++)
        for (let e = 0; e < d; e++) raw[idx(d, a, b, c, e)] = W[(a * d + b) * D + c * d + e] - del(a, c) * s(b, e);
  // Symmetrize over the 8 index permutations of the Lagrangian tensor; record the violation.
  const CE = new Float64Array(D * D);
  let scale = 0;
  let asym = 0;
  for (let k = 0; k < raw.length; k++) scale = Math.max(scale, Math.abs(raw[k]));
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++)
      for (let c = 0; c < d; c++)
        for (let e = 0; e < d; e++) {
          const v0 = raw[idx(d, a, b, c, e)];
          const perms = [
            v0,
            raw[idx(d, b, a, c, e)],
            raw[idx(d, a, b, e, c)],
            raw[idx(d, b, a, e, c)],
            raw[idx(d, c, e, a, b)],
            raw[idx(d, e, c, a, b)],
            raw[idx(d, c, e, b, a)],
            raw[idx(d, e, c, b, a)],
          ];
          let sum = 0;
          for (const v of perms) {
            sum += v;
            asym = Math.max(asym, Math.abs(v - v0));
          }
          CE[idx(d, a, b, c, e)] = sum / 8;
        }
  const C = new Float64Array(D * D);
  const B = new Float64Array(D * D);
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++)
      for (let c = 0; c < d; c++)
        for (let e = 0; e < d; e++) {
          const k = idx(d, a, b, c, e);
          const four = 0.5 * (del(a, c) * s(b, e) + del(a, e) * s(b, c) + del(b, c) * s(a, e) + del(b, e) * s(a, c));
          B[k] = CE[k] + four - del(c, e) * s(a, b); // Eq. (2)
          C[k] = CE[k] + four - 0.5 * (del(a, b) * s(c, e) + del(c, e) * s(a, b)); // Eq. (3)
        }
  // Make the symmetries exact in floating point: copy each value from its canonical index
  // (a ≤ b, c ≤ e, and (ab) ≤ (ce) for the major symmetry of C and C^E).
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++)
      for (let c = 0; c < d; c++)
        for (let e = 0; e < d; e++) {
          const k = idx(d, a, b, c, e);
          const p = Math.min(a, b) * d + Math.max(a, b);
          const q = Math.min(c, e) * d + Math.max(c, e);
          const minor = idx(d, Math.min(a, b), Math.max(a, b), Math.min(c, e), Math.max(c, e));
          const major = p <= q ? minor : idx(d, Math.min(c, e), Math.max(c, e), Math.min(a, b), Math.max(a, b));
          C[k] = C[major];
          CE[k] = CE[major];
          B[k] = B[minor];
        }
  return { d, C, lagrangian: CE, stressStrain: B, stress: Float64Array.from(stress), asymmetry: scale > 0 ? asym / scale : 0 };
}

/** The d(d+1)/2 × d(d+1)/2 Voigt matrix (row-major) of a full tensor (length d⁴). */
export function toVoigt(d: number, T: ArrayLike<number>): Float64Array {
  const pairs = voigtPairs(d);
  const m = pairs.length;
  const out = new Float64Array(m * m);
  for (let I = 0; I < m; I++)
    for (let J = 0; J < m; J++) out[I * m + J] = T[idx(d, pairs[I][0], pairs[I][1], pairs[J][0], pairs[J][1])];
  return out;
}

/** Eq. (4): the simple-shear modulus G of the (a, b) plane (x_a += γ x_b) from C and σ. */
export function shearModulusFromTensor(t: ElasticTensor, a = 0, b = 1): number {
  const d = t.d;
  return t.C[idx(d, a, b, a, b)] + 0.5 * (t.stress[b * d + b] - t.stress[a * d + a]);
}

/** Eq. (5): K = (1/d²) Σ_ac C_aacc (exact for any residual stress). */
export function bulkModulusFromTensor(t: ElasticTensor): number {
  const d = t.d;
  let s = 0;
  for (let a = 0; a < d; a++) for (let c = 0; c < d; c++) s += t.C[idx(d, a, a, c, c)];
  return s / (d * d);
}

/** Eq. (6): the isotropic (Voigt-average) shear modulus of C. */
export function isotropicShearModulus(t: ElasticTensor): number {
  const d = t.d;
  let sAB = 0;
  let sAA = 0;
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) {
      sAB += t.C[idx(d, a, b, a, b)];
      sAA += t.C[idx(d, a, a, b, b)];
    }
  return (sAB - sAA / d) / ((d - 1) * (d + 2));
}
