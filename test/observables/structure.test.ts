import { test } from "node:test";
import assert from "node:assert/strict";
import { Box } from "../../src/core/box.js";
import type { Configuration } from "../../src/core/configuration.js";
import { GlassmechError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { createModel, type Model } from "../../src/models/index.js";
import { measured } from "./measured.js";
import { pairCorrelation } from "../../src/observables/structure.js";
import { smallGlass } from "./glasses.js";

/** Uniformly random positions (an ideal gas) of a model's species or sizes. */
function idealGas(model: Model, d: number, n: number, density: number, seed: number): Configuration {
  const rng = Rng.fromSeed(seed);
  const box = Box.forDensity(d, n, density);
  const L = box.h[0];
  const positions = new Float64Array(n * d).map(() => rng.uniform() * L);
  const types = new Int32Array(n).map((_, i) => i % 2);
  const sizes = model.scales.kind === "sizes" ? model.sampleSizes!(n, () => rng.uniform()) : null;
  return { d, n, box, positions, types: sizes ? new Int32Array(n) : types, sizes, model: { name: model.name, params: model.params } };
}

function shell(d: number, r1: number, r2: number): number {
  const c = d === 2 ? Math.PI : d === 3 ? (4 * Math.PI) / 3 : (Math.PI * Math.PI) / 2;
  return c * (r2 ** d - r1 ** d);
}

for (const d of [2, 3])
  test(`ideal gas, d=${d}: every partial g_ab(r) and g(x) is 1 within Poisson noise`, () => {
    const model = createModel({ name: "ipl", params: {} });
    const c = idealGas(model, d, d === 2 ? 1500 : 2000, 0.8, 100 + d);
    const gr = pairCorrelation(c, model, { binWidth: 0.1 });
    const V = c.box.volume;
    assert.ok(Math.abs(gr.rMax - 0.5 * c.box.h[0]) < 0.1 + 1e-12);
    let chi2 = 0;
    let dof = 0;
    for (const p of gr.partials) {
      assert.equal(p.pairs, p.types[0] === p.types[1] ? (c.n / 2) * (c.n / 2 - 1) / 2 : (c.n / 2) ** 2);
      let sum = 0;
      let m = 0;
      for (let k = 0; k < gr.r.length; k++) {
        const expected = (p.pairs * shell(d, k * gr.binWidth, (k + 1) * gr.binWidth)) / V;
        if (expected < 50) continue;
        chi2 += (p.g[k] - 1) ** 2 * expected; // (observed − expected)²/expected
        dof++;
        sum += p.g[k];
        m++;
      }
      assert.ok(Math.abs(sum / m - 1) < 0.01, `${p.label}: mean g ${sum / m}`);
    }
    if (process.env.GLASSMECH_VERBOSE) console.log({ d, chi2dof: chi2 / dof, dof });
    assert.ok(dof > 50 && chi2 / dof < 1.5 && chi2 / dof > 0.6, `χ²/dof = ${chi2 / dof} over ${dof} bins`);
    for (const p of gr.reduced.partials) {
      const tail = Array.from(p.g).slice(Math.floor(p.g.length / 2));
      const mean = tail.reduce((s, v) => s + v, 0) / tail.length;
      assert.ok(Math.abs(mean - 1) < 0.02, `${p.label}: mean g(x) ${mean}`);
    }
  });

test("ideal polydisperse gas: g(x = r/λ_ij) is 1 (normalization by Σ λ_ij^d)", () => {
  const model = createModel({ name: "poly", params: {} });
  const c = idealGas(model, 3, 1500, 1.0, 7);
  const gr = pairCorrelation(c, model, { binWidth: 0.1 });
  assert.equal(gr.partials.length, 1);
  assert.equal(gr.partials[0].label, "all");
  const g = gr.reduced.partials[0].g;
  const tail = Array.from(g).slice(5);
  const mean = tail.reduce((s, v) => s + v, 0) / tail.length;
  assert.ok(Math.abs(mean - 1) < 0.02, `mean g(x) ${mean}`);
  // Deliberately wrong normalization (by the mean λ^d) would be off by several percent here:
  const sizes = c.sizes!;
  let m3 = 0;
  for (const s of sizes) m3 += s ** 3;
  assert.ok(Math.abs(m3 / sizes.length - 1) > 0.05);
});

test("glass: ∫ρ_b g_ab dV counts the neighbours, and Σ over x < x_c gives the coordination", () => {
  const { config: c, model } = smallGlass({ name: "pss", params: { rc: 1.2 }, d: 3, n: 200, density: 0.6, seed: 21 });
  const d = c.d;
  const V = c.box.volume;
  const xc = model.reduced.xc;
  const meas = measured(c, model);
  const gr = pairCorrelation(c, model, { binWidth: 0.025, reducedBinWidth: xc / 50, stiffnessScale: meas.omega0 ** 2 });
  const R = 1.5; // a bin edge
  const kR = Math.round(R / gr.binWidth);
  const L = c.box.h[0];
  const nA = c.types.reduce((s, t) => s + (t === 0 ? 1 : 0), 0);
  const nB = c.n - nA;
  // Brute force: B-neighbours of A-particles, and A–A pairs, within R.
  let ab = 0;
  let aa = 0;
  for (let i = 0; i < c.n; i++)
    for (let j = i + 1; j < c.n; j++) {
      let r2 = 0;
      for (let a = 0; a < d; a++) {
        let v = c.positions[j * d + a] - c.positions[i * d + a];
        v -= L * Math.round(v / L);
        r2 += v * v;
      }
      if (r2 >= R * R) continue;
      if (c.types[i] !== c.types[j]) ab++;
      else if (c.types[i] === 0) aa++;
    }
  const integral = (label: string, rho: number) => {
    const g = gr.partials.find((p) => p.label === label)!.g;
    let s = 0;
    for (let k = 0; k < kR; k++) s += rho * g[k] * shell(d, k * gr.binWidth, (k + 1) * gr.binWidth);
    return s;
  };
  assert.ok(Math.abs(integral("AB", nB / V) - ab / nA) < 1e-9, `B-neighbours of an A: ${integral("AB", nB / V)} vs ${ab / nA}`);
  assert.ok(Math.abs(integral("AA", (nA - 1) / V) - (2 * aa) / nA) < 1e-9, "A-neighbours of an A");
  // Interacting pairs are those with x = r/λ_ab < x_c: the reduced histograms give the coordination.
  let pairs = 0;
  for (const p of gr.reduced.partials) {
    const lam = p.lambda!;
    for (let k = 0; k < 50; k++) pairs += (p.g[k] * p.pairs * lam ** d * shell(d, k * gr.reduced.binWidth, (k + 1) * gr.reduced.binWidth)) / V;
  }
  assert.ok(Math.abs((2 * pairs) / c.n - meas.coordination) < 1e-9, `coordination ${(2 * pairs) / c.n} vs ${meas.coordination}`);
  // No pair sits deep in the repulsive core; the first peak of AA is near the LJ minimum x = 2^(1/6).
  const aaG = gr.reduced.partials.find((p) => p.label === "AA")!;
  let kMax = 0;
  for (let k = 1; k < aaG.g.length; k++) if (aaG.g[k] > aaG.g[kMax]) kMax = k;
  assert.ok(Math.abs(gr.reduced.x[kMax] - 2 ** (1 / 6)) < 0.1, `AA peak at x = ${gr.reduced.x[kMax]}`);

  // Fig. 11: points only where φ'' < 0, with φ'' = ε f''(x)/λ² / ω0², and g from the reduced partial.
  const out = new Float64Array(5);
  const w2 = meas.omega0 ** 2;
  let points = 0;
  for (const curve of gr.negativeStiffness) {
    const red = gr.reduced.partials.find((p) => p.label === curve.label)!;
    for (let q = 0; q < curve.x.length; q++) {
      model.reduced.eval2(curve.x[q], out);
      assert.ok(out[2] < 0 && curve.stiffness[q] < 0);
      assert.ok(Math.abs(curve.stiffness[q] - out[2] / red.lambda! ** 2 / w2) < 1e-12 * Math.abs(curve.stiffness[q]));
      const k = Math.round(curve.x[q] / gr.reduced.binWidth - 0.5);
      assert.equal(curve.g[q], red.g[k]);
      points++;
    }
    // Every bin centre between the inflection point and x_c is there.
    let expected = 0;
    for (const x of gr.reduced.x) if (x < xc) {
      model.reduced.eval2(x, out);
      if (out[2] < 0) expected++;
    }
    assert.equal(curve.x.length, expected);
  }
  assert.ok(points > 10);
});

test("rMax beyond half the box width is refused", () => {
  const model = createModel({ name: "ipl", params: {} });
  const c = idealGas(model, 2, 50, 0.8, 1);
  assert.throws(() => pairCorrelation(c, model, { rMax: c.box.h[0] }), (e: unknown) => e instanceof GlassmechError && /half the smallest box width/.test(e.message));
});
