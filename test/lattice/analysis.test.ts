import { test } from "node:test";
import assert from "node:assert/strict";
import { GlassmechError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { analyzeKappas, fitEta } from "../../src/lattice/analysis.js";
import { logBinnedHistogram } from "../../src/statistics/histogram.js";
import { fitLine } from "../../src/statistics/lineFit.js";
import { countAtMost, kolmogorovQ, ksTwoSample, quantileSorted } from "../../src/lattice/quantiles.js";

/** n samples of p(κ) = (η+1) κ^η on (0, 1]: κ = U^(1/(η+1)). */
function powerLawSample(rng: Rng, n: number, eta: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.pow(1 - rng.uniform(), 1 / (eta + 1));
  return out;
}

test("quantiles (type 7), counts and the KS statistic on hand-checked data", () => {
  const x = [1, 2, 3, 4];
  assert.equal(quantileSorted(x, 0.5), 2.5);
  assert.equal(quantileSorted(x, 0.25), 1.75);
  assert.equal(quantileSorted(x, 0), 1);
  assert.equal(quantileSorted(x, 1), 4);
  assert.equal(countAtMost(x, 2), 2);
  assert.equal(countAtMost(x, 0.5), 0);
  assert.throws(() => quantileSorted([], 0.5), GlassmechError);
  assert.throws(() => quantileSorted(x, 1.5), GlassmechError);
  // F_a jumps at 1, 2, 3 (thirds); F_b at 1.5, 2.5, 3.5, 4.5 (quarters): largest gap 2/3 − 1/4 at x = 2… ,
  // 1 − 1/2 = 1/2 at x = 3 and 1/3 at x = 1: D = 1/2.
  assert.ok(Math.abs(ksTwoSample([1, 2, 3], [1.5, 2.5, 3.5, 4.5]).D - 0.5) < 1e-15);
  assert.ok(Math.abs(kolmogorovQ(1.3581) - 0.05) < 1e-3); // the classical 5 % critical value
  assert.equal(kolmogorovQ(0.1), 1);
});

test("KS p-value: same law accepted, a 2 % scale change rejected (n = 2·10⁴)", () => {
  const rng = Rng.fromSeed(21);
  const a = powerLawSample(rng, 20000, 1).sort();
  const b = powerLawSample(rng, 20000, 1).sort();
  assert.ok(ksTwoSample(a, b).pValue > 0.01);
  const c = powerLawSample(rng, 20000, 1).map((v) => v * 0.98).sort();
  assert.ok(ksTwoSample(a, c).pValue < 1e-3);
});

test("log histogram: decade-aligned bins, counts add up, density integrates to 1", () => {
  const rng = Rng.fromSeed(2);
  const s = powerLawSample(rng, 10000, 0.5).sort();
  const h = logBinnedHistogram(s, { binsPerDecade: 5 });
  assert.equal(h.counts.reduce((t, v) => t + v, 0), 10000);
  let integral = 0;
  for (let k = 0; k < h.counts.length; k++) {
    integral += h.density[k]! * (h.edges[k + 1]! - h.edges[k]!);
    assert.ok(Math.abs(Math.log10(h.edges[k]!) * 5 - Math.round(Math.log10(h.edges[k]!) * 5)) < 1e-9);
  }
  assert.ok(Math.abs(integral - 1) < 1e-12);
  assert.ok(h.edges[0]! <= s[0]! && h.edges[h.edges.length - 1]! > s[s.length - 1]!);
  // Exact edge values land in the bin they open.
  const e = logBinnedHistogram([0.1, 0.1, 1], { binsPerDecade: 10 });
  assert.equal(e.counts[0], 2);
  assert.equal(e.counts[e.counts.length - 1], 1);
  assert.throws(() => analyzeKappas(Float64Array.of(0, 1)), GlassmechError);
});

test("weighted line fit: exact data, and the textbook standard error", () => {
  const f = fitLine([0, 1, 2, 3], [1, 3, 5, 7], [1, 1, 1, 1]);
  assert.ok(Math.abs(f.slope - 2) < 1e-14 && Math.abs(f.intercept - 1) < 1e-14);
  // Unit weights, x = 0…3: var(slope) = 1 / Σ(x − x̄)² = 1/5 (χ²/dof = 0 < 1 is not used to shrink it).
  assert.ok(Math.abs(f.slopeStderr - Math.sqrt(1 / 5)) < 1e-14);
  assert.throws(() => fitLine([1, 1], [1, 2], [1, 1]), GlassmechError);
});

test("eta fit recovers a known power law, and its standard error is honest (20 seeds)", () => {
  const eta = 0.8;
  const z: number[] = [];
  for (let seed = 0; seed < 20; seed++) {
    const s = powerLawSample(Rng.fromSeed(1000 + seed), 100000, eta).sort();
    const { fit } = fitEta(logBinnedHistogram(s, { binsPerDecade: 10 }), { fitMax: 0.1 });
    assert.ok(fit !== null);
    assert.ok(Math.abs(fit.fitMax - 0.1) < 1e-12 && fit.fitMin < 0.02, `range ${fit.fitMin}…${fit.fitMax}`);
    z.push((fit.eta - eta) / fit.etaStderr);
    if (seed === 0) {
      // p(κ) = 1.8 κ^0.8: the prefactor is corrected for averaging over log bins.
      assert.ok(Math.abs(fit.prefactor - 1.8) < 4 * fit.prefactorStderr, `A = ${fit.prefactor} ± ${fit.prefactorStderr}`);
    }
  }
  const mean = z.reduce((t, v) => t + v, 0) / z.length;
  const rms = Math.sqrt(z.reduce((t, v) => t + v * v, 0) / z.length);
  assert.ok(Math.abs(mean) < 0.8, `bias: mean z = ${mean}`);
  assert.ok(rms > 0.5 && rms < 1.6, `stderr miscalibrated: rms z = ${rms}`);
});

test("analyzeKappas: quantile keys, explicit fit range, and no η from a tiny sample", () => {
  const k = powerLawSample(Rng.fromSeed(3), 50000, 1);
  const a = analyzeKappas(k, { fitMin: 0.01, fitMax: 0.1 });
  assert.deepEqual(Object.keys(a.quantiles), ["0.001", "0.01", "0.05", "0.25", "0.5", "0.75", "0.95"]);
  assert.ok(Math.abs(a.quantiles["0.5"]! - Math.SQRT1_2) < 0.01); // F(κ) = κ², median 1/√2
  assert.ok(a.eta !== null && Math.abs(a.eta.fitMin - 0.01) < 1e-12 && Math.abs(a.eta.eta - 1) < 4 * a.eta.etaStderr);
  assert.ok(Math.abs(a.mean - 2 / 3) < 0.01);
  const tiny = analyzeKappas(Float64Array.of(0.05, 0.07, 0.2, 0.5, 0.9));
  assert.equal(tiny.eta, null);
  assert.match(tiny.etaProblem ?? "", /more samples/);
  assert.match(analyzeKappas(Float64Array.of(0.5, 0.6)).etaProblem ?? "", /no bin lies below/);
  assert.throws(() => fitEta(tiny.histogram, { fitMin: 0.2, fitMax: 0.1 }), GlassmechError);
});

test("local slopes of p(κ): flat at η for an exact power law, and they see a bend that one η fit hides", () => {
  const rng = Rng.fromSeed(33);
  const a = analyzeKappas(powerLawSample(rng, 400_000, 0.8));
  const low = a.localSlopes.filter((l) => l.kappa < 0.5);
  assert.ok(low.length >= 10, `${low.length} windows`);
  for (const l of low) assert.ok(Math.abs(l.slope - 0.8) < 4 * l.stdError + 0.02, `slope ${l.slope} ± ${l.stdError} at κ = ${l.kappa}`);
  // a mixture: slope 2 below κ = 0.05, slope 0.5 above (density continuous at the joint)
  const mix = new Float64Array(400_000);
  for (let i = 0; i < mix.length; i++) {
    const u = rng.uniform();
    mix[i] = u < 0.02 ? 0.05 * Math.pow(rng.uniform(), 1 / 3) : Math.pow(rng.uniform() * (1 - Math.pow(0.05, 1.5)) + Math.pow(0.05, 1.5), 1 / 1.5);
  }
  const m = analyzeKappas(mix, { fitMax: 1 });
  const below = m.localSlopes.filter((l) => l.kappa < 0.03 && l.stdError < 0.3);
  const above = m.localSlopes.filter((l) => l.kappa > 0.1 && l.kappa < 0.8);
  assert.ok(below.length > 0 && above.length > 0);
  for (const l of below) assert.ok(Math.abs(l.slope - 2) < 4 * l.stdError + 0.05, `below: ${l.slope} ± ${l.stdError}`);
  for (const l of above) assert.ok(Math.abs(l.slope - 0.5) < 4 * l.stdError + 0.05, `above: ${l.slope} ± ${l.stdError}`);
});
