import type { ModelDefinition, ReducedPotential } from "./types.js";
import { BINARY_COMPOSITION, BINARY_SPECIES, binaryScales } from "./binary.js";
import { compileKernel } from "./powerKernel.js";

/**
 * HRZ — Hertzian spheres (SPEC §1.6), binary 50:50 with the λ_ij of §1.1:
 *   f = (1/2.5)(1 − x)^(5/2) for x < 1, zero beyond.
 * With s = 1 − x: f' = −s^(3/2), f'' = (3/2) s^(1/2), f''' = −(3/4) s^(−1/2), f'''' = −(3/8) s^(−3/2).
 * f, f' and f'' vanish at x_c = 1 by themselves (no smoothing); f''' diverges there, so quartic
 * contractions (SPEC §6.4) of pairs right at contact are ill-conditioned by nature.
 */

// The kernel is written once, as source: eval2 and eval4 are compiled from it (as powerKernel.ts
// does for the power models), so eval2Source is eval2 by construction and eval4's f, f', f'' are
// the very same expressions.
const EVAL2_SOURCE = [
  "const s = 1 - x;",
  "const r = Math.sqrt(s);",
  "out[0] = 0.4 * s * s * r;",
  "out[1] = -(s * r);",
  "out[2] = 1.5 * r;",
].join("\n");

const EVAL4_SOURCE = [EVAL2_SOURCE, "out[3] = -0.75 / r;", "out[4] = -0.375 / (s * r);"].join("\n");

const hertz: ReducedPotential = {
  xc: 1,
  eval2: compileKernel(EVAL2_SOURCE),
  eval4: compileKernel(EVAL4_SOURCE),
  eval2Source: EVAL2_SOURCE,
};

export const hrz: ModelDefinition = {
  name: "hrz",
  description: "Hertzian soft spheres (1-x)^(5/2)/2.5, binary 50:50",
  parameters: [],
  create() {
    return {
      name: "hrz",
      params: {},
      reduced: hertz,
      scales: binaryScales(),
      species: BINARY_SPECIES,
      composition: BINARY_COMPOSITION,
      // Not given in the seeds: the IPL densities (SPEC §1.3), packing fractions ≈ 1.0 (2D) and
      // 0.80 (3D), well above jamming (≈ 0.84 and 0.64), so Hertzian glasses are rigid.
      defaultDensity: (d) => (d === 2 ? 0.86 : 0.82),
    };
  },
};
