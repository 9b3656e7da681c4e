import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { GlassmechError } from "../../src/core/errors.js";
import { blockMatVec } from "../../src/linalg/blockMatrix.js";
import { sparseCholesky } from "../../src/linalg/cholesky.js";
import { solveCG } from "../../src/linalg/cg.js";
import { blockToDense, choleskySolve, pseudoInverseSolve, symmetricEigen } from "../../src/linalg/dense.js";
import { KernelArena } from "../../src/linalg/denseKernels.js";
import { removeTranslations, translationNorm } from "../../src/linalg/projection.js";
import { springNetwork } from "./springNetwork.js";

function relErr(x: Float64Array, ref: Float64Array): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < ref.length; i++) {
    e = Math.max(e, Math.abs(x[i] - ref[i]));
    s = Math.max(s, Math.abs(ref[i]));
  }
  return e / s;
}

function randomVector(n: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: n }, () => rng.normal());
}

test("wasm dense kernels agree with naive loops (all tile and tail shapes)", () => {
  const ar = new KernelArena(1 << 22);
  const rng = Rng.fromSeed(5);
  const put = (a: Float64Array) => {
    const o = ar.alloc(a.length * 8);
    ar.f64.set(a, o >> 3);
    return o;
  };
  const get = (o: number, n: number) => ar.f64.slice(o >> 3, (o >> 3) + n);
  const rnd = (n: number) => randomVector(n, rng);
  let worst = 0;
  const cmp = (a: Float64Array, b: Float64Array) => {
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  };
  for (const m of [1, 2, 3, 5, 6, 9])
    for (const n of [1, 2, 3, 4, 5, 7])
      for (const k of [1, 2, 5]) {
        {
          const [lda, ldb, ldc] = [k + 1, k + 2, n + 1];
          const A = rnd(m * lda), B = rnd(n * ldb), C = rnd(m * ldc);
          for (const mode of [0, 1]) {
            const ref = C.slice();
            for (let i = 0; i < m; i++)
              for (let j = 0; j < n; j++) {
                let s = 0;
                for (let p = 0; p < k; p++) s += A[i * lda + p] * B[j * ldb + p];
                ref[i * ldc + j] = mode ? s : ref[i * ldc + j] - s;
              }
            const c = put(C);
            ar.k.gemm_nt(m, n, k, put(A), lda, put(B), ldb, c, ldc, mode);
            cmp(get(c, m * ldc), ref);
          }
        }
        for (const trans of [false, true]) {
          const lda = trans ? m + 1 : k + 1;
          const [ldb, ldc] = [n + 3, n + 2];
          const A = rnd((trans ? k : m) * lda), B = rnd(k * ldb), C = rnd(m * ldc);
          const ref = C.slice();
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let p = 0; p < k; p++) s += (trans ? A[p * lda + i] : A[i * lda + p]) * B[p * ldb + j];
              ref[i * ldc + j] -= s;
            }
          const c = put(C);
          // Reduction chunks of 2 rows exercise the chunk loop (k = 5: chunks 2, 2, 1).
          (trans ? ar.k.gemm_tn : ar.k.gemm_nn)(m, n, k, put(A), lda, put(B), ldb, c, ldc, 2);
          cmp(get(c, m * ldc), ref);
        }
      }
  for (const n of [1, 2, 3, 6, 11]) {
    const lda = n + 1;
    const G = rnd(n * n);
    const A = new Float64Array(n * lda);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? n : 0;
        for (let p = 0; p < n; p++) s += G[i * n + p] * G[j * n + p];
        A[i * lda + j] = s;
      }
    const a = put(A);
    assert.equal(ar.k.potrf(n, a, lda, put(new Float64Array(n))), -1);
    const L = get(a, n * lda);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let p = 0; p <= j; p++) s += L[i * lda + p] * L[j * lda + p];
        worst = Math.max(worst, Math.abs(s - A[i * lda + j]) / n);
      }
    for (const m of [1, 2, 3]) {
      const ldb = n + 2;
      const B0 = rnd(m * ldb);
      const b1 = put(B0);
      ar.k.trsm_rt(m, n, a, lda, b1, ldb); // X Lᵀ = B
      const X1 = get(b1, m * ldb);
      const b2 = put(B0);
      ar.k.trsm_rn(m, n, a, lda, b2, ldb); // X L = B
      const X2 = get(b2, m * ldb);
      for (let i = 0; i < m; i++)
        for (let c = 0; c < n; c++) {
          let s1 = 0;
          let s2 = 0;
          for (let t = 0; t <= c; t++) s1 += X1[i * ldb + t] * L[c * lda + t];
          for (let t = c; t < n; t++) s2 += X2[i * ldb + t] * L[t * lda + c];
          worst = Math.max(worst, Math.abs(s1 - B0[i * ldb + c]), Math.abs(s2 - B0[i * ldb + c]));
        }
    }
  }
  // A non-positive pivot is reported at its row.
  const bad = put(Float64Array.from([4, 0, 2, -1]));
  assert.equal(ar.k.potrf(2, bad, 2, put(new Float64Array(2))), 1);
  // Row transfers and the scatter of an update block.
  {
    const d = 3, k = 3, ldx = 40;
    const X0 = rnd(k * ldx);
    const rows = [5, 1, 9];
    const r = ar.alloc(12);
    ar.i32.set(rows, r >> 2);
    const w = put(new Float64Array(k * 9));
    for (const [sj, si] of [
      [9, 1],
      [1, k],
    ]) {
      const x = put(X0);
      ar.k.gather_t(r, 3, d, k, x, ldx, w, sj, si);
      const W = get(w, k * 9);
      for (let j = 0; j < k; j++) for (let q = 0; q < 3; q++) for (let a = 0; a < d; a++) assert.equal(W[j * sj + (q * d + a) * si], X0[j * ldx + rows[q] * d + a]);
      ar.k.scatter_sub_t(r, 3, d, k, x, ldx, w, sj, si);
      const X1 = get(x, k * ldx);
      for (let j = 0; j < k; j++) for (let q = 0; q < 3; q++) for (let a = 0; a < d; a++) assert.equal(X1[j * ldx + rows[q] * d + a], 0);
      assert.equal(X1[0], X0[0]);
    }
  }
  {
    const d = 2, mb = 3, nb = 2, ldc = nb * d + 1, ldt = 14;
    const C = rnd(mb * d * ldc), T = rnd(12 * ldt);
    const ref = T.slice();
    const rowMap = [4, 1, 5], colMap = [0, 3];
    for (let i = 0; i < mb; i++)
      for (let a = 0; a < d; a++)
        for (let j = 0; j < nb; j++) for (let b = 0; b < d; b++) ref[(rowMap[i] * d + a) * ldt + colMap[j] * d + b] -= C[(i * d + a) * ldc + j * d + b];
    const rm = ar.alloc(16), cm = ar.alloc(16);
    ar.i32.set(rowMap, rm >> 2);
    ar.i32.set(colMap, cm >> 2);
    const t = put(T);
    ar.k.scatter_sub(put(C), ldc, mb, nb, rm, cm, t, ldt, d);
    cmp(get(t, 12 * ldt), ref);
    // Contiguous target columns starting at column 3: scatter_rows.
    for (const ncols of [3, 4]) {
      const ref2 = T.slice();
      for (let i = 0; i < mb; i++) for (let a = 0; a < d; a++) for (let c = 0; c < ncols; c++) ref2[(rowMap[i] * d + a) * ldt + 3 + c] -= C[(i * d + a) * ldc + c];
      const t2 = put(T);
      ar.k.scatter_rows(put(C), ldc, mb, ncols, rm, t2 + 3 * 8, ldt, d);
      cmp(get(t2, 12 * ldt), ref2);
    }
  }
  assert.ok(worst < 1e-12, `worst kernel error ${worst}`);
});

test("solves agree with the dense Cholesky reference (d = 2, 3, 4; all orderings; narrow panels)", () => {
  const rng = Rng.fromSeed(1);
  for (const [d, n] of [
    [2, 300],
    [3, 250],
    [4, 150],
  ]) {
    const net = springNetwork(d, n, 20 + d);
    const nd = n * d;
    const shift = -0.05;
    const A = blockToDense(net.matrix);
    for (let i = 0; i < nd; i++) A[i * nd + i] -= shift;
    const b = randomVector(nd, rng);
    const ref = choleskySolve(nd, A, b);
    for (const opts of [
      { method: "geometric" as const },
      { method: "graph" as const },
      { method: "natural" as const },
      { method: "geometric" as const, symbolic: { maxSupernodeCols: 2 * d } },
      { method: "graph" as const, symbolic: { relax: false, maxSupernodeCols: 4096 } },
    ]) {
      const F = sparseCholesky(net.matrix, { ...opts, shift, positions: net.positions, box: net.box });
      assert.equal(F.pinned, -1);
      const x = F.solve(b);
      const e = relErr(x, ref);
      assert.ok(e < 1e-8, `d=${d} ${JSON.stringify(opts)}: relative error ${e}`);
    }
  }
});

test("many right-hand sides equal one at a time, in both layouts", () => {
  const rng = Rng.fromSeed(2);
  const d = 3;
  const n = 200;
  const nd = n * d;
  const net = springNetwork(d, n, 4);
  const F = sparseCholesky(net.matrix, { shift: -0.1, positions: net.positions, box: net.box });
  for (const k of [1, 2, 3, 7]) {
    const B = randomVector(nd * k, rng); // interleaved
    const X = F.solveMany(B, k);
    const Bv = new Float64Array(nd * k); // vector-major
    for (let r = 0; r < k; r++) for (let t = 0; t < nd; t++) Bv[r * nd + t] = B[t * k + r];
    const Xv = F.solveVectors(Bv, k);
    for (let r = 0; r < k; r++) {
      const b = Float64Array.from({ length: nd }, (_, t) => B[t * k + r]);
      const x = F.solve(b);
      for (let t = 0; t < nd; t++) {
        assert.ok(Math.abs(X[t * k + r] - x[t]) <= 1e-12 * (1 + Math.abs(x[t])));
        assert.ok(Math.abs(Xv[r * nd + t] - x[t]) <= 1e-12 * (1 + Math.abs(x[t])));
      }
    }
  }
  assert.throws(() => F.solveMany(new Float64Array(10), 2), GlassmechError);
  assert.throws(() => F.solveMany(new Float64Array(nd), 0), GlassmechError);
});

test("pseudoSolve gives M⁺b: translation-free, M z = b, equal to the dense pseudo-inverse", () => {
  const rng = Rng.fromSeed(3);
  for (const [d, n] of [
    [2, 200],
    [3, 150],
    [4, 100],
  ]) {
    const net = springNetwork(d, n, 30 + d);
    const nd = n * d;
    const F = sparseCholesky(net.matrix, { positions: net.positions, box: net.box });
    assert.ok(F.pinned >= 0);
    const b = randomVector(nd, rng);
    removeTranslations(d, b);
    const z = F.pseudoSolve(b);
    assert.ok(translationNorm(d, z) < 1e-10 * Math.sqrt(nd));
    const Mz = new Float64Array(nd);
    blockMatVec(net.matrix, z, Mz);
    assert.ok(relErr(Mz, b) < 1e-9, `d=${d}: M z ≠ b (${relErr(Mz, b)})`);
    const ref = pseudoInverseSolve(symmetricEigen(nd, blockToDense(net.matrix)), b);
    assert.equal(ref.nullity, d);
    assert.ok(relErr(z, ref.x) < 1e-8, `d=${d}: ${relErr(z, ref.x)}`);
    // Any particle can be pinned; the pseudo-inverse solution does not depend on it.
    const G = sparseCholesky(net.matrix, { pin: 0, method: "graph" });
    assert.ok(relErr(G.pseudoSolve(b), ref.x) < 1e-8);
    // A force dipole (+e on one particle, −e on a neighbour): a sparse right-hand side, for
    // which the forward solve skips the supernodes it cannot reach.
    const dip = new Float64Array(nd);
    const j = net.matrix.colIdx[net.matrix.rowPtr[5]] === 5 ? net.matrix.colIdx[net.matrix.rowPtr[5] + 1] : net.matrix.colIdx[net.matrix.rowPtr[5]];
    for (let a = 0; a < d; a++) {
      dip[5 * d + a] = (a + 1) / d;
      dip[j * d + a] = -(a + 1) / d;
    }
    const refDip = pseudoInverseSolve(symmetricEigen(nd, blockToDense(net.matrix)), dip);
    assert.ok(relErr(F.pseudoSolve(dip), refDip.x) < 1e-8, `dipole d=${d}`);
    // A b with translation components is projected first.
    const bt = b.slice();
    for (let t = 0; t < nd; t += d) bt[t] += 3;
    assert.ok(relErr(F.pseudoSolve(bt), ref.x) < 1e-8);
  }
});

test("a factor spread over several wasm memories solves exactly like one in a single memory", () => {
  const rng = Rng.fromSeed(6);
  const d = 3;
  const n = 400;
  const nd = n * d;
  const net = springNetwork(d, n, 12);
  const one = sparseCholesky(net.matrix, { positions: net.positions, box: net.box });
  // A tiny budget per memory (the factor has 1.6 MB) forces many memories, and updates copied
  // between them; narrow panels so that each fits.
  const many = sparseCholesky(net.matrix, { positions: net.positions, box: net.box, memoryBytes: 512 << 10, symbolic: { maxSupernodeCols: 48 } });
  assert.equal(one.stats.memories, 1);
  assert.ok(many.stats.memories >= 5, `memories: ${many.stats.memories}`);
  for (const k of [1, 5]) {
    const B = randomVector(nd * k, rng);
    const x1 = one.solveMany(B, k);
    const x2 = many.solveMany(B, k);
    assert.ok(relErr(x2, x1) < 1e-12, `k=${k}: ${relErr(x2, x1)}`);
  }
  assert.throws(() => sparseCholesky(net.matrix, { memoryBytes: 256 << 10 }), /more than a wasm memory holds/);
});

test("a matrix that is not positive definite is reported with the particle", () => {
  // A rattler (isolated particle) with the Hessian itself: zero pivot at that particle.
  const net = springNetwork(3, 120, 6, { isolated: [17] });
  assert.throws(
    () => sparseCholesky(net.matrix, { positions: net.positions, box: net.box }),
    (e: unknown) => e instanceof GlassmechError && /not positive definite at particle 17 \(not a minimum, or a rattler\)/.test(e.message),
  );
  // An indefinite matrix (all eigenvalues lowered below zero).
  const bad = springNetwork(2, 150, 6, { diagonalShift: -0.5 });
  assert.throws(() => sparseCholesky(bad.matrix, { shift: 0, pin: "none" }), /not positive definite at particle \d+/);
  // M without pinning is singular (translations).
  const ok = springNetwork(2, 150, 6);
  assert.throws(() => sparseCholesky(ok.matrix, { pin: "none" }), /not positive definite/);
  assert.throws(() => sparseCholesky(ok.matrix, { shift: -0.1 }).pseudoSolve(new Float64Array(300)), /pseudoSolve needs/);
  assert.throws(() => sparseCholesky(ok.matrix, { pin: 150 }), /pinned particle/);
});

test("direct pseudoSolve and preconditioned CG agree on a N = 3000 network", () => {
  const rng = Rng.fromSeed(4);
  const d = 3;
  const n = 3000;
  const net = springNetwork(d, n, 1);
  const b = randomVector(n * d, rng);
  removeTranslations(d, b);
  const z = sparseCholesky(net.matrix, { positions: net.positions, box: net.box }).pseudoSolve(b);
  const cg = solveCG(net.matrix, b, { tol: 1e-12 });
  assert.ok(cg.converged, cg.message);
  assert.ok(relErr(z, cg.x) < 1e-8, `direct vs CG: ${relErr(z, cg.x)}`);
});
