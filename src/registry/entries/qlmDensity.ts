import { qlmDensityWithError } from "../../statistics/index.js";
import { withError } from "../format.js";
import type { ValueWithError } from "../reduce.js";
import type { Observable } from "../types.js";
import type { ModesEnsemble } from "./modes.js";
import type { DipolesEnsemble } from "./dipoles.js";
import type { DecayEnsemble } from "./decay.js";

/** Ensemble key 𝒩 for both definitions of ω_g. */
export interface QlmDensityEnsemble {
  /**
   * 𝒩 = A_g ω_g⁵ for both ω_g: `dipole` uses ⟨sqrt(κ)⟩ (seed 003), `length` uses 2π c_s/ξ_g
   * (seed 001 Eqs. 6–7). Errors: A_g's and 5× ω_g's, independent.
   */
  qlmDensity: { dipole?: ValueWithError & { omegaG: number }; length?: ValueWithError & { omegaG: number } };
}

/**
 * The density of quasilocalized modes 𝒩 = A_g ω_g⁵ (SPEC §6.3): an ensemble-only observable of
 * the modes' A_g and the dipoles' (or c(r)'s) ω_g.
 */
export const qlmDensity: Observable = {
  name: "qlmDensity",
  spec: "SPEC §6.3",
  summary: "𝒩 = A_g ω_g⁵ with ω_g = ⟨√κ⟩ and with ω_g = 2π c_s/ξ_g",
  options: [],
  needs: [],
  keys: [],
  reduce({ soFar }) {
    const s = soFar as Partial<ModesEnsemble & DipolesEnsemble & DecayEnsemble>;
    if (s.Ag === undefined || (s.omegaG === undefined && s.xiG === undefined)) return undefined;
    const q: QlmDensityEnsemble["qlmDensity"] = {};
    if (s.omegaG !== undefined) {
      const v = qlmDensityWithError(s.Ag.value, s.Ag.stdError, s.omegaG.value, Number.isFinite(s.omegaG.stdError) ? s.omegaG.stdError : 0);
      q.dipole = { value: v.value, stdError: v.stdError, omegaG: s.omegaG.value };
    }
    if (s.xiG !== undefined) {
      const v = qlmDensityWithError(s.Ag.value, s.Ag.stdError, s.xiG.omegaG, Number.isFinite(s.xiG.omegaGStdError) ? s.xiG.omegaGStdError : 0);
      q.length = { value: v.value, stdError: v.stdError, omegaG: s.xiG.omegaG };
    }
    return { qlmDensity: q };
  },
  ensembleText(s) {
    const q = (s as Partial<QlmDensityEnsemble>).qlmDensity;
    return Object.entries(q ?? {}).flatMap(([def, v]) => (v === undefined ? [] : [[`qlmDensity (${def})`, withError(v.value, v.stdError)] as [string, string]]));
  },
  quantities(stats) {
    // ω_g: seed 001 uses 2π c_s/ξ_g (Eq. 6); without c(r), the dipole mean ⟨√κ⟩ (seed 003). 𝒩 uses the same one.
    const s = stats as Partial<DipolesEnsemble & DecayEnsemble & QlmDensityEnsemble>;
    const w0 = (stats.means as Record<string, { mean: number; stdError: number } | undefined>).omega0;
    let def: "length" | "dipole" | undefined;
    let wg: ValueWithError | undefined;
    if (s.xiG && Number.isFinite(s.xiG.omegaG)) { wg = { value: s.xiG.omegaG, stdError: s.xiG.omegaGStdError }; def = "length"; }
    else if (s.omegaG) { wg = { value: s.omegaG.value, stdError: s.omegaG.stdError }; def = "dipole"; }
    const out: Record<string, ValueWithError | string> = {};
    if (def !== undefined) out.omegaGDefinition = def;
    if (wg && w0 && w0.mean > 0) {
      const r = wg.value / w0.mean;
      out.omegaGOverOmega0 = { value: r, stdError: r * Math.hypot(wg.stdError / wg.value, Number.isFinite(w0.stdError) ? w0.stdError / w0.mean : 0) };
    }
    const q = def === "length" ? s.qlmDensity?.length : s.qlmDensity?.dipole;
    if (q) out.qlmDensity = { value: q.value, stdError: q.stdError };
    return out;
  },
};
