import { DEFAULT_MODES_TOL } from "../../linalg/modes.js";
import { agOmega0_5, DEFAULT_OMEGA_CUT_FRACTION, fitOmega4, logBinnedDensity, meanWithError, omegaCutFromPhonon, vdosPrefactor, type Omega4Fit } from "../../statistics/index.js";
import { valueLines, withError } from "../format.js";
import { numberArray, numbers, warnOf, type ValueWithError } from "../reduce.js";
import type { Observable } from "../types.js";

/** The ensemble keys of the modes (SPEC §6.1, §10). */
export interface ModesEnsemble {
  /** A_g of D(ω) = A_g ω⁴: 5 n_c/(N n_s ω_c⁵) with its Poisson error, ω_c = fraction · ω_ph, ω_ph = 2π⟨c_s⟩/L (L the largest box side). */
  Ag: ValueWithError & { nBelow: number; samples: number; omegaCut: number; omegaPh: number; fraction: number };
  /** A_g ω0⁵ with ω0 = ⟨c_s⟩/a0 (error: A_g's and 5× the relative error of ⟨ω0⟩). */
  AgOmega0_5: ValueWithError;
  /**
   * D(ω) on log bins (per particle per glass) up to the lowest largest-computed frequency of the
   * glasses (above it not every mode is listed), with the fit D = A ω⁴ over the bins below ω_c
   * (statistics fitOmega4; A ω0⁵ beside the counting estimate AgOmega0_5).
   */
  vdos: { binsPerDecade: number; edges: number[]; centers: number[]; density: number[]; counts: number[]; omegaCut: number; omegaPh: number; fit: (Omega4Fit & { AOmega0_5: number }) | null };
}

/**
 * The k lowest nonzero vibrational modes (SPEC §6.1): frequencies, participation ratios, ω_ph;
 * in an ensemble A_g, A_g ω0⁵ and the log-binned D(ω) with its ω⁴ fit below ω_c = fraction·ω_ph.
 * It leaves ω_c and the frequencies in `shared` for the energy decomposition and Ne0.
 */
export const modes: Observable = {
  name: "modes",
  spec: "SPEC §6.1",
  summary: "lowest nonzero modes: ω, participation ratios, ω_ph; A_g, A_g ω0⁵, D(ω) with its ω⁴ fit",
  options: [
    { key: "modes", kind: { type: "integer", min: 0 }, placeholder: "<k>", help: "also the k lowest nonzero modes: frequencies, participation ratios, ω_ph (SPEC §6.1)" },
    { key: "solvePath", kind: { type: "choice", values: ["auto", "direct", "iterative"] }, default: "auto", placeholder: "<p>", help: "modes and dipole solves: direct (Cholesky, shift-invert Lanczos), iterative (LOBPCG, CG; no factor) or auto (a measured memory and time model picks; the result's solves say which and why)" },
    { key: "solveThreads", kind: { type: "integer", min: 1 }, default: 1, placeholder: "<t>", help: "threads of the factorization-free path (LOBPCG's V-cycles and products with M, split by columns: the same numbers for every count)" },
    { key: "allowUnstable", kind: { type: "boolean" }, study: false, help: "report extra zero/negative modes instead of refusing the glass" },
    { key: "omegaCutFraction", kind: { type: "number", min: 0, max: 1, exclusiveMin: true }, placeholder: "<f>", analysisOnly: true, default: DEFAULT_OMEGA_CUT_FRACTION, help: "ω_c/ω_ph of A_g, the ω⁴ fit of D(ω) and Ne0" },
  ],
  needs: ["modes"],
  enabled: (o) => ((o.modes as number | undefined) ?? 0) > 0,
  fitToGlass: (o, n, d) => ({ modes: Math.min(o.modes as number, n * d - d - 1) }),
  keys: [
    { key: "frequencies", unit: "sqrt(ε/(m λ²))", help: "ω = sqrt(λ) of the lowest nonzero modes, ascending" },
    { key: "participationRatios", unit: "1", help: "e of each mode" },
    { key: "modeResiduals", unit: "1", help: "‖Mv − λv‖/‖M‖ of each mode", text: false },
    { key: "omegaPh", unit: "sqrt(ε/(m λ²))", help: "first phonon frequency 2π c_s/L (L the largest box side)" },
  ],
  measure(ctx, o) {
    const m = ctx.modes(o.modes as number);
    const worst = Math.max(...m.residuals);
    // The mode solver (linalg/modes.ts) accepts residuals up to 100·tol and throws above.
    ctx.solves.push({ what: "modes", method: m.method, iterations: m.iterations, residual: worst, tolerance: 100 * DEFAULT_MODES_TOL, converged: worst <= 100 * DEFAULT_MODES_TOL, path: ctx.solvePath().reason });
    return { frequencies: Array.from(m.frequencies), participationRatios: Array.from(m.participationRatios), modeResiduals: Array.from(m.residuals), omegaPh: m.omegaPh };
  },
  reduce({ results, options, shared, warn }) {
    const freqs = results.map((r) => numberArray(r.frequencies));
    const withModes = freqs.filter((f) => f !== null).length;
    if (withModes === 0) return undefined;
    if (withModes < results.length) {
      warn(`A_g, Ne0: only ${withModes} of ${results.length} results have frequencies; skipped`);
      return {};
    }
    shared.frequencies = freqs;
    const out: Partial<ModesEnsemble> = {};
    const N = results[0].N;
    const csAll = numbers(results, "cs");
    const cs = csAll.every((v) => v > 0) ? meanWithError(csAll) : null;
    const omega0All = numbers(results, "omega0");
    const omega0 = omega0All.every((v) => v > 0) ? meanWithError(omega0All) : null;
    if (cs === null) {
      warn("A_g: the results lack a positive c_s (shear modulus), so ω_ph is unknown");
      return out;
    }
    let L = 0;
    for (const r of results) for (const l of numberArray(r.boxLengths) ?? []) L = Math.max(L, l);
    const fraction = (options.omegaCutFraction as number | undefined) ?? DEFAULT_OMEGA_CUT_FRACTION;
    const cut = omegaCutFromPhonon(cs.mean, L, fraction);
    shared.omegaCut = cut.omegaCut;
    try {
      const v = vdosPrefactor(freqs as number[][], N, cut.omegaCut);
      out.Ag = { value: v.Ag, stdError: v.error, nBelow: v.nBelow, samples: v.samples, omegaCut: cut.omegaCut, omegaPh: cut.omegaPh, fraction };
      if (omega0 !== null) {
        const a = agOmega0_5(v.Ag, omega0.mean);
        const rel = Math.hypot(v.Ag > 0 ? v.error / v.Ag : 0, Number.isFinite(omega0.stdError) ? (5 * omega0.stdError) / omega0.mean : 0);
        out.AgOmega0_5 = { value: a, stdError: v.Ag > 0 ? a * rel : agOmega0_5(v.error, omega0.mean) };
      }
    } catch (e) {
      warnOf(warn, "A_g", e);
    }
    if (out.Ag !== undefined) {
      const top = Math.min(...(freqs as number[][]).map((f) => Math.max(...f)));
      const bpd = (options.vdosBinsPerDecade as number | undefined) ?? 6;
      const h = logBinnedDensity(freqs as number[][], N, { binsPerDecade: bpd });
      // Bins are ascending: keep the prefix that ends below the lowest largest-computed frequency.
      let kept = 0;
      while (kept < h.centers.length && h.edges[kept + 1] <= top * (1 + 1e-12)) kept++;
      let fit: ModesEnsemble["vdos"]["fit"] = null;
      try {
        const f = fitOmega4(h, { omegaMax: out.Ag.omegaCut });
        fit = { ...f, AOmega0_5: omega0 === null ? NaN : f.A * Math.pow(omega0.mean, 5) };
      } catch (e) {
        warnOf(warn, "vdos ω⁴ fit", e);
      }
      const prefix = (a: ArrayLike<number>, n: number): number[] => Array.from(a).slice(0, n);
      out.vdos = { binsPerDecade: bpd, edges: prefix(h.edges, kept + 1), centers: prefix(h.centers, kept), density: prefix(h.density, kept), counts: prefix(h.counts, kept), omegaCut: out.Ag.omegaCut, omegaPh: out.Ag.omegaPh, fit };
    }
    return out;
  },
  ensembleText(s) {
    const v = (s as unknown as Partial<ModesEnsemble>).vdos;
    const values = valueLines(s, ["Ag", "AgOmega0_5"]);
    if (v === undefined) return values;
    const f = v.fit;
    return [...values, ["D(ω) = A ω⁴ fit", f === null ? "–" : `A = ${withError(f.A, f.A * f.relError)}, A ω0⁵ = ${f.AOmega0_5.toPrecision(4)}, free exponent ${withError(f.freeExponent, f.freeExponentStdError, 3)} over ω ∈ [${f.range[0].toPrecision(3)}, ${f.range[1].toPrecision(3)}] (${f.points} log bins below ω_c = ${v.omegaCut.toPrecision(4)}; D(ω) bins with --json)`]];
  },
  quantities(s): Record<string, ValueWithError> {
    const a = (s as unknown as Partial<ModesEnsemble>).AgOmega0_5;
    return a === undefined ? {} : { AgOmega0_5: { value: a.value, stdError: a.stdError } };
  },
};
