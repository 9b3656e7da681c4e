/**
 * c(r) of dipole responses (SPEC §6.3): exact medians on a synthetic configuration with known
 * answer (minimum image included), quickselect medians, combining glasses, and the shape of
 * c(r) on a real glass.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Box } from "../../src/core/box.js";
import { Rng } from "../../src/core/rng.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import type { PairRecords } from "../../src/forces/types.js";
import { assembleHessian } from "../../src/hessian/assemble.js";
import { combineDecay, DecayAccumulator, decayLength, decayReport, dipoleDecay, medianInPlace, type DecayFunction } from "../../src/observables/decay.js";
import { selectDipolePairs } from "../../src/observables/dipoles.js";
import { smallGlass } from "./glasses.js";

test("medianInPlace equals the sorted median (odd, even, ties) and keeps the values", () => {
  const rng = Rng.fromSeed(2);
  for (let trial = 0; trial < 300; trial++) {
    const m = 1 + rng.int(40);
    const a = new Float64Array(m + 6);
    for (let t = 0; t < a.length; t++) a[t] = trial % 3 === 0 ? rng.int(4) : rng.normal();
    const seg = Array.from(a.subarray(3, 3 + m)).sort((x, y) => x - y);
    const want = m % 2 ? seg[(m - 1) / 2] : 0.5 * (seg[m / 2 - 1] + seg[m / 2]);
    const before = Array.from(a);
    assert.equal(medianInPlace(a, 3, m), want);
    assert.deepEqual(Array.from(a.subarray(3, 3 + m)).sort((x, y) => x - y), seg, "a permutation of the range");
    assert.deepEqual(Array.from(a.subarray(0, 3)), before.slice(0, 3), "outside untouched");
  }
});

/**
 * 2D box 40×40; every pair is two particles 1 apart. The excited pair has its midpoint at
 * (1, 10); three pairs at midpoint distance 3.2 (one across the x boundary) and four at 5.5.
 */
function synthetic() {
  const d = 2;
  const box = Box.orthorhombic([40, 40]);
  const mids: [number, number, number, number][] = [
    [1, 10, 1, 0], // excited
    [4.2, 10, 1, 0], [1, 13.2, 0, 1], [37.8, 10, 1, 0], // r = 3.2 (the last one through the boundary)
    [1, 15.5, 1, 0], [1, 4.5, 0, 1], [6.5, 10, 1, 0], [35.5, 10, 0, 1], // r = 5.5
  ];
  const n = 2 * mids.length;
  const x = new Float64Array(n * d);
  const P = mids.length;
  const rec: PairRecords = {
    d, count: P, i: new Int32Array(P), j: new Int32Array(P), delta: new Float64Array(P * d), r: new Float64Array(P).fill(1),
    dphi: new Float64Array(P), d2phi: new Float64Array(P),
  };
  mids.forEach(([mx, my, nx, ny], q) => {
    x[4 * q] = mx - 0.5 * nx; x[4 * q + 1] = my - 0.5 * ny;
    x[4 * q + 2] = mx + 0.5 * nx; x[4 * q + 3] = my + 0.5 * ny;
    rec.i[q] = 2 * q; rec.j[q] = 2 * q + 1;
    rec.delta[2 * q] = nx; rec.delta[2 * q + 1] = ny;
  });
  /** z with (z_l − z_k)·n_q = v[q − 1] for the seven non-excited pairs (z_k = 0, z_l = v n). */
  const response = (v: number[]) => {
    const z = new Float64Array(n * d);
    v.forEach((vq, t) => {
      const q = t + 1;
      z[(2 * q + 1) * d] = vq * mids[q][2];
      z[(2 * q + 1) * d + 1] = vq * mids[q][3];
    });
    return z;
  };
  return { box, x, rec, response };
}

test("c(r) on a synthetic configuration: exact medians of (ẑ·d̂)² per bin, averaged over excited pairs", () => {
  const { box, x, rec, response } = synthetic();
  const v1 = [1, 2, 3, 1, Math.SQRT2, Math.sqrt(3), 10]; // |z|² = 120
  const v2 = [1, 1, 5, 0, 0, 1, 1]; // |z|² = 29
  const acc = new DecayAccumulator(rec, x, box, { binWidth: 1 });
  assert.equal(acc.rMax, 20);
  acc.add(response(v1), 0);
  acc.add(response(v2), 0);
  const c = acc.result();
  assert.deepEqual(Array.from(c.r), [3.5, 4.5, 5.5]);
  assert.deepEqual(Array.from(c.dipolesPerBin), [2, 0, 2]);
  // C = v²/(2|z|²); medians: bin 3 {1, 4, 9}/240 → 4/240 and {1, 1, 25}/58 → 1/58;
  // bin 5 {1, 2, 3, 100}/240 → 2.5/240 and {0, 0, 1, 1}/58 → 0.5/58.
  const close = (a: number, b: number, tol = 1e-15) => assert.ok(Math.abs(a - b) <= tol * Math.abs(b), `${a} vs ${b}`);
  close(c.c[0], (4 / 240 + 1 / 58) / 2);
  close(c.c[2], (2.5 / 240 + 0.5 / 58) / 2);
  assert.ok(Number.isNaN(c.c[1]));
  // (the standard error comes from Σ m² − n⟨m⟩²: cancellation, hence the looser tolerance)
  close(c.cStdError[0], Math.abs(4 / 240 - 1 / 58) / 2, 1e-10);
  close(c.r2dC[2], 5.5 ** 4 * c.c[2]);
  assert.equal(c.dipoles, 2);
  // The normalization of z does not matter.
  const acc2 = new DecayAccumulator(rec, x, box, { binWidth: 1 });
  acc2.add(response(v1.map((t) => 7 * t)), 0);
  close(acc2.result().c[0], 4 / 240);
  // Combining per-glass reports pools the medians as if accumulated together.
  const a1 = new DecayAccumulator(rec, x, box, { binWidth: 1 });
  a1.add(response(v1), 0);
  const a2 = new DecayAccumulator(rec, x, box, { binWidth: 1 });
  a2.add(response(v2), 0);
  const comb = combineDecay([decayReport(a1.result()), decayReport(a2.result())]);
  assert.deepEqual(Array.from(comb.r), Array.from(c.r));
  for (const t of [0, 2]) {
    close(comb.c[t], c.c[t]);
    close(comb.cStdError[t], c.cStdError[t], 1e-10);
  }
  assert.throws(() => acc.add(new Float64Array(x.length), 0), /zero/);
  assert.throws(() => acc.add(response(v1), 99), /not an interacting pair/);
  assert.throws(() => new DecayAccumulator(rec, x, box, { binWidth: 30 }), /rMax/);
});

test("c(r) on a 2D glass decays and r^4 c(r) rises from the core", () => {
  const { config, model } = smallGlass({ name: "ipl", params: {}, d: 2, n: 300, density: 0.86, seed: 21 });
  const records = new PairSystem(config, model).records(config.positions);
  const M = assembleHessian(records, config.n);
  const sel = selectDipolePairs(records, { count: 80, seed: 2 });
  const { responses, decay } = dipoleDecay(M, records, config.positions, config.box, sel.pairs);
  assert.equal(responses.kappa.length, 80);
  assert.equal(decay.dipoles, 80);
  const K = decay.r.length;
  assert.ok(K > 15, `${K} bins`);
  for (let t = 0; t < K; t++) assert.ok(decay.c[t] > 0 && decay.dipolesPerBin[t] > 0);
  assert.ok(decay.c[0] > 100 * decay.c[K - 1], `c(r) decays: ${decay.c[0]} → ${decay.c[K - 1]}`);
  // Mostly decreasing: few bins rise above their predecessor.
  let rises = 0;
  for (let t = 1; t < K; t++) if (decay.c[t] > decay.c[t - 1]) rises++;
  assert.ok(rises <= K / 4, `${rises} rising bins of ${K}`);
  let top = 0;
  for (let t = 1; t < K; t++) if (decay.r2dC[t] > decay.r2dC[top]) top = t;
  assert.ok(top >= 3 && decay.r2dC[top] > 5 * decay.r2dC[0], `r^4 c(r) peaks at bin ${top}`);
});

test("ξ_g: the bump of r^(2d) c(r) is found even when a finite-size upturn near L/2 rises above it", () => {
  const d = 3, w = 0.3;
  const make = (f: (r: number) => number): DecayFunction => {
    const r = Float64Array.from({ length: 40 }, (_, t) => (t + 0.5) * w);
    const c = r.map((x) => f(x) / x ** 6);
    return { d, binWidth: w, r, c, cStdError: c.map((x) => 0.02 * x), r2dC: r.map((x, t) => x ** 6 * c[t]), dipolesPerBin: new Int32Array(40).fill(50), dipoles: 50 };
  };
  // Bump at ξ = 4.5 (log-normal in r), then a rise to twice its height at r ≈ 12 (images).
  const bump = (x: number) => Math.exp(-(Math.log(x / 4.5) ** 2) / (2 * 0.35 ** 2)) + 0.6 * Math.exp((x - 12) / 1.5) + 0.4;
  const f = decayLength(make(bump));
  assert.ok(Math.abs(f.xi - 4.5) < 0.15, `ξ = ${f.xi}`);
  assert.ok(f.window[1] < 9);
  const rep = decayReport(make(bump), 2);
  assert.ok(Math.abs(rep.omegaG! - (2 * Math.PI * 2) / rep.xi!) < 1e-12);
  // Monotonic rise (box too small): an error, and a report with xi = null saying why.
  assert.throws(() => decayLength(make((x) => x)), /no bump/);
  const none = decayReport(make((x) => x), 2);
  assert.equal(none.xi, null);
  assert.match(none.xiError!, /box too small/);
});
