/**
 * Pair structure of one configuration (SPEC §4.5; seed 001 Figs. 10–11).
 *
 * Partial radial distribution functions under the minimum-image convention, normalized by the
 * ideal-gas pair counts of each type pair:
 *   g_ab(r) = n_ab(r, r + Δr) / [P_ab · (V_d(r + Δr) − V_d(r)) / V],
 *   P_ab = N_a N_b (a ≠ b),  N_a (N_a − 1)/2 (a = b),  P = N(N − 1)/2 for the total g(r),
 * with n_ab the number of unordered pairs in the shell and V_d(r) = c_d r^d the ball volume
 * (c_2 = π, c_3 = 4π/3, c_4 = π²/2). So ρ_b ∫₀^R g_ab(r) dV_d(r) is the mean number of b-neighbours
 * of an a-particle within R (ρ_b = N_b/V, (N_a − 1)/V for b = a). r runs up to half the smallest
 * box width (minimum image is exact there).
 *
 * Fig. 10 plots the same functions against the reduced distance x = r/λ_ab, on top of the pair
 * potential: `reduced` rebins the pairs in x (g_ab(x) = g_ab(λ_ab x)) and gives φ_ab and φ''_ab at
 * the bin centres. Fig. 11 plots g parametrically against the pair stiffness φ''(r)/ω0² over the
 * range of r where φ''(r) < 0: `negativeStiffness` lists those (φ''/scale, g) points per type pair.
 *
 * Polydisperse models (sizes, SPEC §1.4): one "all" partial; the reduced distance uses each pair's
 * λ_ij, normalized by Σ_{i<j} λ_ij^d (the ideal-gas count in an x-shell), and φ, φ'' are those of
 * λ = 1 (φ = ε f(x), φ'' = ε f''(x)).
 *
 * Cost: the pairs within rMax, found on the cell grid (pairHistogram.ts); for polydisperse models
 * also the O(N²) sum of λ_ij^d over sizes alone.
 * Units: r in λ_ss, φ in ε, φ'' in ε/λ_ss² (divided by `stiffnessScale`, e.g. ω0²).
 */
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { largestCombinedLambda } from "../models/combiningRule.js";
import type { Model } from "../models/types.js";
import { histogramPairs, sizePairSum } from "./pairHistogram.js";

export interface PairCorrelationOptions {
  /** Bin width in r (default 0.02 λ_ss). */
  binWidth?: number;
  /** Largest r (default, and upper bound: half the smallest perpendicular box width). */
  rMax?: number;
  /** Bin width in x = r/λ_ab (default: binWidth). */
  reducedBinWidth?: number;
  /** φ'' is divided by this in `reduced[].stiffness` and `negativeStiffness` (default 1; Fig. 11 uses ω0²). */
  stiffnessScale?: number;
}

/** g_ab(r) of one type pair. */
export interface PartialCorrelation {
  /** Type indices (a ≤ b); [0, 0] and label "all" for a polydisperse model. */
  readonly types: readonly [number, number];
  /** Species labels joined, e.g. "AB". */
  readonly label: string;
  /** P_ab, the number of distinct pairs of this kind in the box (the normalization). */
  readonly pairs: number;
  readonly g: Float64Array;
}

/** g_ab against x = r/λ_ab with the pair potential on the same grid (Fig. 10). */
export interface ReducedPartial extends PartialCorrelation {
  /** λ_ab (NaN for a polydisperse model). */
  readonly lambda: number;
  /** φ_ab(λ_ab x) at the bin centres (energy units; 0 beyond the cutoff). */
  readonly phi: Float64Array;
  /** φ''_ab(λ_ab x) / stiffnessScale at the bin centres. */
  readonly stiffness: Float64Array;
}

/** Fig. 11: the bins with φ'' < 0, as parametric points (stiffness, g). */
export interface NegativeStiffnessCurve {
  readonly types: readonly [number, number];
  readonly label: string;
  readonly x: number[];
  readonly stiffness: number[];
  readonly g: number[];
}

export interface PairCorrelation {
  readonly d: number;
  readonly rMax: number;
  readonly binWidth: number;
  /** Bin centres in r. */
  readonly r: Float64Array;
  /** Total g(r). */
  readonly total: Float64Array;
  readonly partials: PartialCorrelation[];
  readonly reduced: {
    readonly binWidth: number;
    readonly xMax: number;
    /** Bin centres in x = r/λ_ab. */
    readonly x: Float64Array;
    readonly partials: ReducedPartial[];
  };
  readonly stiffnessScale: number;
  readonly negativeStiffness: NegativeStiffnessCurve[];
}

const BALL: Record<number, number> = { 2: Math.PI, 3: (4 * Math.PI) / 3, 4: (Math.PI * Math.PI) / 2 };

/** Volume c_d r^d of the d-ball of radius r. */
export function ballVolume(d: number, r: number): number {
  return BALL[d] * Math.pow(r, d);
}

/**
 * Partial and total g(r), g(r/λ_ab) and the φ'' < 0 curves of SPEC §4.5 for a configuration.
 *
 * @example
 *   const gr = pairCorrelation(config, model, { binWidth: 0.02, stiffnessScale: omega0 ** 2 });
 *   gr.partials.find((p) => p.label === "AA")!.g;
 */
export function pairCorrelation(config: Configuration, model: Model, options: PairCorrelationOptions = {}): PairCorrelation {
  const { d, n, box } = config;
  const widths = box.perpendicularWidths();
  const rLimit = 0.5 * Math.min(...widths);
  const rMaxReq = options.rMax ?? rLimit;
  if (!(rMaxReq > 0) || rMaxReq > rLimit * (1 + 1e-12))
    throw new GlassmechError(`pair correlation: rMax = ${rMaxReq} must be positive and at most half the smallest box width (${rLimit})`);
  const w = options.binWidth ?? 0.02;
  if (!(w > 0) || !Number.isFinite(w)) throw new GlassmechError(`pair correlation: bin width must be positive, got ${w}`);
  const nb = Math.floor(rMaxReq / w + 1e-9);
  if (nb < 1) throw new GlassmechError(`pair correlation: bin width ${w} exceeds rMax ${rMaxReq}`);
  const rMax = nb * w;
  const scale = options.stiffnessScale ?? 1;

  const sc = model.scales;
  const bySizes = sc.kind === "sizes";
  if (bySizes && (config.sizes === null || config.sizes.length !== n))
    throw new GlassmechError(`pair correlation: model ${model.name} needs per-particle sizes`);
  const nt = bySizes ? 1 : sc.ntypes;
  const types = config.types;
  const counts = new Float64Array(nt);
  if (!bySizes)
    for (let i = 0; i < n; i++) {
      const t = types[i];
      if (!(t >= 0 && t < nt)) throw new GlassmechError(`pair correlation: particle ${i} has type ${t}, model ${model.name} has ${nt} types`);
      counts[t]++;
    }
  else counts[0] = n;

  // Reduced grid: x < xMax guarantees r = λ x < rMax for every pair.
  let lamMax = 0;
  const invLam = new Float64Array(nt * nt);
  if (!bySizes) {
    for (let a = 0; a < nt; a++)
      for (let b = 0; b < nt; b++) {
        invLam[a * nt + b] = 1 / sc.lambda[a * nt + b];
        if (counts[a] > 0 && counts[b] > 0 && (a !== b || counts[a] > 1)) lamMax = Math.max(lamMax, sc.lambda[a * nt + b]);
      }
  } else {
    const s = config.sizes!;
    let lo = Infinity;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, s[i]);
      hi = Math.max(hi, s[i]);
    }
    lamMax = largestCombinedLambda(lo, hi, sc.nonadditivity);
  }
  if (!(lamMax > 0)) lamMax = 1;
  const xw = options.reducedBinWidth ?? w;
  if (!(xw > 0) || !Number.isFinite(xw)) throw new GlassmechError(`pair correlation: reduced bin width must be positive, got ${xw}`);
  const nx = Math.max(1, Math.floor(rMax / lamMax / xw + 1e-9));
  const xMax = nx * xw;

  const hist = new Float64Array(nt * nt * nb);
  const histX = new Float64Array(nt * nt * nx);
  const nonadditivity = sc.kind === "sizes" ? sc.nonadditivity : null;
  histogramPairs(config, { nt, invLambda: invLam, nonadditivity, rMax, w, nb, xw, nx }, hist, histX);
  const sumLamD = nonadditivity === null ? 0 : sizePairSum(config.sizes!, nonadditivity, d);

  // Normalization.
  const V = box.volume;
  const shell = (edge: number, k: number): number => ballVolume(d, (k + 1) * edge) - ballVolume(d, k * edge);
  const r = new Float64Array(nb);
  for (let k = 0; k < nb; k++) r[k] = (k + 0.5) * w;
  const x = new Float64Array(nx);
  for (let k = 0; k < nx; k++) x[k] = (k + 0.5) * xw;
  const total = new Float64Array(nb);
  const pTot = (n * (n - 1)) / 2;
  const partials: PartialCorrelation[] = [];
  const reducedPartials: ReducedPartial[] = [];
  const negative: NegativeStiffnessCurve[] = [];
  const out = new Float64Array(5);
  const species = model.species;
  for (let a = 0; a < nt; a++)
    for (let b = a; b < nt; b++) {
      const P = a === b ? (counts[a] * (counts[a] - 1)) / 2 : counts[a] * counts[b];
      const label = bySizes ? "all" : `${species[a] ?? a}${species[b] ?? b}`;
      const g = new Float64Array(nb);
      const gx = new Float64Array(nx);
      const lam = bySizes ? NaN : sc.lambda[a * nt + b];
      const eps = bySizes ? sc.epsilon : sc.epsilon[a * nt + b];
      for (let k = 0; k < nb; k++) {
        let c = hist[(a * nt + b) * nb + k];
        if (a !== b) c += hist[(b * nt + a) * nb + k];
        total[k] += c;
        g[k] = P > 0 ? c / ((P * shell(w, k)) / V) : NaN;
      }
      const lamD = bySizes ? 1 : Math.pow(lam, d);
      const norm = bySizes ? sumLamD : P * lamD;
      for (let k = 0; k < nx; k++) {
        let c = histX[(a * nt + b) * nx + k];
        if (a !== b) c += histX[(b * nt + a) * nx + k];
        gx[k] = norm > 0 ? c / ((norm * shell(xw, k)) / V) : NaN;
      }
      const phi = new Float64Array(nx);
      const stiff = new Float64Array(nx);
      const L = bySizes ? 1 : lam;
      const curve: NegativeStiffnessCurve = { types: [a, b], label, x: [], stiffness: [], g: [] };
      for (let k = 0; k < nx; k++) {
        if (x[k] < model.reduced.xc) {
          model.reduced.eval2(x[k], out);
          phi[k] = eps * out[0];
          stiff[k] = (eps * out[2]) / (L * L) / scale; // φ''(r) = ε f''(x)/λ² (models/types.ts)
        }
        if (stiff[k] < 0 && gx[k] === gx[k]) {
          curve.x.push(x[k]);
          curve.stiffness.push(stiff[k]);
          curve.g.push(gx[k]);
        }
      }
      partials.push({ types: [a, b], label, pairs: P, g });
      reducedPartials.push({ types: [a, b], label, pairs: P, g: gx, lambda: lam, phi, stiffness: stiff });
      negative.push(curve);
    }
  for (let k = 0; k < nb; k++) total[k] = pTot > 0 ? total[k] / ((pTot * shell(w, k)) / V) : NaN;
  return {
    d,
    rMax,
    binWidth: w,
    r,
    total,
    partials,
    reduced: { binWidth: xw, xMax, x, partials: reducedPartials },
    stiffnessScale: scale,
    negativeStiffness: negative,
  };
}
