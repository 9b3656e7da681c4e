import { test } from "node:test";
import assert from "node:assert/strict";
import { GlassmechError } from "../../src/core/errors.js";
import { MolecularDynamics, initMd } from "../../src/dynamics/index.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { minimize } from "../../src/minimize/index.js";
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

test("threaded pair loop: the same thread count gives bit-identical MD, and 1 vs 2 threads agree to rounding", () => {
  const model = modelByName("pss", { rc: 1.2 });
  const c = randomConfig(model, { d: 3, n: 1500, density: 0.6, seed: 71, minDist: 0.85 });
  c.positions.set(minimize(new PairSystem(c, model).energyForcesFn, c.positions, { d: 3, method: "fire", fTol: 1e-2, maxIterations: 100000 }).x);
  const run = (threads: number): Float64Array => {
    const sys = new PairSystem(c, model, { threads });
    try {
      const s = initMd(sys.energyForcesFn, c.positions, { d: 3, dt: 0.002, thermostat: "berendsen", tau: 0.5, temperature: 1, seed: 5 });
      new MolecularDynamics(sys.energyForcesFn).run(s, 60);
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

test("threaded FIRE minimization reaches the serial minimum", () => {
  const model = modelByName("pss", { rc: 1.2 });
  const c = randomConfig(model, { d: 2, n: 600, density: 0.6, seed: 73, minDist: 0.8 });
  const serial = new PairSystem(c, model);
  const threaded = new PairSystem(c, model, { threads: 2 });
  try {
    const a = minimize(serial.energyForcesFn, c.positions, { d: 2, method: "fire", fTol: 1e-10, maxIterations: 200000 });
    const b = minimize(threaded.energyForcesFn, c.positions, { d: 2, method: "fire", fTol: 1e-10, maxIterations: 200000 });
    assert.ok(Math.abs(a.energy - b.energy) < 1e-8 * Math.abs(a.energy), `U ${a.energy} vs ${b.energy}`);
  } finally {
    threaded.close();
  }
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
