import { NestedOptionError } from "../../core/options.js";
import { logBinnedHistogram, type LogHistogram } from "../../statistics/index.js";
import { quasilocalizedModes, type QlmMode } from "../../observables/qlm.js";
import { parseStartSpec } from "../../observables/qlmStarts.js";
import { withError } from "../format.js";
import { combineDecay, decayLength, type DecayReport } from "../../observables/decay.js";
import { meanValue, numbers, warnOf, type ValueWithError } from "../reduce.js";
import type { DecayEnsemble } from "./decay.js";
import type { Observable } from "../types.js";

/** The per-glass keys of the quartic modes (`qlm` in a result). */
export interface QuarticModesSummary {
  starts: string;
  /** ω_π of the softest mode (null when no start converged). */
  softestFrequency: number | null;
  modes: Omit<QlmMode, "vector" | "coupling" | "duplicates">[];
  distinctModes: number;
  /** Starts that neither converged nor merged (never kept as modes). */
  flagged: number;
  xiQlm: number | null;
  /** c(r) of the reported modes about their core pairs (SPEC §6.6), null without modes. */
  decay: DecayReport | null;
  seconds: number;
}

/** The ensemble key of the quartic modes. */
export interface QuarticModesEnsemble {
  /**
   * The softest ω_π per glass (mean ± SE over the glasses where a search converged, also over
   * ω0), the distribution of all reported ω_π, the mean dilation/shear of the softest modes
   * (seed 001 App. A2c) and ξ_QLM.
   */
  quarticModes: {
    softest: ValueWithError;
    softestOverOmega0: ValueWithError;
    glasses: number;
    of: number;
    modes: number;
    frequencies: LogHistogram;
    dilationShear: ValueWithError;
    /** Mean ± SE of the per-glass ξ_QLM (glasses whose own modes' c(r) has a maximum of r^(2d) c(r)). */
    xiQlm?: ValueWithError & { glasses: number };
    /** The modes' c(r) pooled over the glasses (as the dipoles' `decay`), with ξ_QLM at its r^(2d) maximum when it has one. */
    decay?: DecayEnsemble["decay"] & { xi?: ValueWithError };
  };
}

/** The study form `{ starts, k }`, or the starts alone (the command line's --qlm). */
function qlmArg(raw: unknown): { starts: string; k?: number } {
  const o = typeof raw === "string" ? { starts: raw.trim() } : raw;
  if (typeof o !== "object" || o === null || Array.isArray(o)) throw new Error("");
  const { starts, k, ...rest } = o as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new NestedOptionError(unknown[0], "is not a key (known: starts, k)");
  if (typeof starts !== "string") throw new NestedOptionError("starts", `must be "shear" or "dipoles:M"`);
  try {
    parseStartSpec(starts);
  } catch (e) {
    throw new NestedOptionError("starts", `must be "shear" or "dipoles:M" (${(e as Error).message})`);
  }
  if (k !== undefined && !(Number.isInteger(k) && (k as number) >= 1)) throw new NestedOptionError("k", "must be a positive integer");
  return k === undefined ? { starts } : { starts, k: k as number };
}

/**
 * Quasilocalized modes found directly (SPEC §6.4–6.6; seeds 001, 003): quartic modes π from shear
 * or dipole-response starts, the k softest kept with ω_π, cost, participation, core pair,
 * dilation/shear and ξ_QLM. The softest mode's vector is kept as a vector artifact (a study writes
 * it beside the glass as qlm-000k.mtx). In an ensemble: the softest ω_π per glass, its
 * distribution, the mean dilation/shear and ξ_QLM.
 */
export const qlm: Observable = {
  name: "qlm",
  spec: "SPEC §6.4–6.6",
  summary: "quartic modes π: ω_π, cost, participation, core pair, dilation/shear, ξ_QLM",
  options: [
    { key: "qlm", kind: { type: "custom", rule: "\"shear\" or \"dipoles:M\" (a study: { \"starts\": …, \"k\": … })", parse: qlmArg }, placeholder: "<starts>", help: "also quartic modes (SPEC §6.4–6.6) from 'shear' or 'dipoles:M' starts (vectors: glassmech qlm --out)" },
    { key: "qlmK", kind: { type: "integer", min: 1 }, placeholder: "<k>", study: false, help: "quartic modes kept per glass, softest first (default 5)" },
  ],
  needs: ["hessian"],
  enabled: (o) => o.qlm !== undefined,
  keys: [{ key: "qlm", unit: "", help: "starts, the softest ω_π (sqrt(ε/(m λ²))), the k softest modes without vectors, ξ_QLM (λ)", text: false }],
  measure(ctx, o) {
    const t0 = performance.now();
    const q = o.qlm as { starts: string; k?: number };
    const parsed = parseStartSpec(q.starts);
    const starts = parsed.kind === "dipoles" ? { ...parsed, seed: (o.seed as number | undefined) ?? 1, stream: (o.stream as number | undefined) ?? 0 } : parsed;
    const res = quasilocalizedModes(ctx.glass, { starts, k: q.k ?? (o.qlmK as number | undefined) });
    if (res.modes.length > 0) ctx.vectors.set("qlm", { vector: Float64Array.from(res.modes[0].vector), comment: "softest quartic mode (glassmech qlm, SPEC §6.4)" });
    const summary: QuarticModesSummary = {
      starts: res.starts,
      softestFrequency: res.modes.length > 0 ? res.modes[0].frequency : null,
      modes: res.modes.map(({ vector: _v, coupling: _c, duplicates: _d, ...rest }) => rest),
      distinctModes: res.distinctModes,
      flagged: res.flagged,
      xiQlm: res.xiQlm,
      decay: res.qlmDecay,
      seconds: (performance.now() - t0) / 1000,
    };
    return { qlm: summary };
  },
  text(r) {
    const q = r.qlm as QuarticModesSummary;
    const soft = q.modes[0];
    return [["quartic modes", soft === undefined ? `none converged from ${q.starts} starts (${q.flagged} flagged)` : `${q.modes.length} of ${q.distinctModes} distinct from ${q.starts} starts (${q.flagged} flagged); softest ω_π = ${soft.frequency.toPrecision(5)}, participation ${soft.participation.toPrecision(3)}, dilation/shear ${soft.dilationShear.toPrecision(3)}, ξ_QLM ${q.xiQlm === null ? "–" : q.xiQlm.toPrecision(4)} (all with --json)`]];
  },
  reduce({ results, warn }) {
    const q = results.map((r) => r.qlm as QuarticModesSummary | undefined);
    if (q.every((x) => x === undefined)) return undefined;
    if (q.some((x) => x === undefined)) {
      warn("quarticModes: only some results have quartic modes; skipped");
      return {};
    }
    const omega0All = numbers(results, "omega0");
    const found = q.map((x, s) => ({ x: x!, w0: omega0All[s] })).filter(({ x }) => x.modes.length > 0);
    if (found.length === 0) {
      warn(`quarticModes: no search converged in any of the ${results.length} glasses`);
      return {};
    }
    const xis = q.map((x) => x!.xiQlm).filter((v): v is number => v !== null && Number.isFinite(v));
    const out: QuarticModesEnsemble = {
      quarticModes: {
        softest: meanValue(found.map(({ x }) => x.modes[0].frequency)),
        softestOverOmega0: meanValue(found.map(({ x, w0 }) => x.modes[0].frequency / w0)),
        glasses: found.length,
        of: results.length,
        modes: found.reduce((a, { x }) => a + x.modes.length, 0),
        frequencies: logBinnedHistogram(found.flatMap(({ x }) => x.modes.map((m) => m.frequency)), { binsPerDecade: 10 }),
        dilationShear: meanValue(found.map(({ x }) => x.modes[0].dilationShear)),
        ...(xis.length > 0 ? { xiQlm: { ...meanValue(xis), glasses: xis.length } } : {}),
      },
    };
    // Older results (before the modes' c(r) was kept) have no decay: pool only when every glass has one.
    const decays = found.map(({ x }) => x.decay);
    if (decays.every((c): c is DecayReport => c !== undefined && c !== null)) {
      const pooled = combineDecay(decays);
      const nul = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
      const curve: NonNullable<QuarticModesEnsemble["quarticModes"]["decay"]> = { binWidth: pooled.binWidth, dipoles: pooled.dipoles, r: Array.from(pooled.r), c: nul(pooled.c), cStdError: nul(pooled.cStdError), r2dC: nul(pooled.r2dC), dipolesPerBin: Array.from(pooled.dipolesPerBin) };
      try {
        const f = decayLength(pooled);
        curve.xi = { value: f.xi, stdError: Number.isFinite(f.xiStdError) ? f.xiStdError : NaN };
      } catch (e) {
        warnOf(warn, "quarticModes ξ_QLM of the pooled c(r)", e);
      }
      out.quarticModes.decay = curve;
    }
    if (found.length < results.length) warn(`quarticModes: no search converged in ${results.length - found.length} of ${results.length} glasses (left out of the means)`);
    return out as unknown as Record<string, unknown>;
  },
  ensembleText(s) {
    const qm = (s as unknown as Partial<QuarticModesEnsemble>).quarticModes;
    if (qm === undefined) return [];
    return [["softest ω_π (quartic)", `${withError(qm.softest.value, qm.softest.stdError)} (ω_π/ω0 ${withError(qm.softestOverOmega0.value, qm.softestOverOmega0.stdError, 4)}; ${qm.glasses} of ${qm.of} glasses, ${qm.modes} modes), dilation/shear ${withError(qm.dilationShear.value, qm.dilationShear.stdError, 3)}${qm.xiQlm ? `, ξ_QLM ${withError(qm.xiQlm.value, qm.xiQlm.stdError, 4)}` : ""}`]];
  },
};
