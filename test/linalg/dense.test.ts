import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import {
  symmetricEigen,
  symmetricEigenvalues,
  choleskySolve,
  denseSolve,
  denseMatVec,
  pseudoInverseSolve,
  blockToDense,
} from "../../src/linalg/dense.js";
import type { BlockMatrix } from "../../src/linalg/blockMatrix.js";

function randomSymmetric(n: number, rng: Rng): Float64Array {
  const A = new Float64Array(n * n);
  for (let r = 0; r < n; r++)
    for (let c = 0; c <= r; c++) {
      const v = rng.normal();
      A[r * n + c] = v;
      A[c * n + r] = v;
    }
  return A;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]));
  return m;
}

function checkDecomposition(n: number, A: Float64Array, tol: number): void {
  const { values, vectors } = symmetricEigen(n, A);
  for (let k = 1; k < n; k++) assert.ok(values[k] >= values[k - 1], "ascending");
  const scale = Math.max(1, maxAbs(values));
  let resid = 0;
  let orth = 0;
  for (let k = 0; k < n; k++) {
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += A[r * n + c] * vectors[c * n + k];
      resid = Math.max(resid, Math.abs(s - values[k] * vectors[r * n + k]));
    }
    for (let l = 0; l <= k; l++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += vectors[r * n + k] * vectors[r * n + l];
      orth = Math.max(orth, Math.abs(s - (k === l ? 1 : 0)));
    }
  }
  assert.ok(resid / scale < tol, `|AV − VΛ| = ${resid}`);
  assert.ok(orth < tol, `|VᵀV − I| = ${orth}`);
}

test("symmetricEigen: A V = V Λ and V orthonormal on random symmetric matrices", () => {
  const rng = Rng.fromSeed(11);
  for (const n of [1, 2, 3, 7, 40, 150]) checkDecomposition(n, randomSymmetric(n, rng), 1e-10);
});

test("symmetricEigen: known spectra (diagonal, degenerate, 1D Laplacian, rotated)", () => {
  // Diagonal with ties: values sorted.
  const D = new Float64Array(9);
  D[0] = 3;
  D[4] = -1;
  D[8] = 3;
  assert.deepEqual(Array.from(symmetricEigenvalues(3, D)), [-1, 3, 3]);
  // Periodic 1D Laplacian (ring): eigenvalues 2 − 2cos(2πk/n), one zero, pairs degenerate.
  const n = 64;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    L[i * n + i] = 2;
    L[i * n + ((i + 1) % n)] = -1;
    L[i * n + ((i + n - 1) % n)] = -1;
  }
  const want = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((2 * Math.PI * k) / n)).sort((a, b) => a - b);
  const got = symmetricEigenvalues(n, L);
  for (let k = 0; k < n; k++) assert.ok(Math.abs(got[k] - want[k]) < 1e-12, `λ_${k}: ${got[k]} vs ${want[k]}`);
  checkDecomposition(n, L, 1e-12);
  // Q diag(λ) Qᵀ with a random orthogonal Q (from a previous decomposition).
  const rng = Rng.fromSeed(5);
  const m = 30;
  const Q = symmetricEigen(m, randomSymmetric(m, rng)).vectors;
  const lam = Array.from({ length: m }, (_, k) => (k - 10) * 0.37);
  const B = new Float64Array(m * m);
  for (let r = 0; r < m; r++)
    for (let c = 0; c < m; c++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += Q[r * m + k] * lam[k] * Q[c * m + k];
      B[r * m + c] = s;
    }
  const gotB = symmetricEigenvalues(m, B);
  for (let k = 0; k < m; k++) assert.ok(Math.abs(gotB[k] - lam[k]) < 1e-12, `λ_${k}`);
});

test("symmetricEigen: reads only the lower triangle", () => {
  const rng = Rng.fromSeed(2);
  const n = 10;
  const A = randomSymmetric(n, rng);
  const B = Float64Array.from(A);
  for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) B[r * n + c] = 99;
  assert.deepEqual(symmetricEigenvalues(n, A), symmetricEigenvalues(n, B));
});

test("choleskySolve and denseSolve solve; Cholesky rejects indefinite matrices", () => {
  const rng = Rng.fromSeed(3);
  const n = 25;
  const R = randomSymmetric(n, rng);
  const A = new Float64Array(n * n); // RᵀR + I: SPD
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      let s = r === c ? 1 : 0;
      for (let k = 0; k < n; k++) s += R[k * n + r] * R[k * n + c];
      A[r * n + c] = s;
    }
  const b = Float64Array.from({ length: n }, () => rng.normal());
  const y = new Float64Array(n);
  const x1 = choleskySolve(n, A, b);
  denseMatVec(n, A, x1, y);
  for (let k = 0; k < n; k++) assert.ok(Math.abs(y[k] - b[k]) < 1e-10);
  const x2 = denseSolve(n, R, b);
  denseMatVec(n, R, x2, y);
  for (let k = 0; k < n; k++) assert.ok(Math.abs(y[k] - b[k]) < 1e-9);
  assert.throws(() => choleskySolve(n, R, b), /not positive definite/);
  assert.throws(() => denseSolve(2, new Float64Array(4), new Float64Array(2)), /singular/);
});

test("pseudoInverseSolve drops the null space", () => {
  // Ring Laplacian: null space = constants; solution orthogonal to it and L x = b − mean(b).
  const n = 20;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    L[i * n + i] = 2;
    L[i * n + ((i + 1) % n)] = -1;
    L[i * n + ((i + n - 1) % n)] = -1;
  }
  const rng = Rng.fromSeed(8);
  const b = Float64Array.from({ length: n }, () => rng.normal());
  const { x, nullity } = pseudoInverseSolve(symmetricEigen(n, L), b);
  assert.equal(nullity, 1);
  const mean = b.reduce((s, v) => s + v, 0) / n;
  const y = new Float64Array(n);
  denseMatVec(n, L, x, y);
  for (let k = 0; k < n; k++) assert.ok(Math.abs(y[k] - (b[k] - mean)) < 1e-12);
  assert.ok(Math.abs(x.reduce((s, v) => s + v, 0)) < 1e-12);
});

test("blockToDense places blocks at particle-major scalar indices", () => {
  // n = 2, d = 2: row 0 has blocks (0,0),(0,1); row 1 has (1,1).
  const M: BlockMatrix = {
    d: 2,
    n: 2,
    rowPtr: Int32Array.from([0, 2, 3]),
    colIdx: Int32Array.from([0, 1, 1]),
    values: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
  };
  assert.deepEqual(Array.from(blockToDense(M)), [1, 2, 5, 6, 3, 4, 7, 8, 0, 0, 9, 10, 0, 0, 11, 12]);
});
