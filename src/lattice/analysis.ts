/**
 * Statistics of a κ sample of the lattice model (SPEC §8): quantiles, log-binned p(κ) and the
 * low-κ power law p(κ) ≈ A κ^η (seed 004 §III C, Fig. 3b).
 *
 * η fit (documented choice): weighted least squares of ln p_k against ln κ_k (geometric bin
 * centres) over the log bins inside [fitMin, fitMax], weights = bin counts n_k (Poisson:
 * var ln p_k ≈ 1/n_k). Default range: fitMax = 0.1 (above it the local slope of p(κ) rises
 * steadily towards the peak near κ ≈ 0.5, in every d), fitMin = the lower edge of the lowest bin
 * reached going down from fitMax while every bin holds ≥ minCount = 20 samples (so the range grows
 * as the sample grows, and ln n_k is unbiased to ≲ 1/(2·20)). The standard error is the WLS one,
 * inflated by √(χ²/dof) when that exceeds 1. The prefactor A is exp(intercept) divided by the
 * exact bin-averaging factor of κ^η on a log bin, so p(κ) ≈ A κ^η pointwise.
 */
import { GlassmechError } from "../core/errors.js";
import { logBinnedHistogram, type LogHistogram } from "../statistics/histogram.js";
import { fitLine } from "../statistics/lineFit.js";
import { quantileSorted } from "./quantiles.js";

/** Quantile levels reported for κ. */
export const KAPPA_QUANTILE_LEVELS = [0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95] as const;

export interface EtaFitOptions {
  binsPerDecade?: number;
  /** Upper end of the fit range (default 0.1). */
  fitMax?: number;
  /** Lower end; default: automatic (see the module comment). */
  fitMin?: number;
  /** Minimum count of every fitted bin in the automatic range (default 20). */
  minCount?: number;
}

export interface EtaFit {
  readonly eta: number;
  readonly etaStderr: number;
  /** p(κ) ≈ prefactor · κ^η inside the fit range. */
  readonly prefactor: number;
  readonly prefactorStderr: number;
  /** Actual fitted range: lower edge of the first and upper edge of the last fitted bin. */
  readonly fitMin: number;
  readonly fitMax: number;
  readonly bins: number;
  /** Samples inside the fitted bins. */
  readonly samplesInFit: number;
  readonly chi2PerDof: number;
  /**
   * Curvature check: η fitted separately on the lower and upper half of the fitted bins (null
   * when the range has fewer than 6 bins). p(κ) is not an exact power law (the local slope drifts
   * with κ), so a difference beyond the errors says the reported η depends on the window.
   */
  readonly halves: { lower: { eta: number; etaStderr: number }; upper: { eta: number; etaStderr: number } } | null;
}

/** The published exponents of the lattice model (seed 004 §III C, 10⁷ samples), by d. */
export const PUBLISHED_ETA: Readonly<Record<number, number>> = { 2: 0.9, 3: 0.8, 4: 0.76 };

/** d ln p/d ln κ around one κ: a weighted line through `window` adjacent log bins. */
export interface LocalSlope {
  readonly kappa: number;
  readonly slope: number;
  readonly stdError: number;
  readonly samples: number;
}

export interface KappaAnalysis {
  readonly samples: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** Keys "0.001" … "0.95" (KAPPA_QUANTILE_LEVELS). */
  readonly quantiles: Record<string, number>;
  readonly histogram: LogHistogram;
  /** null when fewer than 3 bins qualify (sample too small); `etaProblem` says why. */
  readonly eta: EtaFit | null;
  readonly etaProblem?: string;
  /** The local-slope profile of p(κ) (SPEC §8's decision: reported beside η, since p(κ) is no exact power law). */
  readonly localSlopes: LocalSlope[];
}

/**
 * Bin-averaging factor of κ^η on a log bin of ratio ρ = hi/lo, relative to its geometric centre:
 * ⟨κ^η⟩_bin / centre^η = (ρ^((η+1)/2) − ρ^(−(η+1)/2)) / ((η+1)(ρ^(1/2) − ρ^(−1/2))).
 */
function binAverageFactor(eta: number, ratio: number): number {
  const e = eta + 1;
  if (Math.abs(e) < 1e-12) return Math.log(ratio) / (Math.sqrt(ratio) - 1 / Math.sqrt(ratio));
  return (Math.pow(ratio, e / 2) - Math.pow(ratio, -e / 2)) / (e * (Math.sqrt(ratio) - 1 / Math.sqrt(ratio)));
}

/** Power-law fit of the low-κ tail of a log histogram (see the module comment). */
export function fitEta(h: LogHistogram, options: EtaFitOptions = {}): { fit: EtaFit | null; problem?: string } {
  const fitMax = options.fitMax ?? 0.1;
  const minCount = options.minCount ?? 20;
  const fitMinOpt = options.fitMin;
  if (!(fitMax > 0)) throw new GlassmechError(`eta fit: fitMax must be positive, got ${fitMax}`);
  if (fitMinOpt !== undefined && !(fitMinOpt > 0 && fitMinOpt < fitMax)) throw new GlassmechError(`eta fit: fitMin must be in (0, fitMax = ${fitMax}), got ${fitMinOpt}`);
  const tol = 1e-9; // bin edges come from pow(10, m/b): compare with a relative tolerance
  let top = -1;
  for (let k = 0; k < h.counts.length; k++) if (h.edges[k + 1]! <= fitMax * (1 + tol)) top = k;
  if (top < 0) return { fit: null, problem: `no bin lies below fitMax = ${fitMax}` };
  let bottom = top + 1;
  if (fitMinOpt === undefined) {
    while (bottom > 0 && h.counts[bottom - 1]! >= minCount) bottom--;
  } else {
    while (bottom > 0 && h.edges[bottom - 1]! >= fitMinOpt * (1 - tol)) bottom--;
  }
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  let inFit = 0;
  for (let k = bottom; k <= top; k++) {
    inFit += h.counts[k]!;
    if (h.counts[k]! === 0) continue; // only possible with an explicit fitMin
    xs.push(Math.log(h.centers[k]!));
    ys.push(Math.log(h.density[k]!));
    ws.push(h.counts[k]!);
  }
  if (xs.length < 3) return { fit: null, problem: `only ${xs.length} bin(s) below κ = ${fitMax} hold ≥ ${minCount} samples; need 3 (more samples)` };
  const f = fitLine(xs, ys, ws);
  let halves: EtaFit["halves"] = null;
  if (xs.length >= 6) {
    const m = xs.length >> 1;
    const lo = fitLine(xs.slice(0, m), ys.slice(0, m), ws.slice(0, m));
    const hi = fitLine(xs.slice(m), ys.slice(m), ws.slice(m));
    halves = { lower: { eta: lo.slope, etaStderr: lo.slopeStderr }, upper: { eta: hi.slope, etaStderr: hi.slopeStderr } };
  }
  const avg = binAverageFactor(f.slope, h.edges[top + 1]! / h.edges[top]!);
  const prefactor = Math.exp(f.intercept) / avg;
  return {
    fit: {
      eta: f.slope,
      etaStderr: f.slopeStderr,
      prefactor,
      prefactorStderr: prefactor * f.interceptStderr,
      fitMin: h.edges[bottom]!,
      fitMax: h.edges[top + 1]!,
      bins: xs.length,
      samplesInFit: inFit,
      chi2PerDof: f.chi2PerDof,
      halves,
    },
  };
}

/**
 * Local slopes d ln p/d ln κ of a log histogram: for every run of `window` adjacent bins that all
 * hold ≥ minCount samples, the weighted (Poisson, w = n_k) line of ln p_k against ln κ_k, placed at
 * the geometric mean of the run's centres. Below κ = fitMax this is the η fit's integrand: a flat
 * profile means η does not depend on the window; a drifting one says how much it does.
 */
export function localSlopes(h: LogHistogram, o: { window?: number; minCount?: number } = {}): LocalSlope[] {
  const window = o.window ?? 3;
  const minCount = o.minCount ?? 20;
  const out: LocalSlope[] = [];
  for (let k = 0; k + window <= h.counts.length; k++) {
    let ok = true, samples = 0;
    for (let j = k; j < k + window; j++) {
      if (h.counts[j]! < minCount) ok = false;
      samples += h.counts[j]!;
    }
    if (!ok) continue;
    const xs: number[] = [], ys: number[] = [], ws: number[] = [];
    for (let j = k; j < k + window; j++) {
      xs.push(Math.log(h.centers[j]!));
      ys.push(Math.log(h.density[j]!));
      ws.push(h.counts[j]!);
    }
    const f = fitLine(xs, ys, ws);
    out.push({ kappa: Math.exp(xs.reduce((a, b) => a + b, 0) / window), slope: f.slope, stdError: f.slopeStderr, samples });
  }
  return out;
}

/**
 * Full analysis of a κ sample. SORTS `kappas` IN PLACE (no copy of a 10⁷-sample array).
 */
export function analyzeKappas(kappas: Float64Array, options: EtaFitOptions = {}): KappaAnalysis {
  const n = kappas.length;
  if (n === 0) throw new GlassmechError("analyzeKappas: empty sample");
  kappas.sort();
  // The shared histogram counts non-positive values as outside its bins; κ > 0 always, so one is a bug.
  if (!(kappas[0]! > 0)) throw new GlassmechError(`analyzeKappas: κ must be positive, got ${kappas[0]}`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += kappas[i]!;
  const quantiles: Record<string, number> = {};
  for (const q of KAPPA_QUANTILE_LEVELS) quantiles[String(q)] = quantileSorted(kappas, q);
  const histogram = logBinnedHistogram(kappas, { binsPerDecade: options.binsPerDecade ?? 10 });
  const { fit, problem } = fitEta(histogram, options);
  const slopes = localSlopes(histogram, { minCount: options.minCount });
  const base = { samples: n, mean: sum / n, min: kappas[0]!, max: kappas[n - 1]!, quantiles, histogram, eta: fit, localSlopes: slopes };
  return problem === undefined ? base : { ...base, etaProblem: problem };
}
