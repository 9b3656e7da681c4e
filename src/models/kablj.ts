import type { ModelDefinition } from "./types.js";
import { typeScales } from "./binary.js";
import { powerPotential } from "./powerKernel.js";
import { smoothAtCutoff } from "./smoothing.js";
import { PSS_XMIN } from "./pss.js";

/**
 * KABLJ — Kob–Andersen binary Lennard-Jones, 80:20 (SPEC §1.5):
 *   f = 4 (x^−12 − x^−6) + c0 + c2 x² + c4 x⁴ for x = r/σ_ab < x_c = 2.5, φ_ab = ε_ab f,
 * with the QSS smoothing polynomial (f = f' = f'' = 0 at x_c).
 * ε_AA = 1, σ_AA = 1, ε_AB = 1.5, σ_AB = 0.8, ε_BB = 0.5, σ_BB = 0.88; type 0 = A (80%).
 */
export const kablj: ModelDefinition = {
  name: "kablj",
  description: "Kob-Andersen binary Lennard-Jones 80:20, smoothed at xc·σ_ab",
  parameters: [
    {
      name: "xc",
      default: 2.5,
      description: "reduced cutoff x_c = r_c/σ_ab",
      validate: (v) => (v > PSS_XMIN && v <= 10 ? null : "xc must be finite, in (2^(1/6), 10] (beyond the LJ minimum)"),
    },
  ],
  create(params) {
    const xc = params.xc!;
    const lj = [
      { coef: 4, power: -12 },
      { coef: -4, power: -6 },
    ];
    return {
      name: "kablj",
      params: { xc },
      reduced: powerPotential([{ below: xc, terms: smoothAtCutoff(lj, xc) }], xc),
      scales: typeScales(
        [
          [1, 0.8],
          [0.8, 0.88],
        ],
        [
          [1, 1.5],
          [1.5, 0.5],
        ],
      ),
      species: ["A", "B"],
      composition: [0.8, 0.2],
      // SPEC §1.5: ρ = 1.2 (the 3D model; used for every d unless the user sets a density).
      defaultDensity: () => 1.2,
    };
  },
};
