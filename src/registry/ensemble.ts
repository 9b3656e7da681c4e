import { GlassmechError } from "../core/errors.js";
import { meanWithError, type ChiResult, type LowTailOptions, type MeanWithError } from "../statistics/index.js";
import type { DecayEnsemble } from "./entries/decay.js";
import type { DipolesEnsemble } from "./entries/dipoles.js";
import type { EnergyDecompositionEnsemble } from "./entries/energyDecomposition.js";
import type { ModesEnsemble } from "./entries/modes.js";
import type { Ne0Ensemble } from "./entries/ne0.js";
import type { QlmDensityEnsemble } from "./entries/qlmDensity.js";
import type { QuarticModesEnsemble } from "./entries/qlm.js";
import { OBSERVABLES } from "./index.js";
import type { GlassResult, Observable } from "./types.js";

/**
 * Ensemble statistics of per-glass results (SPEC §5): the mean ± standard error of every numeric
 * per-glass key, then each registry observable's reducer in registry order (χ_G and χ_K with the
 * outlier removal of seed 001 App. A1c, A_g, D(ω), Ne0, ω_g, η, ξ_g, 𝒩, quartic modes…). A pure
 * function of the per-glass JSON objects written by `glassmech measure --json` or a study.
 */
export interface EnsembleStatistics {
  samples: number;
  model: string;
  N: number;
  d: number;
  /** Mean ± standard error of every numeric per-glass key. */
  means: Record<string, MeanWithError>;
  /** χ_G and χ_K (SPEC §5); null for a single glass (a variance needs two). */
  chiG: ChiResult | null;
  chiK: ChiResult | null;
  /** ⟨G⟩/⟨K⟩ and ⟨p⟩/⟨p0⟩ as ratios of means. */
  GOverKOfMeans: { value: number; stdError: number };
  pOverP0OfMeans: { value: number; stdError: number };
}

/** The microscopic ensemble keys (SPEC §10), each present only when the per-glass inputs are. */
export type MicroscopicEnsemble = ModesEnsemble & EnergyDecompositionEnsemble & Ne0Ensemble & DipolesEnsemble & DecayEnsemble & QlmDensityEnsemble & QuarticModesEnsemble & {
  /** Why a key is missing (e.g. too few modes below ω_c, too few κ in the tail). */
  microWarnings: string[];
};

export type EnsembleResult = EnsembleStatistics & Partial<MicroscopicEnsemble>;

export interface EnsembleOptions {
  /** ω_c/ω_ph for A_g and the Ne0 threshold (default 0.75). */
  omegaCutFraction?: number;
  /** Threshold frequency of Ne0 (default ω_c, the A_g cut). */
  ne0Threshold?: number;
  /** Options of the low-κ exponent fit (statistics lowTailExponent). */
  eta?: LowTailOptions;
  /** Log bins per decade of the reported p(κ) (default 5). */
  kappaBinsPerDecade?: number;
  /** Log bins per decade of the reported D(ω) (default 6). */
  vdosBinsPerDecade?: number;
  /**
   * Per-glass results of other (typically much larger) glasses of the same model and d whose
   * c(r) gives ξ_g and ω_g = 2π c_s/ξ_g, in place of the ensemble's own.
   */
  decayFrom?: readonly GlassResult[];
}

/** Numeric keys that are study bookkeeping, not observables. */
const BOOKKEEPING = new Set(["sample"]);

/**
 * A glass whose solves did not converge (`converged: false` in its JSON) carries moduli that may
 * look fine and are not: it must not blend into the statistics.
 */
function refuseUnconverged(results: readonly GlassResult[], what: string): void {
  const bad = results.flatMap((r, k) => (r.converged === false ? [typeof r.sample === "number" ? `sample ${r.sample}` : `#${k + 1}`] : []));
  if (bad.length > 0)
    throw new GlassmechError(`ensemble: ${bad.length} of ${results.length} ${what} are marked unconverged (converged: false: ${bad.slice(0, 5).join(", ")}${bad.length > 5 ? ", …" : ""}); remeasure or remove them`);
}

export function ensembleStatistics(results: readonly GlassResult[], options: EnsembleOptions = {}, registry: readonly Observable[] = OBSERVABLES): EnsembleResult {
  if (results.length === 0) throw new GlassmechError("ensemble: no per-glass results");
  refuseUnconverged(results, "results");
  if (options.decayFrom !== undefined) refuseUnconverged(options.decayFrom, "decayFrom results");
  const first = results[0];
  for (const r of results) {
    if (r.model !== first.model || r.N !== first.N || r.d !== first.d)
      throw new GlassmechError(`ensemble: results mix different glasses (${first.model}, N = ${first.N}, d = ${first.d} vs ${r.model}, N = ${r.N}, d = ${r.d})`);
  }
  const notAveraged = new Set([...BOOKKEEPING, ...registry.flatMap((o) => o.keys.filter((k) => k.mean === false).map((k) => k.key))]);
  const means: Record<string, MeanWithError> = {};
  for (const [k, v] of Object.entries(first))
    if (typeof v === "number" && !notAveraged.has(k) && results.every((r) => typeof r[k] === "number" && Number.isFinite(r[k] as number)))
      means[k] = meanWithError(results.map((r) => r[k] as number));
  const out: Record<string, unknown> = { samples: results.length, model: first.model, N: first.N, d: first.d, means };
  const warnings: string[] = [];
  const shared: Record<string, unknown> = {};
  const { decayFrom, ...analysis } = options;
  let microscopic = false;
  registry.forEach((entry, k) => {
    if (entry.reduce === undefined) return;
    const keys = entry.reduce({ results, options: analysis, decayFrom, shared, soFar: out, warn: (w) => warnings.push(w) });
    if (keys === undefined) return;
    // The first entry (the moduli) is macroscopic; the others carry microWarnings when they apply.
    if (k > 0) microscopic = true;
    Object.assign(out, keys);
  });
  if (microscopic) out.microWarnings = warnings;
  return out as unknown as EnsembleResult;
}
