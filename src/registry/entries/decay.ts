import { GlassmechError } from "../../core/errors.js";
import { combineDecay, decayLength, decayReport, DecayAccumulator, type DecayReport } from "../../observables/decay.js";
import { meanWithError, omegaFromLength } from "../../statistics/index.js";
import type { MeasureContext } from "../context.js";
import { valueLines, withError } from "../format.js";
import { numbers, warnOf, type ValueWithError } from "../reduce.js";
import type { Observable } from "../types.js";

/** Dipoles solved for c(r) when the dipole count is not given. */
export const DEFAULT_DECAY_DIPOLES = 100;

/** The ensemble keys of c(r) (SPEC §6.3, §10). */
export interface DecayEnsemble {
  /** c(r) pooled over all excited pairs of all glasses (median per bin per pair, averaged). */
  decay: { binWidth: number; dipoles: number; r: number[]; c: (number | null)[]; cStdError: (number | null)[]; r2dC: (number | null)[]; dipolesPerBin: number[] };
  /** ξ_g from the pooled c(r) of the ensemble or of decayFrom (glasses, N say which), and ω_g = 2π⟨c_s⟩/ξ_g with the same glasses' c_s. */
  xiG: ValueWithError & { window: [number, number]; omegaG: number; omegaGStdError: number; glasses: number; N: number };
}

const accumulators = new WeakMap<MeasureContext, DecayAccumulator>();

/**
 * The decay function c(r) of the dipole responses and the glassy length ξ_g at the maximum of
 * r^(2d) c(r) (SPEC §6.3; seed 001 Eqs. 6–7), with ω_g = 2π c_s/ξ_g. Each response is binned as
 * it is solved (responses are not kept). In an ensemble c(r) is pooled over all pairs of all
 * glasses — or of the larger glasses of `decayFrom` (seed 001 takes A_g from small glasses and
 * c(r) from ≈ 2.5·10⁵ particles, since r^(2d) c(r) peaks well inside L/2 only there).
 */
export const decay: Observable = {
  name: "decay",
  spec: "SPEC §6.3",
  summary: "c(r), r^(2d) c(r) and ξ_g of the dipole responses; ω_g = 2π c_s/ξ_g",
  options: [
    { key: "decay", kind: { type: "boolean" }, help: `also c(r), r^(2d)c(r) and ξ_g of the dipole responses (SPEC §6.3; ${DEFAULT_DECAY_DIPOLES} dipoles unless --dipoles)` },
    { key: "decayBinWidth", kind: { type: "number", min: 0, exclusiveMin: true }, placeholder: "<w>", study: false, help: "c(r) bin width (default a0/4)" },
  ],
  needs: ["dipoles"],
  enabled: (o) => o.decay === true,
  implies: (o) => (o.dipoles === undefined || o.dipoles === 0 ? { dipoles: DEFAULT_DECAY_DIPOLES } : {}),
  attach(ctx, o) {
    const { config, records } = ctx.glass;
    const acc = new DecayAccumulator(records, config.positions, config.box, o.decayBinWidth !== undefined ? { binWidth: o.decayBinWidth as number } : {});
    accumulators.set(ctx, acc);
    ctx.onDipoleResponse((z, _index, pair) => acc.add(z, pair), "decay");
  },
  keys: [{ key: "decay", unit: "", help: "c(r) (1), r^(2d) c(r), ξ_g (λ), ω_g = 2π c_s/ξ_g", text: false }],
  measure(ctx) {
    ctx.dipoles();
    return { decay: decayReport(accumulators.get(ctx)!.result(), ctx.value("cs")) };
  },
  text(r) {
    const c = r.decay as DecayReport;
    return [["xiG", c.xi !== null ? `${c.xi.toPrecision(5)} ± ${(c.xiStdError ?? NaN).toPrecision(2)} (ω_g = 2π c_s/ξ_g = ${(c.omegaG ?? NaN).toPrecision(5)}; c(r) on ${c.r.length} bins with --json)` : `— (${c.xiError})`]];
  },
  reduce({ results, decayFrom, warn }) {
    const source = decayFrom ?? results;
    if (decayFrom !== undefined) {
      if (source.length === 0) throw new GlassmechError("ensemble: decayFrom holds no results");
      for (const r of source)
        if (r.model !== results[0].model || r.d !== results[0].d)
          throw new GlassmechError(`ensemble: decayFrom glasses (${r.model}, d = ${r.d}) are not of the ensemble's model (${results[0].model}, d = ${results[0].d})`);
    }
    const decays = source.map((r) => (r.decay !== null && typeof r.decay === "object" ? (r.decay as DecayReport) : null));
    const withDecay = decays.filter((x) => x !== null).length;
    if (decayFrom !== undefined && withDecay < source.length) throw new GlassmechError(`ensemble: only ${withDecay} of ${source.length} decayFrom results have c(r) (measure --decay)`);
    if (withDecay === 0) return undefined;
    if (withDecay < source.length) {
      warn(`xiG: only ${withDecay} of ${source.length} results have c(r); skipped`);
      return {};
    }
    const csAll = numbers(source, "cs");
    const cs = csAll.every((v) => v > 0) ? meanWithError(csAll) : null;
    const dec = combineDecay(decays as DecayReport[]);
    const nul = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
    const out: Partial<DecayEnsemble> = { decay: { binWidth: dec.binWidth, dipoles: dec.dipoles, r: Array.from(dec.r), c: nul(dec.c), cStdError: nul(dec.cStdError), r2dC: nul(dec.r2dC), dipolesPerBin: Array.from(dec.dipolesPerBin) } };
    try {
      const f = decayLength(dec);
      const se = Number.isFinite(f.xiStdError) ? f.xiStdError : NaN;
      if (cs === null) throw new GlassmechError("the results lack a positive c_s, so ω_g = 2π c_s/ξ_g is unknown");
      const w = omegaFromLength(cs.mean, f.xi);
      const rel = Math.hypot(se / f.xi, Number.isFinite(cs.stdError) ? cs.stdError / cs.mean : 0);
      out.xiG = { value: f.xi, stdError: se, window: f.window, omegaG: w, omegaGStdError: w * rel, glasses: source.length, N: source[0].N };
    } catch (e) {
      warnOf(warn, "xiG", e);
    }
    return out;
  },
  ensembleText(s) {
    const x = (s as unknown as Partial<DecayEnsemble>).xiG;
    return x === undefined ? [] : [...valueLines(s, ["xiG"]), ["omegaG (2π c_s/ξ_g)", `${withError(x.omegaG, x.omegaGStdError)}   (c(r) of ${x.glasses} glass${x.glasses === 1 ? "" : "es"}, N = ${x.N})`]];
  },
  quantities(s): Record<string, ValueWithError> {
    const x = (s as unknown as Partial<DecayEnsemble>).xiG;
    const a0 = (s.means as Record<string, { mean: number } | undefined>).a0;
    return x === undefined || a0 === undefined || !(a0.mean > 0) ? {} : { xiGOverA0: { value: x.value / a0.mean, stdError: x.stdError / a0.mean } };
  },
};
