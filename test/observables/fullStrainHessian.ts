/**
 * Test oracle for the elastic tensor of observables/elasticity.ts: the relaxed strain Hessian
 * W_ab,ce = [∂²U/∂ε_ab∂ε_ce − Ξ_ab·M⁺·Ξ_ce] / V from all d² strain columns, without the
 * measurement's shortcut (only the d(d+1)/2 symmetric columns, because at a minimum the
 * rotation parts of Ξ are net forces and vanish). Agreement checks that shortcut.
 * Returns W (d²×d² row-major) and the stress σ_ab = (1/V) ∂U/∂ε_ab.
 */
import type { PairRecords } from "../../src/forces/types.js";
import { assembleHessian } from "../../src/hessian/assemble.js";
import { strainDerivatives } from "../../src/hessian/strain.js";
import { solveCGMultiOrThrow } from "../../src/linalg/cg.js";

export function fullStrainHessian(records: PairRecords, n: number, volume: number): { tensor: Float64Array; stress: Float64Array } {
  const D = records.d * records.d;
  const sd = strainDerivatives(records, n);
  const sol = solveCGMultiOrThrow(assembleHessian(records, n), D, sd.xi, undefined, "full relaxed strain Hessian");
  const acc = new Float64Array(D * D); // Ξ_p·M⁺Ξ_q over the interleaved columns
  for (let o = 0; o < sd.xi.length; o += D)
    for (let p = 0; p < D; p++) for (let q = 0; q < D; q++) acc[p * D + q] += sd.xi[o + p] * sol.x[o + q];
  const tensor = new Float64Array(D * D);
  for (let p = 0; p < D; p++)
    for (let q = 0; q < D; q++) tensor[p * D + q] = (sd.second[p * D + q] - 0.5 * (acc[p * D + q] + acc[q * D + p])) / volume;
  return { tensor, stress: Float64Array.from(sd.first, (v) => v / volume) };
}
