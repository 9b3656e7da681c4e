import type { ModelDefinition } from "./types.js";
import { BINARY_COMPOSITION, BINARY_SPECIES, binaryScales } from "./binary.js";
import { powerPotential } from "./powerKernel.js";
import { solveConditions, termsDerivative, type PowerTerm } from "./smoothing.js";

/**
 * PSS — piecewise-sticky-spheres (SPEC §1.2, seed 001 Eq. 2), binary 50:50 with the λ_ij of §1.1:
 *   x < x_min = 2^(1/6):   f = 4 (x^−12 − x^−6)                     (LJ repulsive branch, f(x_min) = −1)
 *   x_min ≤ x < x_c:       f = a x^−12 − b x^−6 + c0 + c2 x² + c4 x⁴ + c6 x⁶
 * with x_c = rc · x_min; a, b, c0…c6 make f, f', f'' continuous at x_min and zero at x_c.
 */

/** Location of the LJ minimum, x_min = 2^(1/6). */
export const PSS_XMIN = Math.pow(2, 1 / 6);

const LJ: readonly PowerTerm[] = [
  { coef: 4, power: -12 },
  { coef: -4, power: -6 },
];

export interface PssCoefficients {
  readonly a: number;
  readonly b: number;
  readonly c0: number;
  readonly c2: number;
  readonly c4: number;
  readonly c6: number;
}

/** Solves the 6×6 continuity/vanishing system for the attractive branch (oracle: seed 001 Table II). */
export function pssCoefficients(rc: number): PssCoefficients {
  const xc = rc * PSS_XMIN;
  // Unknowns multiply x^−12, x^−6, 1, x², x⁴, x⁶; the x^−6 unknown is −b.
  const conditions = [0, 1, 2].flatMap((k) => [
    { x: PSS_XMIN, k, value: termsDerivative(LJ, k, PSS_XMIN) },
    { x: xc, k, value: 0 },
  ]);
  const u = solveConditions([-12, -6, 0, 2, 4, 6], conditions);
  return { a: u[0]!, b: -u[1]!, c0: u[2]!, c2: u[3]!, c4: u[4]!, c6: u[5]! };
}

export const pss: ModelDefinition = {
  name: "pss",
  description: "piecewise-sticky-spheres: LJ repulsion, attraction of tunable range rc (binary 50:50)",
  parameters: [
    {
      name: "rc",
      default: 1.2,
      description: "cutoff in units of the LJ minimum, x_c = rc·2^(1/6)",
      validate: (v) => (v <= 1 ? "rc ≤ 1 leaves no attractive range" : v > 1 && v <= 5 ? null : "rc must be finite, in (1, 5]"),
    },
  ],
  create(params) {
    const rc = params.rc!;
    const xc = rc * PSS_XMIN;
    const k = pssCoefficients(rc);
    const outer: PowerTerm[] = [
      { coef: k.a, power: -12 },
      { coef: -k.b, power: -6 },
      { coef: k.c0, power: 0 },
      { coef: k.c2, power: 2 },
      { coef: k.c4, power: 4 },
      { coef: k.c6, power: 6 },
    ];
    return {
      name: "pss",
      params: { rc },
      reduced: powerPotential(
        [
          { below: PSS_XMIN, terms: LJ },
          { below: xc, terms: outer },
        ],
        xc,
      ),
      scales: binaryScales(),
      species: BINARY_SPECIES,
      composition: BINARY_COMPOSITION,
      // SPEC §1.2: the CSS ensembles and the annealing study use ρ = 0.60 (3D papers; same in 2D/4D).
      defaultDensity: () => 0.6,
    };
  },
};
