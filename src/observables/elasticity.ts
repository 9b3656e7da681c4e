/**
 * Athermal elastic moduli of one minimized glass (SPEC §4.3; seed 001 App. A1a), optionally with
 * the full elastic tensor, from one block CG solve.
 *
 *   G    = [∂²U/∂γ² − Ξ_γ·M⁺·Ξ_γ] / V,     G_na = Ξ_γ·M⁺·Ξ_γ / V > 0   (simple shear x_a += γ x_b)
 *   K    = [∂²U/∂η² − d ∂U/∂η − Ξ_η·M⁺·Ξ_η] / (V d²)                    (= −(1/d) dp/dη)
 *
 * (the K formula is SPEC §4.3's derived form; seed 001 Eq. A3 and seed 000/002 Eq. A4 carry
 * misprints, SPEC §9; finite deformations confirm it, test/observables/elasticity.test.ts).
 *
 * Without the tensor, the two right-hand sides Ξ_γ, Ξ_η are solved together (hessian/moduli.ts).
 * With the tensor, the d(d+1)/2 symmetric strain columns Ξ_(ab) = ½(Ξ_ab + Ξ_ba) are solved
 * together and everything follows from them: at a minimum the antisymmetric (rotation) parts of
 * Ξ are net particle forces and vanish, so the nonaffine term of any strain pair is
 * Ξ_(ab)·M⁺·Ξ_(ce); the expansion column is Ξ_η = Σ_a Ξ_(aa), the shear column Ξ_γ = Ξ_(ab) (up to
 * the forces). That is d(d+1)/2 instead of d² right-hand sides (6 instead of 9 in 3D).
 */
import type { PairRecords } from "../forces/types.js";
import { assembleHessian } from "../hessian/assemble.js";
import { assertRecordsAtMinimum, elasticModuli, type Moduli, type ModuliOptions } from "../hessian/moduli.js";
import { strainDerivatives } from "../hessian/strain.js";
import type { BlockMatrix } from "../linalg/blockMatrix.js";
import { solveCGMultiOrThrow } from "../linalg/cg.js";
import { GlassmechError } from "../core/errors.js";
import { elasticTensorFromStrainHessian, voigtPairs, type ElasticTensor } from "./elasticTensor.js";

/** The options of hessian/moduli.ts (shear plane, CG, a pre-assembled Hessian, force check), plus the tensor. */
export interface ElasticityOptions extends ModuliOptions {
  /** Also compute the full elastic tensor (default false). */
  tensor?: boolean;
}

/** The moduli of hessian/moduli.ts (G, G_na, Born term, K, affine K), plus the tensor. */
export interface Elasticity
  extends Pick<Moduli, "shearModulus" | "shearModulusNonaffine" | "shearModulusAffine" | "bulkModulus" | "bulkModulusAffine"> {
  /** CG passes over M (all right-hand sides solved together). */
  readonly cgIterations: number;
  /** Largest true relative residual of the solves. */
  readonly cgResidual: number;
  /** The elastic tensors (./elasticTensor.ts) when requested, else null. */
  readonly tensor: ElasticTensor | null;
  /** The relaxed strain Hessian W (d²×d², (1/V) d²U/dε dε) when the tensor was requested. */
  readonly strainHessian: Float64Array | null;
}

/**
 * Moduli (and optionally the elastic tensor) of a minimized configuration from its pair records;
 * `volume` is the box volume V.
 *
 * @example
 *   const sys = new PairSystem(config, model);
 *   const e = elasticity(sys.records(config.positions), config.n, config.box.volume, { tensor: true });
 *   e.shearModulus; e.bulkModulus; toVoigt(config.d, e.tensor!.C);
 */
export function elasticity(records: PairRecords, n: number, volume: number, options: ElasticityOptions = {}): Elasticity {
  const M = options.hessian ?? assembleHessian(records, n);
  if (options.tensor !== true) {
    const m = elasticModuli(records, n, volume, {
      hessian: M,
      cg: options.cg,
      shearPlane: options.shearPlane,
      forceTolerance: options.forceTolerance,
    });
    return {
      shearModulus: m.shearModulus,
      shearModulusNonaffine: m.shearModulusNonaffine,
      shearModulusAffine: m.shearModulusAffine,
      bulkModulus: m.bulkModulus,
      bulkModulusAffine: m.bulkModulusAffine,
      cgIterations: m.cgIterations,
      cgResidual: Math.max(...m.cgResiduals),
      tensor: null,
      strainHessian: null,
    };
  }
  assertRecordsAtMinimum(records, n, options.forceTolerance, "elastic tensor");
  return tensorElasticity(records, n, volume, M, options);
}

function tensorElasticity(records: PairRecords, n: number, volume: number, M: BlockMatrix, options: ElasticityOptions): Elasticity {
  const d = records.d;
  const D = d * d;
  const [sa, sb] = options.shearPlane ?? [0, 1];
  if (!(sa >= 0 && sa < d && sb >= 0 && sb < d && sa !== sb))
    throw new GlassmechError(`elasticity: shear plane (${sa}, ${sb}) must be two different axes in 0..${d - 1}`);
  const sd = strainDerivatives(records, n);
  const pairs = voigtPairs(d);
  const k = pairs.length;
  const N = n * d;
  // Symmetric strain columns Ξ_(ab) = ½(Ξ_ab + Ξ_ba), interleaved (k per row).
  const B = new Float64Array(N * k);
  for (let s = 0; s < N; s++)
    for (let I = 0; I < k; I++) {
      const [a, b] = pairs[I];
      B[s * k + I] = 0.5 * (sd.xi[s * D + a * d + b] + sd.xi[s * D + b * d + a]);
    }
  const sol = solveCGMultiOrThrow(M, k, B, options.cg, "elastic tensor (nonaffine response M⁺Ξ)");
  // NA_IJ = Ξ_I·M⁺·Ξ_J, symmetrized.
  const NA = new Float64Array(k * k);
  const X = sol.x;
  for (let o = 0; o < N * k; o += k)
    for (let I = 0; I < k; I++) {
      const bi = B[o + I];
      if (bi === 0) continue;
      for (let J = 0; J < k; J++) NA[I * k + J] += bi * X[o + J];
    }
  for (let I = 0; I < k; I++)
    for (let J = 0; J < I; J++) {
      const v = 0.5 * (NA[I * k + J] + NA[J * k + I]);
      NA[I * k + J] = v;
      NA[J * k + I] = v;
    }
  const voigtOf = new Int32Array(D);
  pairs.forEach(([a, b], I) => {
    voigtOf[a * d + b] = I;
    voigtOf[b * d + a] = I;
  });
  // Relaxed strain Hessian W_ab,ce = [∂²U/∂ε_ab∂ε_ce − NA_(ab)(ce)] / V.
  const W = new Float64Array(D * D);
  for (let p = 0; p < D; p++) for (let q = 0; q < D; q++) W[p * D + q] = (sd.second[p * D + q] - NA[voigtOf[p] * k + voigtOf[q]]) / volume;
  const stress = Float64Array.from(sd.first, (v) => v / volume);
  const tensor = elasticTensorFromStrainHessian(d, W, stress);

  const g = sa * d + sb;
  const gAff = sd.second[g * D + g] / volume;
  const gNa = NA[voigtOf[g] * k + voigtOf[g]] / volume;
  // Expansion x → e^η x: ε_aa = e^η − 1, so U_ηη = Σ_ac ∂²U/∂ε_aa∂ε_cc + Σ_a ∂U/∂ε_aa, U_η = Σ_a ∂U/∂ε_aa,
  // and Ξ_η = Σ_a Ξ_(aa).
  let uEE = 0;
  let uE = 0;
  let naEta = 0;
  for (let a = 0; a < d; a++) {
    uE += sd.first[a * d + a];
    for (let c = 0; c < d; c++) {
      uEE += sd.second[(a * d + a) * D + c * d + c];
      naEta += NA[voigtOf[a * d + a] * k + voigtOf[c * d + c]];
    }
  }
  uEE += uE;
  const kAff = (uEE - d * uE) / (volume * d * d);
  const kNa = naEta / (volume * d * d);
  let res = 0;
  for (const c of sol.columns) res = Math.max(res, c.residual);
  return {
    shearModulus: gAff - gNa,
    shearModulusNonaffine: gNa,
    shearModulusAffine: gAff,
    bulkModulus: kAff - kNa,
    bulkModulusAffine: kAff,
    cgIterations: sol.iterations,
    cgResidual: res,
    tensor,
    strainHessian: W,
  };
}
