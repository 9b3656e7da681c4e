import type { EnergyForces } from "../forces/types.js";
import { GlassmechError } from "../core/errors.js";
import { ConjugateGradient, type CgOptions, type CgState } from "./cg.js";
import { Fire, type FireOptions, type FireState } from "./fire.js";
import type { MinimizeResult } from "./types.js";

/** A progress report (every `progressEvery` iterations and at the end). */
export interface MinimizeProgress {
  readonly method: "fire" | "cg";
  readonly iterations: number;
  readonly energyEvaluations: number;
  readonly energy: number;
  readonly maxForce: number;
  /** The live state (for checkpointing with serializeState); do not modify it. */
  readonly state: FireState | CgState;
}

export interface MinimizeOptions extends FireOptions, CgOptions {
  /** Spatial dimension (positions are particle-major n·d). */
  d: number;
  /** "fire" or "cg" (default "cg", the algorithm of seed 001 §II). */
  method?: "fire" | "cg";
  /** Iteration budget (default 100 000). */
  maxIterations?: number;
  /** What to do when the budget is exhausted or CG stalls: throw a GlassmechError (default) or return `converged: false`. */
  onFailure?: "throw" | "flag";
  onProgress?: (p: MinimizeProgress) => void;
  /** Iterations between progress reports (default 1000). */
  progressEvery?: number;
  /**
   * Round-off floor stop: once max |F| is below floorFactor·fTol (default 10), a run whose max
   * force has not halved in `floorIterations` iterations (default 1000; 0 never stops so), nor in
   * 5× its recent pace of halving, ends at its lowest-force point (`roundOffFloor: true`). Forces carry the round-off of the positions,
   * ε·L times the pair stiffness, which at N = 10⁶ (L ≈ 120) is a few 1e−10: no minimizer can go
   * below it, and without this stop CG would spend its whole budget there.
   */
  floorIterations?: number;
  floorFactor?: number;
}

/**
 * Minimizes U from x (not modified) until max_i |F_i| < fTol (SPEC §3.4), or until the force
 * stops decreasing at its round-off floor just above fTol (see `floorIterations`).
 *
 * Returns the minimum with iterations, energy evaluations, final energy and max force. A run that
 * does not converge within `maxIterations` throws a GlassmechError naming the numbers, unless
 * `onFailure: "flag"`, in which case the result has `converged: false` and `failure` set.
 *
 * @example
 *   const r = minimize(system.energyForcesFn, config.positions, { d: 3, method: "fire" });
 *   r.maxForce < 1e-10; // true
 */
export function minimize(energyForces: EnergyForces, x: Float64Array, options: MinimizeOptions): MinimizeResult {
  const method = options.method ?? "cg";
  if (method === "fire") {
    const m = new Fire(energyForces, options.d, options);
    return drive(m, m.init(x), options);
  }
  if (method === "cg") {
    const m = new ConjugateGradient(energyForces, options.d, options);
    return drive(m, m.init(x), options);
  }
  throw new GlassmechError(`unknown minimizer "${method as string}" (use "fire" or "cg")`);
}

/**
 * Continues a saved minimization (e.g. from deserializeState) with the same energy function and
 * options; `maxIterations` counts from the state's iteration counter. The state is advanced in
 * place.
 */
export function continueMinimization(energyForces: EnergyForces, state: FireState | CgState, options: Omit<MinimizeOptions, "d" | "method">): MinimizeResult {
  const opts = { ...options, d: state.d };
  if (state.method === "fire") {
    const m = new Fire(energyForces, state.d, opts);
    return drive(m, m.adopt(state), opts);
  }
  if (state.method === "cg") {
    const m = new ConjugateGradient(energyForces, state.d, opts);
    return drive(m, state, opts);
  }
  throw new GlassmechError(`checkpoint has unknown minimizer "${(state as { method: string }).method}"`);
}

function drive<S extends FireState | CgState>(m: { step(s: S): S }, s: S, o: MinimizeOptions): MinimizeResult {
  const maxIterations = o.maxIterations ?? 100000;
  const every = o.progressEvery ?? 1000;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 0)) throw new GlassmechError(`maxIterations must be a non-negative integer, got ${maxIterations}`);
  if (!(Number.isInteger(every) && every >= 1)) throw new GlassmechError(`progressEvery must be a positive integer, got ${every}`);
  const report = () =>
    o.onProgress?.({ method: s.method, iterations: s.iterations, energyEvaluations: s.energyEvaluations, energy: s.energy, maxForce: s.maxForce, state: s });

  const fTol = o.fTol ?? 1e-10;
  const floorIterations = o.floorIterations ?? 1000;
  const floorForce = (o.floorFactor ?? 10) * fTol;
  if (!(Number.isInteger(floorIterations) && floorIterations >= 0)) throw new GlassmechError(`floorIterations must be a non-negative integer, got ${floorIterations}`);
  // The force at the last halving and when it was; the lowest-force point below floorForce. The
  // patience is floorIterations or 5× the longest of the last three halvings above floorForce
  // (the clean descent's pace: FIRE on a stiff problem halves slowly but steadily).
  let halved = s.maxForce;
  let halvedAt = s.iterations;
  const pace = [0, 0, 0];
  let halvings = 0;
  let best: { x: Float64Array; energy: number; maxForce: number } | null = null;
  let failure: string | null = null;
  while (!s.converged) {
    if (s.iterations >= maxIterations) {
      failure = `maxIterations ${maxIterations} reached`;
      break;
    }
    m.step(s);
    if (s.method === "cg" && s.stalled) {
      failure = "line search along the force found no lower energy (stalled; fTol may be below round-off)";
      break;
    }
    if (s.iterations % every === 0) report();
    if (s.maxForce < 0.5 * halved) {
      if (s.maxForce >= floorForce) pace[halvings++ % 3] = s.iterations - halvedAt;
      halved = s.maxForce;
      halvedAt = s.iterations;
    }
    if (!s.converged && s.maxForce < floorForce && s.maxForce < (best?.maxForce ?? Infinity)) {
      if (best === null) best = { x: Float64Array.from(s.x), energy: s.energy, maxForce: s.maxForce };
      else {
        best.x.set(s.x);
        best.energy = s.energy;
        best.maxForce = s.maxForce;
      }
    }
    if (floorIterations > 0 && best !== null && s.iterations - halvedAt >= Math.max(floorIterations, 5 * Math.max(...pace))) break;
  }
  report();
  const floor = !s.converged && failure === null && best !== null;
  if (failure !== null && (o.onFailure ?? "throw") === "throw")
    throw new GlassmechError(
      `${s.method.toUpperCase()} minimization did not converge: ${failure}; max force ${s.maxForce.toExponential(3)} > fTol ${fTol.toExponential(1)} ` +
        `after ${s.iterations} iterations and ${s.energyEvaluations} energy evaluations (energy ${s.energy})`,
    );
  return {
    method: s.method,
    x: floor ? best!.x : Float64Array.from(s.x),
    energy: floor ? best!.energy : s.energy,
    maxForce: floor ? best!.maxForce : s.maxForce,
    iterations: s.iterations,
    energyEvaluations: s.energyEvaluations,
    converged: s.converged || floor,
    roundOffFloor: floor,
    failure,
  };
}
