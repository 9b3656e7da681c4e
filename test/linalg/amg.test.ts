/**
 * Smoothed-aggregation AMG (src/linalg/amg.ts) as a CG preconditioner, LOBPCG (lobpcg.ts) and
 * the direct/iterative choice (solverChoice.ts), on small minimized glasses (d = 2, 3).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { smoothedAggregation } from "../../src/linalg/amg.js";
import { solveCGMulti } from "../../src/linalg/cg.js";
import { sparseCholesky } from "../../src/linalg/cholesky.js";
import { blockToDense, symmetricEigen } from "../../src/linalg/dense.js";
import { iterationsLeft } from "../../src/linalg/lobpcg.js";
import { lowestModes } from "../../src/linalg/modes.js";
import { removeTranslationsMulti, translationNorm } from "../../src/linalg/projection.js";
import { chooseSolvePath } from "../../src/linalg/solverChoice.js";
import { Rng } from "../../src/core/rng.js";
import { dipoleResponses, selectDipolePairs } from "../../src/observables/dipoles.js";
import { prepareGlass } from "../../src/observables/prepare.js";
import { glassModes } from "../../src/observables/modes.js";
import { smallGlass } from "../observables/glasses.js";

const GLASS3 = { name: "pss", params: { rc: 1.5 }, d: 3, n: 500, density: 0.6, seed: 2 };
const GLASS2 = { name: "pss", params: { rc: 1.5 }, d: 2, n: 400, density: 0.6, seed: 3 };

function prepared(spec: typeof GLASS3) {
  const { config, model } = smallGlass(spec);
  return { g: prepareGlass(config, model), config };
}

function randomBlock(nd: number, k: number, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  const B = new Float64Array(nd * k);
  for (let s = 0; s < B.length; s++) B[s] = rng.uniform() - 0.5;
  return B;
}

test("AMG-preconditioned block CG matches the Cholesky solves (d = 2, 3; translations and rigid near-null spaces)", () => {
  for (const spec of [GLASS3, GLASS2]) {
    const { g, config } = prepared(spec);
    const M = g.hessian;
    const nd = M.n * M.d;
    const k = 3;
    const B = randomBlock(nd, k, 5);
    removeTranslationsMulti(M.d, k, B);
    const F = sparseCholesky(M);
    const ref = new Float64Array(nd * k);
    F.pseudoSolveMany(B, k, ref);
    for (const nns of ["translations", "rigid"] as const) {
      // A small coarsest level forces a three-level hierarchy even at this N.
      const amg = smoothedAggregation(M, { nearNullSpace: nns, positions: config.positions, box: config.box, maxCoarse: 24 });
      assert.ok(amg.stats.levels >= 3, `d=${M.d} ${nns}: ${amg.stats.levels} levels`);
      const res = solveCGMulti(M, k, B, { amg, tol: 1e-12 });
      assert.ok(res.converged, `d=${M.d} ${nns}: converged`);
      const ssor = solveCGMulti(M, k, B, { tol: 1e-12, preconditioner: "blockJacobi" });
      assert.ok(res.iterations < ssor.iterations, `d=${M.d} ${nns}: AMG ${res.iterations} iterations vs block Jacobi ${ssor.iterations}`);
      let err = 0;
      let nrm = 0;
      for (let s = 0; s < nd * k; s++) {
        err = Math.max(err, Math.abs(res.x[s] - ref[s]));
        nrm = Math.max(nrm, Math.abs(ref[s]));
      }
      assert.ok(err <= 1e-8 * nrm, `d=${M.d} ${nns}: |x − x_chol|∞ = ${err} vs ${nrm}`);
      for (let c = 0; c < k; c++) {
        const col = new Float64Array(nd);
        for (let s = 0; s < nd; s++) col[s] = res.x[s * k + c];
        assert.ok(translationNorm(M.d, col) < 1e-10 * nrm);
      }
    }
  }
});

test("the V-cycle is a symmetric positive definite operator on the translation-free subspace", () => {
  const { g, config } = prepared(GLASS3);
  const M = g.hessian;
  const nd = M.n * M.d;
  for (const nns of ["translations", "rigid"] as const) {
    const amg = smoothedAggregation(M, { nearNullSpace: nns, positions: config.positions, box: config.box, maxCoarse: 60 });
    const U = randomBlock(nd, 2, 9);
    removeTranslationsMulti(3, 2, U);
    const Z = new Float64Array(nd * 2);
    amg.apply(2, U, Z);
    removeTranslationsMulti(3, 2, Z);
    let uz = 0, vz = 0, uu = 0, vv = 0;
    for (let s = 0; s < nd; s++) {
      uz += U[s * 2] * Z[s * 2 + 1]; // u·C v
      vz += U[s * 2 + 1] * Z[s * 2]; // v·C u
      uu += U[s * 2] * Z[s * 2];
      vv += U[s * 2 + 1] * Z[s * 2 + 1];
    }
    assert.ok(Math.abs(uz - vz) <= 1e-10 * Math.sqrt(uu * vv), `${nns}: u·Cv ${uz} vs v·Cu ${vz}`);
    assert.ok(uu > 0 && vv > 0);
  }
});

test("LOBPCG+AMG eigenpairs match the dense eigendecomposition (d = 2, 3)", () => {
  for (const spec of [
    { name: "pss", params: { rc: 1.2 }, d: 3, n: 200, density: 0.6, seed: 21 },
    { name: "ipl", params: {} as Record<string, number>, d: 2, n: 300, density: 0.86, seed: 21 },
  ]) {
    const { config, model } = smallGlass(spec);
    const M = prepareGlass(config, model).hessian;
    const { d } = M;
    const nd = M.n * d;
    const ref = symmetricEigen(nd, blockToDense(M));
    const k = 8;
    const amg = smoothedAggregation(M, { maxCoarse: 60 });
    const r = lowestModes(M, k, { solver: "lobpcg", amg });
    assert.equal(r.method, "LOBPCG+AMG");
    assert.equal(r.vectors.length, k * nd);
    for (let l = 0; l < k; l++) {
      const e = Math.abs(r.values[l] - ref.values[d + l]) / ref.values[d + l];
      assert.ok(e < 1e-9, `d=${d} mode ${l}: ${r.values[l]} vs ${ref.values[d + l]}`);
      assert.ok(r.residuals[l] <= 1e-9);
      assert.ok(translationNorm(d, r.vectors.subarray(l * nd, (l + 1) * nd)) < 1e-10);
    }
  }
});

test("LOBPCG+AMG agrees with shift-invert block Lanczos at N = 1000 (3D) to 1e-8 in frequency", () => {
  const { config, model } = smallGlass({ name: "pss", params: { rc: 1.2 }, d: 3, n: 1000, density: 0.6, seed: 4, fTol: 1e-10 });
  const M = prepareGlass(config, model).hessian;
  const k = 12;
  const a = glassModes(M, k, { path: "direct", positions: config.positions, box: config.box });
  const b = glassModes(M, k, { path: "iterative", positions: config.positions, box: config.box });
  assert.equal(a.method, "shift-invert block Lanczos");
  assert.equal(b.method, "LOBPCG+AMG");
  for (let l = 0; l < k; l++) {
    const e = Math.abs(b.frequencies[l] / a.frequencies[l] - 1);
    assert.ok(e < 1e-8, `mode ${l}: ω ${b.frequencies[l]} vs ${a.frequencies[l]} (${e})`);
    assert.ok(Math.abs(b.participationRatios[l] - a.participationRatios[l]) < 1e-5 || a.frequencies[l + 1] / a.frequencies[l] < 1 + 1e-6);
  }
});

test("dipole responses by CG+AMG equal the Cholesky ones; the method is reported", () => {
  const { config, model } = smallGlass(GLASS3);
  const g = prepareGlass(config, model);
  const sel = selectDipolePairs(g.records, { count: 6, seed: 3 });
  const chol = dipoleResponses(g.hessian, g.records, sel.pairs, { solver: "cholesky" });
  const amg = dipoleResponses(g.hessian, g.records, sel.pairs, { solver: "cg", preconditioner: "amg" });
  const ssor = dipoleResponses(g.hessian, g.records, sel.pairs, { solver: "cg" });
  assert.equal(chol.method, "Cholesky");
  assert.equal(amg.method, "CG+AMG");
  assert.equal(ssor.method, "CG+SSOR");
  for (let t = 0; t < sel.pairs.length; t++) assert.ok(Math.abs(amg.kappa[t] / chol.kappa[t] - 1) < 1e-8, `κ ${amg.kappa[t]} vs ${chol.kappa[t]}`);
  // Small systems: the automatic choice is the factor, without a symbolic analysis.
  const auto = dipoleResponses(g.hessian, g.records, sel.pairs);
  assert.equal(auto.method, "Cholesky");
  assert.ok(auto.choice !== null && auto.choice.path === "direct");
});

test("the cost model refuses a factor over the memory budget and reads the symbolic fill", () => {
  const { config, model } = smallGlass({ name: "pss", params: { rc: 1.2 }, d: 3, n: 1000, density: 0.6, seed: 4, fTol: 1e-10 });
  const M = prepareGlass(config, model).hessian;
  // 3000 unknowns is below smallOrder: direct without analysis.
  assert.equal(chooseSolvePath(M, { modes: 20 }).path, "direct");
  const F = sparseCholesky(M, { positions: config.positions, box: config.box });
  // smallOrder 0 forces the symbolic analysis; a 1-byte budget forces the iterative path.
  const est = chooseSolvePathForced(M, config);
  assert.ok(est.directNnzL > 0 && Math.abs(est.directNnzL / F.stats.nnzL - 1) < 0.05, `fill ${est.directNnzL} vs factor ${F.stats.nnzL}`);
  assert.equal(est.path, "iterative");
  assert.match(est.reason, /budget/);
});

function chooseSolvePathForced(M: ReturnType<typeof prepareGlass>["hessian"], config: { positions: Float64Array; box: import("../../src/core/box.js").Box }) {
  return chooseSolvePath(M, { modes: 20, memoryBytes: 1, positions: config.positions, box: config.box, smallOrder: 0 });
}

test("LOBPCG reports every iteration (converged count, largest residual); iterationsLeft extrapolates the linear rate", () => {
  const { config, model } = smallGlass({ name: "pss", params: { rc: 1.2 }, d: 3, n: 200, density: 0.6, seed: 21 });
  const M = prepareGlass(config, model).hessian;
  const seen: [number, number, number][] = [];
  const r = lowestModes(M, 6, { solver: "lobpcg", amg: smoothedAggregation(M, { maxCoarse: 60 }), onIteration: (it, done, worst) => seen.push([it, done, worst]) });
  assert.equal(seen.length, r.iterations + 1);
  seen.forEach(([it], i) => assert.equal(it, i));
  const [, lastDone, lastWorst] = seen[seen.length - 1];
  assert.equal(lastDone, 6);
  assert.ok(lastWorst <= 1e-10 && seen[0][2] > 1e-6);
  // A residual falling 10× per iteration from 1e-2 needs 8 more iterations to reach 1e-10 … 
  assert.equal(iterationsLeft([1, 1e-1, 1e-2], 1e-10), 8);
  // … and nothing can be said from two values or a stalled residual.
  assert.ok(Number.isNaN(iterationsLeft([1, 0.1], 1e-10)));
  assert.ok(Number.isNaN(iterationsLeft([1, 1, 1], 1e-10)));
  assert.equal(iterationsLeft([1, 0.1, 1e-11], 1e-10), 0);
});
