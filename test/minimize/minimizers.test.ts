import { test } from "node:test";
import assert from "node:assert/strict";
import { ConjugateGradient, Fire, minimize, type MinimizeResult } from "../../src/minimize/index.js";
import { maxParticleNorm } from "../../src/minimize/vectors.js";
import { GlassmechError } from "../../src/core/errors.js";
import type { EnergyForces } from "../../src/forces/types.js";
import { anisotropicQuadratic, coupledQuadratic, icosahedron13, ljCluster, periodicLJ, randomPositions, rosenbrock } from "./testPotentials.js";

const methods = ["fire", "cg"] as const;

function check(r: MinimizeResult, ef: EnergyForces, d: number): void {
  assert.equal(r.converged, true);
  assert.equal(r.roundOffFloor, false);
  assert.ok(r.maxForce < 1e-10, `max force ${r.maxForce}`);
  // the reported numbers are those of the returned positions
  const f = new Float64Array(r.x.length);
  const u = ef(r.x, f);
  assert.equal(u, r.energy);
  assert.equal(maxParticleNorm(f, d), r.maxForce);
  assert.ok(r.energyEvaluations >= r.iterations);
}

for (const method of methods) {
  test(`${method}: stiff anisotropic quadratic (condition 1e4) to max force < 1e-10`, () => {
    const { ef, center } = anisotropicQuadratic(60, 1e4);
    const r = minimize(ef, new Float64Array(60), { d: 3, method });
    check(r, ef, 3);
    for (let k = 0; k < 60; k++) assert.ok(Math.abs(r.x[k] - center[k]) < 1e-10);
  });

  test(`${method}: dense coupled quadratic`, () => {
    const { ef, center } = coupledQuadratic(24);
    const r = minimize(ef, new Float64Array(24), { d: 2, method, maxIterations: 20000, maxStep: 10 });
    check(r, ef, 2);
    for (let k = 0; k < 24; k++) assert.ok(Math.abs(r.x[k] - center[k]) < 1e-9, `${k}: ${r.x[k]} vs ${center[k]}`);
  });

  test(`${method}: extended Rosenbrock valleys reach the minimum at (1, …, 1)`, () => {
    const x0 = new Float64Array(20);
    for (let i = 0; i < 20; i += 2) {
      x0[i] = -1.2;
      x0[i + 1] = 1;
    }
    const r = minimize(rosenbrock, x0, { d: 2, method, maxIterations: 200000 });
    check(r, rosenbrock, 2);
    for (let k = 0; k < 20; k++) assert.ok(Math.abs(r.x[k] - 1) < 1e-9, `${k}: ${r.x[k]}`);
  });

  test(`${method}: LJ13 from a distorted icosahedron finds E = −44.326801 (global minimum)`, () => {
    const x0 = icosahedron13(1.1);
    for (let k = 0; k < x0.length; k++) x0[k] += 0.05 * Math.sin(7.3 * k);
    const r = minimize(ljCluster, x0, { d: 3, method });
    check(r, ljCluster, 3);
    assert.ok(Math.abs(r.energy - -44.326801) < 1e-6, `energy ${r.energy}`);
  });

  test(`${method}: random start with overlapping cores (forces ~1e27) in a periodic LJ box`, () => {
    const L = Math.cbrt(64 / 0.9);
    const ef = periodicLJ(3, L);
    const x0 = randomPositions(3, 64, L, 7);
    // put particle 1 almost on top of particle 0
    for (let a = 0; a < 3; a++) x0[3 + a] = x0[a] + (a === 0 ? 0.01 : 0);
    const f = new Float64Array(x0.length);
    ef(x0, f);
    assert.ok(maxParticleNorm(f, 3) > 1e25);
    const r = minimize(ef, x0, { d: 3, method, maxIterations: 100000 });
    check(r, ef, 3);
    assert.ok(r.energy / 64 < -5, `energy per particle ${r.energy / 64}`);
  });
}

test("FIRE and CG agree on the energy of a minimum when started near it", () => {
  const L = Math.cbrt(64 / 0.9);
  const ef = periodicLJ(3, L);
  const base = minimize(ef, randomPositions(3, 64, L, 11), { d: 3, method: "cg" });
  const x0 = Float64Array.from(base.x, (v, k) => v + 1e-3 * Math.sin(3.1 * k));
  const rf = minimize(ef, x0, { d: 3, method: "fire" });
  const rc = minimize(ef, x0, { d: 3, method: "cg" });
  assert.ok(Math.abs(rf.energy - rc.energy) <= 1e-10 * Math.abs(rc.energy), `${rf.energy} vs ${rc.energy}`);
  assert.ok(Math.abs(rc.energy - base.energy) <= 1e-10 * Math.abs(rc.energy));
  let dmax = 0;
  for (let k = 0; k < x0.length; k++) dmax = Math.max(dmax, Math.abs(rf.x[k] - rc.x[k]));
  assert.ok(dmax < 1e-8, `positions differ by ${dmax}`);
});

test("non-convergence is an error naming the numbers, or an explicit flag", () => {
  const { ef } = anisotropicQuadratic(30, 1e4);
  for (const method of methods) {
    assert.throws(
      () => minimize(ef, new Float64Array(30), { d: 3, method, maxIterations: 3 }),
      (e: unknown) => e instanceof GlassmechError && /did not converge/.test(e.message) && /3 iterations/.test(e.message) && /max force/.test(e.message),
    );
    const r = minimize(ef, new Float64Array(30), { d: 3, method, maxIterations: 3, onFailure: "flag" });
    assert.equal(r.converged, false);
    assert.equal(r.iterations, 3);
    assert.match(r.failure ?? "", /maxIterations 3/);
    assert.ok(r.maxForce > 1e-10);
  }
});

test("forces with a round-off floor above fTol: the run stops there, at its lowest-force point", () => {
  // A quadratic whose forces carry a deterministic ±3e-10 "round-off" (a function of x, as the
  // real one is), like a glass of 10⁶ particles: max |F| cannot go much below ~1e-10·few.
  const { ef: clean } = anisotropicQuadratic(60, 1e2);
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const ef: EnergyForces = (x, f) => {
    const u = clean(x, f);
    for (let k = 0; k < x.length; k++) {
      bits[0] = x[k]; // a hash of the bits of x: uncorrelated for neighbouring floats
      let h = Math.imul(words[0] ^ Math.imul(words[1], 0x9e3779b1) ^ k, 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      f[k] += 3e-10 * (((h ^ (h >>> 16)) >>> 0) / 2 ** 31 - 1);
    }
    return u;
  };
  for (const method of methods) {
    const r = minimize(ef, new Float64Array(60), { d: 3, method, maxIterations: 50000 });
    assert.equal(r.converged, true);
    assert.equal(r.roundOffFloor, true, `${method}: max force ${r.maxForce}`);
    assert.equal(r.failure, null);
    assert.ok(r.maxForce > 1e-10 && r.maxForce < 1e-9, `${method}: max force ${r.maxForce}`);
    assert.ok(r.iterations < 5000, `${method}: ${r.iterations} iterations`);
    const f = new Float64Array(60);
    assert.equal(ef(r.x, f), r.energy);
    assert.equal(maxParticleNorm(f, 3), r.maxForce);
    // Without the floor stop the same run exhausts its budget.
    assert.throws(
      () => minimize(ef, new Float64Array(60), { d: 3, method, maxIterations: 3000, floorIterations: 0 }),
      (e: unknown) => e instanceof GlassmechError && /did not converge/.test(e.message),
    );
  }
});

test("already-converged start does no iterations", () => {
  const { ef, center } = anisotropicQuadratic(12, 10);
  for (const method of methods) {
    const r = minimize(ef, center, { d: 3, method });
    assert.equal(r.iterations, 0);
    assert.equal(r.energyEvaluations, 1);
    assert.equal(r.converged, true);
  }
});

test("non-finite forces never destroy positions: FIRE and CG back off", () => {
  // A quadratic well next to a region where the energy is NaN (x_k > 2.45): large steps land there.
  const { ef: q, center } = anisotropicQuadratic(9, 1e3);
  center.fill(2.4);
  let nanCalls = 0;
  const ef: EnergyForces = (x, f) => {
    const u = q(x, f);
    for (let k = 0; k < x.length; k++)
      if (x[k] > 2.45) {
        nanCalls++;
        f[k] = NaN;
        return NaN;
      }
    return u;
  };
  for (const method of methods) {
    nanCalls = 0;
    const r = minimize(ef, new Float64Array(9), { d: 3, method, maxStep: 1, dtStart: 0.05, dtMax: 0.2, dtMin: 1e-4 });
    assert.ok(nanCalls > 0, `${method} never hit the NaN region: test is vacuous`);
    assert.equal(r.converged, true);
    for (let k = 0; k < 9; k++) assert.ok(Math.abs(r.x[k] - 2.4) < 1e-10);
  }
});

test("a start with non-finite forces is rejected with a clear error", () => {
  const x0 = icosahedron13();
  for (let a = 0; a < 3; a++) x0[3 + a] = x0[a]; // particles 0 and 1 coincide: r = 0
  for (const M of [Fire, ConjugateGradient])
    assert.throws(() => new M(ljCluster, 3).init(x0), (e: unknown) => e instanceof GlassmechError && /not finite at the starting configuration/.test(e.message));
});

test("bad options and shapes are rejected", () => {
  const { ef } = anisotropicQuadratic(6, 10);
  assert.throws(() => minimize(ef, new Float64Array(7), { d: 3 }), GlassmechError);
  assert.throws(() => minimize(ef, new Float64Array(6), { d: 5 }), GlassmechError);
  assert.throws(() => minimize(ef, new Float64Array(6), { d: 3, fTol: -1 }), GlassmechError);
  assert.throws(() => minimize(ef, new Float64Array(6), { d: 3, method: "fire", dtStart: 1, dtMax: 0.5 }), GlassmechError);
  assert.throws(() => minimize(ef, new Float64Array(6), { d: 3, method: "bfgs" as "cg" }), GlassmechError);
});
