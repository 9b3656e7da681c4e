/**
 * The fast sampler (default settings) against brute force at the paper's lattice sizes
 * (2D L = 101, 3D L = 21, 4D L = 11; ~10⁴ sites per brute-force sample, so only 1500 of them):
 * two-sample KS and quantiles. The sharper, small-lattice comparison is in fast.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sampleKappas } from "../../src/lattice/pool.js";
import { countAtMost, ksTwoSample, quantileSorted } from "../../src/lattice/quantiles.js";

const N_EXACT = 1500;
const N_FAST = 30000;

for (const d of [2, 3, 4]) {
  test(`d = ${d}, paper L: fast sampler ≈ brute force (KS, quantiles)`, async () => {
    const exact = (await sampleKappas({ d, exact: true, samples: N_EXACT, seed: 7, chunkSize: 750 }, { threads: 2 })).sort();
    const fast = (await sampleKappas({ d, samples: N_FAST, seed: 8 }, { threads: 2 })).sort();
    const ks = ksTwoSample(exact, fast);
    assert.ok(ks.pValue > 0.01, `KS: D = ${ks.D}, p = ${ks.pValue}`);
    for (const q of [0.05, 0.25, 0.5, 0.75, 0.95]) {
      const xq = quantileSorted(fast, q);
      const F = countAtMost(exact, xq) / N_EXACT;
      const se = Math.sqrt(q * (1 - q) * (1 / N_EXACT + 1 / N_FAST));
      assert.ok(Math.abs(F - q) < 4 * se, `q = ${q}: F_exact(${xq}) = ${F}`);
    }
  });
}
