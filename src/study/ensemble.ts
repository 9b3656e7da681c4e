import { GlassmechError } from "../core/errors.js";
import { chiWithOutlierRemoval, meanWithError, ratioOfMeans, type ChiResult, type MeanWithError } from "../statistics/index.js";

/**
 * Ensemble statistics of per-glass results (SPEC §5): means with standard errors of every
 * per-glass scalar, χ_G and χ_K with the outlier-removal scheme of seed 001 App. A1c (value, raw
 * value, number removed), and ratios of means (G/K, p/p0) with delta-method errors. A pure
 * function of the per-glass JSON objects written by `glassmech measure --json` or a study.
 */
export interface GlassResult {
  N: number;
  d: number;
  model: string;
  [key: string]: unknown;
}

export interface EnsembleStatistics {
  samples: number;
  model: string;
  N: number;
  d: number;
  /** Mean ± standard error of every numeric per-glass key. */
  means: Record<string, MeanWithError>;
  chiG: ChiResult;
  chiK: ChiResult;
  /** ⟨G⟩/⟨K⟩ and ⟨p⟩/⟨p0⟩ as ratios of means. */
  GOverKOfMeans: { value: number; stdError: number };
  pOverP0OfMeans: { value: number; stdError: number };
}

/** Keys that are per-glass scalars worth averaging (everything numeric but bookkeeping). */
const SKIP = new Set(["N", "d", "sample", "cgIterations", "cgResidual", "maxForce"]);

export function ensembleStatistics(results: readonly GlassResult[]): EnsembleStatistics {
  if (results.length === 0) throw new GlassmechError("ensemble: no per-glass results");
  const first = results[0];
  for (const r of results) {
    if (r.model !== first.model || r.N !== first.N || r.d !== first.d)
      throw new GlassmechError(`ensemble: results mix different glasses (${first.model}, N = ${first.N}, d = ${first.d} vs ${r.model}, N = ${r.N}, d = ${r.d})`);
  }
  const column = (key: string): number[] => {
    const out: number[] = [];
    for (const r of results) {
      const v = r[key];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new GlassmechError(`ensemble: a result has no finite '${key}'`);
      out.push(v);
    }
    return out;
  };
  const means: Record<string, MeanWithError> = {};
  for (const [k, v] of Object.entries(first))
    if (typeof v === "number" && !SKIP.has(k) && results.every((r) => typeof r[k] === "number" && Number.isFinite(r[k] as number)))
      means[k] = meanWithError(column(k));
  const G = column("shearModulus"), K = column("bulkModulus");
  const gk = ratioOfMeans(G, K);
  const pp = ratioOfMeans(column("pressure"), column("p0"));
  return {
    samples: results.length,
    model: first.model,
    N: first.N,
    d: first.d,
    means,
    chiG: chiWithOutlierRemoval(G, first.N),
    chiK: chiWithOutlierRemoval(K, first.N),
    GOverKOfMeans: { value: gk.value, stdError: gk.stdError },
    pOverP0OfMeans: { value: pp.value, stdError: pp.stdError },
  };
}
