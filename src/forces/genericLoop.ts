import type { ReducedPotential } from "../models/types.js";
import { combinedLambda } from "../models/combiningRule.js";
import type { VerletList } from "../neighbors/verletList.js";
import type { PairTables } from "./pairTables.js";

/**
 * The readable pair loop (any d, any model): the reference the compiled per-model loops
 * (compileLoop.ts) are tested against, and the engine of the non-hot observables.
 *
 * Everything is in the neighbor list's internal order: xs are the internal positions gathered by
 * VerletList.sync (caller's positions permuted and wrapped), tI / sI the permuted types / sizes.
 * For a pair (I, J) with separation Δ = xs_J − xs_I (+ image shift), r = |Δ|, x = r/λ_IJ
 * (SPEC §1, models/types.ts):
 *   φ = ε f(x),  φ' = ε f'(x)/λ,  φ'' = ε f''(x)/λ²,
 * and the force on I is +φ'·Δ/r, on J −φ'·Δ/r (F = −∇U with U = Σ φ(|x_J − x_I|)).
 */
export interface PairLoopData {
  readonly d: number;
  readonly n: number;
  readonly list: VerletList;
  readonly xs: Float64Array;
  readonly tI: Int32Array;
  readonly sI: Float64Array;
  readonly tables: PairTables;
  readonly reduced: ReducedPotential;
}

/** Visitor of one interacting pair; `delta` is scratch, valid only during the call. */
export type PairVisitor = (I: number, J: number, delta: Float64Array, r: number, phi: number, dphi: number, d2phi: number) => void;

/**
 * Calls `visit` for every pair inside its cutoff (r < x_c λ_IJ), unshifted pairs first (by I),
 * then image-shifted pairs. Not for hot paths (one closure call per pair).
 */
export function forEachPair(data: PairLoopData, visit: PairVisitor): void {
  const { d, n, list, xs, tI, sI, tables, reduced } = data;
  const delta = new Float64Array(d);
  const out = new Float64Array(3);
  const one = (I: number, J: number, shift: Float64Array | null, so: number): void => {
    let r2 = 0;
    for (let a = 0; a < d; a++) {
      const t = xs[J * d + a] - xs[I * d + a] + (shift === null ? 0 : shift[so + a]);
      delta[a] = t;
      r2 += t * t;
    }
    let lam: number;
    let eps: number;
    if (tables.kind === "types") {
      const k = tI[I] * tables.ntypes + tI[J];
      if (r2 >= tables.cutoff2[k]) return;
      lam = tables.lambda[k];
      eps = tables.epsilon[k];
    } else {
      lam = combinedLambda(sI[I], sI[J], tables.nonadditivity);
      eps = tables.epsilon;
      if (r2 >= (tables.xc * lam) ** 2) return;
    }
    const r = Math.sqrt(r2);
    reduced.eval2(r / lam, out);
    visit(I, J, delta, r, eps * out[0], (eps * out[1]) / lam, (eps * out[2]) / (lam * lam));
  };
  const { start, nbr } = list;
  for (let I = 0; I < n; I++) for (let p = start[I]; p < start[I + 1]; p++) one(I, nbr[p], null, 0);
  for (let p = 0; p < list.shiftCount; p++) one(list.shiftI[p], list.shiftJ[p], list.shiftVec, p * d);
}

/** U and forces (internal order, overwritten) by the readable loop. */
export function genericEnergyForces(data: PairLoopData, fs: Float64Array): number {
  const d = data.d;
  fs.fill(0, 0, data.n * d);
  let U = 0;
  forEachPair(data, (I, J, delta, r, phi, dphi) => {
    U += phi;
    const c = dphi / r;
    for (let a = 0; a < d; a++) {
      fs[I * d + a] += c * delta[a];
      fs[J * d + a] -= c * delta[a];
    }
  });
  return U;
}

/** U by the readable loop. */
export function genericEnergy(data: PairLoopData): number {
  let U = 0;
  forEachPair(data, (_I, _J, _delta, _r, phi) => {
    U += phi;
  });
  return U;
}
