import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { logBinnedHistogram } from "../../src/statistics/histogram.js";
import { fitPowerLaw, lowTailExponent, truncatedPowerLawMle } from "../../src/statistics/powerLaw.js";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

/**
 * κ samples with p(κ) = w (η+1) κ^η exactly on (0, 1) (inverse CDF κ = u^{1/(η+1)}) and the
 * remaining 1 − w of the mass at κ ≥ 1 (1 + exponential): a low-κ power law below a bulk, as in
 * seed 004 Fig. 3.
 */
function kappaSamples(seed: number, n: number, eta: number, w: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform() < w ? Math.pow(1 - rng.uniform(), 1 / (eta + 1)) : 1 - Math.log(1 - rng.uniform());
  return out;
}

test("logBinnedHistogram: decade-aligned edges, exact bins, density normalized over all values", () => {
  const h = logBinnedHistogram([0.001, 0.01, 0.02, 0.5, 1, 0], { binsPerDecade: 1 });
  assert.deepEqual(h.edges.map((e) => +e.toPrecision(12)), [0.001, 0.01, 0.1, 1]);
  assert.deepEqual(h.counts, [1, 2, 2]); // 1 sits on the top edge → last bin; 0 is outside
  assert.equal(h.outside, 1);
  assert.equal(h.total, 6);
  let integral = 0;
  for (let k = 0; k < h.counts.length; k++) integral += h.density[k] * (h.edges[k + 1] - h.edges[k]);
  close(integral, 5 / 6, 1e-12, "Σ density·width = in-range fraction");
  const g = logBinnedHistogram([2, 3, 50], { min: 1, max: 100, binsPerDecade: 2 });
  assert.equal(g.edges.length, 5);
  close(g.edges[4], 100, 0, "explicit max edge");
  assert.deepEqual(g.counts, [2, 0, 0, 1]); // 2 and 3 < √10
});

test("fitPowerLaw recovers a planted exponent from samples (tolerance ∝ 1/√n)", () => {
  for (const [seed, n] of [[1, 20000], [2, 200000]] as const) {
    const eta = 0.8;
    const k = kappaSamples(seed, n, eta, 1);
    const h = logBinnedHistogram(k, { binsPerDecade: 5, min: 1e-2, max: 1 });
    const f = fitPowerLaw(h.centers, h.density, { counts: h.counts, edges: h.edges });
    const tol = 30 / Math.sqrt(n); // ≈ 4σ: σ(η) ≈ 7/√n for 2 decades at 5 bins/decade
    assert.ok(Math.abs(f.exponent - eta) < tol, `n = ${n}: η = ${f.exponent} ± ${f.stdError} (tol ${tol})`);
    assert.ok(Math.abs(f.exponent - eta) < 4 * f.stdError, `within 4σ: ${f.exponent} ± ${f.stdError}`);
    // With the bin-average model the prefactor is unbiased: p(κ) = (η+1) κ^η → A = 1.8.
    assert.ok(Math.abs(Math.log(f.prefactor / 1.8)) < 4 * f.prefactorRelError + 1e-3, `A = ${f.prefactor}`);
  }
});

test("lowTailExponent finds the low-κ regime below a bulk and recovers η (binned LS and MLE)", () => {
  const eta = 0.8, w = 0.3, n = 200000;
  const k = kappaSamples(7, n, eta, w);
  const r = lowTailExponent(k);
  // The 5 % quantile sits at (0.05/0.3)^{1/1.8} ≈ 0.37, inside the power-law region κ < 1.
  assert.ok(r.range[1] <= 0.37 && r.range[1] > 0.2, `range ${r.range}`);
  assert.ok(r.bins >= 3);
  // σ(η) ≈ 2/√n_range here (measured over seeds: ≈ 0.028 at n_range ≈ 5000): tolerance 4σ.
  const tol = 8 / Math.sqrt(r.nInRange);
  assert.ok(Math.abs(r.eta - eta) < tol, `η = ${r.eta} (tol ${tol})`);
  assert.ok(Math.abs(r.eta - eta) < 4 * r.stdError, `η = ${r.eta} ± ${r.stdError}`);
  assert.ok(Math.abs(r.etaMle - eta) < 4 * r.etaMleStdError, `η_MLE = ${r.etaMle} ± ${r.etaMleStdError}`);
  assert.ok(r.stdError < 0.05 && r.etaMleStdError < 0.05);
  // A_κ of the full (normalized) distribution: w (η + 1) = 0.54.
  assert.ok(Math.abs(r.prefactor / 0.54 - 1) < 0.1, `A_κ = ${r.prefactor}`);
  // A different planted exponent is told apart.
  const r2 = lowTailExponent(kappaSamples(8, n, 1.5, w));
  assert.ok(Math.abs(r2.eta - 1.5) < 4 * r2.stdError && Math.abs(r2.eta - eta) > 0.4);
  // Too few samples: a clear error.
  assert.throws(() => lowTailExponent(kappaSamples(9, 300, eta, w)), /hold ≥ 20 samples/);
});

test("truncated power-law MLE: known exponents, including η = −1 and negative η", () => {
  for (const eta of [-1.5, -1, 0, 0.8, 3]) {
    const rng = Rng.fromSeed(100 + Math.round(eta * 10));
    const a = 0.1, b = 2, e1 = eta + 1, n = 40000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      xs[i] = Math.abs(e1) < 1e-12 ? a * Math.pow(b / a, u) : Math.pow(a ** e1 + u * (b ** e1 - a ** e1), 1 / e1);
    }
    const r = truncatedPowerLawMle(xs, a, b);
    assert.ok(Math.abs(r.eta - eta) < 4 * r.stdError, `η = ${eta}: got ${r.eta} ± ${r.stdError}`);
  }
});
