import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { GlassmechError } from "../../src/core/errors.js";
import { compilePairLoops, inlineKernelBody } from "../../src/forces/compileLoop.js";
import { pairTables } from "../../src/forces/pairTables.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { modelNames } from "../../src/models/index.js";
import { bruteForceEvaluation, modelByName, randomConfig, relErr } from "./helpers.js";

const DENSITY: Record<string, number> = { qss: 0.5, pss: 0.6, ipl: 0.7, poly: 0.9, kablj: 1.0, hrz: 1.0 };

test("compiled loops (every binding) equal the generic loop and a brute-force all-images evaluation", () => {
  let seed = 40;
  for (const name of modelNames())
    for (const d of [2, 3, 4])
      for (const [n, shear] of [
        [80, 0],
        [7, 0.45],
      ] as const) {
        const model = modelByName(name);
        const c = randomConfig(model, { d, n, density: DENSITY[name] ?? 0.8, seed: seed++, minDist: 0.8, shear, unwrapped: true });
        const ref = bruteForceEvaluation(model, c);
        for (const loop of ["compiled", "inline", "source", "closure", "generic"] as const) {
          const what = `${name} d=${d} n=${n} ${loop}`;
          const sys = new PairSystem(c, model, { loop });
          const f = new Float64Array(c.n * d);
          const U = sys.energyForces(c.positions, f);
          assert.ok(Math.abs(U - ref.energy) <= 1e-12 * Math.max(1, Math.abs(ref.energy)), `${what}: U ${U} vs ${ref.energy}`);
          assert.ok(relErr(f, ref.forces) < 1e-12, `${what}: forces`);
          assert.ok(Math.abs(sys.energy(c.positions) - U) <= 1e-12 * Math.max(1, Math.abs(U)), `${what}: energy()`);
        }
      }
});

test("the default compiled loop inlines the kernel of every registered model", () => {
  for (const name of modelNames()) {
    const model = modelByName(name);
    const loops = compilePairLoops(name, model.reduced, pairTables(model), 3);
    assert.equal(loops.kernel, "inline", `${name} kernel binding`);
    assert.ok(loops.source.includes(`model=${name}`));
  }
});

test("kernel inlining refuses sources it cannot rewrite safely", () => {
  assert.equal(inlineKernelBody("out[0] = x; out[1] = 1; out[2] = 0;"), "kf0_ = x; kf1_ = 1; kf2_ = 0;");
  assert.equal(inlineKernelBody("if (x < 1) { out[0] = 1; return; }\nout[0] = 0;"), "if (x < 1) { kf0_ = 1; break kern_; }\nkf0_ = 0;");
  assert.equal(inlineKernelBody("const g = (t) => t; out[0] = g(x);"), null);
  assert.equal(inlineKernelBody("function g(t) { return t; } out[0] = g(x);"), null);
  assert.equal(inlineKernelBody("out.fill(0);"), null);
  assert.equal(inlineKernelBody("out[0] = 1; return 3;"), null);
});

test("energy is invariant to translation and to permuting particles; forces sum to zero", () => {
  const rng = Rng.fromSeed(7);
  for (const name of ["pss", "poly", "kablj"])
    for (const d of [2, 3, 4]) {
      const model = modelByName(name);
      const c = randomConfig(model, { d, n: 80, density: DENSITY[name], seed: 100 + d, minDist: 0.8, shear: 0.3 });
      const f0 = new Float64Array(c.n * d);
      const U0 = new PairSystem(c, model).energyForces(c.positions, f0);
      // net force
      for (let a = 0; a < d; a++) {
        let s = 0;
        let m = 0;
        for (let i = 0; i < c.n; i++) {
          s += f0[i * d + a];
          m = Math.max(m, Math.abs(f0[i * d + a]));
        }
        assert.ok(Math.abs(s) < 1e-11 * Math.max(1, m) * c.n, `${name} d=${d}: Σ F_${a} = ${s}`);
      }
      // translation by an arbitrary vector (positions leave the box)
      const shift = Array.from({ length: d }, () => (rng.uniform() - 0.5) * 37);
      const xt = c.positions.map((v, k) => v + shift[k % d]);
      const ft = new Float64Array(c.n * d);
      const Ut = new PairSystem(c, model).energyForces(xt, ft);
      assert.ok(Math.abs(Ut - U0) < 1e-10 * Math.max(1, Math.abs(U0)), `${name} d=${d}: translated U ${Ut} vs ${U0}`);
      assert.ok(relErr(ft, f0) < 1e-9, `${name} d=${d}: translated forces`);
      // permutation
      const perm = Array.from({ length: c.n }, (_, i) => i);
      for (let i = c.n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      const xp = new Float64Array(c.n * d);
      const types = new Int32Array(c.n);
      const sizes = c.sizes === null ? null : new Float64Array(c.n);
      perm.forEach((src, dst) => {
        for (let a = 0; a < d; a++) xp[dst * d + a] = c.positions[src * d + a];
        types[dst] = c.types[src];
        if (sizes !== null) sizes[dst] = c.sizes![src];
      });
      const cp = { ...c, positions: xp, types, sizes };
      const fp = new Float64Array(c.n * d);
      const Up = new PairSystem(cp, model).energyForces(xp, fp);
      assert.ok(Math.abs(Up - U0) < 1e-11 * Math.max(1, Math.abs(U0)), `${name} d=${d}: permuted U`);
      perm.forEach((src, dst) => {
        for (let a = 0; a < d; a++) assert.ok(Math.abs(fp[dst * d + a] - f0[src * d + a]) < 1e-9 * Math.max(1, Math.abs(f0[src * d + a])));
      });
    }
});

test("records: every interacting pair once per image, i ≤ j, r_ij = x_j − x_i, φ' and φ'' of the model", () => {
  for (const [name, n, shear] of [
    ["pss", 150, 0.2],
    ["poly", 120, 0],
    ["kablj", 4, 0.5],
  ] as const) {
    const model = modelByName(name);
    const d = 3;
    const c = randomConfig(model, { d, n, density: DENSITY[name], seed: 7, minDist: 0.8, shear, unwrapped: true });
    const sys = new PairSystem(c, model);
    const rec = sys.records(c.positions);
    const ref = bruteForceEvaluation(model, c);
    assert.equal(rec.count, ref.pairs.count, `${name}: record count`);
    assert.equal(rec.d, d);
    const out = new Float64Array(3);
    const key = (i: number, j: number, v: ArrayLike<number>) => `${i} ${j} ${Array.from(v, (t) => t.toFixed(7)).join(" ")}`;
    const want = new Set<string>();
    for (let p = 0; p < ref.pairs.count; p++) want.add(key(ref.pairs.i[p], ref.pairs.j[p], ref.pairs.delta.slice(p * d, p * d + d)));
    const f = new Float64Array(c.n * d);
    for (let p = 0; p < rec.count; p++) {
      const i = rec.i[p];
      const j = rec.j[p];
      assert.ok(i <= j);
      const v = rec.delta.subarray(p * d, p * d + d);
      // separation is the interacting image of x_j − x_i
      let r2 = 0;
      for (let a = 0; a < d; a++) r2 += v[a] * v[a];
      assert.ok(Math.abs(Math.sqrt(r2) - rec.r[p]) < 1e-12);
      const self = i === j;
      let k = key(i, j, v);
      if (self && !want.has(k)) k = key(i, j, Array.from(v, (t) => -t));
      assert.ok(want.has(k), `${name}: record ${k} not in brute force`);
      // φ', φ'' from the reduced kernel
      const s = model.scales;
      const lam =
        s.kind === "types"
          ? s.lambda[c.types[i] * s.ntypes + c.types[j]]
          : 0.5 * (c.sizes![i] + c.sizes![j]) * (1 - s.nonadditivity * Math.abs(c.sizes![i] - c.sizes![j]));
      const eps = s.kind === "types" ? s.epsilon[c.types[i] * s.ntypes + c.types[j]] : s.epsilon;
      model.reduced.eval2(rec.r[p] / lam, out);
      assert.ok(Math.abs(rec.dphi[p] - (eps * out[1]) / lam) <= 1e-12 * Math.max(1, Math.abs(rec.dphi[p])));
      assert.ok(Math.abs(rec.d2phi[p] - (eps * out[2]) / (lam * lam)) <= 1e-12 * Math.max(1, Math.abs(rec.d2phi[p])));
      for (let a = 0; a < d; a++) {
        f[i * d + a] += (rec.dphi[p] * v[a]) / rec.r[p];
        f[j * d + a] -= (rec.dphi[p] * v[a]) / rec.r[p];
      }
    }
    // forces rebuilt from the records equal energyForces
    const f2 = new Float64Array(c.n * d);
    sys.energyForces(c.positions, f2);
    assert.ok(relErr(f, f2) < 1e-12, `${name}: forces from records`);
  }
});

test("bad input gives one clear GlassmechError", () => {
  const poly = modelByName("poly");
  const c = randomConfig(poly, { d: 3, n: 10, density: 1, seed: 1 });
  assert.throws(() => new PairSystem({ ...c, sizes: null }, poly), (e: unknown) => e instanceof GlassmechError && /sizes/.test(e.message));
  const sys = new PairSystem(c, poly);
  assert.throws(() => sys.energy(new Float64Array(29)), (e: unknown) => e instanceof GlassmechError && /30 coordinates/.test(e.message));
  assert.throws(() => sys.energyForces(c.positions, new Float64Array(3)), (e: unknown) => e instanceof GlassmechError && /forces array/.test(e.message));
});

test("a long-lived system (stale list, then automatic rebuilds) equals a fresh one after every move", () => {
  const rng = Rng.fromSeed(12);
  for (const name of ["pss", "poly"]) {
    const model = modelByName(name);
    const d = 3;
    const c = randomConfig(model, { d, n: 200, density: DENSITY[name], seed: 77, minDist: 0.85, shear: 0.1 });
    const sys = new PairSystem(c, model);
    const x = Float64Array.from(c.positions);
    const f = new Float64Array(c.n * d);
    const g = new Float64Array(c.n * d);
    sys.energyForces(x, f);
    let rebuilt = 0;
    for (let step = 0; step < 12; step++) {
      // random moves of up to 0.06 per step: some steps stay within skin/2 = 0.15, some do not
      for (let k = 0; k < x.length; k++) x[k] += 0.06 * (2 * rng.uniform() - 1) / Math.sqrt(d);
      const before = sys.rebuilds;
      const U = sys.energyForces(x, f);
      if (sys.rebuilds > before) rebuilt++;
      const Ufresh = new PairSystem(c, model).energyForces(x, g);
      assert.ok(Math.abs(U - Ufresh) <= 1e-12 * Math.max(1, Math.abs(Ufresh)), `${name} step ${step}: U ${U} vs fresh ${Ufresh}`);
      assert.ok(relErr(f, g) < 1e-12, `${name} step ${step}: forces`);
    }
    assert.ok(rebuilt >= 1 && rebuilt < 12, `${name}: ${rebuilt} rebuilds in 12 steps (expected some, not all)`);
  }
});
