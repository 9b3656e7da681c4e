import { GlassmechError } from "../core/errors.js";
import type { ModelDefinition } from "./types.js";
import { powerPotential } from "./powerKernel.js";
import { smoothAtCutoff } from "./smoothing.js";
import { combinedLambda } from "./combiningRule.js";

/**
 * POLY — polydisperse soft spheres for Swap Monte Carlo (SPEC §1.4, seeds 003/004):
 *   f = x^−10 + c0 + c2 x² + c4 x⁴ for x < x_c (default 1.25), smoothed like IPL,
 *   λ_ij = ½(λ_i + λ_j)(1 − n_a|λ_i − λ_j|) (kind "sizes", the rule of combiningRule.ts), ε = 1,
 *   sizes λ ~ p(λ) ∝ λ^−3 on [λ_min, λ_max], λ_min/λ_max = ratio, mean size 1.
 * Mean of p: ⟨λ⟩ = 2 λ_min λ_max/(λ_min + λ_max) = 2 λ_min/(1 + ratio) = 1, so
 *   λ_min = (1 + ratio)/2, λ_max = λ_min/ratio;
 * CDF F(λ) = (λ_min^−2 − λ^−2)/(λ_min^−2 − λ_max^−2), inverted in sampleSizes.
 */

/** Size range of p(λ) ∝ λ^−3 with λ_min/λ_max = ratio and mean 1. */
export function polySizeRange(ratio: number): { readonly min: number; readonly max: number } {
  const min = (1 + ratio) / 2;
  return { min, max: min / ratio };
}

/** The cumulative distribution F(λ) of the sizes (tests; clamps outside the range). */
export function polySizeCdf(lambda: number, ratio: number): number {
  const { min, max } = polySizeRange(ratio);
  if (lambda <= min) return 0;
  if (lambda >= max) return 1;
  return (1 / (min * min) - 1 / (lambda * lambda)) / (1 / (min * min) - 1 / (max * max));
}

/** λ_ij of SPEC §1.4: the rule of every "sizes" model, declared in combiningRule.ts. */
export const polyPairLambda = combinedLambda;

export const poly: ModelDefinition = {
  name: "poly",
  description: "polydisperse x^-10 soft spheres, non-additive sizes p(λ) ∝ λ^-3 (Swap Monte Carlo)",
  parameters: [
    {
      name: "xc",
      default: 1.25,
      description: "reduced cutoff x_c = r_c/λ_ij",
      validate: (v) => (v > 0 && v <= 10 ? null : "xc must be finite, in (0, 10]"),
    },
    {
      name: "na",
      default: 0.2,
      description: "non-additivity n_a of λ_ij = ½(λ_i+λ_j)(1 − n_a|λ_i − λ_j|)",
      validate: (v) => (v >= 0 && v < 1 ? null : "na must be in [0, 1)"),
    },
    {
      name: "ratio",
      default: 0.45,
      description: "λ_min/λ_max of the size distribution",
      validate: (v) => (v > 0 && v <= 1 ? null : "ratio must be in (0, 1]"),
    },
  ],
  create(params) {
    const xc = params.xc!;
    const na = params.na!;
    const ratio = params.ratio!;
    const { min, max } = polySizeRange(ratio);
    // The widest pair must keep λ_ij > 0.
    if (!(na * (max - min) < 1))
      throw new GlassmechError(
        `model poly: na=${na} with ratio=${ratio} gives λ_ij ≤ 0 for the widest pair (need na·(λmax − λmin) < 1, λmax − λmin = ${(max - min).toPrecision(6)})`,
      );
    const a2 = 1 / (min * min);
    const span = a2 - 1 / (max * max);
    return {
      name: "poly",
      params: { xc, na, ratio },
      reduced: powerPotential([{ below: xc, terms: smoothAtCutoff([{ coef: 1, power: -10 }], xc) }], xc),
      scales: { kind: "sizes", nonadditivity: na, epsilon: 1 },
      species: ["A"],
      composition: [],
      // Not in the seeds: ρ = 1.0 of the swap-optimized soft spheres this model is a variant of
      // (Ninarello, Berthier & Coslovich, PRX 7, 021039 (2017), same size distribution and n_a).
      defaultDensity: () => 1.0,
      sampleSizes(n: number, uniform: () => number): Float64Array {
        const out = new Float64Array(n);
        // Inverse CDF: λ = (λ_min^−2 − u (λ_min^−2 − λ_max^−2))^(−1/2), u ∈ [0, 1).
        for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(a2 - uniform() * span);
        return out;
      },
    };
  },
};
