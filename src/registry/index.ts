/**
 * The registry: every per-glass observable, one line each, in the order its keys appear in a
 * result and its reducer runs in an ensemble (a reducer may read what earlier ones computed).
 * To add an observable: write entries/<name>.ts (an Observable) and add it here
 * (docs/ARCHITECTURE.md, "How to add an observable").
 */
import type { OptionSpec } from "../core/options.js";
import { decay } from "./entries/decay.js";
import { dipoles } from "./entries/dipoles.js";
import { energyDecomposition } from "./entries/energyDecomposition.js";
import { gr } from "./entries/gr.js";
import { modes } from "./entries/modes.js";
import { moduli } from "./entries/moduli.js";
import { ne0 } from "./entries/ne0.js";
import { qlm } from "./entries/qlm.js";
import { qlmDensity } from "./entries/qlmDensity.js";
import { tensor } from "./entries/tensor.js";
import type { Observable } from "./types.js";

const registry: Observable[] = [
  moduli,
  tensor,
  gr,
  modes,
  energyDecomposition,
  ne0,
  dipoles,
  decay,
  qlmDensity,
  qlm,
];

/** The registry (read-only to its readers; grows only through registerObservable). */
export const OBSERVABLES: readonly Observable[] = registry;

/**
 * Adds an observable after the built-in ones, for code that extends glassmech without editing
 * this file (and for the test that adds a toy observable). A name may be registered once.
 * Worker threads of a study import the registry afresh: register in a module they import too, or
 * run the study with threads = 0.
 */
export function registerObservable(o: Observable): void {
  if (registry.some((x) => x.name === o.name)) throw new Error(`observable '${o.name}' is already registered`);
  const keys = new Set(observableOptions().map((s) => s.key));
  for (const s of o.options) if (keys.has(s.key)) throw new Error(`observable '${o.name}': option '${s.key}' is declared by another observable`);
  registry.push(o);
}

/** Every option of the registry's observables, in registry order. */
export function observableOptions(registry: readonly Observable[] = OBSERVABLES): OptionSpec[] {
  return registry.flatMap((o) => o.options);
}

/** The options that change a per-glass result (study `measure` keys and `measure` flags). */
export function measureOptions(registry: readonly Observable[] = OBSERVABLES): OptionSpec[] {
  return observableOptions(registry).filter((s) => s.analysisOnly !== true);
}

/** The ensemble-analysis options (they change no glass: `ensemble` flags, and may change in a study). */
export function analysisOptions(registry: readonly Observable[] = OBSERVABLES): OptionSpec[] {
  return observableOptions(registry).filter((s) => s.analysisOnly === true);
}

export type { Observable, Options, GlassResult, ResultKey, EnsembleInput, Part } from "./types.js";
