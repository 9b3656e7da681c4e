import { test } from "node:test";
import assert from "node:assert/strict";
import { affineTransform, identity, scaleMatrix, shearMatrix } from "../../src/core/box.js";
import type { Configuration } from "../../src/core/configuration.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { assembleHessian } from "../../src/hessian/assemble.js";
import { elasticModuli } from "../../src/hessian/moduli.js";
import { elasticity } from "../../src/observables/elasticity.js";
import { blockToDense, pseudoInverseSolve, symmetricEigen } from "../../src/linalg/dense.js";
import { shearDerivatives, expansionDerivatives } from "../../src/hessian/strain.js";
import { minimize } from "../../src/minimize/index.js";
import { modelByName, randomConfig } from "../forces/helpers.js";

const F_TOL = 1e-12;

/** A small minimized glass (instantaneous quench of a random configuration). */
function glass(name: string, params: Record<string, number>, d: number, n: number, density: number, seed: number): Configuration {
  const model = modelByName(name, params);
  const c0 = randomConfig(model, { d, n, density, seed, minDist: 0.8 });
  const sys = new PairSystem(c0, model);
  const res = minimize(sys.energyForcesFn, c0.positions, { d, method: "cg", fTol: F_TOL, maxIterations: 200000 });
  assert.ok(res.converged, "glass minimized");
  return { ...c0, positions: res.x };
}

/** Strain box and positions by F, re-minimize: energy, virial stress (σV = ∂U/∂ε), volume. */
function relaxedUnder(c: Configuration, F: Float64Array) {
  const model = modelByName(c.model.name, { ...c.model.params });
  const box = c.box.deformed(F);
  const x0 = affineTransform(c.d, c.positions, F);
  const strained = { ...c, box, positions: x0 };
  const sys = new PairSystem(strained, model);
  const res = minimize(sys.energyForcesFn, x0, { d: c.d, method: "cg", fTol: F_TOL, maxIterations: 200000 });
  assert.ok(res.converged);
  const m = sys.measure(res.x);
  return { U: res.energy, stress: m.stress, pressure: m.pressure, volume: box.volume };
}

for (const [name, params, d, n, density, seed] of [
  ["pss", { rc: 1.2 }, 2, 64, 0.7, 7],
  ["ipl", {}, 3, 64, 0.82, 8],
] as const) {
  test(`${name} d=${d}: G and K equal finite deformation with re-minimization`, () => {
    const c = glass(name, { ...params }, d, n, density, seed);
    const model = modelByName(name, { ...params });
    const rec = new PairSystem(c, model).records(c.positions);
    const V = c.box.volume;
    const mod = elasticModuli(rec, c.n, V);
    assert.ok(mod.shearModulus > 0 && mod.bulkModulus > 0);
    assert.ok(mod.shearModulusNonaffine > 0 && mod.shearModulusNonaffine < mod.shearModulusAffine);
    assert.ok(Math.max(...mod.cgResiduals) <= 1e-10);

    if (process.env.GLASSMECH_VERBOSE)
      console.log(name, d, { G: mod.shearModulus, Gna: mod.shearModulusNonaffine, K: mod.bulkModulus, cg: mod.cgIterations });
    // Shear: stress difference (tight) and energy second difference.
    const delta = 1e-5;
    const sp = relaxedUnder(c, shearMatrix(d, delta));
    const sm = relaxedUnder(c, shearMatrix(d, -delta));
    const gStress = (sp.stress[1] - sm.stress[1]) / (2 * delta); // σ_xy = (1/V) ∂U/∂γ
    assert.ok(Math.abs(mod.shearModulus - gStress) <= 1e-4 * mod.shearModulus, `G ${mod.shearModulus} vs stress FD ${gStress}`);
    const D = 1e-4;
    const U0 = relaxedUnder(c, identity(d)).U;
    const gEnergy = (relaxedUnder(c, shearMatrix(d, D)).U - 2 * U0 + relaxedUnder(c, shearMatrix(d, -D)).U) / (V * D * D);
    assert.ok(Math.abs(mod.shearModulus - gEnergy) <= 1e-4 * mod.shearModulus, `G ${mod.shearModulus} vs energy FD ${gEnergy}`);
    // The affine modulus alone would be off by far more: the test can fail.
    assert.ok(Math.abs(mod.shearModulusAffine - gStress) > 1e-2 * mod.shearModulus);

    // Bulk: K = −(1/d) dp/dη from the relaxed pressure, and from the relaxed energy:
    // K = [U_ηη − d U_η] / (V d²) with U(η) the relaxed energy (V = V0 at η = 0).
    const ep = relaxedUnder(c, scaleMatrix(d, Math.exp(delta)));
    const em = relaxedUnder(c, scaleMatrix(d, Math.exp(-delta)));
    const kPressure = -(ep.pressure - em.pressure) / (2 * delta) / d;
    assert.ok(Math.abs(mod.bulkModulus - kPressure) <= 1e-4 * mod.bulkModulus, `K ${mod.bulkModulus} vs pressure FD ${kPressure}`);
    const Up = relaxedUnder(c, scaleMatrix(d, Math.exp(D))).U;
    const Um = relaxedUnder(c, scaleMatrix(d, Math.exp(-D))).U;
    const kEnergy = ((Up - 2 * U0 + Um) / (D * D) - (d * (Up - Um)) / (2 * D)) / (V * d * d);
    assert.ok(Math.abs(mod.bulkModulus - kEnergy) <= 1e-4 * mod.bulkModulus, `K ${mod.bulkModulus} vs energy FD ${kEnergy}`);
    if (process.env.GLASSMECH_VERBOSE)
      console.log(
        [gStress, gEnergy].map((g) => Math.abs(g / mod.shearModulus - 1).toExponential(1)),
        [kPressure, kEnergy].map((k) => Math.abs(k / mod.bulkModulus - 1).toExponential(1)),
      );
  });
}

test("moduli: CG nonaffine term equals the dense pseudo-inverse; full relaxed strain Hessian is consistent", () => {
  const c = glass("pss", { rc: 1.2 }, 2, 50, 0.7, 11);
  const d = 2;
  const model = modelByName("pss", { rc: 1.2 });
  const rec = new PairSystem(c, model).records(c.positions);
  const V = c.box.volume;
  const M = assembleHessian(rec, c.n);
  const mod = elasticModuli(rec, c.n, V, { hessian: M });
  const eig = symmetricEigen(c.n * d, blockToDense(M));
  assert.ok(eig.values[d] > 0, "a stable minimum (only d zero modes)");
  for (const [xi, got, scale] of [
    [shearDerivatives(rec, c.n).xi, mod.shearModulusNonaffine, V],
    [expansionDerivatives(rec, c.n).xi, mod.bulkModulusAffine - mod.bulkModulus, V * d * d],
  ] as const) {
    const { x } = pseudoInverseSolve(eig, xi);
    let q = 0;
    for (let k = 0; k < x.length; k++) q += xi[k] * x[k];
    assert.ok(Math.abs(q / scale - got) <= 1e-8 * Math.abs(got), `Ξ·M⁺·Ξ ${q / scale} vs ${got}`);
  }
  const e = elasticity(rec, c.n, V, { hessian: M, tensor: true });
  const C = { tensor: e.strainHessian!, stress: e.tensor!.stress };
  const D = d * d;
  assert.ok(Math.abs(C.tensor[1 * D + 1] - mod.shearModulus) <= 1e-8 * mod.shearModulus, "C_xy,xy = G");
  // Relaxed U_ηη = V Σ C_aa,cc + Σ ∂U/∂ε_aa; K = [U_ηη − d U_η]/(V d²).
  let sumC = 0;
  let trS = 0;
  for (let a = 0; a < d; a++) {
    trS += C.stress[a * d + a];
    for (let e = 0; e < d; e++) sumC += C.tensor[(a * d + a) * D + e * d + e];
  }
  const K = (V * sumC + V * trS - d * V * trS) / (V * d * d);
  assert.ok(Math.abs(K - mod.bulkModulus) <= 1e-8 * mod.bulkModulus, `K from tensor ${K} vs ${mod.bulkModulus}`);
  for (let p = 0; p < D; p++) for (let q = 0; q < D; q++) assert.equal(C.tensor[p * D + q], C.tensor[q * D + p]);
  // A component that is neither shear nor expansion: uniaxial ε_xx, by finite deformation.
  // At F = diag(1 + s, 1): ∂U/∂ε_xx = V(s) σ_xx(s) / (1 + s) (current-frame stress transported back).
  const delta = 1e-5;
  const dU = (s: number) => {
    const F = identity(d);
    F[0] = 1 + s;
    const r = relaxedUnder(c, F);
    return (r.volume * r.stress[0]) / (1 + s);
  };
  const cxx = (dU(delta) - dU(-delta)) / (2 * delta) / V;
  assert.ok(Math.abs(C.tensor[0] - cxx) <= 1e-4 * Math.abs(cxx), `C_xx,xx ${C.tensor[0]} vs finite deformation ${cxx}`);
});

test("moduli of a non-minimum are refused (force check, then negative curvature)", () => {
  // A random, unminimized configuration at high density has negative Hessian directions.
  const model = modelByName("pss", { rc: 1.2 });
  const c = randomConfig(model, { d: 2, n: 40, density: 0.9, seed: 3, minDist: 0.8 });
  const rec = new PairSystem(c, model).records(c.positions);
  assert.throws(() => elasticModuli(rec, c.n, c.box.volume), /needs a minimized configuration: max force .* exceeds tolerance 1\.000e-8/);
  assert.throws(() => elasticModuli(rec, c.n, c.box.volume, { forceTolerance: Infinity }), /not positive on the translation-free subspace/);
});
