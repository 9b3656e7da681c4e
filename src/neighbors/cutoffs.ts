import { GlassmechError } from "../core/errors.js";
import { largestCombinedLambda } from "../models/combiningRule.js";

/**
 * Per-pair cutoff radii for neighbor searches (SPEC §1: φ_ij ≡ 0 for r ≥ x_c·λ_ij).
 *
 * Two shapes, matching the models' PairScales:
 * - "types": a symmetric ntypes×ntypes table of cutoff radii (x_c·λ_ab), looked up by the
 *   particles' types;
 * - "sizes": per-particle sizes λ_i with the POLY combining rule of models/combiningRule.ts
 *   (SPEC §1.4), cutoff x_c·λ_ij.
 *
 * `swapSafe` makes the neighbor list filter every pair with the largest cutoff any pair could
 * have, so that swapping types or sizes between particles (swap Monte Carlo, SPEC §3.3) never
 * invalidates a list built before the swap. Otherwise pairs are filtered with their exact cutoff.
 */
export type PairCutoffs =
  | {
      readonly kind: "types";
      readonly ntypes: number;
      /** Cutoff radius per type pair, row-major ntypes×ntypes, symmetric. */
      readonly radius: Float64Array;
      readonly swapSafe?: boolean;
    }
  | {
      readonly kind: "sizes";
      /** Reduced cutoff x_c. */
      readonly xc: number;
      /** Non-additivity n_a of the combining rule. */
      readonly nonadditivity: number;
      readonly swapSafe?: boolean;
    };

/** The POLY rule's λ_ij and its bound over a size range, under the names the neighbor tests use. */
export { combinedLambda as combinedSize, largestCombinedLambda as largestCombinedSize } from "../models/combiningRule.js";

/** The largest cutoff radius any pair can have, given the current per-particle data. */
export function largestCutoff(c: PairCutoffs, sizes: Float64Array | null): number {
  if (c.kind === "types") {
    let m = 0;
    for (let k = 0; k < c.radius.length; k++) m = Math.max(m, c.radius[k]);
    if (!(m > 0) || !Number.isFinite(m)) throw new GlassmechError(`pair cutoff table must be positive and finite, got max ${m}`);
    return m;
  }
  if (sizes === null) throw new GlassmechError("per-particle sizes are required for a size-based cutoff (POLY)");
  let lmin = Infinity;
  let lmax = 0;
  for (let i = 0; i < sizes.length; i++) {
    lmin = Math.min(lmin, sizes[i]);
    lmax = Math.max(lmax, sizes[i]);
  }
  const m = c.xc * largestCombinedLambda(lmin, lmax, c.nonadditivity);
  if (!(m > 0) || !Number.isFinite(m)) throw new GlassmechError(`size-based cutoff must be positive and finite, got ${m}`);
  return m;
}
