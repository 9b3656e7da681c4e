import type { ModelDefinition } from "./types.js";
import { BINARY_COMPOSITION, BINARY_SPECIES, binaryScales } from "./binary.js";
import { powerPotential } from "./powerKernel.js";
import { smoothAtCutoff, type PowerTerm } from "./smoothing.js";

/**
 * QSS — q-sticky-spheres, a smoothed Mie potential (SPEC §1.1, seed 001 Eq. 1), binary 50:50:
 *   f = x^−2q − 2 x^−q + c0 + c2 x² + c4 x⁴ for x < x_c (minimum f(1) ≈ −1 at x = 1),
 * c0, c2, c4 from f = f' = f'' = 0 at x_c (a 3×3 solve; seed 001 Eq. B1's c0 is a misprint, §9).
 *
 * Defaults: q = 12, xc = 2.0 (the paper pair for q = 12). The default xc does NOT follow q: write
 * both, e.g. `model=qss q=20 xc=1.8`; the paper pairs are QSS_PAPER_SETS.
 */

/** The paper ensembles (q, x_c, ρ) of SPEC §1.1, densities tuned to p/p0 ≈ 0.05. */
export const QSS_PAPER_SETS: readonly { readonly q: number; readonly xc: number; readonly density: number }[] = [
  { q: 6, xc: 3.0, density: 0.8 },
  { q: 8, xc: 2.5, density: 0.74 },
  { q: 12, xc: 2.0, density: 0.698 },
  { q: 20, xc: 1.8, density: 0.677 },
];

/** f's repulsive and attractive terms, x^−2q − 2x^−q. */
function qssBase(q: number): PowerTerm[] {
  return [
    { coef: 1, power: -2 * q },
    { coef: -2, power: -q },
  ];
}

/** The smoothing coefficients c0, c2, c4 for (q, xc) (3×3 solve of f = f' = f'' = 0 at xc). */
export function qssCoefficients(q: number, xc: number): { readonly c0: number; readonly c2: number; readonly c4: number } {
  const t = smoothAtCutoff(qssBase(q), xc);
  return { c0: t[2]!.coef, c2: t[3]!.coef, c4: t[4]!.coef };
}

export const qss: ModelDefinition = {
  name: "qss",
  description: "q-sticky-spheres: smoothed Mie (2q, q) potential (binary 50:50)",
  parameters: [
    {
      name: "q",
      default: 12,
      description: "exponent: f = x^-2q - 2x^-q + smoothing (paper: 6, 8, 12, 20)",
      validate: (v) => (v > 0 && v <= 100 ? null : "q must be finite, in (0, 100]"),
    },
    {
      name: "xc",
      default: 2.0,
      description: "reduced cutoff (paper: 3.0, 2.5, 2.0, 1.8 for q = 6, 8, 12, 20)",
      validate: (v) =>
        v > 1 && v <= 10 ? null : "xc must be finite, in (1, 10] (x_c ≤ 1 cuts the potential inside its minimum at x = 1)",
    },
  ],
  create(params) {
    const q = params.q!;
    const xc = params.xc!;
    // The paper density for this q (SPEC §1.1, 3D); 0.7 for other q (close to all four).
    const density = QSS_PAPER_SETS.find((s) => s.q === q)?.density ?? 0.7;
    return {
      name: "qss",
      params: { q, xc },
      reduced: powerPotential([{ below: xc, terms: smoothAtCutoff(qssBase(q), xc) }], xc),
      scales: binaryScales(),
      species: BINARY_SPECIES,
      composition: BINARY_COMPOSITION,
      defaultDensity: () => density,
    };
  },
};
