/**
 * Order statistics on a sorted sample (shareable with src/statistics/).
 */
import { GlassmechError } from "../core/errors.js";

/**
 * Quantile q ∈ [0, 1] of an ascending sample by linear interpolation between order statistics
 * (Hyndman & Fan type 7, the default of R and numpy): h = (n − 1) q, x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new GlassmechError("quantile of an empty sample");
  if (!(q >= 0 && q <= 1)) throw new GlassmechError(`quantile level must be in [0, 1], got ${q}`);
  const h = (n - 1) * q;
  const i = Math.floor(h);
  if (i >= n - 1) return sorted[n - 1]!;
  return sorted[i]! + (h - i) * (sorted[i + 1]! - sorted[i]!);
}

/** Number of entries ≤ x in an ascending sample (binary search), i.e. n·F̂(x). */
export function countAtMost(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Two-sample Kolmogorov–Smirnov test on ascending samples: D = sup_x |F̂₁(x) − F̂₂(x)| and the
 * asymptotic p-value Q_KS(λ), λ = (√nₑ + 0.12 + 0.11/√nₑ) D, nₑ = n₁n₂/(n₁+n₂),
 * Q_KS(λ) = 2 Σ_{k≥1} (−1)^(k−1) exp(−2k²λ²) (Stephens' small-sample correction, Numerical Recipes §14.3).
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): { D: number; pValue: number } {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new GlassmechError("KS test needs two non-empty samples");
  let i = 0;
  let j = 0;
  let D = 0;
  while (i < n1 && j < n2) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < n1 && a[i]! <= x) i++;
    while (j < n2 && b[j]! <= x) j++;
    const diff = Math.abs(i / n1 - j / n2);
    if (diff > D) D = diff;
  }
  const ne = Math.sqrt((n1 * n2) / (n1 + n2));
  const lambda = (ne + 0.12 + 0.11 / ne) * D;
  return { D, pValue: kolmogorovQ(lambda) };
}

/** Q_KS(λ) = 2 Σ (−1)^(k−1) exp(−2k²λ²), clipped to [0, 1]. */
export function kolmogorovQ(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  let sign = 1;
  for (let k = 1; k <= 100; k++) {
    const term = sign * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12 * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
