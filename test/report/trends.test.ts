import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { checkRatio, checkTrend, checkValue, spearman } from "../../src/report/trends.js";

const line = (xs: number[], f: (x: number) => number, err: number) => xs.map((x) => ({ x, y: f(x), err }));

test("a clear monotonic trend is 'yes' in its direction and 'no' against it, even when the curve bends", () => {
  // DSS-like G/K: falls and flattens (a plateau at high ρ); the linear slope still has the right sign
  const pts = line([0.55, 0.6, 0.7, 0.8, 0.95, 1.2], (x) => 0.15 + 0.3 * Math.exp(-(x - 0.55) / 0.15), 0.01);
  const down = checkTrend(pts, "down");
  assert.equal(down.verdict, "yes");
  assert.ok(down.z < -2 && down.slope < 0);
  assert.equal(down.spearman, -1);
  assert.ok(Math.abs(down.endRatio - 0.45 / (0.15 + 0.3 * Math.exp(-0.65 / 0.15))) < 1e-12);
  assert.equal(checkTrend(pts, "up").verdict, "no");
  assert.equal(checkTrend(pts, "flat", { flatTolerance: 0.2 }).verdict, "no");
  // order of the points does not matter
  assert.equal(checkTrend([...pts].reverse(), "down").z, down.z);
});

test("noise larger than the trend gives 'inconclusive', not a false yes or no", () => {
  const pts = line([1, 2, 3], (x) => 1 + 0.01 * x, 0.2);
  assert.equal(checkTrend(pts, "up").verdict, "inconclusive");
  assert.equal(checkTrend(pts, "down").verdict, "inconclusive");
  // flat within tolerance is 'yes'; a big but insignificant change is 'inconclusive'
  assert.equal(checkTrend(pts, "flat", { flatTolerance: 0.1 }).verdict, "yes");
  const wild = [{ x: 1, y: 1, err: 2 }, { x: 2, y: 2, err: 2 }, { x: 3, y: 3, err: 2 }];
  assert.equal(checkTrend(wild, "flat", { flatTolerance: 0.2 }).verdict, "inconclusive");
});

test("a flat series with a small significant slope is still 'largely insensitive'", () => {
  const pts = line([6, 8, 12, 20], (x) => 0.24 + 0.001 * x, 0.0005);
  const r = checkTrend(pts, "flat", { flatTolerance: 0.25 });
  assert.ok(Math.abs(r.z) > 2);
  assert.equal(r.verdict, "yes");
});

test("false-positive rate of 'yes' on pure noise is about the 2σ level", () => {
  const rng = Rng.fromSeed(7);
  let yes = 0;
  const trials = 400;
  for (let t = 0; t < trials; t++) {
    const pts = [0.55, 0.6, 0.7, 0.8, 0.95, 1.2].map((x) => ({ x, y: 1 + 0.05 * rng.normal(), err: 0.05 }));
    if (checkTrend(pts, "down").verdict === "yes") yes++;
  }
  // one-sided P(z < −2) = 2.3%: expect ≈ 9 of 400; 25 would be > 5σ of binomial noise
  assert.ok(yes > 0 && yes < 25, `false 'yes' ${yes} of ${trials}`);
});

test("without error bars the fit is unweighted (≥ 3 points) and too few points give 'no data'", () => {
  const r = checkTrend([{ x: 1, y: 3 }, { x: 2, y: 2.1 }, { x: 3, y: 0.9 }], "down");
  assert.equal(r.verdict, "yes");
  assert.match(r.detail, /unweighted/);
  assert.equal(checkTrend([{ x: 1, y: 3 }, { x: 2, y: 2 }], "down").verdict, "no data");
  assert.equal(checkTrend([{ x: 1, y: 3, err: 0.1 }], "down").verdict, "no data");
  assert.equal(checkTrend([{ x: 1, y: NaN, err: 0.1 }, { x: 2, y: 1, err: 0.1 }], "down").verdict, "no data");
});

test("spearman, value and ratio checks", () => {
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.ok(Math.abs(spearman([1, 2, 3, 4], [1, 1, 2, 2]) - 0.8944271909999159) < 1e-12);
  assert.ok(Number.isNaN(spearman([1, 2, 3], [5, 5, 5])));
  assert.equal(checkValue(0.07, 0.01, 0.05, 0.03), "yes");
  assert.equal(checkValue(0.1, 0.005, 0.05, 0.03), "no");
  assert.equal(checkValue(0.09, 0.01, 0.05, 0.03), "inconclusive");
  assert.equal(checkValue(NaN, 0.01, 0.05, 0.03), "no data");
  assert.equal(checkRatio(2.5, 2.8, 1.5), "yes");
  assert.equal(checkRatio(1.2, 2.8, 1.5), "no");
  assert.equal(checkRatio(0.01, 0.02, 3), "yes");
  assert.equal(checkRatio(-1, 2, 3), "no data");
});
