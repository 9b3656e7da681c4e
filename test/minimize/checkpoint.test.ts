import { test } from "node:test";
import assert from "node:assert/strict";
import { ConjugateGradient, Fire, continueMinimization, deserializeState, minimize, serializeState, type CgState, type FireState, type Minimizer } from "../../src/minimize/index.js";
import { periodicLJ, randomPositions } from "./testPotentials.js";

const L = Math.cbrt(64 / 0.9);
const ef = periodicLJ(3, L);
const x0 = randomPositions(3, 64, L, 21);

test("serializeState round-trips every bit (typed arrays, −0, NaN, ±∞)", () => {
  const s = { a: new Float64Array([0.1, -0, NaN, Infinity, -Infinity, 1e-310]), b: new Int32Array([-1, 2]), c: -0, d: Infinity, e: [1, { f: NaN }], g: null, h: "x" };
  const r = deserializeState<typeof s>(serializeState(s));
  assert.ok(r.a instanceof Float64Array);
  assert.deepEqual(new Uint8Array(r.a.buffer), new Uint8Array(s.a.buffer));
  assert.deepEqual(r.b, s.b);
  assert.ok(Object.is(r.c, -0));
  assert.equal(r.d, Infinity);
  assert.ok(Number.isNaN((r.e[1] as { f: number }).f));
  assert.equal(r.g, null);
  assert.throws(() => serializeState({ m: new Map() }), /not plain data/);
});

function resumeCheck<S extends FireState | CgState>(make: () => Minimizer<S>): string {
  const m = make();
  const s = m.init(x0);
  for (let k = 0; k < 60; k++) m.step(s);
  const saved = serializeState(s);
  const snapshots: Float64Array[] = [];
  for (let k = 0; k < 80; k++) {
    m.step(s);
    snapshots.push(Float64Array.from(s.x));
  }
  // a fresh minimizer object (fresh scratch buffers) continues the restored state
  const m2 = make();
  const r = deserializeState<S>(saved);
  assert.equal(r.iterations, 60);
  for (let k = 0; k < 80; k++) {
    m2.step(r);
    assert.deepEqual(r.x, snapshots[k], `iteration ${61 + k}`);
  }
  assert.equal(r.energy, s.energy);
  assert.equal(r.energyEvaluations, s.energyEvaluations);
  return saved;
}

for (const method of ["fire", "cg"] as const) {
  test(`${method}: resume from a saved state gives the identical trajectory`, () => {
    const saved = method === "fire" ? resumeCheck(() => new Fire(ef, 3)) : resumeCheck(() => new ConjugateGradient(ef, 3));
    // continueMinimization finishes it exactly like an uninterrupted minimize
    const full = minimize(ef, x0, { d: 3, method });
    const resumed = continueMinimization(ef, deserializeState<FireState | CgState>(saved), {});
    assert.deepEqual(resumed.x, full.x);
    assert.equal(resumed.iterations, full.iterations);
    assert.equal(resumed.energyEvaluations, full.energyEvaluations);
  });
}

test("onProgress reports and lets a run be checkpointed", () => {
  const seen: number[] = [];
  let saved = "";
  const r = minimize(ef, x0, {
    d: 3,
    method: "fire",
    progressEvery: 100,
    onProgress: (p) => {
      seen.push(p.iterations);
      if (p.iterations === 200) saved = serializeState(p.state);
    },
  });
  assert.deepEqual(seen.slice(0, 3), [100, 200, 300]);
  assert.equal(seen.at(-1), r.iterations);
  const resumed = continueMinimization(ef, deserializeState<FireState>(saved), {});
  assert.deepEqual(resumed.x, r.x);
});
