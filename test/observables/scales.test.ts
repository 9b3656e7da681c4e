import { test } from "node:test";
import assert from "node:assert/strict";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { denseSolve } from "../../src/linalg/dense.js";
import { prepareGlass } from "../../src/observables/prepare.js";
import { measured } from "./measured.js";
import { elasticScales, poissonRatio } from "../../src/observables/scales.js";
import { GlassmechError } from "../../src/core/errors.js";
import { smallGlass, type GlassSpec } from "./glasses.js";

const close = (a: number, b: number, tol = 1e-14) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test("Poisson's ratio: hand values and the 2D/3D forms of SPEC §4.3", () => {
  close(poissonRatio(2, 1, 3), 4 / 14);
  close(poissonRatio(2, 1, 2), 1 / 3);
  close(poissonRatio(2, 1, 4), 6 / 26);
  close(poissonRatio(1, 0, 3), 0.5); // incompressible-like limit G → 0
  close(poissonRatio(1, 0, 2), 1);
  close(poissonRatio(1, 1.5, 3), 0); // 3K = 2G
  for (const [K, G] of [[3.1, 0.7], [1, 2.5], [10, 0.01]]) {
    close(poissonRatio(K, G, 3), (3 * K - 2 * G) / (6 * K + 2 * G));
    close(poissonRatio(K, G, 2), (K - G) / (K + G));
  }
  assert.throws(() => poissonRatio(1, 1, 5), GlassmechError);
});

test("Poisson's ratio in d = 2, 3, 4 equals the lateral contraction under uniaxial stress of the isotropic solid", () => {
  const K = 2.3, G = 0.8;
  for (const d of [2, 3, 4]) {
    // σ_aa = λ tr ε + 2G ε_aa with λ = K − 2G/d; uniaxial stress: σ_00 = 1, σ_aa = 0 (a > 0).
    const lam = K - (2 * G) / d;
    const A = new Float64Array(d * d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) A[a * d + b] = lam + (a === b ? 2 * G : 0);
    const rhs = new Float64Array(d);
    rhs[0] = 1;
    const eps = denseSolve(d, A, rhs);
    close(poissonRatio(K, G, d), -eps[1] / eps[0], 1e-12);
  }
});

test("scales a0, c_s, ω0 (SPEC §0)", () => {
  const s = elasticScales(1000, 1250, 3, 20);
  close(s.a0, Math.cbrt(1.25));
  close(s.massDensity, 0.8);
  close(s.cs, 5);
  close(s.omega0, 5 / Math.cbrt(1.25));
  assert.ok(Number.isNaN(elasticScales(10, 10, 2, -1).cs));
});

/** SPEC §4.4 written out over the pair records: f_att = max(0, max_j φ'), f_rep = max(0, max_j −φ'). */
function bruteStickiness(records: ReturnType<PairSystem["records"]>, n: number): number {
  const att = new Float64Array(n);
  const rep = new Float64Array(n);
  for (let p = 0; p < records.count; p++)
    for (const k of [records.i[p], records.j[p]]) {
      att[k] = Math.max(att[k], records.dphi[p]);
      rep[k] = Math.max(rep[k], -records.dphi[p]);
    }
  const sum = (v: Float64Array) => v.reduce((s, x) => s + x, 0);
  return sum(att) / sum(rep);
}

test("stickiness: brute force over pairs for PSS/QSS, exactly 0 for IPL", () => {
  const specs: GlassSpec[] = [
    { name: "pss", params: { rc: 1.2 }, d: 3, n: 100, density: 0.6, seed: 12 },
    { name: "qss", params: { q: 20, xc: 1.8 }, d: 2, n: 100, density: 0.78, seed: 13, fTol: 1e-11 },
  ];
  for (const spec of specs) {
    const { config, model } = smallGlass(spec);
    const m = measured(config, model);
    const s = bruteStickiness(new PairSystem(config, model).records(config.positions), config.n);
    assert.ok(s > 0.05, `sticky glass has attraction (${s})`);
    close(m.stickiness, s, 1e-12);
  }
  const { config, model } = smallGlass({ name: "ipl", params: {}, d: 2, n: 100, density: 0.86, seed: 15 });
  assert.equal(measured(config, model).stickiness, 0);
});

test("measureGlass: SPEC §10 keys, derived ratios, refusal of a non-minimum", () => {
  const { config, model } = smallGlass({ name: "pss", params: { rc: 1.2 }, d: 3, n: 100, density: 0.6, seed: 12 });
  const m = measured(config, model);
  for (const key of ["N", "d", "density", "boxLengths", "model", "energyPerParticle", "pressure", "pressurePlus", "pressureMinus",
    "shearModulus", "shearModulusNonaffine", "bulkModulus", "poissonRatio", "stickiness", "coordination", "maxForce"])
    assert.ok(key in m, key);
  assert.equal(m.model, "model=pss rc=1.2");
  close(m.p0, m.pressurePlus + m.pressureMinus);
  close(m.pressure, m.pressurePlus - m.pressureMinus, 1e-12);
  close(m.pOverP0, m.pressure / m.p0);
  close(m.pOverK, m.pressure / m.bulkModulus);
  close(m.GOverK, m.shearModulus / m.bulkModulus);
  close(m.poissonRatio, (3 - 2 * m.GOverK) / (6 + 2 * m.GOverK), 1e-13); // seed 001 Eq. A6
  close(m.shearModulusAffine - m.shearModulusNonaffine, m.shearModulus, 1e-12);
  assert.ok(m.shearModulusNonaffine > 0);
  close(m.omega0, Math.sqrt(m.shearModulus / m.density) / Math.cbrt(1 / m.density), 1e-13);
  assert.ok(m.maxForce <= 1e-11);
  assert.ok(m.elasticTensor === undefined && m.gr === undefined);
  JSON.parse(JSON.stringify(m)); // plain data

  // Push one particle off its minimum: refused with the advice to relax.
  const x = Float64Array.from(config.positions);
  x[0] += 0.01;
  const moved = { ...config, positions: x };
  assert.throws(() => prepareGlass(moved, model), /max per-particle force .* above the tolerance 1\.0e-8: not a minimum — relax it first \(glassmech relax\)/);
  assert.throws(() => measured(moved, model, { forceTolerance: 1e-20 }), GlassmechError);
  // A generous tolerance accepts it (the numbers are then the user's responsibility).
  const loose = measured(moved, model, { forceTolerance: 10 });
  assert.ok(Number.isFinite(loose.shearModulus));
});
