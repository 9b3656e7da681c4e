/**
 * The contract every pair potential fulfils (SPEC §1).
 *
 * Every model of the papers is a *reduced* potential f(x) of the reduced distance x = r/λ_ij,
 * scaled per pair: φ_ij(r) = ε_ij · f(r/λ_ij), with f ≡ 0 for x ≥ x_c. So
 *   φ'(r) = ε f'(x)/λ,  φ''(r) = ε f''(x)/λ²,  φ'''(r) = ε f'''(x)/λ³,  φ''''(r) = ε f''''(x)/λ⁴.
 * The pair scales (λ_ij, ε_ij) come either from a per-type table (binary mixtures) or from
 * per-particle sizes with a combining rule (POLY). Polydispersity is therefore not a special
 * case of the pair loop: only the lookup of λ_ij differs.
 */

/** f(x) and its derivatives in reduced units; zero for x ≥ xc. */
export interface ReducedPotential {
  /** Cutoff in reduced distance: f, f', f'' (and for smoothed models also their values) vanish at xc. */
  readonly xc: number;
  /**
   * The hot kernel: writes f(x), f'(x), f''(x) into out[0], out[1], out[2] for 0 < x < xc.
   * Must not allocate; callers guarantee x < xc.
   */
  eval2(x: number, out: Float64Array): void;
  /** f … f'''' into out[0..4] (nonlinear modes, SPEC §6.4). Callers guarantee 0 < x < xc. */
  eval4(x: number, out: Float64Array): void;
  /**
   * Self-contained JavaScript source of the kernel, used to compile one specialized pair loop per
   * model (no polymorphic call in the hot loop): the body of `function (x, out) { … }` with the
   * model's coefficients written in as literals. Optional; when absent the loop calls eval2.
   */
  readonly eval2Source?: string;
}

/** How λ_ij and ε_ij are found for a pair. */
export type PairScales =
  | {
      /** Binary (or multi-component) mixture: symmetric ntypes×ntypes tables, row-major. */
      readonly kind: "types";
      readonly ntypes: number;
      readonly lambda: Float64Array;
      readonly epsilon: Float64Array;
    }
  | {
      /**
       * Per-particle sizes λ_i (POLY, SPEC §1.4): λ_ij = ½(λ_i+λ_j)(1 − n_a|λ_i − λ_j|), ε_ij = epsilon.
       * The rule is written once, in combiningRule.ts; every pair loop takes it from there.
       */
      readonly kind: "sizes";
      readonly nonadditivity: number;
      readonly epsilon: number;
    };

/** A model with all parameters fixed: what the pair loop, the Hessian and the files use. */
export interface Model {
  /** Registry name, lower case: "qss", "pss", "ipl", "poly", "kablj", "hrz". */
  readonly name: string;
  /** The complete, validated parameter set (defaults filled in); written to file headers. */
  readonly params: Readonly<Record<string, number>>;
  readonly reduced: ReducedPotential;
  readonly scales: PairScales;
  /** Species names per type index, e.g. ["A", "B"] (type 0 = A). */
  readonly species: readonly string[];
  /** Number fraction of each type in a fresh random configuration (sums to 1); [] for "sizes". */
  readonly composition: readonly number[];
  /** Default number density for dimension d (SPEC §1). */
  defaultDensity(d: number): number;
  /** Draws n per-particle sizes λ_i (only for kind "sizes"). */
  sampleSizes?(n: number, uniform: () => number): Float64Array;
}

/** One parameter of a model: name as in SPEC §1, default, and a validity check. */
export interface ParameterSpec {
  readonly name: string;
  readonly default: number;
  readonly description: string;
  /** Returns an error message when `value` is unphysical, else null. */
  validate(value: number): string | null;
}

/** What a model file exports and registers: its parameters and a factory. */
export interface ModelDefinition {
  readonly name: string;
  readonly description: string;
  readonly parameters: readonly ParameterSpec[];
  /** Builds the model; `params` is complete and validated. */
  create(params: Readonly<Record<string, number>>): Model;
}
