import { test } from "node:test";
import assert from "node:assert/strict";
import { identity } from "../../src/core/box.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { elasticModuli } from "../../src/hessian/moduli.js";
import { elasticity } from "../../src/observables/elasticity.js";
import {
  bulkModulusFromTensor,
  elasticTensorFromStrainHessian,
  isotropicShearModulus,
  shearModulusFromTensor,
  toVoigt,
  voigtLabels,
  voigtPairs,
} from "../../src/observables/elasticTensor.js";
import { measured } from "./measured.js";
import { fullStrainHessian } from "./fullStrainHessian.js";
import { relaxedUnder, smallGlass, type GlassSpec } from "./glasses.js";

const at = (d: number, a: number, b: number, c: number, e: number): number => ((a * d + b) * d + c) * d + e;
const del = (a: number, b: number): number => (a === b ? 1 : 0);

test("Voigt order and labels", () => {
  assert.deepEqual(voigtLabels(2), ["xx", "yy", "xy"]);
  assert.deepEqual(voigtLabels(3), ["xx", "yy", "zz", "yz", "xz", "xy"]);
  assert.equal(voigtPairs(4).length, 10);
  assert.deepEqual(voigtLabels(4).slice(4), ["zw", "yw", "yz", "xw", "xz", "xy"]);
});

for (const d of [2, 3, 4])
  test(`isotropic solid under pressure, d=${d}: Birch coefficients, G and K recovered`, () => {
    // Lagrangian constants C^E = λ δ_ab δ_ce + μ(δ_ac δ_be + δ_ae δ_bc) under σ = −p I; W = C^E + δ_ac σ_be (Eq. 1).
    const lam = 1.7, mu = 0.9, p = 0.35;
    const D = d * d;
    const W = new Float64Array(D * D);
    const stress = new Float64Array(D);
    for (let a = 0; a < d; a++) stress[a * d + a] = -p;
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++)
        for (let c = 0; c < d; c++)
          for (let e = 0; e < d; e++)
            W[at(d, a, b, c, e)] = lam * del(a, b) * del(c, e) + mu * (del(a, c) * del(b, e) + del(a, e) * del(b, c)) - p * del(a, c) * del(b, e);
    const t = elasticTensorFromStrainHessian(d, W, stress);
    assert.ok(t.asymmetry < 1e-15);
    // Barron–Klein: C = C^E − p(δ_ac δ_be + δ_ae δ_bc − δ_ab δ_ce), i.e. λ → λ + p, μ → μ − p.
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++)
        for (let c = 0; c < d; c++)
          for (let e = 0; e < d; e++) {
            const want = (lam + p) * del(a, b) * del(c, e) + (mu - p) * (del(a, c) * del(b, e) + del(a, e) * del(b, c));
            assert.ok(Math.abs(t.C[at(d, a, b, c, e)] - want) < 1e-14);
            assert.equal(t.stressStrain[at(d, a, b, c, e)], t.C[at(d, a, b, c, e)]); // hydrostatic: B = C
          }
    // Simple-shear G = W_xy,xy = μ − p; K = λ + p + 2(μ − p)/d.
    assert.ok(Math.abs(shearModulusFromTensor(t) - (mu - p)) < 1e-14);
    assert.ok(Math.abs(isotropicShearModulus(t) - (mu - p)) < 1e-14);
    assert.ok(Math.abs(bulkModulusFromTensor(t) - (lam + p + (2 * (mu - p)) / d)) < 1e-14);
    // A wrong stress term breaks the minor symmetry: the check can fail.
    const bad = elasticTensorFromStrainHessian(d, W, stress.map((v) => 2 * v));
    assert.ok(bad.asymmetry > 1e-3);
  });

const TENSOR_GLASSES: GlassSpec[] = [
  { name: "pss", params: { rc: 1.2 }, d: 3, n: 100, density: 0.6, seed: 12 },
  { name: "qss", params: { q: 20, xc: 1.8 }, d: 2, n: 100, density: 0.78, seed: 13, fTol: 1e-11 },
];

for (const spec of TENSOR_GLASSES)
  test(`${spec.name} d=${spec.d}: elastic tensor is symmetric, reproduces G and K, and the stress–strain response`, () => {
    const { config: c, model } = smallGlass(spec);
    const d = c.d;
    const D = d * d;
    const V = c.box.volume;
    const rec = new PairSystem(c, model).records(c.positions);
    const e = elasticity(rec, c.n, V, { tensor: true, cg: { tol: 1e-10 } });
    const t = e.tensor!;
    // Voigt symmetry (major and minor), exactly.
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++)
        for (let cc = 0; cc < d; cc++)
          for (let ee = 0; ee < d; ee++) {
            const v = t.C[at(d, a, b, cc, ee)];
            assert.equal(v, t.C[at(d, b, a, cc, ee)]);
            assert.equal(v, t.C[at(d, a, b, ee, cc)]);
            assert.equal(v, t.C[at(d, cc, ee, a, b)]);
          }
    const voigt = toVoigt(d, t.C);
    const m = voigtPairs(d).length;
    for (let I = 0; I < m; I++) for (let J = 0; J < m; J++) assert.equal(voigt[I * m + J], voigt[J * m + I]);

    // Independent route: the full d² right-hand-side relaxed strain Hessian (./fullStrainHessian.ts).
    // Its W − δ_ac σ_be must be minor-symmetric (Eq. 1: rotation invariance), and equal ours.
    const full = fullStrainHessian(rec, c.n, V);
    const fromFull = elasticTensorFromStrainHessian(d, full.tensor, full.stress);
    assert.ok(fromFull.asymmetry < 1e-8, `Lagrangian tensor asymmetry ${fromFull.asymmetry}`);
    let scale = 0;
    for (const v of full.tensor) scale = Math.max(scale, Math.abs(v));
    for (let k = 0; k < D * D; k++)
      assert.ok(Math.abs(full.tensor[k] - e.strainHessian![k]) <= 1e-9 * scale, `W[${k}] ${e.strainHessian![k]} vs ${full.tensor[k]}`);

    // G of every shear plane and K from the direct formulas (SPEC §4.3) to ~1e-10.
    for (const [a, b] of [[0, 1], [1, 0], ...(d === 3 ? [[0, 2], [2, 1]] : [])] as [number, number][]) {
      const direct = elasticModuli(rec, c.n, V, { shearPlane: [a, b] });
      const g = shearModulusFromTensor(t, a, b);
      assert.ok(Math.abs(g - direct.shearModulus) <= 1e-10 * direct.shearModulus, `G(${a},${b}) ${g} vs ${direct.shearModulus}`);
      if (a === 0 && b === 1) {
        const k = bulkModulusFromTensor(t);
        assert.ok(Math.abs(k - direct.bulkModulus) <= 1e-10 * direct.bulkModulus, `K ${k} vs ${direct.bulkModulus}`);
        assert.ok(Math.abs(e.shearModulus - direct.shearModulus) <= 1e-10 * direct.shearModulus);
        assert.ok(Math.abs(e.shearModulusNonaffine - direct.shearModulusNonaffine) <= 1e-10 * direct.shearModulus);
      }
    }
    // measureGlass reports the same tensor.
    const mg = measured(c, model, { tensor: true });
    assert.deepEqual(mg.elasticTensor!.labels, voigtLabels(d));
    assert.ok(Math.abs(mg.elasticTensor!.voigt[0][0] - voigt[0]) <= 1e-9 * Math.abs(voigt[0]));

    // Finite deformation with symmetric strains F = I + δ S (S = e_a e_a, or (e_a e_b + e_b e_a)/2):
    // dσ_ij/dδ = B_ij,ab (Eq. 2), for every stress component.
    const delta = 1e-5;
    let cMax = 0;
    for (const v of t.C) cMax = Math.max(cMax, Math.abs(v));
    let lagrangianMiss = 0;
    for (const [a, b] of voigtPairs(d)) {
      const stressAt = (s: number) => {
        const F = identity(d);
        F[a * d + b] += a === b ? s : s / 2;
        if (a !== b) F[b * d + a] += s / 2;
        return relaxedUnder(c, model, F, spec.fTol ?? 1e-12).stress;
      };
      const sp = stressAt(delta);
      const sm = stressAt(-delta);
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) {
          const fd = (sp[i * d + j] - sm[i * d + j]) / (2 * delta);
          const B = t.stressStrain[at(d, i, j, a, b)];
          assert.ok(Math.abs(fd - B) <= 1e-4 * cMax, `dσ_${i}${j}/dε_${a}${b}: finite difference ${fd} vs B ${B}`);
          lagrangianMiss = Math.max(lagrangianMiss, Math.abs(fd - t.lagrangian[at(d, i, j, a, b)]));
        }
    }
    // Without the pre-stress terms (Lagrangian constants) the response is off by O(σ): the test can fail.
    assert.ok(lagrangianMiss > 1e-2 * cMax, `pre-stress terms matter (${lagrangianMiss})`);
  });
