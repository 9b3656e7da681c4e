/**
 * Dipole responses (SPEC §6.2): κ against the dense pseudo-inverse and (z·M·z)/(z·z), Cholesky
 * and CG solvers, block sizes, the seeded pair subset and the force filter.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { assembleHessian } from "../../src/hessian/assemble.js";
import { blockMatVec } from "../../src/linalg/blockMatrix.js";
import { blockToDense, pseudoInverseSolve, symmetricEigen } from "../../src/linalg/dense.js";
import { dipoleResponses, selectDipolePairs } from "../../src/observables/dipoles.js";
import { measured } from "./measured.js";
import { smallGlass, type GlassSpec } from "./glasses.js";

const GLASSES: GlassSpec[] = [
  { name: "pss", params: { rc: 1.2 }, d: 3, n: 120, density: 0.6, seed: 11 },
  { name: "ipl", params: {}, d: 2, n: 150, density: 0.86, seed: 5 },
];

function setup(spec: GlassSpec) {
  const { config, model } = smallGlass(spec);
  const records = new PairSystem(config, model).records(config.positions);
  const M = assembleHessian(records, config.n);
  return { config, model, records, M };
}

for (const spec of GLASSES) {
  test(`κ of a ${spec.d}D ${spec.name} glass equals the dense pseudo-inverse value and (z·M·z)/(z·z), Cholesky and CG`, () => {
    const { config, records, M } = setup(spec);
    const { d, n } = config;
    const nd = n * d;
    const eig = symmetricEigen(nd, blockToDense(M));
    const sel = selectDipolePairs(records, { count: 40, seed: 3 });
    assert.equal(sel.pairs.length, 40);
    const seen: Float64Array[] = [];
    const chol = dipoleResponses(M, records, sel.pairs, {
      solver: "cholesky",
      blockSize: 16,
      onResponse: (z, idx, kappa) => {
        // κ = (z·M·z)/(z·z) from the vector handed out.
        const Mz = new Float64Array(nd);
        blockMatVec(M, z, Mz);
        let zMz = 0, zz = 0;
        for (let t = 0; t < nd; t++) { zMz += z[t] * Mz[t]; zz += z[t] * z[t]; }
        assert.ok(Math.abs(zMz / zz - kappa) <= 1e-10 * kappa);
        if (idx < 3) seen.push(z.slice());
      },
    });
    const cg = dipoleResponses(M, records, sel.pairs, { solver: "cg", blockSize: 7, cgTol: 1e-12 });
    assert.equal(chol.solver, "cholesky");
    assert.equal(cg.solver, "cg");
    assert.ok(chol.maxResidual < 1e-10 && cg.maxResidual < 1e-10);
    for (let t = 0; t < sel.pairs.length; t++) {
      const p = sel.pairs[t];
      // Dense reference: z = M⁺ d, κ = d·M⁺·d / d·M⁺²·d.
      const dv = new Float64Array(nd);
      for (let a = 0; a < d; a++) {
        const na = records.delta[p * d + a] / records.r[p];
        dv[records.j[p] * d + a] += na;
        dv[records.i[p] * d + a] -= na;
      }
      const { x, nullity } = pseudoInverseSolve(eig, dv, 1e-10);
      assert.equal(nullity, d);
      let dz = 0, zz = 0;
      for (let s = 0; s < nd; s++) { dz += dv[s] * x[s]; zz += x[s] * x[s]; }
      const ref = dz / zz;
      assert.ok(Math.abs(chol.kappa[t] - ref) <= 1e-8 * ref, `Cholesky κ ${chol.kappa[t]} vs dense ${ref}`);
      assert.ok(Math.abs(cg.kappa[t] - ref) <= 1e-8 * ref, `CG κ ${cg.kappa[t]} vs dense ${ref}`);
      assert.equal(chol.i[t], records.i[p]);
      assert.equal(chol.j[t], records.j[p]);
      assert.equal(chol.force[t], -records.dphi[p]);
      if (t < 3) {
        // The response itself is M⁺d.
        let err = 0, nx = 0;
        for (let s = 0; s < nd; s++) { err = Math.max(err, Math.abs(seen[t][s] - x[s])); nx = Math.max(nx, Math.abs(x[s])); }
        assert.ok(err <= 1e-8 * nx, `z differs from the dense M⁺d by ${err}`);
      }
    }
  });
}

test("dipole subset: seeded and reproducible, all pairs when M ≥ their number, force filter applied", () => {
  const { records, config, model } = setup(GLASSES[0]);
  const a = selectDipolePairs(records, { count: 25, seed: 9 });
  const b = selectDipolePairs(records, { count: 25, seed: 9 });
  const c = selectDipolePairs(records, { count: 25, seed: 10 });
  assert.deepEqual(Array.from(a.pairs), Array.from(b.pairs));
  assert.notDeepEqual(Array.from(a.pairs), Array.from(c.pairs));
  for (let t = 1; t < a.pairs.length; t++) assert.ok(a.pairs[t] > a.pairs[t - 1], "ascending, distinct");
  let interacting = 0;
  for (let p = 0; p < records.count; p++) if (records.i[p] !== records.j[p]) interacting++;
  const all = selectDipolePairs(records, { count: 10 ** 9 });
  assert.equal(all.pairs.length, interacting);
  assert.equal(selectDipolePairs(records).pairs.length, interacting);
  // Force filter |f|/(p a0²) < 0.05.
  const m = measured(config, model);
  const f = selectDipolePairs(records, { forceFilter: { threshold: 0.05, pressure: m.pressure, a0: m.a0 } });
  assert.ok(f.eligible > 0 && f.eligible < interacting);
  for (const p of f.pairs) assert.ok(Math.abs(records.dphi[p]) / (Math.abs(m.pressure) * m.a0 ** 2) < 0.05);
  assert.throws(() => selectDipolePairs(records, { count: 0 }), /positive integer/);
  assert.throws(() => selectDipolePairs(records, { forceFilter: { threshold: 1e-30, pressure: m.pressure, a0: m.a0 } }), /no pair passes/);
  // measureGlass: the same seed gives the same dipoles, another seed other ones.
  const m1 = measured(config, model, { dipoles: 12, seed: 4 });
  const m2 = measured(config, model, { dipoles: 12, seed: 4 });
  const m3 = measured(config, model, { dipoles: 12, seed: 5 });
  assert.deepEqual(m1.dipoles, m2.dipoles);
  assert.notDeepEqual(m1.dipoles!.map((x) => [x.i, x.j]), m3.dipoles!.map((x) => [x.i, x.j]));
  assert.ok(Math.abs(m1.omegaGMean! - m1.dipoles!.reduce((s, x) => s + Math.sqrt(x.kappa), 0) / 12) < 1e-12 * m1.omegaGMean!);
});

test("dipole responses reject a self-image record and a non-positive Hessian", () => {
  const { records, M } = setup(GLASSES[1]);
  assert.throws(() => dipoleResponses(M, records, Int32Array.of(records.count)), /not an interacting pair/);
  // Negate the Hessian: κ ≤ 0 (or a failed factorization) must be an error, never a number.
  const neg = { ...M, values: M.values.map((v) => -v) };
  assert.throws(() => dipoleResponses(neg, records, Int32Array.of(0), { solver: "cholesky" }));
  assert.throws(() => dipoleResponses(neg, records, Int32Array.of(0), { solver: "cg" }), /not positive|not a minimum/);
});
