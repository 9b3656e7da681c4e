/**
 * What every per-glass analysis needs, computed once (SPEC §4): the pair loop, the equilibrium
 * check, the pair records and the Hessian. The observables of the registry (src/registry) read a
 * PreparedGlass; the command-line tools that need only the Hessian (hessian, modes, qlm, view) too.
 */
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { assertFiniteEnergy, assertMeasurable } from "./sanity.js";
import { PairSystem, type PairSummary } from "../forces/pairSystem.js";
import type { PairRecords } from "../forces/types.js";
import { assembleHessian } from "../hessian/assemble.js";
import { checkFits, hessianBytes, memoryBudget } from "../core/memoryBudget.js";
import type { BlockMatrix } from "../linalg/blockMatrix.js";
import type { Model } from "../models/types.js";

/** Default largest per-particle force accepted as a minimum (reduced units). */
export const DEFAULT_FORCE_TOLERANCE = 1e-8;

export interface PrepareOptions {
  /** Largest per-particle force norm accepted (default 1e-8). */
  forceTolerance?: number;
  /** An existing PairSystem for this configuration and model (saves building the neighbor list). */
  system?: PairSystem;
}

/** What every per-glass analysis needs, computed once. */
export interface PreparedGlass {
  readonly config: Configuration;
  readonly model: Model;
  readonly system: PairSystem;
  /** Energy, stress, pressures, coordination, stickiness, max force (forces/measure.ts). */
  readonly summary: PairSummary;
  readonly records: PairRecords;
  /** The Hessian M (SPEC §4.2). */
  readonly hessian: BlockMatrix;
}

/**
 * Pair loop, equilibrium check and Hessian of a configuration. Throws a GlassmechError when the
 * largest per-particle force exceeds the tolerance: the harmonic observables of SPEC §4 hold at a
 * minimum only.
 */
export function prepareGlass(config: Configuration, model: Model, options: PrepareOptions = {}): PreparedGlass {
  const tol = options.forceTolerance ?? DEFAULT_FORCE_TOLERANCE;
  if (!(tol >= 0)) throw new GlassmechError(`force tolerance must be non-negative, got ${tol}`);
  // The Hessian must fit before the pair records and blocks are allocated (issue 15).
  checkFits(`the Hessian (N = ${config.n}, d = ${config.d})`, hessianBytes(config.n, config.d), memoryBudget(), "measure a smaller glass", (l) => void process.stderr.write(l + "\n"));
  const system = options.system ?? new PairSystem(config, model);
  const summary = system.measure(config.positions);
  assertFiniteEnergy(summary.energyPerParticle, summary.maxForce);
  assertMeasurable(config.n, summary.coordination);
  if (!(summary.maxForce <= tol))
    throw new GlassmechError(
      `max per-particle force ${summary.maxForce.toExponential(3)} is above the tolerance ${tol.toExponential(1)}: ` +
        `not a minimum — relax it first (glassmech relax), or raise --force-tolerance`,
    );
  const records = system.records(config.positions);
  const hessian = assembleHessian(records, config.n);
  return { config, model, system, summary, records, hessian };
}
