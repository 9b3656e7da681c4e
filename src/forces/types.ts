/**
 * Contracts between the pair loop and its consumers (minimizers, MD, Hessian, observables).
 */

/**
 * Energy and forces at positions x (particle-major n·d): fills `forces` (overwritten, = −∇U)
 * and returns U. Minimizers and integrators see only this.
 */
export type EnergyForces = (x: Float64Array, forces: Float64Array) => number;

/**
 * Per-pair records of one configuration (SPEC §4.2 needs nothing else): for every interacting
 * pair p (r < cutoff) the particles i and j (a pair may appear more than once in a box so small
 * that several periodic images of j interact with i, and i = j marks a particle interacting with
 * its own image: such records carry energy and stress but no Hessian or force contribution), the separation vector r_ij = x_j − x_i
 * (the interacting image) in `delta[p*d .. p*d+d)`, r = |r_ij|, φ'(r) and φ''(r).
 */
export interface PairRecords {
  readonly d: number;
  readonly count: number;
  readonly i: Int32Array;
  readonly j: Int32Array;
  readonly delta: Float64Array;
  readonly r: Float64Array;
  readonly dphi: Float64Array;
  readonly d2phi: Float64Array;
}
