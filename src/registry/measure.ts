import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import type { Model } from "../models/types.js";
import { prepareGlass, type PreparedGlass } from "../observables/prepare.js";
import { MeasureContext, type MeasureProgress } from "./context.js";
import { OBSERVABLES } from "./index.js";
import type { Observable, Options } from "./types.js";

/** A measurement: the per-glass result (registry keys in registry order) and the vectors kept beside it. */
export interface Measurement {
  result: Record<string, unknown>;
  vectors: ReadonlyMap<string, { vector: Float64Array; comment: string }>;
}

/** The observables these options ask for (the first, the moduli, always), with the options they imply. */
export function selectObservables(options: Options, registry: readonly Observable[] = OBSERVABLES): { selected: Observable[]; options: Options } {
  let o: Options = options;
  // Implications first (c(r) asks for dipoles), so that the observables they enable are selected.
  for (const entry of registry) if (entry.implies !== undefined && entry.enabled?.(o) === true) o = { ...o, ...entry.implies(o) };
  const selected = registry.filter((entry, k) => k === 0 || entry.enabled?.(o) === true);
  for (const entry of selected) entry.check?.(o);
  return { selected, options: o };
}

/** The options a study's glass of n particles in d dimensions gets (Observable.fitToGlass). */
export function fitOptionsToGlass(options: Options, n: number, d: number, registry: readonly Observable[] = OBSERVABLES): Options {
  let o = options;
  for (const entry of registry) if (entry.fitToGlass !== undefined && entry.enabled?.(o) === true) o = { ...o, ...entry.fitToGlass(o, n, d) };
  return o;
}

/**
 * Measures a prepared glass (SPEC §4, §6): every observable the options ask for, in registry
 * order. Observables that need the modes or the dipoles are microscopic: after the last of them
 * the seconds of those parts are written as `microSeconds`. Pure function of the glass and the
 * options (the dipole subset is seeded).
 */
export function measurePrepared(g: PreparedGlass, options: Options = {}, registry: readonly Observable[] = OBSERVABLES, progress?: MeasureProgress): Measurement {
  const { selected, options: o } = selectObservables(options, registry);
  const ctx = new MeasureContext(g, o, progress);
  for (const entry of selected) entry.attach?.(ctx, o);
  const micro = (e: Observable): boolean => e.needs.includes("modes") || e.needs.includes("dipoles");
  const lastMicro = selected.reduce((last, e, k) => (micro(e) ? k : last), -1);
  selected.forEach((entry, k) => {
    if (entry.measure !== undefined) Object.assign(ctx.result, entry.measure(ctx, o));
    if (k === lastMicro) ctx.result.microSeconds = { ...ctx.seconds };
  });
  if ("converged" in ctx.result) ctx.result.converged = ctx.solves.every((s) => s.converged);
  return { result: ctx.result, vectors: ctx.vectors };
}

/**
 * Prepares and measures one minimized glass. Errors of the preparation or of an observable are
 * GlassmechErrors (not a minimum, an unconverged solve, a singular Hessian).
 *
 * @example
 *   const { result } = measureGlass(config, createModel(config.model), { modes: 20, dipoles: 100 });
 *   result.shearModulus; result.frequencies;
 */
export function measureGlass(config: Configuration, model: Model, options: Options = {}, registry: readonly Observable[] = OBSERVABLES): Measurement {
  const tol = options.forceTolerance as number | undefined;
  if (tol !== undefined && !(tol >= 0)) throw new GlassmechError(`force tolerance must be non-negative, got ${tol}`);
  return measurePrepared(prepareGlass(config, model, { forceTolerance: tol }), options, registry);
}
