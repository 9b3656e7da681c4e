import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { fileCheckpointStore } from "../../src/io/checkpointFile.js";
import { createModel } from "../../src/models/index.js";
import { makeGlass, type MakeGlassOptions } from "../../src/protocols/makeGlass.js";
import { autoTimeStep } from "../../src/protocols/timestep.js";
import { randomConfiguration } from "../../src/protocols/randomStart.js";
import { Rng } from "../../src/core/rng.js";
import { GlassmechError } from "../../src/core/errors.js";

const pss = createModel({ name: "pss", params: { rc: 1.2 } });
const base: MakeGlassOptions = { model: pss, d: 3, n: 150, tp: 2, seed: 11, time: 3, checkpointSteps: 200 };

test("a made glass is a minimum (max force < 1e-10) and the same seed gives the same bits", () => {
  const a = makeGlass(base), b = makeGlass(base);
  assert.ok(a.report.minimization.maxForce < 1e-10);
  assert.deepEqual(Array.from(a.config.positions), Array.from(b.config.positions));
  const c = makeGlass({ ...base, seed: 12 });
  assert.notDeepEqual(Array.from(a.config.positions), Array.from(c.config.positions));
  // reload check: a fresh pair system sees the same largest force
  const f = new Float64Array(a.config.n * 3);
  new PairSystem(a.config, pss).energyForces(a.config.positions, f);
  let m = 0;
  for (let i = 0; i < a.config.n; i++) m = Math.max(m, Math.hypot(f[3 * i], f[3 * i + 1], f[3 * i + 2]));
  assert.ok(m < 1e-10);
});

test("a run killed mid-equilibration resumes from its checkpoint to the bit-identical glass", () => {
  const dir = mkdtempSync(join(tmpdir(), "gm-make-"));
  try {
    const checkpoint = fileCheckpointStore(join(dir, "cp.json"));
    const whole = makeGlass(base);
    let calls = 0;
    assert.throws(
      () =>
        makeGlass({
          ...base,
          checkpoint,
          onProgress: (p) => {
            if (p.stage === "equilibrate" && p.done >= 450 && ++calls === 1) throw new Error("killed");
          },
        }),
      /killed/,
    );
    assert.ok(existsSync(checkpoint.where));
    const resumed = makeGlass({ ...base, checkpoint });
    assert.deepEqual(Array.from(resumed.config.positions), Array.from(whole.config.positions));
    // a checkpoint of other options is refused, not silently used
    assert.throws(() => makeGlass({ ...base, seed: 99, checkpoint }), /different options/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("continuous quench reaches a lower energy than the instantaneous quench from the same parent", () => {
  const inst = makeGlass({ ...base, n: 100, time: 2 });
  const cont = makeGlass({ ...base, n: 100, time: 2, protocol: "continuous", rate: 0.05 });
  assert.ok(cont.report.coolingSteps > 0);
  assert.ok(cont.report.energyPerParticle < inst.report.energyPerParticle, `${cont.report.energyPerParticle} < ${inst.report.energyPerParticle}`);
});

test("the thermostat holds T_p and the equilibration report is filled", () => {
  const g = makeGlass({ ...base, time: 6 });
  assert.ok(Math.abs(g.report.meanTemperature - 2) < 0.2, `mean T ${g.report.meanTemperature}`);
  const eq = g.report.equilibration;
  assert.ok(eq.samples > 10 && eq.stressAutocorrelation[0] > 0 && Number.isFinite(eq.relaxationTime));
});

test("auto time step: the standard 0.005 where it is known to work, smaller for stiff hot cases", () => {
  assert.ok(autoTimeStep(pss, 2) >= 0.004);
  const hot = autoTimeStep(createModel({ name: "pss", params: { rc: 1.1 } }), 6);
  const q20 = autoTimeStep(createModel({ name: "qss", params: { q: 20, xc: 1.8 } }), 6);
  assert.ok(hot < 0.004 && q20 < 0.0015 && q20 < hot, `${hot} ${q20}`);
});

test("the stiffest paper case (QSS q = 20 at T_p = 6) equilibrates with the auto time step", () => {
  const q20 = createModel({ name: "qss", params: { q: 20, xc: 1.8 } });
  const g = makeGlass({ model: q20, d: 3, n: 100, tp: 6, seed: 5, time: 1 });
  assert.ok(g.report.minimization.maxForce < 1e-10);
  assert.ok(Math.abs(g.report.meanTemperature - 6) < 1.0);
});

test("a blow-up (absurd dt) is an error, never a glass", () => {
  assert.throws(() => makeGlass({ ...base, dt: 0.05 }), (e: unknown) => e instanceof GlassmechError && /blew up/.test((e as Error).message));
});

test("random start: exact binary composition, sizes for POLY, requested density", () => {
  const c = randomConfiguration(pss, Rng.fromSeed(1), { d: 2, n: 101, density: 0.8 });
  const ones = c.types.reduce((a, t) => a + t, 0);
  assert.ok(ones === 50 || ones === 51);
  assert.ok(Math.abs(c.n / c.box.volume - 0.8) < 1e-12);
  const poly = createModel({ name: "poly", params: {} });
  const p = randomConfiguration(poly, Rng.fromSeed(1), { d: 3, n: 50 });
  assert.equal(p.sizes?.length, 50);
  assert.throws(() => randomConfiguration(pss, Rng.fromSeed(1), { d: 5, n: 10 }), GlassmechError);
});

test("bad options are refused with a clear message", () => {
  assert.throws(() => makeGlass({ ...base, tp: -1 }), /parent temperature/);
  assert.throws(() => makeGlass({ ...base, seed: 1.5 }), /seed/);
});

test("Swap MC equilibration of POLY: a minimized glass with permuted sizes, reproducible and resumable", () => {
  const poly = createModel({ name: "poly", params: {} });
  const o: MakeGlassOptions = { model: poly, d: 2, n: 80, tp: 1.0, seed: 3, equilibrator: "swap", sweeps: 120, sampleEvery: 10 };
  const a = makeGlass(o);
  assert.ok(a.report.minimization.maxForce < 1e-10);
  assert.equal(a.report.equilibrator, "swap");
  assert.ok(a.report.equilibration.samples > 0);
  const fresh = randomConfiguration(poly, Rng.forSample(3, 0), { d: 2, n: 80 });
  const sorted = (x: Float64Array) => Array.from(x).sort((p, q) => p - q);
  assert.deepEqual(sorted(a.config.sizes!), sorted(fresh.sizes!), "swaps permute the same sizes");
  assert.notDeepEqual(Array.from(a.config.sizes!), Array.from(fresh.sizes!), "and do permute them");
  const dir = mkdtempSync(join(tmpdir(), "gm-swap-"));
  try {
    const checkpoint = fileCheckpointStore(join(dir, "cp.json"));
    let calls = 0;
    assert.throws(() => makeGlass({ ...o, checkpoint, onProgress: (p) => { if (p.stage === "equilibrate" && p.done >= 50 && ++calls === 1) throw new Error("killed"); } }), /killed/);
    const resumed = makeGlass({ ...o, checkpoint });
    assert.deepEqual(Array.from(resumed.config.positions), Array.from(a.config.positions));
    assert.deepEqual(Array.from(resumed.config.sizes!), Array.from(a.config.sizes!));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
