import { GlassmechError } from "../core/errors.js";
import type { Model } from "../models/types.js";
import type { PairCutoffs } from "../neighbors/cutoffs.js";

/**
 * The per-pair scales of a model in the flat form the pair loops read (SPEC §1, models/types.ts):
 * φ_ij(r) = ε_ij f(r/λ_ij), zero for r ≥ x_c λ_ij.
 *
 * - kind "types": ntypes×ntypes tables (row-major) of 1/λ_ab, ε_ab and the squared cutoff
 *   (x_c λ_ab)²;
 * - kind "sizes": λ_ij from per-particle sizes by the POLY rule of models/combiningRule.ts,
 *   ε_ij = epsilon.
 */
export type PairTables =
  | {
      readonly kind: "types";
      readonly xc: number;
      readonly ntypes: number;
      readonly lambda: Float64Array;
      readonly invLambda: Float64Array;
      readonly epsilon: Float64Array;
      readonly cutoff2: Float64Array;
    }
  | {
      readonly kind: "sizes";
      readonly xc: number;
      readonly nonadditivity: number;
      readonly epsilon: number;
    };

export function pairTables(model: Model): PairTables {
  const xc = model.reduced.xc;
  if (!(xc > 0) || !Number.isFinite(xc)) throw new GlassmechError(`model ${model.name}: reduced cutoff xc must be positive and finite, got ${xc}`);
  const s = model.scales;
  if (s.kind === "sizes") {
    if (!Number.isFinite(s.nonadditivity)) throw new GlassmechError(`model ${model.name}: non-additivity must be finite`);
    if (!(s.epsilon > 0) || !Number.isFinite(s.epsilon)) throw new GlassmechError(`model ${model.name}: epsilon must be positive, got ${s.epsilon}`);
    return { kind: "sizes", xc, nonadditivity: s.nonadditivity, epsilon: s.epsilon };
  }
  const nt = s.ntypes;
  if (s.lambda.length !== nt * nt || s.epsilon.length !== nt * nt)
    throw new GlassmechError(`model ${model.name}: λ and ε tables must have ${nt}×${nt} entries`);
  const invLambda = new Float64Array(nt * nt);
  const cutoff2 = new Float64Array(nt * nt);
  for (let a = 0; a < nt; a++)
    for (let b = 0; b < nt; b++) {
      const k = a * nt + b;
      const lam = s.lambda[k];
      if (!(lam > 0) || !Number.isFinite(lam)) throw new GlassmechError(`model ${model.name}: λ[${a}][${b}] must be positive, got ${lam}`);
      if (lam !== s.lambda[b * nt + a] || s.epsilon[k] !== s.epsilon[b * nt + a])
        throw new GlassmechError(`model ${model.name}: λ and ε tables must be symmetric (entry ${a},${b})`);
      invLambda[k] = 1 / lam;
      cutoff2[k] = (xc * lam) ** 2;
    }
  return { kind: "types", xc, ntypes: nt, lambda: Float64Array.from(s.lambda), invLambda, epsilon: Float64Array.from(s.epsilon), cutoff2 };
}

/** The neighbor-list cutoffs of a model: x_c·λ_ab per type pair, or x_c with the POLY rule. */
export function pairCutoffs(model: Model, swapSafe = false): PairCutoffs {
  const s = model.scales;
  const xc = model.reduced.xc;
  if (s.kind === "sizes") return { kind: "sizes", xc, nonadditivity: s.nonadditivity, swapSafe };
  const radius = new Float64Array(s.ntypes * s.ntypes);
  for (let k = 0; k < radius.length; k++) radius[k] = xc * s.lambda[k];
  return { kind: "types", ntypes: s.ntypes, radius, swapSafe };
}
