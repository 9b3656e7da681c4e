/**
 * Power-law fits (SPEC §6.2: p(κ) ~ A_κ κ^η at low κ; also used for D(ω) ~ ω⁴ cross-checks).
 */
import { GlassmechError } from "../core/errors.js";
import { linearFit } from "./leastSquares.js";
import { logBinnedHistogram } from "./histogram.js";
import { bisect } from "./optimize1d.js";
import { requireFinite, requireSameLength, requirePositive, type Numbers } from "./validate.js";

export interface PowerLawFitOptions {
  /** Only points with xmin ≤ x ≤ xmax are fitted (defaults: all). */
  readonly xmin?: number;
  readonly xmax?: number;
  /**
   * Raw counts behind each y (e.g. histogram counts). If given, Var(ln y) ≈ 1/count (Poisson), so
   * the weights are the counts and the errors are absolute; otherwise unweighted, errors from
   * the scatter.
   */
  readonly counts?: Numbers;
  /**
   * Bin edges (x.length + 1 values) if y are bin averages of a density (histograms). The model
   * is then fitted to the bin average of A x^η, A (b^{η+1} − a^{η+1})/((η+1)(b − a)), instead of
   * its value at x (the geometric centre under-reads a steep power law: 5 % for ω⁴ at 10
   * bins/decade); solved by refitting with the per-bin factor until η settles.
   */
  readonly edges?: Numbers;
}

export interface PowerLawFit {
  /** η in y = prefactor · x^η. */
  readonly exponent: number;
  readonly prefactor: number;
  /** Standard error of η. */
  readonly stdError: number;
  /** Relative standard error of the prefactor (= standard error of ln prefactor). */
  readonly prefactorRelError: number;
  /** [smallest, largest] x actually used. */
  readonly range: [number, number];
  /** Number of points used. */
  readonly points: number;
  readonly chi2: number;
  readonly dof: number;
}

/**
 * Least-squares fit of ln y = ln A + η ln x over the points with y > 0 (and count > 0) inside
 * [xmin, xmax]. Needs at least 2 such points (3 for a scatter-based error).
 * Example: `fitPowerLaw(h.centers, h.density, { xmax: 0.1, counts: h.counts })`.
 */
export function fitPowerLaw(x: Numbers, y: Numbers, options: PowerLawFitOptions = {}): PowerLawFit {
  requireFinite(x, "fitPowerLaw(x)");
  requireFinite(y, "fitPowerLaw(y)");
  requireSameLength(x, y, "fitPowerLaw(x, y)");
  const counts = options.counts;
  if (counts !== undefined) requireSameLength(x, counts, "fitPowerLaw(x, counts)");
  const edges = options.edges;
  if (edges !== undefined && edges.length !== x.length + 1)
    throw new GlassmechError(`fitPowerLaw: edges must have x.length + 1 = ${x.length + 1} entries, got ${edges.length}`);
  const xmin = options.xmin ?? 0, xmax = options.xmax ?? Infinity;
  const lx: number[] = [], ly: number[] = [], w: number[] = [], ea: number[] = [], eb: number[] = [];
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] > 0 && y[i] > 0 && x[i] >= xmin && x[i] <= xmax)) continue;
    if (counts !== undefined && !(counts[i] > 0)) continue;
    lx.push(Math.log(x[i]));
    ly.push(Math.log(y[i]));
    w.push(counts === undefined ? 1 : counts[i]);
    if (edges !== undefined) { ea.push(edges[i]); eb.push(edges[i + 1]); }
    lo = Math.min(lo, x[i]);
    hi = Math.max(hi, x[i]);
  }
  if (lx.length < 2) throw new GlassmechError(`fitPowerLaw: ${lx.length} usable point(s) in [${xmin}, ${xmax}]; need ≥ 2 with x, y > 0`);
  const opts = { weights: w, absoluteSigma: counts !== undefined };
  let f = linearFit(lx, ly, opts);
  if (edges !== undefined) {
    for (let it = 0; it < 50; it++) {
      const eta = f.slope;
      const ly2 = ly.map((v, k) => v - Math.log(binAverageFactor(ea[k], eb[k], Math.exp(lx[k]), eta)));
      const g = linearFit(lx, ly2, opts);
      const done = Math.abs(g.slope - f.slope) < 1e-12 * (1 + Math.abs(g.slope));
      f = g;
      if (done) break;
    }
  }
  return {
    exponent: f.slope, prefactor: Math.exp(f.intercept), stdError: f.slopeStdError,
    prefactorRelError: f.interceptStdError, range: [lo, hi], points: lx.length, chi2: f.chi2, dof: f.dof,
  };
}

/**
 * Bin average of x^η over [a, b] divided by c^η (c the point the bin is plotted at):
 * (b^{η+1} − a^{η+1}) / ((η+1)(b − a) c^η), with the η = −1 limit ln(b/a)/((b − a) c^{−1}).
 */
export function binAverageFactor(a: number, b: number, c: number, eta: number): number {
  const e1 = eta + 1;
  const avg = Math.abs(e1) < 1e-9 ? Math.log(b / a) / (b - a) : (Math.pow(b, e1) - Math.pow(a, e1)) / (e1 * (b - a));
  return avg / Math.pow(c, eta);
}

export interface LowTailOptions {
  /** Log bins per decade (default 5). */
  readonly binsPerDecade?: number;
  /** The fit range ends at the `tailFraction` quantile of the samples (default 0.05). */
  readonly tailFraction?: number;
  /** Every fitted bin must hold at least this many samples (default 20). */
  readonly minCount?: number;
  /** At least this many bins (default 3), else an error. */
  readonly minBins?: number;
}

export interface LowTailExponent {
  /** η from the weighted least-squares fit of ln p(κ) vs ln κ on the chosen bins. */
  readonly eta: number;
  readonly stdError: number;
  /** A_κ of p(κ) = A_κ κ^η, p normalized over all samples. */
  readonly prefactor: number;
  /** [lower edge of the lowest fitted bin, upper edge of the highest]. */
  readonly range: [number, number];
  readonly bins: number;
  /** Samples inside the range, and that as a fraction of all samples. */
  readonly nInRange: number;
  readonly fractionInRange: number;
  /** Cross-check: maximum-likelihood η of a power law truncated to `range`, and its error. */
  readonly etaMle: number;
  readonly etaMleStdError: number;
}

/**
 * Low-κ exponent η of p(κ) ~ κ^η (SPEC §6.2, seed 004) with an automatic, documented range:
 *   1. log-bin all samples (decade grid, `binsPerDecade`), p normalized over all samples;
 *   2. the top of the range is the largest bin edge not above the `tailFraction` quantile of the
 *      samples (the low tail, well below the peak of p(κ));
 *   3. walk down from there, keeping bins while each holds ≥ `minCount` samples; the first
 *      sparser bin ends the range (noisy lowest bins are left out);
 *   4. weighted least squares of ln p vs ln κ on those bins (weights = counts, Poisson errors),
 *      modelling each bin as the bin average of A_κ κ^η (fitPowerLaw `edges`).
 * Also returns the maximum-likelihood exponent of p ∝ κ^η truncated to the same range, which
 * uses the samples themselves rather than the bins (an independent check of binning effects).
 * All samples must be > 0. Throws if fewer than `minBins` bins qualify.
 */
export function lowTailExponent(values: Numbers, options: LowTailOptions = {}): LowTailExponent {
  requireFinite(values, "lowTailExponent(values)", 2);
  for (let i = 0; i < values.length; i++)
    if (!(values[i] > 0)) throw new GlassmechError(`lowTailExponent: sample ${i} is ${values[i]}; all samples must be > 0`);
  const bpd = options.binsPerDecade ?? 5;
  const fraction = options.tailFraction ?? 0.05;
  const minCount = options.minCount ?? 20;
  const minBins = options.minBins ?? 3;
  requirePositive(fraction, "lowTailExponent: tailFraction");
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const q = sorted[Math.min(n - 1, Math.max(0, Math.ceil(fraction * n) - 1))];
  const h = logBinnedHistogram(sorted, { binsPerDecade: bpd });
  let top = -1; // index of the highest bin entirely ≤ q
  for (let k = 0; k < h.counts.length; k++) if (h.edges[k + 1] <= q) top = k;
  let bottom = top + 1;
  while (bottom - 1 >= 0 && h.counts[bottom - 1] >= minCount) bottom--;
  const bins = top - bottom + 1;
  if (top < 0 || bins < minBins)
    throw new GlassmechError(
      `lowTailExponent: only ${Math.max(0, bins)} bin(s) below the ${fraction} quantile (${q.toPrecision(4)}) hold ≥ ${minCount} samples; ` +
        `need ${minBins} (more samples, a larger tailFraction, fewer binsPerDecade or a smaller minCount)`,
    );
  const x = h.centers.slice(bottom, top + 1), y = h.density.slice(bottom, top + 1), c = h.counts.slice(bottom, top + 1);
  const fit = fitPowerLaw(x, y, { counts: c, edges: h.edges.slice(bottom, top + 2) });
  const a = h.edges[bottom], b = h.edges[top + 1];
  const inRange: number[] = [];
  for (let i = 0; i < n; i++) if (sorted[i] >= a && sorted[i] < b) inRange.push(sorted[i]);
  const mle = truncatedPowerLawMle(inRange, a, b);
  return {
    eta: fit.exponent, stdError: fit.stdError, prefactor: fit.prefactor, range: [a, b], bins,
    nInRange: inRange.length, fractionInRange: inRange.length / n, etaMle: mle.eta, etaMleStdError: mle.stdError,
  };
}

/**
 * Maximum-likelihood exponent of p(x) ∝ x^η on [a, b] (0 < a < b) from samples in that range.
 * With u = ln(x/b) ∈ [L, 0], L = ln(a/b), the density of u is ∝ e^{θu}, θ = η + 1 (an
 * exponential family): the MLE solves ⟨u⟩ = d ln Z/dθ with Z(θ) = (1 − e^{θL})/θ, and the
 * standard error is 1/sqrt(n Var_θ u), Var_θ u = 1/θ² − L² e^{θL}/(1 − e^{θL})².
 */
export function truncatedPowerLawMle(samples: Numbers, a: number, b: number): { eta: number; stdError: number; n: number } {
  requirePositive(a, "truncatedPowerLawMle: a");
  if (!(b > a)) throw new GlassmechError(`truncatedPowerLawMle: need b > a, got [${a}, ${b}]`);
  const n = samples.length;
  if (n < 2) throw new GlassmechError(`truncatedPowerLawMle: need ≥ 2 samples in [${a}, ${b}], got ${n}`);
  const L = Math.log(a / b);
  let mu = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[i];
    if (!(x >= a && x <= b)) throw new GlassmechError(`truncatedPowerLawMle: sample ${i} (${x}) is outside [${a}, ${b}]`);
    mu += Math.log(x / b);
  }
  mu /= n;
  // Mean is L/2 at θ = 0, → 0 as θ → +∞ and → L as θ → −∞; outside (L, 0) no finite MLE.
  if (!(mu > L && mu < 0)) throw new GlassmechError("truncatedPowerLawMle: the samples sit at one end of the range; no finite exponent");
  const theta = bisect((t) => truncExpMean(t, L) - mu, 1e3 / L, -1e3 / L, 1e-15);
  return { eta: theta - 1, stdError: 1 / Math.sqrt(n * truncExpVar(theta, L)), n };
}

/** E[u] for the density ∝ e^{θu} on [L, 0] (L < 0); series near θL = 0. */
function truncExpMean(theta: number, L: number): number {
  const s = theta * L;
  if (Math.abs(s) < 1e-5) return L / 2 + (theta * L * L) / 12;
  // d ln Z/dθ = −L e^{θL}/(1 − e^{θL}) − 1/θ, written stably for both signs of s.
  return -L / (Math.exp(-s) - 1) - 1 / theta;
}

/** Var[u] for the density ∝ e^{θu} on [L, 0]; series near θL = 0. */
function truncExpVar(theta: number, L: number): number {
  const s = theta * L;
  if (Math.abs(s) < 1e-4) return (L * L) / 12 - (s * s * L * L) / 720;
  // e^s/(1 − e^s)² is even in s: use a = e^{−|s|} so nothing overflows.
  const a = Math.exp(-Math.abs(s));
  return 1 / (theta * theta) - (L * L * a) / ((1 - a) * (1 - a));
}
