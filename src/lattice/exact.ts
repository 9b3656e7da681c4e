/**
 * Brute-force lattice model (SPEC §8, seed 004 Eqs. 8–10): every one of the L^d sites gets its own
 * ω_j, and for the central site i
 *   a = Σ_j w_j ω_j⁻²,  b = Σ_j w_j ω_j⁻⁴,  κ = a/b,   w_i = 1, w_j = r_ij^(−2d) (j ≠ i).
 * Cost: L^d draws and powers per sample (≈10⁴), i.e. the reference the fast sampler is checked
 * against (`glassmech lattice --exact`).
 */
import { GlassmechError } from "../core/errors.js";
import { checkLatticeSize } from "./geometry.js";
import { drawX, type KappaSampler } from "./sampler.js";

/**
 * Weight of every site of the open lattice in lattice order (site index s = Σ_k n_k L^k, n_k ∈
 * [0, L)): 1 for the central site, r^(−2d) (r the Euclidean distance to it, lattice units) otherwise.
 */
export function siteWeights(d: number, L: number): Float64Array {
  checkLatticeSize(d, L);
  const c = (L - 1) / 2;
  const total = Math.pow(L, d);
  const w = new Float64Array(total);
  const idx = new Int32Array(d);
  for (let s = 0; s < total; s++) {
    let r2 = 0;
    for (let k = 0; k < d; k++) {
      const v = idx[k]! - c;
      r2 += v * v;
    }
    w[s] = r2 === 0 ? 1 : Math.pow(r2, -d);
    for (let k = 0; k < d; k++) {
      if (++idx[k]! < L) break;
      idx[k] = 0;
    }
  }
  return w;
}

/**
 * κ of the central site for given site values ω (length L^d, lattice order as in siteWeights,
 * each in (0, 1]): direct evaluation of seed 004 Eqs. 8–10.
 * Example: d = 1, L = 3, ω = [1, 0.5, 1] → a = 1 + 4 + 1, b = 1 + 16 + 1, κ = 6/18.
 */
export function latticeKappa(omega: ArrayLike<number>, d: number, L: number): { a: number; b: number; kappa: number } {
  const w = siteWeights(d, L);
  if (omega.length !== w.length) throw new GlassmechError(`latticeKappa: omega has length ${omega.length}, expected L^d = ${w.length}`);
  let a = 0;
  let b = 0;
  for (let s = 0; s < w.length; s++) {
    const om = omega[s]!;
    if (!(om > 0 && om <= 1)) throw new GlassmechError(`latticeKappa: omega[${s}] = ${om} is outside (0, 1]`);
    const x = 1 / (om * om);
    a += w[s]! * x;
    b += w[s]! * x * x;
  }
  return { a, b, kappa: a / b };
}

/** Brute-force sampler: draws one uniform per site in lattice order (site 0 first), see drawX. */
export class ExactLatticeSampler implements KappaSampler {
  readonly method = "exact" as const;
  private readonly w: Float64Array;

  constructor(
    readonly d: number,
    readonly L: number,
  ) {
    this.w = siteWeights(d, L);
  }

  sample(st: Int32Array, out: Float64Array, offset: number, n: number): void {
    const w = this.w;
    const m = w.length;
    for (let k = 0; k < n; k++) {
      let a = 0;
      let b = 0;
      for (let s = 0; s < m; s++) {
        const x = drawX(st); // ω⁻² with ω = U^(1/5)
        const wx = w[s]! * x;
        a += wx;
        b += wx * x;
      }
      out[offset + k] = a / b;
    }
  }
}
