/**
 * The fast sampler against brute force on small lattices, where brute force is cheap enough for
 * 10⁴ samples: with an approximation ~60× more aggressive than the default (nearWeight 0.05 instead
 * of 8e-4) the κ distributions are still indistinguishable (KS), while a deliberately bad setting
 * (Gaussian for everything beyond the nearest shells) is rejected — the comparison has power.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sampleKappasSync } from "../../src/lattice/chunks.js";
import { countAtMost, ksTwoSample, quantileSorted } from "../../src/lattice/quantiles.js";

const CASES = [
  { d: 2, L: 21 },
  { d: 3, L: 9 },
  { d: 4, L: 5 },
] as const;
const N_EXACT = 10000;
const N_FAST = 50000;

for (const { d, L } of CASES) {
  test(`d = ${d}, L = ${L}: fast sampler ≈ brute force (KS, quantiles); a bad approximation is rejected`, () => {
    const exact = sampleKappasSync({ d, L, exact: true, samples: N_EXACT, seed: 101 }).sort();
    const fast = sampleKappasSync({ d, L, nearWeight: 0.05, omegaStar: 0.3, samples: N_FAST, seed: 202 }).sort();
    const ks = ksTwoSample(exact, fast);
    assert.ok(ks.pValue > 0.01, `KS: D = ${ks.D}, p = ${ks.pValue}`);
    // Quantiles: the brute-force empirical CDF at the fast sample's quantile must be q within
    // 4 binomial standard errors (both samples' noise).
    for (const q of [0.01, 0.05, 0.25, 0.5, 0.75, 0.95]) {
      const xq = quantileSorted(fast, q);
      const F = countAtMost(exact, xq) / N_EXACT;
      const se = Math.sqrt(q * (1 - q) * (1 / N_EXACT + 1 / N_FAST));
      assert.ok(Math.abs(F - q) < 4 * se, `q = ${q}: F_exact(${xq}) = ${F}`);
    }
    const bad = sampleKappasSync({ d, L, nearWeight: 0.3, omegaStar: 0.15, samples: N_FAST, seed: 202 }).sort();
    const ksBad = ksTwoSample(exact, bad);
    assert.ok(ksBad.pValue < 1e-6, `bad approximation not detected: D = ${ksBad.D}, p = ${ksBad.pValue}`);
  });
}
