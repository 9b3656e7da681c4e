/**
 * Affine-strain derivatives of the energy from per-pair records (SPEC §4.2, §6.5).
 *
 * A homogeneous strain maps every position and the cell by x → F x, F = I + ε (ε any d×d
 * matrix; periodic images follow because the box is strained with the particles). With
 * Δ = r_ij, r = |Δ|, n = Δ/r, at ε = 0 (derivation in the comments of each function):
 *   ∂r/∂ε_ab            = n_a Δ_b
 *   ∂²r/∂ε_ab∂ε_ce      = (δ_ac Δ_b Δ_e − n_a Δ_b n_c Δ_e)/r
 *   ∂U/∂ε_ab            = Σ φ' r n_a n_b
 *   ∂²U/∂ε_ab∂ε_ce      = Σ [φ'' r² n_a n_b n_c n_e + φ' r (δ_ac n_b n_e − n_a n_b n_c n_e)]
 *   Ξ_ab = ∂²U/∂ε_ab∂x, on particle j, component k:
 *                         (φ'' r − φ') n_a n_b n_k + φ' δ_ka n_b,   and the negative on i.
 * Ξ is the strain derivative of the gradient ∇U taken at the *strained* positions (= −∂F/∂ε of
 * the forces recomputed after straining positions and box), the convention of SPEC §4.2; it
 * differs from the derivative in reference coordinates by a term proportional to the net
 * particle forces, which vanishes at a minimum.
 * Special cases (SPEC §4.2): simple shear x_a += γ x_b is ε_ab = γ; expansion x → e^η x has
 * ∂U/∂η = Σ φ' r, ∂²U/∂η² = Σ (φ'' r² + φ' r), Ξ_η = φ'' r n on j.
 *
 * All are derivatives of U = Σ_records φ(r): a self-image record (i = j, tiny boxes) changes
 * with the cell, so it enters ∂U and ∂²U, while its Ξ contributions (+ on j, − on i = j) cancel.
 */
import { GlassmechError } from "../core/errors.js";
import type { PairRecords } from "../forces/types.js";

/** Derivatives for simple shear x_a → x_a + γ x_b (default the x–y plane). */
export interface ShearDerivatives {
  /** ∂U/∂γ (energy units; the shear stress is this over V). */
  readonly dUdGamma: number;
  /** ∂²U/∂γ² (affine, Born term). */
  readonly d2UdGamma2: number;
  /** Ξ_γ = ∂²U/∂γ∂x, length n·d, particle-major; sums to zero over particles. */
  readonly xi: Float64Array;
}

/** Derivatives for isotropic expansion x → e^η x. */
export interface ExpansionDerivatives {
  /** ∂U/∂η = Σ φ' r (= −p V d). */
  readonly dUdEta: number;
  /** ∂²U/∂η² = Σ (φ'' r² + φ' r). */
  readonly d2UdEta2: number;
  /** Ξ_η = ∂²U/∂η∂x, length n·d. */
  readonly xi: Float64Array;
}

/** Derivatives for a general linear strain x → (I + ε) x; index ab ≡ a*d + b. */
export interface StrainDerivatives {
  readonly d: number;
  /** ∂U/∂ε_ab, length d². */
  readonly first: Float64Array;
  /** ∂²U/∂ε_ab∂ε_ce at [(a*d+b)*d² + (c*d+e)], length d⁴ (symmetric as a d²×d² matrix). */
  readonly second: Float64Array;
  /**
   * Ξ_ab for all d² strain components as one interleaved multi-vector (the layout of
   * blockMatMulVectors / solveCGMulti): xi[(i*d + k)*d² + (a*d + b)] is component k of particle
   * i of Ξ_ab.
   */
  readonly xi: Float64Array;
}

/**
 * Shear derivatives (SPEC §4.2): ∂r/∂γ = n_a Δ_b, ∂²r/∂γ² = Δ_b²(1 − n_a²)/r,
 * ∂²U/∂γ² = Σ [φ'' (∂r/∂γ)² + φ' ∂²r/∂γ²], Ξ_γ on j: φ'' (∂r/∂γ) n + φ' [δ_·a Δ_b/r − n (∂r/∂γ)/r].
 */
export function shearDerivatives(records: PairRecords, n: number, a = 0, b = 1): ShearDerivatives {
  const { d, count, i: ri, j: rj, delta, r, dphi, d2phi } = records;
  checkRecords(records, n, "shearDerivatives");
  if (!(a >= 0 && a < d && b >= 0 && b < d && a !== b))
    throw new GlassmechError(`shearDerivatives: shear plane (${a}, ${b}) must be two different axes in 0..${d - 1}`);
  const xi = new Float64Array(n * d);
  let dU = 0;
  let d2U = 0;
  for (let p = 0; p < count; p++) {
    const o = p * d;
    const rr = r[p];
    const f1 = dphi[p];
    const f2 = d2phi[p];
    const na = delta[o + a] / rr;
    const db = delta[o + b];
    const dr = na * db; // ∂r/∂γ
    const d2r = (db * db * (1 - na * na)) / rr; // ∂²r/∂γ²
    dU += f1 * dr;
    d2U += f2 * dr * dr + f1 * d2r;
    const i = ri[p];
    const j = rj[p];
    if (i === j) continue;
    // Ξ on j: φ'' dr n_k + φ' (δ_ka Δ_b − n_k dr)/r.
    const cn = (f2 - f1 / rr) * dr / rr; // coefficient of Δ_k (n_k = Δ_k/r)
    for (let k = 0; k < d; k++) {
      let v = cn * delta[o + k];
      if (k === a) v += (f1 * db) / rr;
      xi[j * d + k] += v;
      xi[i * d + k] -= v;
    }
  }
  return { dUdGamma: dU, d2UdGamma2: d2U, xi };
}

/** Expansion derivatives (SPEC §4.2): ∂U/∂η = Σ φ' r, ∂²U/∂η² = Σ (φ'' r² + φ' r), Ξ_η = φ'' r n on j. */
export function expansionDerivatives(records: PairRecords, n: number): ExpansionDerivatives {
  const { d, count, i: ri, j: rj, delta, r, dphi, d2phi } = records;
  checkRecords(records, n, "expansionDerivatives");
  const xi = new Float64Array(n * d);
  let dU = 0;
  let d2U = 0;
  for (let p = 0; p < count; p++) {
    const rr = r[p];
    dU += dphi[p] * rr;
    d2U += d2phi[p] * rr * rr + dphi[p] * rr;
    const i = ri[p];
    const j = rj[p];
    if (i === j) continue;
    const c = d2phi[p]; // φ'' r n_k = φ'' Δ_k
    const o = p * d;
    for (let k = 0; k < d; k++) {
      const v = c * delta[o + k];
      xi[j * d + k] += v;
      xi[i * d + k] -= v;
    }
  }
  return { dUdEta: dU, d2UdEta2: d2U, xi };
}

/**
 * First and second derivatives of U and Ξ for every component of a general strain ε (see the
 * module comment for the formulas; elastic tensor and QLM coupling, SPEC §4.3, §6.5).
 * Memory: xi has n·d³ entries.
 */
export function strainDerivatives(records: PairRecords, n: number): StrainDerivatives {
  const { d, count, i: ri, j: rj, delta, r, dphi, d2phi } = records;
  checkRecords(records, n, "strainDerivatives");
  const D = d * d;
  const first = new Float64Array(D);
  const second = new Float64Array(D * D);
  const xi = new Float64Array(n * d * D);
  const nv = new Float64Array(d); // scratch, allocated once per call
  for (let p = 0; p < count; p++) {
    const o = p * d;
    const rr = r[p];
    const f1 = dphi[p];
    const f2 = d2phi[p];
    for (let k = 0; k < d; k++) nv[k] = delta[o + k] / rr;
    const A = f2 * rr * rr - f1 * rr; // coefficient of n_a n_b n_c n_e
    const B = f1 * rr; // coefficient of δ_ac n_b n_e, and of n_a n_b in the first derivative
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        const nab = nv[a] * nv[b];
        const ab = a * d + b;
        first[ab] += B * nab;
        for (let c = 0; c < d; c++)
          for (let e = 0; e < d; e++) {
            let v = A * nab * nv[c] * nv[e];
            if (a === c) v += B * nv[b] * nv[e];
            second[ab * D + c * d + e] += v;
          }
      }
    const i = ri[p];
    const j = rj[p];
    if (i === j) continue;
    const C = f2 * rr - f1; // (φ'' r − φ') n_a n_b n_k + φ' δ_ka n_b
    for (let k = 0; k < d; k++) {
      const oj = (j * d + k) * D;
      const oi = (i * d + k) * D;
      const cnk = C * nv[k];
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++) {
          let v = cnk * nv[a] * nv[b];
          if (k === a) v += f1 * nv[b];
          xi[oj + a * d + b] += v;
          xi[oi + a * d + b] -= v;
        }
    }
  }
  // Symmetrize the rounding: the d²×d² matrix is symmetric analytically.
  for (let p = 0; p < D; p++)
    for (let q = 0; q < p; q++) {
      const v = 0.5 * (second[p * D + q] + second[q * D + p]);
      second[p * D + q] = v;
      second[q * D + p] = v;
    }
  return { d, first, second, xi };
}

/**
 * The strain coupling of a displacement field u (SPEC §6.5): F_ab = Σ_k Ξ_ab,k · u_k, returned as
 * a row-major d×d matrix, computed pair by pair without forming Ξ:
 * F_ab = Σ_pairs [(φ'' r − φ') n_a n_b (n·w) + φ' w_a n_b], w = u_j − u_i.
 */
export function strainCoupling(records: PairRecords, n: number, u: Float64Array): Float64Array {
  const { d, count, i: ri, j: rj, delta, r, dphi, d2phi } = records;
  checkRecords(records, n, "strainCoupling");
  if (u.length !== n * d) throw new GlassmechError(`strainCoupling: displacement has length ${u.length}, expected n·d = ${n * d}`);
  const F = new Float64Array(d * d);
  const nv = new Float64Array(d);
  const w = new Float64Array(d);
  for (let p = 0; p < count; p++) {
    const i = ri[p];
    const j = rj[p];
    if (i === j) continue;
    const o = p * d;
    const rr = r[p];
    let nw = 0;
    for (let k = 0; k < d; k++) {
      nv[k] = delta[o + k] / rr;
      w[k] = u[j * d + k] - u[i * d + k];
      nw += nv[k] * w[k];
    }
    const C = (d2phi[p] * rr - dphi[p]) * nw;
    const f1 = dphi[p];
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) F[a * d + b] += C * nv[a] * nv[b] + f1 * w[a] * nv[b];
  }
  return F;
}

function checkRecords(records: PairRecords, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new GlassmechError(`${what}: particle count must be a positive integer, got ${n}`);
  const { count, i, j } = records;
  for (let p = 0; p < count; p++)
    if (!(i[p] >= 0 && i[p] < n && j[p] >= 0 && j[p] < n))
      throw new GlassmechError(`${what}: pair record ${p} has particle indices (${i[p]}, ${j[p]}) outside 0..${n - 1}`);
}
