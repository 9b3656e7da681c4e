import { ne0 as ne0Of } from "../../statistics/index.js";
import { valueLines } from "../format.js";
import { numberArray, warnOf, type ValueWithError } from "../reduce.js";
import type { Observable } from "../types.js";

/** Ensemble key: mean of N e over the soft modes. */
export interface Ne0Ensemble {
  Ne0: ValueWithError & { nModes: number; omegaThreshold: number };
}

/**
 * Ne0 (SPEC §6.1, seed 000 App. A2): the mean of N·e over the modes below a threshold frequency
 * (default ω_c, the ω⁴ regime), pooled over glasses. An ensemble-only observable: it reads the
 * modes' frequencies and participation ratios.
 */
export const ne0: Observable = {
  name: "ne0",
  spec: "SPEC §6.1",
  summary: "mean N e of the quasilocalized modes below the threshold frequency",
  options: [{ key: "ne0Threshold", kind: { type: "number", min: 0, exclusiveMin: true }, placeholder: "<ω>", analysisOnly: true, help: "threshold frequency of Ne0 (default ω_c), in units of sqrt(ε/(m λ²))" }],
  needs: [],
  keys: [],
  reduce({ results, options, shared, warn }) {
    const freqs = shared.frequencies as number[][] | undefined;
    if (freqs === undefined) return undefined;
    const prs = results.map((r) => numberArray(r.participationRatios));
    const thr = (options.ne0Threshold as number | undefined) ?? (shared.omegaCut as number | undefined) ?? NaN;
    if (!(thr > 0)) {
      warn("Ne0: no threshold frequency (no ω_c and no ne0Threshold)");
      return {};
    }
    if (!prs.every((p, s) => p !== null && p.length === freqs[s].length)) {
      warn("Ne0: participation ratios missing or not one per frequency");
      return {};
    }
    try {
      const v = ne0Of(freqs.flat(), (prs as number[][]).flat(), results[0].N, thr);
      const out: Ne0Ensemble = { Ne0: { value: v.value, stdError: v.stdError, nModes: v.nModes, omegaThreshold: thr } };
      return out as unknown as Record<string, unknown>;
    } catch (e) {
      warnOf(warn, "Ne0", e);
      return {};
    }
  },
  ensembleText: (s) => valueLines(s, ["Ne0"]),
};
