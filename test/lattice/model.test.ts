import { test } from "node:test";
import assert from "node:assert/strict";
import { GlassmechError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { ExactLatticeSampler, latticeKappa, siteWeights } from "../../src/lattice/exact.js";
import { boundedMoments, FastLatticeSampler } from "../../src/lattice/fast.js";
import { latticeShells } from "../../src/lattice/geometry.js";
import { streamFromRng, streamUniform } from "../../src/lattice/stream.js";

test("hand-made 3×3 lattice: κ = a/b of seed 004 Eqs. 8–10 written out by hand", () => {
  // Site s = n0 + 3·n1; centre s = 4 (ω = 0.5); edges (r = 1, w = 1): 1, 3, 5, 7;
  // corners (r² = 2, w = 2⁻² = 1/4): 0, 2, 6, 8 (ω₈ = 0.25).
  const omega = [1, 0.5, 1, 1, 0.5, 1, 1, 1, 0.25];
  const a = 0.25 * 1 + 4 + 0.25 * 1 + 1 + 4 + 1 + 0.25 * 1 + 1 + 0.25 * 16;
  const b = 0.25 * 1 + 16 + 0.25 * 1 + 1 + 16 + 1 + 0.25 * 1 + 1 + 0.25 * 256;
  const r = latticeKappa(omega, 2, 3);
  assert.equal(r.a, a);
  assert.equal(r.b, b);
  assert.ok(Math.abs(r.kappa - 15.75 / 99.75) < 1e-15);
});

test("3D/4D lattices: latticeKappa equals an independent evaluation with explicit coordinates", () => {
  const rng = Rng.fromSeed(11);
  for (const [d, L] of [[3, 5], [4, 3], [2, 7]] as const) {
    const n = L ** d;
    const omega = Array.from({ length: n }, () => Math.pow(1 - rng.uniform(), 0.2));
    let a = 0;
    let b = 0;
    const c = (L - 1) / 2;
    for (let s = 0; s < n; s++) {
      const coords: number[] = [];
      let t = s;
      for (let k = 0; k < d; k++) {
        coords.push((t % L) - c);
        t = Math.floor(t / L);
      }
      const r = Math.hypot(...coords);
      const w = r === 0 ? 1 : Math.pow(r, -2 * d);
      a += w / omega[s]! ** 2;
      b += w / omega[s]! ** 4;
    }
    const got = latticeKappa(omega, d, L);
    assert.ok(Math.abs(got.a / a - 1) < 1e-12 && Math.abs(got.b / b - 1) < 1e-12, `d = ${d}`);
  }
});

test("κ bounds: min ω² ≤ κ ≤ max ω² ≤ 1 (κ is a weighted mean of ω_j²) and a²/b ≤ Σw (Cauchy–Schwarz)", () => {
  // κ = Σ (w_j x_j²)(1/x_j) / Σ w_j x_j² with x_j = ω_j⁻², i.e. an average of ω_j² = 1/x_j with
  // positive weights w_j x_j²; and (Σ w x)² ≤ (Σ w)(Σ w x²).
  const rng = Rng.fromSeed(5);
  for (const [d, L] of [[2, 9], [3, 5], [4, 3]] as const) {
    const W = siteWeights(d, L).reduce((s, v) => s + v, 0);
    for (let t = 0; t < 200; t++) {
      const omega = Array.from({ length: L ** d }, () => Math.pow(1 - rng.uniform(), 0.2));
      const { a, b, kappa } = latticeKappa(omega, d, L);
      const o2 = omega.map((o) => o * o);
      assert.ok(kappa >= Math.min(...o2) * (1 - 1e-12) && kappa <= Math.max(...o2) * (1 + 1e-12));
      assert.ok((a * a) / b <= W * (1 + 1e-12));
    }
  }
});

test("latticeKappa rejects wrong sizes and ω outside (0, 1]", () => {
  assert.throws(() => latticeKappa([1, 1], 2, 3), GlassmechError);
  assert.throws(() => latticeKappa([1, 1, 1, 1, 0, 1, 1, 1, 1], 2, 3), GlassmechError);
  assert.throws(() => latticeKappa([1, 1, 1, 1, 1.5, 1, 1, 1, 1], 2, 3), GlassmechError);
  assert.throws(() => new ExactLatticeSampler(3, 4), GlassmechError); // even L: no central site
});

test("the exact sampler is latticeKappa of the ω it draws (one uniform per site, lattice order)", () => {
  for (const [d, L] of [[2, 11], [3, 5], [4, 5]] as const) {
    const sampler = new ExactLatticeSampler(d, L);
    const st = streamFromRng(Rng.forSample(3, 7));
    const replay = Int32Array.from(st);
    const out = new Float64Array(5);
    sampler.sample(st, out, 0, 5);
    for (let k = 0; k < 5; k++) {
      const omega = Array.from({ length: L ** d }, () => Math.pow(1 - streamUniform(replay), 0.2));
      const ref = latticeKappa(omega, d, L).kappa;
      assert.ok(Math.abs(out[k]! / ref - 1) < 1e-12, `d = ${d}, sample ${k}: ${out[k]} vs ${ref}`);
      assert.ok(out[k]! > 0 && out[k]! <= 1);
    }
  }
});

test("the fast stream replays Rng.uniform() exactly", () => {
  const rng = Rng.forSample(42, 3);
  const st = streamFromRng(rng);
  for (let i = 0; i < 1000; i++) assert.equal(streamUniform(st), rng.uniform());
});

test("shells of the open lattice: counts and weights", () => {
  const s2 = latticeShells(2, 5);
  assert.deepEqual(Array.from(s2.r2), [1, 2, 4, 5, 8]);
  assert.deepEqual(Array.from(s2.count), [4, 4, 4, 8, 4]);
  assert.equal(s2.weight[3], 1 / 25);
  const s3 = latticeShells(3, 3);
  assert.deepEqual(Array.from(s3.count), [6, 12, 8]);
  const s4 = latticeShells(4, 3);
  assert.deepEqual(Array.from(s4.count), [8, 24, 32, 16]);
  for (const [d, L] of [[2, 101], [3, 21], [4, 11]] as const) {
    const f = new FastLatticeSampler(d, L);
    assert.equal(f.nearSites + f.farSites, L ** d);
    assert.ok(f.nearSites > 50 && f.nearSites < 200, `near sites ${f.nearSites}`);
  }
});

test("conditional moments of x = ω⁻² given ω ≥ ω* match quadrature", () => {
  for (const omegaStar of [0.1, 0.3, 0.6]) {
    const p = omegaStar ** 5;
    const m = boundedMoments(p);
    // E[x^k | ω ≥ ω*] = ∫_{ω*}^1 5ω⁴ ω^(−2k) dω / (1 − p), Simpson's rule.
    const N = 20000;
    const h = (1 - omegaStar) / N;
    const ref = [1, 2, 3, 4].map((k) => {
      let s = 0;
      for (let i = 0; i <= N; i++) {
        const om = omegaStar + i * h;
        const f = 5 * om ** 4 * om ** (-2 * k);
        s += (i === 0 || i === N ? 1 : i % 2 === 1 ? 4 : 2) * f;
      }
      return (s * h) / 3 / (1 - p);
    });
    const got = [m.m1, m.m2, m.m3, m.m4];
    for (let k = 0; k < 4; k++) assert.ok(Math.abs(got[k]! / ref[k]! - 1) < 1e-9, `ω* = ${omegaStar}, k = ${k + 1}`);
  }
});
