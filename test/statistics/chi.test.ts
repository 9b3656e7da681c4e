import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { chi, chiWithOutlierRemoval } from "../../src/statistics/chi.js";
import { GlassmechError } from "../../src/core/errors.js";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

test("chi: Eq. A8 with the 1/n ensemble variance, and 1/(n−1) on request", () => {
  // x = [1, 2, 3]: ⟨x⟩ = 2, Σ(x − 2)² = 2 → 1/n variance 2/3, 1/(n−1) variance 1.
  close(chi([1, 2, 3], 4), Math.sqrt((4 * 2) / 3) / 2, 1e-15, "ddof 0");
  close(chi([1, 2, 3], 4, 1), Math.sqrt(4 * 1) / 2, 1e-15, "ddof 1");
  assert.throws(() => chi([-1, -2, -3], 4), GlassmechError);
});

test("outlier removal reproduces a hand-computed case step by step", () => {
  const x = [4, 5, 6, 5, 20], N = 1;
  // Step 0, all five: ⟨x⟩ = 8, Σ(x−8)² = 16+9+4+9+144 = 182, var = 36.4, χ = √36.4/8 = 0.754155.
  const chi0 = Math.sqrt(36.4) / 8;
  // Leave-one-out χ^i:
  //   without 20 → [4,5,6,5]: mean 5, var (1+0+1+0)/4 = 0.5, χ = √0.5/5 = 0.141421, δ = 1 − 0.141421/0.754155 = 0.81248
  //   without 4  → [5,6,5,20]: mean 9, var (16+9+16+121)/4 = 40.5, χ = √40.5/9 = 0.707107, δ = 0.0624
  //   without 5  → [4,6,5,20]: mean 8.75, var (22.5625+7.5625+14.0625+126.5625)/4 = 42.6875, χ = 0.746691, δ = 0.0099
  //   without 6  → [4,5,5,20]: mean 8.5, var (20.25+12.25+12.25+132.25)/4 = 44.25, χ = 0.782608, δ = −0.0377
  // Largest δ = 0.81248 (the 20, index 4) ≥ 0.5 → removed.
  // Step 1, [4,5,6,5]: χ = 0.141421. Leave-one-out:
  //   without 4 → [5,6,5]: mean 16/3, var 2/9, χ = (√2/3)/(16/3) = √2/16 = 0.0883883, δ = 0.375
  //   without 6 → [4,5,5]: mean 14/3, var 2/9, χ = √2/14 = 0.101015, δ = 0.285714
  //   without 5 → [4,6,5]: mean 5, var 2/3, χ = 0.163299, δ = −0.154701
  // Largest δ = 0.375 < 0.5 → stop with χ = √0.5/5.
  const r = chiWithOutlierRemoval(x, N, { delta: 0.5, maxRemovedFraction: 1 });
  close(r.raw, chi0, 1e-12, "raw");
  assert.deepEqual(r.removedIndices, [4]);
  assert.equal(r.removed, 1);
  assert.equal(r.n, 4);
  close(r.value, Math.sqrt(0.5) / 5, 1e-12, "value");
  close(r.mean, 5, 1e-12, "mean");
  close(r.finalMaxDelta, 0.375, 1e-12, "final δ");
  // Jackknife error over the retained four from the leave-one-out values above.
  const loo = [Math.SQRT2 / 16, Math.sqrt(2 / 3) / 5, Math.SQRT2 / 14, Math.sqrt(2 / 3) / 5];
  const jm = loo.reduce((a, b) => a + b) / 4;
  close(r.stdError, Math.sqrt((3 / 4) * loo.reduce((a, v) => a + (v - jm) ** 2, 0)), 1e-12, "jackknife");

  // With δ = 0.3 step 1 removes the 4 (index 0, δ = 0.375); step 2, [5,6,5], would remove a 5
  // (δ = 1, χ → 0) but only 2 samples would remain < minSamples = 3, so it stops there.
  const r2 = chiWithOutlierRemoval(x, N, { delta: 0.3, maxRemovedFraction: 1 });
  assert.deepEqual(r2.removedIndices, [4, 0]);
  close(r2.value, Math.SQRT2 / 16, 1e-12, "value after two removals");
  close(r2.finalMaxDelta, 1, 1e-12, "final δ (stopped by minSamples)");
  assert.equal(r2.stoppedBy, "minSamples");
  assert.equal(r.stoppedBy, "delta");
});

test("a planted 10σ outlier is removed and χ returns to the clean value (n = 1000)", () => {
  const rng = Rng.fromSeed(2024);
  const clean = Array.from({ length: 1000 }, () => 10 + rng.normal());
  const withOutlier = clean.slice();
  withOutlier.splice(417, 0, 10 + 10); // 10σ above the mean, at index 417
  const N = 2000;
  const r = chiWithOutlierRemoval(withOutlier, N);
  assert.deepEqual(r.removedIndices, [417]);
  close(r.value, chi(clean, N), 1e-10, "χ after removal = clean χ");
  close(r.raw, chi(withOutlier, N), 1e-12, "raw");
  assert.ok(r.raw > 1.04 * r.value, `raw ${r.raw} should be inflated vs ${r.value}`);
  assert.ok(r.finalMaxDelta < 0.01);
  assert.equal(r.stoppedBy, "delta");
  // χ = √N σ/μ ≈ √2000/10 ≈ 4.47; the jackknife error is ≈ χ/√(2n) ≈ 0.1.
  close(r.value, Math.sqrt(N) / 10, 0.3, "χ near √N σ/μ");
  assert.ok(r.stdError > 0.05 && r.stdError < 0.2, `jackknife error ${r.stdError}`);
});

test("small ensembles (n = 50): the outlier goes first, then the scheme cascades; the guard reports it", () => {
  const rng = Rng.fromSeed(77);
  const clean = Array.from({ length: 50 }, () => 10 + rng.normal());
  const data = clean.concat([20]);
  const c = chi(clean, 1000);
  // Paper's scheme verbatim: after the outlier, every tail sample in turn has δ > 1 % → down to 3.
  const verbatim = chiWithOutlierRemoval(data, 1000, { maxRemovedFraction: 1 });
  assert.equal(verbatim.removedIndices[0], 50);
  assert.equal(verbatim.n, 3);
  assert.equal(verbatim.stoppedBy, "minSamples");
  assert.ok(verbatim.value < 0.2 * c, `cascaded value ${verbatim.value} vs clean ${c}`);
  // Default guard: stops at 10 % removed and says so.
  const r = chiWithOutlierRemoval(data, 1000);
  assert.equal(r.removedIndices[0], 50);
  assert.equal(r.removed, 5);
  assert.equal(r.stoppedBy, "maxRemovedFraction");
  assert.ok(r.raw > 1.5 * c);
});

test("bad input is rejected", () => {
  assert.throws(() => chiWithOutlierRemoval([1, 2, Number.NaN], 10), /entry 2/);
  assert.throws(() => chiWithOutlierRemoval([1, 2, 3], -1), GlassmechError);
  assert.throws(() => chiWithOutlierRemoval([1], 10), GlassmechError);
});
