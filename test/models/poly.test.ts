import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { createModel } from "../../src/models/index.js";
import { polyPairLambda, polySizeCdf, polySizeRange } from "../../src/models/poly.js";

/** Kolmogorov–Smirnov statistic sup |F_n − F| of a sample against a CDF. */
function ksStatistic(sample: Float64Array, cdf: (x: number) => number): number {
  const s = Float64Array.from(sample).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]!);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return d;
}

const N = 20000;
// KS critical value at α = 0.001: 1.95/√n.
const KS_CRIT = 1.95 / Math.sqrt(N);

test("POLY size range: λ_min/λ_max = 0.45 and mean 1 of p(λ) ∝ λ^−3", () => {
  const { min, max } = polySizeRange(0.45);
  assert.ok(Math.abs(min / max - 0.45) < 1e-15);
  // Mean by the closed form ∫λ p dλ with p = C λ^−3, C = 2/(min^−2 − max^−2).
  const C = 2 / (min ** -2 - max ** -2);
  assert.ok(Math.abs(C * (1 / min - 1 / max) - 1) < 1e-14);
  assert.ok(Math.abs(polySizeCdf(min, 0.45)) < 1e-15 && Math.abs(polySizeCdf(max, 0.45) - 1) < 1e-15);
});

test("POLY sampleSizes: fixed seed, range, mean 1 within sampling error, λ^−3 shape (KS)", () => {
  const m = createModel({ name: "poly", params: {} });
  assert.ok(m.sampleSizes !== undefined);
  const rng = Rng.fromSeed(20240611);
  const sizes = m.sampleSizes(N, () => rng.uniform());
  const again = Rng.fromSeed(20240611);
  assert.deepEqual(m.sampleSizes(N, () => again.uniform()), sizes);

  const { min, max } = polySizeRange(0.45);
  let mean = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of sizes) {
    mean += l / N;
    lo = Math.min(lo, l);
    hi = Math.max(hi, l);
  }
  assert.ok(lo >= min && hi <= max, `sizes in [${lo}, ${hi}] outside [${min}, ${max}]`);
  assert.ok(lo < min * 1.01 && hi > max * 0.98, "the sample spans the range");
  // Var λ = ⟨λ²⟩ − 1 with ⟨λ²⟩ = C ln(max/min).
  const C = 2 / (min ** -2 - max ** -2);
  const sd = Math.sqrt(C * Math.log(max / min) - 1);
  assert.ok(Math.abs(mean - 1) < (4 * sd) / Math.sqrt(N), `mean ${mean}, σ/√N = ${sd / Math.sqrt(N)}`);

  const d = ksStatistic(sizes, (x) => polySizeCdf(x, 0.45));
  assert.ok(d < KS_CRIT, `KS distance ${d} ≥ ${KS_CRIT}`);
  // The check has power: the same sample against p ∝ λ^−2 on the same range is rejected.
  const wrong = (x: number) => (1 / min - 1 / x) / (1 / min - 1 / max);
  assert.ok(ksStatistic(sizes, (x) => Math.min(1, Math.max(0, wrong(x)))) > 5 * KS_CRIT);
});

test("POLY pair length λ_ij = ½(λ_i + λ_j)(1 − n_a|λ_i − λ_j|)", () => {
  assert.equal(polyPairLambda(1, 1, 0.2), 1);
  assert.ok(Math.abs(polyPairLambda(0.8, 1.4, 0.2) - 1.1 * (1 - 0.2 * 0.6)) < 1e-15);
});

test("POLY with ratio = 1 is monodisperse", () => {
  const m = createModel({ name: "poly", params: { ratio: 1 } });
  const rng = Rng.fromSeed(1);
  for (const l of m.sampleSizes!(100, () => rng.uniform())) assert.equal(l, 1);
});
