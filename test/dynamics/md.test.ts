import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MolecularDynamics,
  conservedEnergy,
  initMd,
  instantaneousTemperature,
  linearCooling,
  maxwellBoltzmann,
  scheduleEndTime,
  stateTemperature,
  temperatureAt,
  type MdState,
} from "../../src/dynamics/index.js";
import { GlassmechError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { deserializeState, serializeState } from "../../src/minimize/checkpoint.js";
import { latticePositions, periodicLJ } from "../minimize/testPotentials.js";

// A small LJ liquid (smoothed at rc = 2.5): 64 particles, ρ = 0.8, d = 3.
const N = 64;
const L = Math.cbrt(N / 0.8);
const ef = periodicLJ(3, L);
const md = new MolecularDynamics(ef);

/** An equilibrated liquid at T = 1.2 (lattice melted with Berendsen), computed once. */
const liquid: MdState = (() => {
  const s = initMd(ef, latticePositions(3, N, L, 0.1, 3), { d: 3, temperature: 1.2, seed: 5, tau: 0.1 });
  md.run(s, 2000);
  return s;
})();

function totalMomentum(v: Float64Array, d: number): number {
  let m = 0;
  for (let a = 0; a < d; a++) {
    let s = 0;
    for (let k = a; k < v.length; k += d) s += v[k];
    m = Math.max(m, Math.abs(s));
  }
  return m;
}

test("Maxwell–Boltzmann velocities: exact T with N_f = d(N−1), zero momentum, seeded", () => {
  for (const d of [2, 3, 4]) {
    const v = maxwellBoltzmann(50, d, 0.7, Rng.fromSeed(1));
    assert.ok(Math.abs(instantaneousTemperature(v, d) - 0.7) < 1e-14);
    assert.ok(totalMomentum(v, d) < 1e-12);
    assert.deepEqual(v, maxwellBoltzmann(50, d, 0.7, Rng.fromSeed(1)));
    assert.notDeepEqual(v, maxwellBoltzmann(50, d, 0.7, Rng.fromSeed(2)));
  }
  // component variance ≈ T (a statistical check that the draw is not e.g. uniform-scaled)
  const v = maxwellBoltzmann(20000, 3, 2, Rng.fromSeed(3));
  let m4 = 0;
  for (const c of v) m4 += c ** 4;
  m4 /= v.length;
  assert.ok(Math.abs(m4 / (3 * 4) - 1) < 0.05, `kurtosis ratio ${m4 / 12}`); // Gaussian: ⟨v⁴⟩ = 3T²
});

/** Max |H(t) − H(0)| per particle over an NVE run of duration `time`. */
function nveEnergyError(dt: number, time: number): number {
  const s = initMd(ef, liquid.x, { d: 3, dt, velocities: liquid.v });
  const h0 = conservedEnergy(s);
  let err = 0;
  md.run(s, Math.round(time / dt), { every: 1, onProgress: (st) => (err = Math.max(err, Math.abs(conservedEnergy(st) - h0))) });
  assert.ok(totalMomentum(s.v, 3) < 1e-10);
  return err / N;
}

test("NVE: energy error bounded and scaling as dt² (ratio ≈ 4 when halving dt)", () => {
  const e1 = nveEnergyError(0.005, 5);
  const e2 = nveEnergyError(0.0025, 5);
  assert.ok(e1 < 2e-3, `energy error per particle ${e1} at dt = 0.005`);
  const ratio = e1 / e2;
  assert.ok(ratio > 3.2 && ratio < 5, `error ratio ${ratio} (${e1} / ${e2})`);
});

function meanTemperature(thermostat: "berendsen" | "bussi", T: number, seed: number): { mean: number; kVar: number; s: MdState } {
  const s = initMd(ef, liquid.x, { d: 3, temperature: T, thermostat, tau: 0.1, seed, velocities: liquid.v });
  md.run(s, 1000); // relax to the new target
  let sum = 0;
  let sum2 = 0;
  let count = 0;
  md.run(s, 6000, {
    every: 5,
    onProgress: (st) => {
      sum += st.kineticEnergy;
      sum2 += st.kineticEnergy ** 2;
      count++;
    },
  });
  const meanK = sum / count;
  const nf = 3 * (N - 1);
  return { mean: (2 * meanK) / nf, kVar: sum2 / count - meanK ** 2, s };
}

test("Berendsen holds the target temperature", () => {
  for (const T of [0.6, 1.5]) {
    const { mean } = meanTemperature("berendsen", T, 1);
    assert.ok(Math.abs(mean / T - 1) < 0.03, `mean T ${mean} vs ${T}`);
  }
});

test("Bussi thermostat holds the target temperature with canonical kinetic-energy fluctuations", () => {
  const T = 0.8;
  const { mean, kVar, s } = meanTemperature("bussi", T, 7);
  assert.ok(Math.abs(mean / T - 1) < 0.03, `mean T ${mean} vs ${T}`);
  const nf = 3 * (N - 1);
  const ratio = kVar / ((nf / 2) * T * T); // canonical: Var K = (N_f/2) T²
  assert.ok(ratio > 0.6 && ratio < 1.5, `Var K / canonical = ${ratio}`);
  // Berendsen suppresses these fluctuations (a check that the test can tell the difference)
  const b = meanTemperature("berendsen", T, 7);
  assert.ok(b.kVar / ((nf / 2) * T * T) < 0.6 * ratio);
  // the effective energy of Bussi et al. (Eq. 9) is conserved up to integration error
  assert.ok(Math.abs(conservedEnergy(s) - s.referenceEnergy) / N < 5e-3);
});

test("same seed gives a bit-identical trajectory; another seed does not", () => {
  const run = (seed: number) => {
    const s = initMd(ef, liquid.x, { d: 3, temperature: 1, thermostat: "bussi", seed });
    return md.run(s, 300);
  };
  const a = run(11);
  const b = run(11);
  const c = run(12);
  assert.deepEqual(a.x, b.x);
  assert.deepEqual(a.v, b.v);
  assert.equal(a.potentialEnergy, b.potentialEnergy);
  assert.notDeepEqual(a.x, c.x);
});

test("checkpoint mid-run and resume: bit-identical to the uninterrupted run", () => {
  for (const thermostat of ["nve", "berendsen", "bussi"] as const) {
    const opts = thermostat === "nve" ? { d: 3, velocities: liquid.v } : { d: 3, temperature: linearCooling(1, 0.05, 0.2), thermostat, seed: 3 };
    const s = initMd(ef, liquid.x, opts);
    md.run(s, 150);
    const saved = serializeState(s);
    md.run(s, 250);
    const r = deserializeState<MdState>(saved);
    assert.equal(r.step, 150);
    new MolecularDynamics(ef).run(r, 250);
    assert.deepEqual(r.x, s.x, thermostat);
    assert.deepEqual(r.v, s.v);
    assert.deepEqual(r.f, s.f);
    assert.deepEqual(r.rng, s.rng);
    assert.equal(r.thermostatHeat, s.thermostatHeat);
    assert.equal(r.time, s.time);
  }
  // step-by-step equals one long run (the generator state is carried through the state)
  const a = initMd(ef, liquid.x, { d: 3, temperature: 1, thermostat: "bussi", seed: 4 });
  const b = initMd(ef, liquid.x, { d: 3, temperature: 1, thermostat: "bussi", seed: 4 });
  md.run(a, 40);
  for (let k = 0; k < 40; k++) md.step(b);
  assert.deepEqual(a.x, b.x);
});

test("blow-up watch: an absurd dt stops with a clear error, never a broken state", () => {
  for (const thermostat of ["nve", "berendsen"] as const) {
    const opts = thermostat === "nve" ? { d: 3, dt: 0.1, velocities: liquid.v } : { d: 3, dt: 0.1, temperature: 1.2, seed: 1 };
    const s = initMd(ef, liquid.x, opts);
    assert.throws(
      () => md.run(s, 1000),
      (e: unknown) => e instanceof GlassmechError && /MD blew up at step \d+ \(t = .*T = .*reduce dt \(now 0.1\)/.test(e.message),
    );
  }
  // a normal dt does not trigger it
  const ok = initMd(ef, liquid.x, { d: 3, velocities: liquid.v });
  md.run(ok, 1000);
  // NaN forces are caught at once
  const nanEf = (x: Float64Array, f: Float64Array) => {
    const u = ef(x, f);
    f[0] = NaN;
    return u;
  };
  assert.throws(() => initMd(nanEf, liquid.x, { d: 3 }), GlassmechError);
});

test("linear cooling schedule (continuous quench): T(t) and a thermostat following it", () => {
  const sch = linearCooling(1.2, 0.02, 0.2);
  assert.equal(temperatureAt(sch, 0), 1.2);
  assert.ok(Math.abs(temperatureAt(sch, 25) - 0.7) < 1e-14);
  assert.equal(temperatureAt(sch, 60), 0.2);
  assert.equal(scheduleEndTime(sch), 50);
  assert.throws(() => linearCooling(1, -1), GlassmechError);

  const s = initMd(ef, liquid.x, { d: 3, temperature: linearCooling(1.2, 0.05, 0.2), tau: 0.1, velocities: liquid.v });
  let sum = 0;
  let sumTarget = 0;
  md.runUntil(s, 10, {
    every: 10,
    onProgress: (st) => {
      if (st.time < 4) return;
      sum += stateTemperature(st);
      sumTarget += temperatureAt(st.schedule!, st.time);
    },
  });
  assert.ok(Math.abs(s.time - 10) < 1e-12);
  assert.ok(Math.abs(sum / sumTarget - 1) < 0.05, `mean T / mean target = ${sum / sumTarget}`);
  md.runUntil(s, 25);
  assert.ok(Math.abs(stateTemperature(s) / 0.2 - 1) < 0.25, `final T ${stateTemperature(s)}`);
});

test("bad MD input is rejected", () => {
  assert.throws(() => initMd(ef, liquid.x, { d: 3, dt: -1 }), GlassmechError);
  assert.throws(() => initMd(ef, liquid.x, { d: 3, thermostat: "bussi" }), /needs a target temperature/);
  assert.throws(() => initMd(ef, liquid.x, { d: 3, temperature: 1 }), /seed/);
  assert.throws(() => initMd(ef, liquid.x, { d: 3, temperature: 1, thermostat: "bussi", velocities: liquid.v }), /seed/);
  assert.throws(() => initMd(ef, liquid.x.subarray(1), { d: 3 }), GlassmechError);
});
