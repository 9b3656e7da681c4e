/**
 * The common shape of κ samplers for the lattice model (SPEC §8) and the one per-site draw.
 *
 * Per-site variables (seed 004 §III C): ω ~ p(ω) = 5ω⁴ on [0, 1], i.e. ω = U^(1/5) with U uniform;
 * the model only needs x = ω⁻² = U^(−2/5) (and ω⁻⁴ = x²). U is drawn as 1 − uniform() ∈ (0, 1]
 * so that x is always finite (x ≤ 2^(53·2/5) ≈ 2.4·10⁶).
 */
import { streamUniform } from "./stream.js";

export interface KappaSampler {
  readonly d: number;
  readonly L: number;
  /** "exact" (brute force over all L^d sites) or "fast" (controlled approximation, see fast.ts). */
  readonly method: "exact" | "fast";
  /**
   * Writes n independent κ samples (one lattice each) into out[offset … offset+n), drawing only
   * from the generator state `st` (see stream.ts: `streamFromRng(Rng.forSample(seed, chunk))`),
   * which it advances. Allocates nothing.
   */
  sample(st: Int32Array, out: Float64Array, offset: number, n: number): void;
}

/**
 * x = ω⁻² for a fresh site: U = 1 − uniform ∈ (0, 1], x = U^(−2/5) = exp(−0.4 ln U)
 * (exp∘log is ~2× faster than Math.pow here and agrees to a few ulps).
 */
export function drawX(st: Int32Array): number {
  return Math.exp(X_EXPONENT * Math.log(1 - streamUniform(st)));
}

/** −2/5: x = ω⁻² = U^(−2/5) for ω = U^(1/5) (p(ω) = 5ω⁴, seed 004 §III C). */
export const X_EXPONENT = -0.4;
