/**
 * Elastic moduli of a minimized configuration from the Hessian and the strain derivatives
 * (SPEC §4.3): affine (Born) term minus the nonaffine relaxation Ξ·M⁺·Ξ, with M⁺ applied by
 * preconditioned CG on the translation-free subspace (linalg/cg.ts).
 *
 *   G    = [∂²U/∂γ² − Ξ_γ·M⁺·Ξ_γ] / V,          G_na = Ξ_γ·M⁺·Ξ_γ / V  (x–y shear by default)
 *   K    = [∂²U/∂η² − d ∂U/∂η − Ξ_η·M⁺·Ξ_η] / (V d²)
 * and, for a general strain x → (I + ε)x, the relaxed second derivative
 *   C_ab,ce = [∂²U/∂ε_ab∂ε_ce − Ξ_ab·M⁺·Ξ_ce] / V.
 * The configuration must be a minimum (M positive on the translation-free subspace); CG reports
 * negative curvature otherwise, and an unconverged solve throws (never a plausible-looking number).
 */
import { GlassmechError } from "../core/errors.js";
import type { PairRecords } from "../forces/types.js";
import { assertMechanicalEquilibrium } from "../linalg/projection.js";
import type { BlockMatrix } from "../linalg/blockMatrix.js";
import { solveCGMultiOrThrow, type CGOptions } from "../linalg/cg.js";
import { getColumn, setColumn, dotColumns } from "../linalg/vector.js";
import { assembleHessian } from "./assemble.js";
import { expansionDerivatives, shearDerivatives, strainDerivatives } from "./strain.js";

export interface ModuliOptions {
  /** Shear plane (a, b): x_a += γ x_b (default [0, 1], the x–y plane). */
  shearPlane?: readonly [number, number];
  /** CG options (tolerance default 1e-10). */
  cg?: Omit<CGOptions, "x0">;
  /** A Hessian already assembled from the same records (saves the assembly). */
  hessian?: BlockMatrix;
  /**
   * Largest net particle force (from the records) accepted as a minimum (default 1e-8): the
   * harmonic formulas hold at mechanical equilibrium only. Infinity disables the check.
   */
  forceTolerance?: number;
}

export interface Moduli {
  /** G (SPEC §4.3), reduced units ε/λ^d. */
  readonly shearModulus: number;
  /** G_na = Ξ_γ·M⁺·Ξ_γ / V, positive. */
  readonly shearModulusNonaffine: number;
  /** Affine (Born) shear term ∂²U/∂γ² / V. */
  readonly shearModulusAffine: number;
  /** K (SPEC §4.3). */
  readonly bulkModulus: number;
  /** Affine bulk term [∂²U/∂η² − d ∂U/∂η] / (V d²). */
  readonly bulkModulusAffine: number;
  /** CG passes over M (both right-hand sides solved together). */
  readonly cgIterations: number;
  /** True relative residuals of the shear and bulk solves. */
  readonly cgResiduals: readonly [number, number];
  /** Nonaffine displacement fields M⁺Ξ_γ and M⁺Ξ_η (translation-free, n·d each). */
  readonly shearResponse: Float64Array;
  readonly bulkResponse: Float64Array;
}

/**
 * G, G_na and K of a minimized configuration (SPEC §4.3); `volume` is the box volume V.
 *
 * @example
 *   const sys = new PairSystem(config, createModel(config.model));
 *   const m = elasticModuli(sys.records(config.positions), config.n, config.box.volume);
 *   m.shearModulus; m.bulkModulus; m.cgIterations;
 */
export function elasticModuli(records: PairRecords, n: number, volume: number, options: ModuliOptions = {}): Moduli {
  const d = records.d;
  checkInputs(records, n, volume, options.forceTolerance, "elastic moduli");
  const [a, b] = options.shearPlane ?? [0, 1];
  const M = options.hessian ?? assembleHessian(records, n);
  const sh = shearDerivatives(records, n, a, b);
  const ex = expansionDerivatives(records, n);
  const N = n * d;
  const B = new Float64Array(N * 2);
  setColumn(2, B, 0, sh.xi);
  setColumn(2, B, 1, ex.xi);
  const sol = solveCGMultiOrThrow(M, 2, B, options.cg, "elastic moduli (nonaffine response M⁺Ξ)");
  const xMx = new Float64Array(2);
  dotColumns(2, B, sol.x, xMx); // Ξ·M⁺·Ξ for each column (M⁺ Ξ is translation-free, so projecting Ξ is implicit)
  const gAff = sh.d2UdGamma2 / volume;
  const gNa = xMx[0] / volume;
  const kAff = (ex.d2UdEta2 - d * ex.dUdEta) / (volume * d * d);
  const kNa = xMx[1] / (volume * d * d);
  return {
    shearModulus: gAff - gNa,
    shearModulusNonaffine: gNa,
    shearModulusAffine: gAff,
    bulkModulus: kAff - kNa,
    bulkModulusAffine: kAff,
    cgIterations: sol.iterations,
    cgResiduals: [sol.columns[0].residual, sol.columns[1].residual],
    shearResponse: getColumn(2, sol.x, 0),
    bulkResponse: getColumn(2, sol.x, 1),
  };
}

/**
 * The relaxed (affine minus nonaffine) second strain derivative of the energy density for a
 * general linear strain x → (I + ε)x: C[(a*d+b)*d² + (c*d+e)] = [∂²U/∂ε_ab∂ε_ce − Ξ_ab·M⁺·Ξ_ce]/V,
 * a symmetric d²×d² matrix (SPEC §4.3 "optional: the full tensor"). C_xy,xy = G. Conversion to
 * a stress–strain elastic tensor (pre-stress terms) is left to the caller.
 * Also returns the stress (1/V)∂U/∂ε_ab. Solves d² right-hand sides in one block CG.
 */
export function relaxedStrainHessian(
  records: PairRecords,
  n: number,
  volume: number,
  options: Omit<ModuliOptions, "shearPlane"> = {},
): { d: number; tensor: Float64Array; affine: Float64Array; stress: Float64Array; cgIterations: number } {
  const d = records.d;
  const D = d * d;
  checkInputs(records, n, volume, options.forceTolerance, "relaxed strain Hessian");
  const M = options.hessian ?? assembleHessian(records, n);
  const sd = strainDerivatives(records, n);
  const sol = solveCGMultiOrThrow(M, D, sd.xi, options.cg, "relaxed strain Hessian (nonaffine response M⁺Ξ)");
  const tensor = new Float64Array(D * D);
  const affine = new Float64Array(D * D);
  // Ξ_ab·M⁺Ξ_ce for all column pairs: one pass over the interleaved arrays.
  const X = sd.xi;
  const Y = sol.x;
  const acc = new Float64Array(D * D);
  for (let o = 0; o < X.length; o += D)
    for (let p = 0; p < D; p++) {
      const xp = X[o + p];
      if (xp === 0) continue;
      for (let q = 0; q < D; q++) acc[p * D + q] += xp * Y[o + q];
    }
  for (let p = 0; p < D; p++)
    for (let q = 0; q < D; q++) {
      const na = 0.5 * (acc[p * D + q] + acc[q * D + p]); // symmetrize rounding
      affine[p * D + q] = sd.second[p * D + q] / volume;
      tensor[p * D + q] = (sd.second[p * D + q] - na) / volume;
    }
  const stress = Float64Array.from(sd.first, (v) => v / volume);
  return { d, tensor, affine, stress, cgIterations: sol.iterations };
}

/** Net forces from the records (F_i = Σ φ'/r Δ over pairs with j, minus on j) must vanish. */
function checkInputs(records: PairRecords, n: number, volume: number, forceTolerance = 1e-8, what: string): void {
  if (!(volume > 0) || !Number.isFinite(volume)) throw new GlassmechError(`${what}: box volume must be positive and finite, got ${volume}`);
  if (forceTolerance === Infinity) return;
  const { d, count, i, j, delta, r, dphi } = records;
  const f = new Float64Array(n * d);
  for (let p = 0; p < count; p++) {
    const c = dphi[p] / r[p];
    for (let a = 0; a < d; a++) {
      f[i[p] * d + a] += c * delta[p * d + a];
      f[j[p] * d + a] -= c * delta[p * d + a];
    }
  }
  assertMechanicalEquilibrium(d, f, forceTolerance, what);
}
