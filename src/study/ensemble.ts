import { GlassmechError } from "../core/errors.js";
import { chiWithOutlierRemoval, meanWithError, ratioOfMeans, type ChiResult, type MeanWithError } from "../statistics/index.js";
import { combineDecay, decayLength, type DecayReport } from "../observables/decay.js";
import {
  agOmega0_5,
  lowTailExponent,
  logBinnedHistogram,
  ne0,
  omegaCutFromPhonon,
  omegaFromLength,
  qlmDensityWithError,
  vdosPrefactor,
  DEFAULT_OMEGA_CUT_FRACTION,
  fitOmega4,
  logBinnedDensity,
  type LogHistogram,
  type Omega4Fit,
  type LowTailOptions,
} from "../statistics/index.js";

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
  /** χ_G and χ_K (SPEC §5); null for a single glass (a variance needs two). */
  chiG: ChiResult | null;
  chiK: ChiResult | null;
  /** ⟨G⟩/⟨K⟩ and ⟨p⟩/⟨p0⟩ as ratios of means. */
  GOverKOfMeans: { value: number; stdError: number };
  pOverP0OfMeans: { value: number; stdError: number };
}

/**
 * With per-glass microscopic results (frequencies, dipoles, decay from `measure --modes
 * --dipoles --decay`), the ensemble also carries the SPEC §10 keys Ag, AgOmega0_5, Ne0, omegaG,
 * kappaG, eta, xiG, qlmDensity (see microscopicEnsemble below); each is present only when its inputs are.
 */
export type EnsembleResult = EnsembleStatistics & Partial<MicroscopicEnsemble>;

/** Keys that are per-glass scalars worth averaging (everything numeric but bookkeeping). */
const SKIP = new Set(["N", "d", "sample", "cgIterations", "cgResidual", "maxForce"]);

/**
 * A glass whose solves did not converge (`converged: false` in its JSON, GlassMeasurement.solves)
 * carries moduli that may look fine and are not: it must not blend into the statistics.
 */
function refuseUnconverged(results: readonly GlassResult[], what: string): void {
  const bad = results.flatMap((r, k) => (r.converged === false ? [typeof r.sample === "number" ? `sample ${r.sample}` : `#${k + 1}`] : []));
  if (bad.length > 0)
    throw new GlassmechError(`ensemble: ${bad.length} of ${results.length} ${what} are marked unconverged (converged: false: ${bad.slice(0, 5).join(", ")}${bad.length > 5 ? ", …" : ""}); remeasure or remove them`);
}

export function ensembleStatistics(results: readonly GlassResult[], options: MicroscopicEnsembleOptions = {}): EnsembleResult {
  if (results.length === 0) throw new GlassmechError("ensemble: no per-glass results");
  refuseUnconverged(results, "results");
  if (options.decayFrom !== undefined) refuseUnconverged(options.decayFrom, "decayFrom results");
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
  const macro: EnsembleStatistics = {
    samples: results.length,
    model: first.model,
    N: first.N,
    d: first.d,
    means,
    chiG: results.length > 1 ? chiWithOutlierRemoval(G, first.N) : null,
    chiK: results.length > 1 ? chiWithOutlierRemoval(K, first.N) : null,
    GOverKOfMeans: { value: gk.value, stdError: gk.stdError },
    pOverP0OfMeans: { value: pp.value, stdError: pp.stdError },
  };
  const micro = microscopicEnsemble(results, options);
  return micro === null ? macro : { ...macro, ...micro };
}

// ---------------------------------------------------------------------------------------------
// Microscopic ensemble statistics (SPEC §6.1–6.3, §7, §10).

export interface MicroscopicEnsembleOptions {
  /** ω_c/ω_ph for A_g and the Ne0 threshold (default DEFAULT_OMEGA_CUT_FRACTION = 0.75). */
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
   * c(r) gives ξ_g and ω_g = 2π c_s/ξ_g, in place of the ensemble's own: seed 001 takes A_g from
   * small glasses and c(r) from ≈ 2.5·10⁵ particles, since r^(2d) c(r) peaks only well inside L/2.
   */
  decayFrom?: readonly GlassResult[];
}

/** A value with its standard error. */
export interface ValueWithError {
  value: number;
  stdError: number;
}

/** The microscopic ensemble keys; each is present only when the per-glass inputs are. */
export interface MicroscopicEnsemble {
  /**
   * A_g of D(ω) = A_g ω⁴ (SPEC §6.1): 5 n_c/(N n_s ω_c⁵) with its Poisson error, ω_c =
   * fraction · ω_ph, ω_ph = 2π⟨c_s⟩/L (L the largest box side).
   */
  Ag: ValueWithError & { nBelow: number; samples: number; omegaCut: number; omegaPh: number; fraction: number };
  /** A_g ω0⁵ with ω0 = ⟨c_s⟩/a0 (error: A_g's and 5× the relative error of ⟨ω0⟩). */
  AgOmega0_5: ValueWithError;
  /** Mean of N e over modes with ω < omegaThreshold (default ω_c), pooled over glasses. */
  Ne0: ValueWithError & { nModes: number; omegaThreshold: number };
  /**
   * ω_g = ⟨sqrt(κ)⟩ over all dipoles of all glasses (SPEC §6.2, the seed 003 definition). Error:
   * standard error of the per-glass means with ≥ 2 glasses (dipoles of one glass are not
   * independent samples of the ensemble), else over the dipoles.
   */
  omegaG: ValueWithError & { dipoles: number; definition: "dipole mean <sqrt(kappa)>" };
  /** κ_g = ⟨κ⟩, same pooling and error. */
  kappaG: ValueWithError & { dipoles: number };
  /** Low-κ exponent η of p(κ) ~ κ^η (lowTailExponent; its fit range and the MLE cross-check). */
  eta: ValueWithError & { range: [number, number]; prefactor: number; bins: number; nInRange: number; etaMle: number; etaMleStdError: number };
  /** p(κ) on log bins (all dipoles pooled). */
  pKappa: LogHistogram;
  /** c(r) pooled over all excited pairs of all glasses (median per bin per pair, averaged). */
  decay: { binWidth: number; dipoles: number; r: number[]; c: (number | null)[]; cStdError: (number | null)[]; r2dC: (number | null)[]; dipolesPerBin: number[] };
  /** ξ_g from the pooled c(r) (SPEC §6.3) of the ensemble or of decayFrom (glasses, N say which), and ω_g = 2π⟨c_s⟩/ξ_g with the same glasses' c_s. */
  xiG: ValueWithError & { window: [number, number]; omegaG: number; omegaGStdError: number; glasses: number; N: number };
  /**
   * 𝒩 = A_g ω_g⁵ (SPEC §6.3) for both ω_g: `dipole` uses ⟨sqrt(κ)⟩ (seed 003), `length` uses
   * 2π c_s/ξ_g (seed 001 Eqs. 6–7). Errors: A_g's and 5× ω_g's, independent.
   */
  qlmDensity: { dipole?: ValueWithError & { omegaG: number }; length?: ValueWithError & { omegaG: number } };
  /**
   * D(ω) on log bins (SPEC §6.1: per particle per glass) up to the lowest largest-computed
   * frequency of the glasses (above it not every mode is listed), with the fit D = A ω⁴ over the
   * bins below ω_c (statistics fitOmega4; A ω0⁵ beside the counting estimate AgOmega0_5).
   */
  vdos: { binsPerDecade: number; edges: number[]; centers: number[]; density: number[]; counts: number[]; omegaCut: number; omegaPh: number; fit: (Omega4Fit & { AOmega0_5: number }) | null };
  /**
   * Hessian energy decomposition of the soft modes (SPEC §4.6, seed 001 Eq. 10 and Fig. 9): mean
   * ± SE of k±/ω0², f±/ω0² over the modes below ω_c (all computed modes when none is).
   */
  energyDecomposition: { kPlus: ValueWithError; kMinus: ValueWithError; fPlus: ValueWithError; fMinus: ValueWithError; modes: number; below: "omegaCut" | "all" };
  /**
   * Quartic modes (SPEC §6.4–6.6, with `measure.qlm`): the softest ω_π per glass (mean ± SE over
   * the glasses where a search converged, also over ω0), the distribution of all reported ω_π,
   * the mean dilation/shear of the softest modes (seed 001 App. A2c) and ξ_QLM.
   */
  quarticModes: {
    softest: ValueWithError;
    softestOverOmega0: ValueWithError;
    glasses: number;
    of: number;
    modes: number;
    frequencies: LogHistogram;
    dilationShear: ValueWithError;
    xiQlm?: ValueWithError & { glasses: number };
  };
  /** Why a key is missing (e.g. too few modes below ω_c, too few κ in the tail). */
  microWarnings: string[];
}

/** Mean ± standard error as a ValueWithError. */
function meanValue(a: number[]): ValueWithError {
  const m = meanWithError(a);
  return { value: m.mean, stdError: m.stdError };
}

function numberArray(v: unknown): number[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x)) ? (v as number[]) : null;
}

function num(r: GlassResult, key: string): number {
  const v = r[key];
  return typeof v === "number" ? v : NaN;
}

/**
 * The microscopic ensemble statistics of per-glass results (null when no result carries
 * frequencies, dipoles or c(r)). Pure function of the per-glass JSON objects.
 *
 * Choices (documented in the output): the A_g cut is ω_c = fraction·ω_ph with ω_ph from the
 * ensemble-mean c_s and the largest box side (statistics omegaCutFromPhonon, fraction 0.75 by
 * default); Ne0 averages N e over the modes below the same ω_c (the ω⁴ regime, seed 000 App. A2);
 * ω_g and κ_g pool all dipoles; ξ_g is fitted to the c(r) pooled over all excited pairs.
 */
export function microscopicEnsemble(results: readonly GlassResult[], options: MicroscopicEnsembleOptions = {}): Partial<MicroscopicEnsemble> | null {
  const out: Partial<MicroscopicEnsemble> = {};
  const warnings: string[] = [];
  const N = results[0].N;
  const csAll = results.map((r) => num(r, "cs"));
  const cs = csAll.every((v) => v > 0) ? meanWithError(csAll) : null;
  const omega0All = results.map((r) => num(r, "omega0"));
  const omega0 = omega0All.every((v) => v > 0) ? meanWithError(omega0All) : null;
  const warn = (what: string, e: unknown) => {
    if (!(e instanceof GlassmechError)) throw e;
    warnings.push(`${what}: ${e.message}`);
  };

  // SPEC §6.1: A_g, A_g ω0⁵, Ne0.
  const freqs = results.map((r) => numberArray(r.frequencies));
  const prs = results.map((r) => numberArray(r.participationRatios));
  const withModes = freqs.filter((f) => f !== null).length;
  if (withModes > 0 && withModes < results.length) warnings.push(`A_g, Ne0: only ${withModes} of ${results.length} results have frequencies; skipped`);
  else if (withModes === results.length) {
    let omegaCut = NaN;
    if (cs === null) warnings.push("A_g: the results lack a positive c_s (shear modulus), so ω_ph is unknown");
    else {
      let L = 0;
      for (const r of results) for (const l of numberArray(r.boxLengths) ?? []) L = Math.max(L, l);
      const fraction = options.omegaCutFraction ?? DEFAULT_OMEGA_CUT_FRACTION;
      const cut = omegaCutFromPhonon(cs.mean, L, fraction);
      omegaCut = cut.omegaCut;
      try {
        const v = vdosPrefactor(freqs as number[][], N, cut.omegaCut);
        out.Ag = { value: v.Ag, stdError: v.error, nBelow: v.nBelow, samples: v.samples, omegaCut: cut.omegaCut, omegaPh: cut.omegaPh, fraction };
        if (omega0 !== null) {
          const a = agOmega0_5(v.Ag, omega0.mean);
          const rel = Math.hypot(v.Ag > 0 ? v.error / v.Ag : 0, Number.isFinite(omega0.stdError) ? (5 * omega0.stdError) / omega0.mean : 0);
          out.AgOmega0_5 = { value: a, stdError: v.Ag > 0 ? a * rel : agOmega0_5(v.error, omega0.mean) };
        }
      } catch (e) {
        warn("A_g", e);
      }
    }
    if (out.Ag !== undefined) {
      const top = Math.min(...(freqs as number[][]).map((f) => Math.max(...f)));
      const bpd = options.vdosBinsPerDecade ?? 6;
      const h = logBinnedDensity(freqs as number[][], N, { binsPerDecade: bpd });
      // Bins are ascending: keep the prefix that ends below the lowest largest-computed frequency.
      let kept = 0;
      while (kept < h.centers.length && h.edges[kept + 1] <= top * (1 + 1e-12)) kept++;
      let fit: MicroscopicEnsemble["vdos"]["fit"] = null;
      try {
        const f = fitOmega4(h, { omegaMax: out.Ag.omegaCut });
        fit = { ...f, AOmega0_5: omega0 === null ? NaN : f.A * Math.pow(omega0.mean, 5) };
      } catch (e) {
        warn("vdos ω⁴ fit", e);
      }
      const prefix = (a: ArrayLike<number>, n: number): number[] => Array.from(a).slice(0, n);
      out.vdos = { binsPerDecade: bpd, edges: prefix(h.edges, kept + 1), centers: prefix(h.centers, kept), density: prefix(h.density, kept), counts: prefix(h.counts, kept), omegaCut: out.Ag.omegaCut, omegaPh: out.Ag.omegaPh, fit };
    }
    const parts = results.map((r) => r.energyDecomposition as { kPlus: number[]; kMinus: number[]; fPlus: number[]; fMinus: number[] } | undefined);
    if (parts.some((x) => x !== undefined)) {
      if (parts.some((x) => x === undefined)) warnings.push("energyDecomposition: only some results have it; skipped");
      else {
        const soft: number[][] = [[], [], [], []];
        let below: "omegaCut" | "all" = "omegaCut";
        const collect = (limit: number): void => {
          parts.forEach((x, s) => freqs[s]!.forEach((w, l) => {
            if (w < limit) [x!.kPlus, x!.kMinus, x!.fPlus, x!.fMinus].forEach((a, t) => soft[t].push(a[l]));
          }));
        };
        collect(omegaCut > 0 ? omegaCut : Infinity);
        if (soft[0].length === 0) {
          below = "all";
          collect(Infinity);
        }
        out.energyDecomposition = { kPlus: meanValue(soft[0]), kMinus: meanValue(soft[1]), fPlus: meanValue(soft[2]), fMinus: meanValue(soft[3]), modes: soft[0].length, below };
      }
    }
    const thr = options.ne0Threshold ?? omegaCut;
    if (prs.every((p, s) => p !== null && p.length === freqs[s]!.length) && thr > 0) {
      try {
        const f = ([] as number[]).concat(...(freqs as number[][]));
        const e = ([] as number[]).concat(...(prs as number[][]));
        const v = ne0(f, e, N, thr);
        out.Ne0 = { value: v.value, stdError: v.stdError, nModes: v.nModes, omegaThreshold: thr };
      } catch (e) {
        warn("Ne0", e);
      }
    } else if (!(thr > 0)) warnings.push("Ne0: no threshold frequency (no ω_c and no ne0Threshold)");
    else warnings.push("Ne0: participation ratios missing or not one per frequency");
  }

  // SPEC §6.4–6.6: quartic modes.
  const q = results.map((r) => r.qlm as { modes: { frequency: number; dilationShear: number }[]; xiQlm: number | null } | undefined);
  if (q.some((x) => x !== undefined)) {
    if (q.some((x) => x === undefined)) warnings.push("quarticModes: only some results have quartic modes; skipped");
    else {
      const found = q.map((x, s) => ({ x: x!, w0: omega0All[s] })).filter(({ x }) => x.modes.length > 0);
      if (found.length === 0) warnings.push(`quarticModes: no search converged in any of the ${results.length} glasses`);
      else {
        const xis = q.map((x) => x!.xiQlm).filter((v): v is number => v !== null && Number.isFinite(v));
        out.quarticModes = {
          softest: meanValue(found.map(({ x }) => x.modes[0].frequency)),
          softestOverOmega0: meanValue(found.map(({ x, w0 }) => x.modes[0].frequency / w0)),
          glasses: found.length,
          of: results.length,
          modes: found.reduce((a, { x }) => a + x.modes.length, 0),
          frequencies: logBinnedHistogram(found.flatMap(({ x }) => x.modes.map((m) => m.frequency)), { binsPerDecade: 10 }),
          dilationShear: meanValue(found.map(({ x }) => x.modes[0].dilationShear)),
          ...(xis.length > 0 ? { xiQlm: { ...meanValue(xis), glasses: xis.length } } : {}),
        };
        if (found.length < results.length) warnings.push(`quarticModes: no search converged in ${results.length - found.length} of ${results.length} glasses (left out of the means)`);
      }
    }
  }

  // SPEC §6.2: ω_g, κ_g, η, p(κ).
  const dips = results.map((r) => (Array.isArray(r.dipoles) ? (r.dipoles as { kappa: unknown }[]).map((x) => x.kappa) : null));
  const withDip = dips.filter((x) => x !== null).length;
  if (withDip > 0 && withDip < results.length) warnings.push(`omegaG, kappaG, eta: only ${withDip} of ${results.length} results have dipoles; skipped`);
  else if (withDip === results.length) {
    const perGlass = dips as unknown[][];
    const all: number[] = [];
    for (let s = 0; s < perGlass.length; s++)
      for (const k of perGlass[s]) {
        if (!(typeof k === "number" && k > 0 && Number.isFinite(k))) throw new GlassmechError(`ensemble: result ${s} has a dipole with κ = ${String(k)}; expected κ > 0`);
        all.push(k);
      }
    if (all.length === 0) warnings.push("omegaG: no dipoles");
    else {
      const sq = all.map(Math.sqrt);
      const pooled = (vals: number[], per: (k: number) => number): ValueWithError => {
        const m = meanWithError(vals);
        if (results.length < 2) return { value: m.mean, stdError: m.stdError };
        const means = perGlass.map((g) => g.reduce((a: number, k) => a + per(k as number), 0) / g.length);
        return { value: m.mean, stdError: meanWithError(means).stdError };
      };
      out.omegaG = { ...pooled(sq, Math.sqrt), dipoles: all.length, definition: "dipole mean <sqrt(kappa)>" };
      out.kappaG = { ...pooled(all, (k) => k), dipoles: all.length };
      out.pKappa = logBinnedHistogram(all, { binsPerDecade: options.kappaBinsPerDecade ?? 5 });
      try {
        const t = lowTailExponent(all, options.eta);
        out.eta = { value: t.eta, stdError: t.stdError, range: t.range, prefactor: t.prefactor, bins: t.bins, nInRange: t.nInRange, etaMle: t.etaMle, etaMleStdError: t.etaMleStdError };
      } catch (e) {
        warn("eta", e);
      }
    }
  }

  // SPEC §6.3: pooled c(r), ξ_g, ω_g = 2π c_s/ξ_g — from the ensemble's own glasses or decayFrom.
  const decaySource = options.decayFrom ?? results;
  if (options.decayFrom !== undefined) {
    if (decaySource.length === 0) throw new GlassmechError("ensemble: decayFrom holds no results");
    for (const r of decaySource)
      if (r.model !== results[0].model || r.d !== results[0].d)
        throw new GlassmechError(`ensemble: decayFrom glasses (${r.model}, d = ${r.d}) are not of the ensemble's model (${results[0].model}, d = ${results[0].d})`);
  }
  const decays = decaySource.map((r) => (r.decay !== null && typeof r.decay === "object" ? (r.decay as DecayReport) : null));
  const withDecay = decays.filter((x) => x !== null).length;
  const csDecayAll = decaySource.map((r) => num(r, "cs"));
  const csDecay = options.decayFrom === undefined ? cs : csDecayAll.every((v) => v > 0) ? meanWithError(csDecayAll) : null;
  if (options.decayFrom !== undefined && withDecay < decaySource.length) throw new GlassmechError(`ensemble: only ${withDecay} of ${decaySource.length} decayFrom results have c(r) (measure --decay)`);
  if (withDecay > 0 && withDecay < decaySource.length) warnings.push(`xiG: only ${withDecay} of ${decaySource.length} results have c(r); skipped`);
  else if (withDecay === decaySource.length) {
    const dec = combineDecay(decays as DecayReport[]);
    const nul = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
    out.decay = { binWidth: dec.binWidth, dipoles: dec.dipoles, r: Array.from(dec.r), c: nul(dec.c), cStdError: nul(dec.cStdError), r2dC: nul(dec.r2dC), dipolesPerBin: Array.from(dec.dipolesPerBin) };
    try {
      const f = decayLength(dec);
      const se = Number.isFinite(f.xiStdError) ? f.xiStdError : NaN;
      if (csDecay === null) throw new GlassmechError("the results lack a positive c_s, so ω_g = 2π c_s/ξ_g is unknown");
      const w = omegaFromLength(csDecay.mean, f.xi);
      const rel = Math.hypot(se / f.xi, Number.isFinite(csDecay.stdError) ? csDecay.stdError / csDecay.mean : 0);
      out.xiG = { value: f.xi, stdError: se, window: f.window, omegaG: w, omegaGStdError: w * rel, glasses: decaySource.length, N: decaySource[0].N };
    } catch (e) {
      warn("xiG", e);
    }
  }

  if (out.Ag !== undefined && (out.omegaG !== undefined || out.xiG !== undefined)) {
    const q: MicroscopicEnsemble["qlmDensity"] = {};
    if (out.omegaG !== undefined) {
      const v = qlmDensityWithError(out.Ag.value, out.Ag.stdError, out.omegaG.value, Number.isFinite(out.omegaG.stdError) ? out.omegaG.stdError : 0);
      q.dipole = { value: v.value, stdError: v.stdError, omegaG: out.omegaG.value };
    }
    if (out.xiG !== undefined) {
      const v = qlmDensityWithError(out.Ag.value, out.Ag.stdError, out.xiG.omegaG, Number.isFinite(out.xiG.omegaGStdError) ? out.xiG.omegaGStdError : 0);
      q.length = { value: v.value, stdError: v.stdError, omegaG: out.xiG.omegaG };
    }
    out.qlmDensity = q;
  }
  if (withModes === 0 && withDip === 0 && withDecay === 0 && q.every((x) => x === undefined)) return null;
  out.microWarnings = warnings;
  return out;
}
