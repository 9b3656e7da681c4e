import type { ModelDefinition } from "./types.js";
import { BINARY_COMPOSITION, BINARY_SPECIES, binaryScales } from "./binary.js";
import { powerPotential } from "./powerKernel.js";
import { smoothAtCutoff } from "./smoothing.js";

/**
 * IPL — binary inverse-power-law soft spheres (SPEC §1.3, seed 004 §II), 2D/3D/4D:
 *   f = x^−10 + c0 + c2 x² + c4 x⁴ for x < x_c (default 1.48), c's from f = f' = f'' = 0 at x_c.
 */
export const ipl: ModelDefinition = {
  name: "ipl",
  description: "binary 50:50 inverse-power-law (x^-10) soft spheres, smoothed at xc",
  parameters: [
    {
      name: "xc",
      default: 1.48,
      description: "reduced cutoff x_c = r_c/λ_ij",
      validate: (v) => (v > 0 && v <= 10 ? null : "xc must be finite, in (0, 10]"),
    },
  ],
  create(params) {
    const xc = params.xc!;
    return {
      name: "ipl",
      params: { xc },
      reduced: powerPotential([{ below: xc, terms: smoothAtCutoff([{ coef: 1, power: -10 }], xc) }], xc),
      scales: binaryScales(),
      species: BINARY_SPECIES,
      composition: BINARY_COMPOSITION,
      // SPEC §1.3: 0.86 in 2D, 0.82 in 3D and 4D.
      defaultDensity: (d) => (d === 2 ? 0.86 : 0.82),
    };
  },
};
