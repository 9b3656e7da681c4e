/**
 * Fast, controlled sampler of the lattice model (SPEC §8, seed 004 Eqs. 8–10).
 *
 * κ = a/b with a = Σ_j w_j x_j, b = Σ_j w_j x_j², x_j = ω_j⁻² = U_j^(−2/5), w_centre = 1,
 * w_j = r_ij^(−2d). Brute force costs L^d ≈ 10⁴ draws per sample; here the sites are split in three
 * groups, only the last of which is approximated:
 *
 * 1. NEAR sites (weight w > nearWeight, plus the centre): every x_j drawn exactly (~100 sites).
 * 2. FAR sites that are RARE, ω_j < ω* (probability p = ω*⁵ each, independently): found exactly
 *    by geometric skipping over the far sites (gap G = ⌊ln V / ln(1−p)⌋ ⇒ i.i.d. Bernoulli(p)
 *    flags), their x_j drawn exactly from the conditional law U_j ~ Uniform(0, p]. These carry the
 *    heavy tail of x² (P(x² > t) = t^(−5/4), infinite variance), i.e. everything non-Gaussian
 *    that matters for b.
 * 3. FAR, NOT RARE sites: x_j ∈ [1, ω*⁻²] is bounded, the sum S = Σ w_j (x_j, x_j²) over them has
 *    weights ≤ nearWeight spread over thousands of sites, and is replaced by a bivariate Gaussian
 *    with its EXACT conditional mean W·(E[x], E[x²]) and covariance W₂·Cov(x, x²) given the rare
 *    set (W = Σ w_j, W₂ = Σ w_j² over the non-rare far sites; moments of U ~ Uniform[p, 1] below).
 *    This is the only approximation; its size is controlled by (nearWeight, ω*) and is checked
 *    against the brute-force sampler (test/lattice/fast.test.ts).
 *
 * Defaults (nearWeight = 8·10⁻⁴, ω* = 0.3): 109 / 147 / 137 exact near sites (2D L = 101 / 3D L = 21
 * / 4D L = 11) and p·(far sites) ≈ 25 / 22 / 35 rare far sites per sample: ~40–80× faster
 * than brute force (bench/lattice.bench.ts). Even nearWeight = 0.05 (Gaussian for all sites with r² ≥ 5 in 2D) is
 * indistinguishable from brute force at 5·10⁴ samples (KS), while nearWeight = 0.3, ω* = 0.15
 * is rejected (test/lattice/fast.test.ts).
 */
import { GlassmechError } from "../core/errors.js";
import { latticeShells } from "./geometry.js";
import { drawX, X_EXPONENT, type KappaSampler } from "./sampler.js";
import { streamUniform } from "./stream.js";

export interface FastSamplerOptions {
  /** Sites with weight r^(−2d) > nearWeight are drawn exactly (default 8e-4). */
  nearWeight?: number;
  /** Far sites with ω < omegaStar are drawn exactly, the rest is Gaussian (default 0.3). */
  omegaStar?: number;
}

export const DEFAULT_NEAR_WEIGHT = 8e-4;
export const DEFAULT_OMEGA_STAR = 0.3;

/**
 * Moments of x = U^(−2/5) for U ~ Uniform[p, 1] (ω ≥ ω*, p = ω*⁵): E[x^k] = E[U^(−2k/5)] =
 * (1 − p^(1−2k/5)) / ((1 − 2k/5)(1 − p)), k = 1…4 (the k = 3, 4 cases have 1 − 2k/5 < 0, same formula).
 */
export function boundedMoments(p: number): { m1: number; m2: number; m3: number; m4: number } {
  const q = 1 - p;
  const mk = (k: number): number => {
    const e = 1 - (2 * k) / 5;
    return (1 - Math.pow(p, e)) / (e * q);
  };
  return { m1: mk(1), m2: mk(2), m3: mk(3), m4: mk(4) };
}

export class FastLatticeSampler implements KappaSampler {
  readonly method = "fast" as const;
  readonly nearWeight: number;
  readonly omegaStar: number;
  /** Number of exactly drawn near sites, centre included. */
  readonly nearSites: number;
  /** Number of far sites (rare ones exact, the others Gaussian). */
  readonly farSites: number;
  private readonly nearShellW: Float64Array;
  private readonly nearShellCount: Int32Array;
  private readonly farW: Float64Array;
  private readonly farWSum: number;
  private readonly farW2Sum: number;
  private readonly p: number;
  private readonly logSkip: number;
  private readonly mu1: number;
  private readonly mu2: number;
  private readonly c11: number;
  private readonly c21: number;
  private readonly c22: number;

  constructor(
    readonly d: number,
    readonly L: number,
    options: FastSamplerOptions = {},
  ) {
    const nearWeight = options.nearWeight ?? DEFAULT_NEAR_WEIGHT;
    const omegaStar = options.omegaStar ?? DEFAULT_OMEGA_STAR;
    if (!(nearWeight > 0 && nearWeight < 1)) throw new GlassmechError(`lattice fast sampler: nearWeight must be in (0, 1), got ${nearWeight}`);
    if (!(omegaStar > 0 && omegaStar < 1)) throw new GlassmechError(`lattice fast sampler: omegaStar must be in (0, 1), got ${omegaStar}`);
    this.nearWeight = nearWeight;
    this.omegaStar = omegaStar;
    const sh = latticeShells(d, L);
    let nNearShells = 0;
    while (nNearShells < sh.weight.length && sh.weight[nNearShells]! > nearWeight) nNearShells++;
    // Near shells: the centre (weight 1, one site) first, then the shells with w > nearWeight.
    this.nearShellW = new Float64Array(nNearShells + 1);
    this.nearShellCount = new Int32Array(nNearShells + 1);
    this.nearShellW[0] = 1;
    this.nearShellCount[0] = 1;
    let nearSites = 1;
    for (let k = 0; k < nNearShells; k++) {
      this.nearShellW[k + 1] = sh.weight[k]!;
      this.nearShellCount[k + 1] = sh.count[k]!;
      nearSites += sh.count[k]!;
    }
    this.nearSites = nearSites;
    this.farSites = sh.sites + 1 - nearSites;
    this.farW = new Float64Array(this.farSites);
    let f = 0;
    let wSum = 0;
    let w2Sum = 0;
    for (let k = nNearShells; k < sh.weight.length; k++) {
      const w = sh.weight[k]!;
      for (let c = 0; c < sh.count[k]!; c++) this.farW[f++] = w;
      wSum += w * sh.count[k]!;
      w2Sum += w * w * sh.count[k]!;
    }
    this.farWSum = wSum;
    this.farW2Sum = w2Sum;
    this.p = Math.pow(omegaStar, 5); // P(ω < ω*) for p(ω) = 5ω⁴
    this.logSkip = Math.log1p(-this.p);
    const m = boundedMoments(this.p);
    this.mu1 = m.m1;
    this.mu2 = m.m2;
    // Cholesky factor of Cov(x, x²) for one bounded site.
    const vxx = m.m2 - m.m1 * m.m1;
    const vxy = m.m3 - m.m1 * m.m2;
    const vyy = m.m4 - m.m2 * m.m2;
    this.c11 = Math.sqrt(vxx);
    this.c21 = vxy / this.c11;
    this.c22 = Math.sqrt(Math.max(0, vyy - this.c21 * this.c21));
  }

  sample(st: Int32Array, out: Float64Array, offset: number, n: number): void {
    const nearW = this.nearShellW;
    const nearC = this.nearShellCount;
    const nShells = nearW.length;
    const farW = this.farW;
    const nFar = farW.length;
    const p = this.p;
    const logSkip = this.logSkip;
    for (let s = 0; s < n; s++) {
      let a = 0;
      let b = 0;
      // 1. Near region, exact (seed 004 Eqs. 11–12, shell by shell).
      for (let k = 0; k < nShells; k++) {
        let sa = 0;
        let sb = 0;
        const c = nearC[k]!;
        for (let j = 0; j < c; j++) {
          const x = drawX(st);
          sa += x;
          sb += x * x;
        }
        a += nearW[k]! * sa;
        b += nearW[k]! * sb;
      }
      if (nFar > 0) {
        // 2. Rare far sites (U < p), by geometric skipping; x from U ~ Uniform(0, p].
        let wr = 0;
        let w2r = 0;
        let j = -1;
        for (;;) {
          j += 1 + Math.floor(Math.log(1 - streamUniform(st)) / logSkip);
          if (j >= nFar) break;
          const x = Math.exp(X_EXPONENT * Math.log(p * (1 - streamUniform(st))));
          const w = farW[j]!;
          a += w * x;
          b += w * x * x;
          wr += w;
          w2r += w * w;
        }
        // 3. The bounded rest: exact conditional mean + Gaussian with exact covariance.
        const wb = this.farWSum - wr;
        const sig = Math.sqrt(Math.max(0, this.farW2Sum - w2r));
        // Box–Muller: two independent standard normals from two uniforms.
        const r = Math.sqrt(-2 * Math.log(1 - streamUniform(st)));
        const th = 2 * Math.PI * streamUniform(st);
        const z1 = r * Math.cos(th);
        const z2 = r * Math.sin(th);
        a += this.mu1 * wb + sig * this.c11 * z1;
        b += this.mu2 * wb + sig * (this.c21 * z1 + this.c22 * z2);
      }
      out[offset + s] = a / b;
    }
  }
}
