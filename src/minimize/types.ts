import type { EnergyForces } from "../forces/types.js";

/**
 * Shared shapes of the energy minimizers (SPEC §3.4): `init`/`step` over plain, serializable
 * state with an explicit `converged` (DESIGN principle 4, after JAX-MD `fire_descent` and
 * HOOMD `FIRE.converged`).
 *
 * A state holds everything the next step needs (positions, forces, velocities or search
 * direction, adaptive parameters, counters); a minimizer object holds only the energy function,
 * the options and scratch buffers. So `serializeState(state)` (./checkpoint.ts) saved mid-run and
 * passed back to `step` continues bit-identically.
 */

/** Fields common to every minimizer state. All counters are cumulative over resumes. */
export interface MinimizerStateBase {
  /** Spatial dimension: forces are grouped per particle in blocks of d. */
  readonly d: number;
  /** Positions, particle-major, n·d. */
  readonly x: Float64Array;
  /** Forces −∇U at x. */
  readonly f: Float64Array;
  /** U(x). */
  energy: number;
  /** max_i |F_i| at x (SPEC §10 `maxForce`). */
  maxForce: number;
  /** Completed iterations (accepted steps, including FIRE steps that triggered a reset). */
  iterations: number;
  /** Calls of the energy function, including the initial one. */
  energyEvaluations: number;
  /** True once maxForce < fTol. */
  converged: boolean;
}

/** Options every minimizer understands. */
export interface MinimizerOptions {
  /** Convergence threshold on max_i |F_i| (SPEC §3.4; default 1e−10, reduced units). */
  fTol?: number;
  /**
   * Largest displacement of any particle in one iteration (length units; default 0.1). Caps the
   * first steps from random starts, where overlapping cores give forces ~1e30.
   */
  maxStep?: number;
}

/** The outcome of a minimization, whether converged or not (never silently: see `converged`). */
export interface MinimizeResult {
  readonly method: "fire" | "cg";
  readonly x: Float64Array;
  readonly energy: number;
  readonly maxForce: number;
  readonly iterations: number;
  readonly energyEvaluations: number;
  /** max |F| < fTol, or the round-off floor was reached (then `roundOffFloor`). */
  readonly converged: boolean;
  /**
   * The force stalled at its round-off floor between fTol and floorFactor·fTol (minimize.ts): x
   * is the lowest-force point met and maxForce (> fTol) says how close it is.
   */
  readonly roundOffFloor: boolean;
  /** Why the run stopped when not converged (e.g. "maxIterations 1000 reached"), else null. */
  readonly failure: string | null;
}

/** A minimizer: initial state from positions, then one iteration per `step`. */
export interface Minimizer<S extends MinimizerStateBase> {
  readonly energyForces: EnergyForces;
  /** Evaluates forces at a copy of x and returns the initial state (x is not modified). */
  init(x: Float64Array): S;
  /**
   * One iteration, mutating and returning `state`. Does nothing on a converged state. Throws
   * GlassmechError when it cannot proceed (e.g. forces stay non-finite however small the step).
   */
  step(state: S): S;
}
