import { test } from "node:test";
import assert from "node:assert/strict";
import { GlassmechError } from "../../src/core/errors.js";
import { MolecularDynamics, initMd } from "../../src/dynamics/index.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { continueMinimization, minimize } from "../../src/minimize/index.js";
import { Fire } from "../../src/minimize/fire.js";
import { dot } from "../../src/minimize/vectors.js";
import { PARTIALS, runVectorOp, VECTOR_OP } from "../../src/forces/shardVectors.js";
import { Rng } from "../../src/core/rng.js";
import { modelNames, type Model } from "../../src/models/index.js";
import { bruteForceEvaluation, modelByName, randomConfig, relErr } from "./helpers.js";

const DENSITY: Record<string, number> = { qss: 0.5, pss: 0.6, ipl: 0.7, poly: 0.9, kablj: 1.0, hrz: 1.0 };

function evaluate(sys: PairSystem, x: Float64Array): { U: number; f: Float64Array } {
  const f = new Float64Array(x.length);
  return { U: sys.energyForces(x, f), f };
}

test("threaded pair loop (2 threads; 3 in 3D) equals the brute-force all-images evaluation for every model in d = 2, 3, 4", () => {
  let seed = 700;
  for (const name of modelNames())
    for (const d of [2, 3, 4])
      for (const [n, shear] of [
        [150, 0],
        [9, 0.4],
      ] as const) {
        const model = modelByName(name);
        const c = randomConfig(model, { d, n, density: DENSITY[name] ?? 0.8, seed: seed++, minDist: 0.8, shear, unwrapped: true });
        const ref = bruteForceEvaluation(model, c);
        for (const threads of d === 3 ? [2, 3] : [2]) {
          const what = `${name} d=${d} n=${n} threads=${threads}`;
          const sys = new PairSystem(c, model, { threads });
          try {
            assert.equal(sys.threads, threads);
            const { U, f } = evaluate(sys, c.positions);
            assert.ok(Math.abs(U - ref.energy) <= 1e-12 * Math.max(1, Math.abs(ref.energy)), `${what}: U ${U} vs ${ref.energy}`);
            assert.ok(relErr(f, ref.forces) < 1e-12, `${what}: forces`);
            assert.ok(Math.abs(sys.energy(c.positions) - U) <= 1e-12 * Math.max(1, Math.abs(U)), `${what}: energy()`);
          } finally {
            sys.close();
          }
        }
      }
});

test("threaded pair loop and integrator: the same thread count gives bit-identical MD, and 1 vs 2 threads agree to rounding", () => {
  const model = modelByName("pss", { rc: 1.2 });
  const c = randomConfig(model, { d: 3, n: 1500, density: 0.6, seed: 71, minDist: 0.85 });
  c.positions.set(minimize(new PairSystem(c, model).energyForcesFn, c.positions, { d: 3, method: "fire", fTol: 1e-2, maxIterations: 100000 }).x);
  const run = (threads: number): Float64Array => {
    const sys = new PairSystem(c, model, { threads });
    try {
      const s = initMd(sys.energyForcesFn, c.positions, { d: 3, dt: 0.002, thermostat: "berendsen", tau: 0.5, temperature: 1, seed: 5 });
      // Progress reports every 25 steps move the state out of the shared vectors and back in.
      let reports = 0;
      new MolecularDynamics(sys.energyForcesFn, { vectors: sys.vectors }).run(s, 60, { every: 25, onProgress: () => reports++ });
      assert.equal(reports, 3);
      assert.ok(sys.rebuilds > 1, "the run rebuilt its list");
      return Float64Array.from(s.x);
    } finally {
      sys.close();
    }
  };
  const a = run(2);
  const b = run(2);
  assert.deepEqual(a, b, "two runs at 2 threads are bit-identical");
  const serial = run(1);
  assert.ok(relErr(a, serial) < 1e-9, `1 vs 2 threads after 60 steps: ${relErr(a, serial)}`);
});

test("threaded pair loop follows box changes, type swaps (exact cutoffs) and restores a list from its build positions", () => {
  const model = modelByName("kablj");
  const c = randomConfig(model, { d: 3, n: 400, density: 1.0, seed: 72, minDist: 0.8 });
  const serial = new PairSystem(c, model);
  const threaded = new PairSystem(c, model, { threads: 2 });
  try {
    const same = (what: string): void => {
      const r = evaluate(threaded, c.positions);
      const s = evaluate(serial, c.positions);
      assert.ok(Math.abs(r.U - s.U) <= 1e-12 * Math.abs(s.U), `${what}: U ${r.U} vs ${s.U}`);
      assert.ok(relErr(r.f, s.f) < 1e-12, `${what}: forces`);
    };
    same("start");
    // Swap the types of two particles in place: the threaded list must notice (exact filtering).
    const i = c.types.indexOf(0);
    const j = c.types.indexOf(1);
    c.types[i] = 1;
    c.types[j] = 0;
    const before = threaded.rebuilds;
    same("after a swap");
    assert.equal(threaded.rebuilds, before + 1, "a swap rebuilds");
    // An affine shear of box and positions.
    const F = [1, 0.05, 0, 0, 1, 0, 0, 0, 1];
    const box = c.box.deformed(F);
    const x = c.positions;
    for (let p = 0; p < c.n; p++) x[p * 3] += 0.05 * x[p * 3 + 1];
    serial.setBox(box);
    threaded.setBox(box);
    same("after a shear");
    assert.equal(threaded.box, box);
    // A list restored from its build positions sums in the same order: identical bits.
    const at = threaded.listPositions();
    assert.ok(at !== null);
    const ref = evaluate(threaded, x);
    const fresh = new PairSystem({ ...c, box }, model, { threads: 2 });
    try {
      fresh.rebuildListAt(at);
      const again = evaluate(fresh, x);
      assert.equal(again.U, ref.U);
      assert.deepEqual(again.f, ref.f);
    } finally {
      fresh.close();
    }
  } finally {
    threaded.close();
  }
});

test("threaded FIRE (pair loop and vector loops) follows the serial FIRE and reaches its minimum, also when resumed from a serial state", () => {
  const model = modelByName("pss", { rc: 1.2 });
  // From a random start: the first steps are capped (maxStep), exercising every branch.
  const c = randomConfig(model, { d: 2, n: 600, density: 0.6, seed: 73, minDist: 0.8 });
  const serial = new PairSystem(c, model);
  const threaded = new PairSystem(c, model, { threads: 2 });
  try {
    const opts = { fTol: 1e-10, maxIterations: 200000 };
    // Step by step: the same trajectory up to the rounding of the sums.
    const fs = new Fire(serial.energyForcesFn, 2, opts);
    const ft = new Fire(threaded.energyForcesFn, 2, { ...opts, vectors: threaded.vectors });
    const ss = fs.init(c.positions);
    const st = ft.init(c.positions);
    assert.equal(st.x, threaded.vectors!.x, "the threaded state lives in the shared vectors");
    for (let k = 0; k < 40; k++) {
      fs.step(ss);
      ft.step(st);
    }
    assert.equal(st.dt, ss.dt);
    assert.ok(relErr(st.x, ss.x) < 1e-12, `positions after 40 steps: ${relErr(st.x, ss.x)}`);
    assert.ok(Math.abs(st.maxForce - ss.maxForce) <= 1e-9 * ss.maxForce, `max force ${st.maxForce} vs ${ss.maxForce}`);
    const a = minimize(serial.energyForcesFn, c.positions, { d: 2, method: "fire", ...opts });
    const b = minimize(threaded.energyForcesFn, c.positions, { d: 2, method: "fire", ...opts, vectors: threaded.vectors });
    assert.ok(Math.abs(a.energy - b.energy) < 1e-8 * Math.abs(a.energy), `U ${a.energy} vs ${b.energy}`);
    assert.ok(b.maxForce < 1e-10);
    // A serial state (as from a checkpoint) continued threaded: adopted into the shared vectors.
    const resumed = continueMinimization(threaded.energyForcesFn, ss, { ...opts, vectors: threaded.vectors });
    assert.equal(ss.x, threaded.vectors!.x);
    assert.ok(Math.abs(resumed.energy - a.energy) < 1e-8 * Math.abs(a.energy), `resumed U ${resumed.energy} vs ${a.energy}`);
  } finally {
    threaded.close();
  }
});

test("shared vector operations do the serial loops' arithmetic entry by entry", () => {
  const d = 3;
  const len = 3 * 40;
  const rng = Rng.fromSeed(9);
  const fresh = () => Float64Array.from({ length: len }, () => rng.uniform() - 0.5);
  const m = { x: fresh(), f: fresh(), v: fresh(), xPrev: new Float64Array(len), fPrev: new Float64Array(len), args: new Float64Array(8), partials: new Float64Array(2 * PARTIALS) };
  const run = (op: number, a1 = 0, a2 = 0, a3 = 0): void => {
    m.args.set([op, a1, a2, a3]);
    // Two "threads": particles 0–19 and 20–39.
    runVectorOp(m, d, 0, 60, 0);
    runVectorOp(m, d, 60, len, 1);
  };
  const x0 = Float64Array.from(m.x);
  const v0 = Float64Array.from(m.v);
  run(VECTOR_OP.kickDrift, 0.01, 0.02);
  for (let k = 0; k < len; k++) {
    const v = v0[k] + 0.01 * m.f[k];
    assert.equal(m.v[k], v);
    assert.equal(m.x[k], x0[k] + 0.02 * v);
  }
  const v1 = Float64Array.from(m.v);
  run(VECTOR_OP.fireMix, 1, 0.1, 0.3);
  let max = 0;
  for (let k = 0; k < len; k++) assert.equal(m.v[k], (1 - 0.1) * v1[k] + 0.3 * m.f[k]);
  for (let i = 0; i < 40; i++) max = Math.max(max, m.v[3 * i] ** 2 + m.v[3 * i + 1] ** 2 + m.v[3 * i + 2] ** 2);
  assert.ok(Math.abs(Math.max(m.partials[0], m.partials[PARTIALS]) - max) <= 1e-15 * max);
  run(VECTOR_OP.dotFV);
  assert.ok(Math.abs(m.partials[0] + m.partials[PARTIALS] - dot(m.f, m.v)) < 1e-13);
  m.v[5] = NaN;
  run(VECTOR_OP.fireMix, 0, 0, 0);
  assert.ok(Number.isNaN(m.partials[0]), "a NaN velocity gives a NaN max norm");
  m.args[0] = 99;
  assert.throws(() => runVectorOp(m, d, 0, len, 0), /unknown operation 99/);
});

test("threaded pair loop: clear errors for a model the workers cannot build, bad sizes and use after close", () => {
  const pss = modelByName("pss");
  const c = randomConfig(pss, { d: 2, n: 50, density: 0.6, seed: 74, minDist: 0.8 });
  // A model made in code, not from the registry: the worker threads cannot rebuild it.
  const custom: Model = { ...pss, name: "my-model" };
  assert.throws(() => new PairSystem(c, custom, { threads: 2 }), (e: unknown) => e instanceof GlassmechError && /thread 1 failed in 'start-up': .*my-model/.test(e.message));
  assert.throws(() => new PairSystem(c, pss, { threads: 0 }), /threads must be a positive integer/);
  assert.throws(() => new PairSystem(c, pss, { threads: 2, loop: "generic" }), /runs on one thread only/);
  assert.throws(() => new PairSystem({ ...c, n: 1, positions: c.positions.subarray(0, 2), types: c.types.subarray(0, 1) }, pss, { threads: 2 }), /1 particles cannot be shared by 2 threads/);
  const sys = new PairSystem(c, pss, { threads: 2 });
  const x = Float64Array.from(c.positions);
  x[7] = NaN;
  assert.throws(() => evaluate(sys, x), /coordinate 1 of particle 3 is not finite/);
  assert.ok(Number.isFinite(evaluate(sys, c.positions).U), "still usable after a rejected input");
  sys.close();
  assert.throws(() => evaluate(sys, c.positions), /used after close/);
});
