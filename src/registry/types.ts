/**
 * The observable registry (issue 10): each per-glass observable is one module declaring what it
 * is (name, SPEC section), its options, the prepared parts of a glass it needs, how it measures
 * one glass, its result keys with units, how an ensemble of results reduces, and what the
 * `measure` / `ensemble` texts and the report show of it. `measure`, study specs, `ensemble`, the
 * study summary and the report read the registry (./index.ts) and name no observable.
 */
import type { OptionSpec } from "../core/options.js";
import type { MeasureContext } from "./context.js";
import type { ValueWithError } from "./reduce.js";

/** Resolved options of one measurement: the declared keys of every observable (core/options.ts). */
export type Options = Readonly<Record<string, unknown>>;

/** A per-glass result as JSON: SPEC §10 keys, each observable's keys, and study bookkeeping. */
export interface GlassResult {
  N: number;
  d: number;
  model: string;
  [key: string]: unknown;
}

/** One key an observable writes into a per-glass result. */
export interface ResultKey {
  readonly key: string;
  /** Reduced units (SPEC §0): "ε/λ^d", "sqrt(ε/(m λ²))", "1" for pure numbers, "" for structured values. */
  readonly unit: string;
  readonly help: string;
  /** false: not printed as a `key value` line by `measure` (arrays of records, or the observable's own text). */
  readonly text?: boolean;
  /** false: a numeric key that is bookkeeping, not averaged over an ensemble (N, iterations, max force). */
  readonly mean?: boolean;
}

/** The prepared parts of a glass an observable may use (MeasureContext supplies and caches them). */
export type Part = "hessian" | "elasticity" | "factor" | "modes" | "dipoles";

/** What an ensemble reducer sees. */
export interface EnsembleInput {
  readonly results: readonly GlassResult[];
  /** The analysis options (the analysisOnly declarations, e.g. ω_c/ω_ph) and the caller's extras. */
  readonly options: Options;
  /** Per-glass results of larger glasses that give this ensemble its c(r) (study `decayFrom`). */
  readonly decayFrom?: readonly GlassResult[];
  /** The ensemble keys of the reducers before this one. */
  readonly soFar: Readonly<Record<string, unknown>>;
  /** Values one reducer leaves for later ones (ω_c for the energy decomposition and Ne0…); not output. */
  readonly shared: Record<string, unknown>;
  /** Why a key is missing: "key: reason" (SPEC §10 `microWarnings`). */
  readonly warn: (line: string) => void;
}

export interface Observable {
  /** Registry name (also the name of its file in entries/). */
  readonly name: string;
  /** Where it is defined: "SPEC §6.1", with the paper equation when there is one. */
  readonly spec: string;
  /** One line: what it is. */
  readonly summary: string;
  /** Its options (study `measure` keys and `measure` flags). */
  readonly options: readonly OptionSpec[];
  /** The prepared parts it reads. "modes" or "dipoles" make it a microscopic observable whose seconds go into `microSeconds`. */
  readonly needs: readonly Part[];
  /** Whether these options ask for it (the moduli always run). */
  enabled?(o: Options): boolean;
  /** Options it sets for others when enabled (c(r) asks for 100 dipoles unless told). */
  implies?(o: Options): Options;
  /**
   * A study asks every glass for the same options, also glasses too small for them: the options
   * this glass (n particles, d dimensions) can have (the modes: at most n·d − d − 1).
   */
  fitToGlass?(o: Options, n: number, d: number): Options;
  /** Checks the combination of options before anything is computed; throws a GlassmechError. */
  check?(o: Options): void;
  /** Registers what it needs from parts that others compute (a listener on the dipole responses). */
  attach?(ctx: MeasureContext, o: Options): void;
  /** Its keys of one glass. */
  measure?(ctx: MeasureContext, o: Options): Record<string, unknown>;
  /** The keys it writes. */
  readonly keys: readonly ResultKey[];
  /** Lines of the `measure` text output for its keys (keys without lines are printed as `key value` when scalar). */
  text?(r: GlassResult): [string, string][];
  /** A block printed after the lines (a table: the elastic tensor, g(r) peaks). */
  textBlock?(r: GlassResult): string;
  /**
   * Ensemble keys from per-glass results (SPEC §5, §10); undefined when no result carries its
   * inputs. Reducers run in registry order and may read what earlier ones put in `shared`.
   */
  reduce?(input: EnsembleInput): Record<string, unknown> | undefined;
  /** Lines of the `ensemble` text output: [label, value]. */
  ensembleText?(s: Record<string, unknown>): [string, string][];
  /**
   * The ensemble quantities it contributes to the report's comparison with the papers, under the
   * report's names (report/paperValues.ts `Quantity`: "chiG", "AgOmega0_5", "xiGOverA0"…), and
   * string notes (how ω_g was defined). Later entries may overwrite earlier ones.
   */
  quantities?(s: Record<string, unknown>): Record<string, ValueWithError | string>;
  /** Rows of the report's per-ensemble observables table: [quantity, value ± error]. */
  reportRows?(s: Record<string, unknown>): [string, string][];
}
