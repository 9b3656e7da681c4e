/**
 * Elastic moduli of a minimized configuration from the Hessian and the strain derivatives
 * (SPEC §4.3): affine (Born) term minus the nonaffine relaxation Ξ·M⁺·Ξ, with M⁺ applied by
 * preconditioned CG on the translation-free subspace (linalg/cg.ts).
 *
 *   G    = [∂²U/∂γ² − Ξ_γ·M⁺·Ξ_γ] / V,          G_na = Ξ_γ·M⁺·Ξ_γ / V  (x–y shear by default)
 *   K    = [∂²U/∂η² − d ∂U/∂η − Ξ_η·M⁺·Ξ_η] / (V d²)
 * (the relaxed strain Hessian of a general strain, for the full tensor, is observables/elasticity.ts).
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
import { expansionDerivatives, shearDerivatives } from "./strain.js";

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
  if (!(volume > 0) || !Number.isFinite(volume)) throw new GlassmechError(`elastic moduli: box volume must be positive and finite, got ${volume}`);
  assertRecordsAtMinimum(records, n, options.forceTolerance, "elastic moduli");
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
 * Net forces from the records (F_i = Σ φ'/r Δ over pairs with j, minus on j) must vanish to
 * `forceTolerance` (default 1e-8; Infinity skips the check): the harmonic formulas hold at a
 * minimum only. Shared with the elastic tensor (observables/elasticity.ts).
 */
export function assertRecordsAtMinimum(records: PairRecords, n: number, forceTolerance = 1e-8, what: string): void {
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
