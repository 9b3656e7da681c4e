import { GlassmechError } from "../../core/errors.js";
import { hessianEnergyDecomposition } from "../../observables/energyDecomposition.js";
import { meanValue, type ValueWithError } from "../reduce.js";
import type { Observable } from "../types.js";
import { p3, plusMinus, withError } from "../format.js";

type Parts = { kPlus: number[]; kMinus: number[]; fPlus: number[]; fMinus: number[] };

/** Ensemble key: mean ± SE of k±/ω0², f±/ω0² over the soft modes. */
export interface EnergyDecompositionEnsemble {
  energyDecomposition: { kPlus: ValueWithError; kMinus: ValueWithError; fPlus: ValueWithError; fMinus: ValueWithError; modes: number; below: "omegaCut" | "all" };
}

/**
 * The Hessian energy decomposition of each mode (SPEC §4.6; seed 001 Eqs. 8–10, Fig. 9):
 * ω² = k+ + k− + f+ + f−, k± from positive/negative pair stiffnesses φ'', f± from
 * attractive/repulsive pair forces, over ω0². In an ensemble, the means over the modes below ω_c
 * (all computed modes when none is). Seed 001 §VI: in sticky spheres the softening is k− and f+
 * is about an order of magnitude below k+; purely repulsive models have k− = f+ = 0.
 */
export const energyDecomposition: Observable = {
  name: "energyDecomposition",
  spec: "SPEC §4.6",
  summary: "each mode's Hessian energy k+, k−, f+, f− over ω0² (seed 001 Eq. 10)",
  options: [{ key: "energyDecomposition", kind: { type: "boolean" }, help: "with --modes: each mode's Hessian energy k+, k−, f+, f− over ω0² (SPEC §4.6; seed 001 Eq. 10)" }],
  needs: ["modes"],
  enabled: (o) => o.energyDecomposition === true,
  check(o) {
    if (!(((o.modes as number | undefined) ?? 0) > 0)) throw new GlassmechError("the energy decomposition is of modes: ask for modes too (--modes K)");
  },
  keys: [{ key: "energyDecomposition", unit: "1", help: "k+, k−, f+, f− of each mode over ω0² (their sum is (ω/ω0)²), same order as frequencies", text: false }],
  measure(ctx, o) {
    const { config, records } = ctx.glass;
    const nd = config.n * config.d;
    const m = ctx.modes(o.modes as number);
    const parts: Parts = { kPlus: [], kMinus: [], fPlus: [], fMinus: [] };
    for (let l = 0; l < m.frequencies.length; l++) {
      const e = hessianEnergyDecomposition(records, config.n, m.vectors.subarray(l * nd, (l + 1) * nd), ctx.value("omega0")).scaled;
      parts.kPlus.push(e.kPlus);
      parts.kMinus.push(e.kMinus);
      parts.fPlus.push(e.fPlus);
      parts.fMinus.push(e.fMinus);
    }
    return { energyDecomposition: parts };
  },
  text(r) {
    // SPEC §4.6: (ω/ω0)² = k+ + k− + f+ + f− (all over ω0²), for the softest modes.
    const e = r.energyDecomposition as Parts;
    const few = Math.min(3, e.kPlus.length);
    const lines: [string, string][] = [];
    for (let l = 0; l < few; l++)
      lines.push([`mode ${l + 1} energy/ω0²`, `k+ ${e.kPlus[l].toPrecision(4)}, k− ${e.kMinus[l].toPrecision(4)}, f+ ${e.fPlus[l].toPrecision(4)}, f− ${e.fMinus[l].toPrecision(4)}${few < e.kPlus.length ? " (all modes with --json)" : ""}`]);
    return lines;
  },
  reduce({ results, shared, warn }) {
    const parts = results.map((r) => r.energyDecomposition as Parts | undefined);
    const freqs = shared.frequencies as number[][] | undefined;
    if (freqs === undefined || parts.every((x) => x === undefined)) return undefined;
    if (parts.some((x) => x === undefined)) {
      warn("energyDecomposition: only some results have it; skipped");
      return {};
    }
    const omegaCut = (shared.omegaCut as number | undefined) ?? NaN;
    const soft: number[][] = [[], [], [], []];
    let below: "omegaCut" | "all" = "omegaCut";
    const collect = (limit: number): void => {
      parts.forEach((x, s) => freqs[s].forEach((w, l) => {
        if (w < limit) [x!.kPlus, x!.kMinus, x!.fPlus, x!.fMinus].forEach((a, t) => soft[t].push(a[l]));
      }));
    };
    collect(omegaCut > 0 ? omegaCut : Infinity);
    if (soft[0].length === 0) {
      below = "all";
      collect(Infinity);
    }
    const out: EnergyDecompositionEnsemble = { energyDecomposition: { kPlus: meanValue(soft[0]), kMinus: meanValue(soft[1]), fPlus: meanValue(soft[2]), fMinus: meanValue(soft[3]), modes: soft[0].length, below } };
    return out as unknown as Record<string, unknown>;
  },
  ensembleText(s) {
    const e = (s as unknown as Partial<EnergyDecompositionEnsemble>).energyDecomposition;
    if (e === undefined) return [];
    const w = (v: ValueWithError): string => withError(v.value, v.stdError, 4);
    return [["energy/ω0² of soft modes", `k+ ${w(e.kPlus)}, k− ${w(e.kMinus)}, f+ ${w(e.fPlus)}, f− ${w(e.fMinus)} (${e.modes} modes ${e.below === "omegaCut" ? "below ω_c" : "(none below ω_c: all computed)"})`]];
  },
  reportRows(s) {
    const e = (s as unknown as Partial<EnergyDecompositionEnsemble>).energyDecomposition;
    if (e === undefined) return [];
    return [
      ["soft modes", `${e.modes}${e.below === "all" ? " (all computed)" : " below ω_c"}`],
      ["k+/ω0²", plusMinus(e.kPlus)],
      ["k−/ω0²", plusMinus(e.kMinus)],
      ["f+/ω0²", plusMinus(e.fPlus)],
      ["f−/ω0²", plusMinus(e.fMinus)],
      ["|k−|/|f−|", p3(Math.abs(e.kMinus.value) / Math.abs(e.fMinus.value))],
      ["f+/k+", p3(e.fPlus.value / e.kPlus.value)],
    ];
  },
};
