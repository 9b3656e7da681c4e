import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { GlassmechError } from "../../src/core/errors.js";
import type { PairRecords } from "../../src/forces/types.js";
import { blockMatVec, type BlockMatrix } from "../../src/linalg/blockMatrix.js";
import { assembleHessian } from "../../src/hessian/assemble.js";
import { blockToDense, pseudoInverseSolve, symmetricEigen } from "../../src/linalg/dense.js";
import {
  assertMechanicalEquilibrium,
  maxForceNorm,
  removeTranslations,
  removeTranslationsMulti,
  translationNorm,
} from "../../src/linalg/projection.js";
import {
  blockMatMulVectors,
  solveCG,
  solveCGMulti,
  solveCGMultiOrThrow,
  solveCGOrThrow,
} from "../../src/linalg/cg.js";
import { getColumn, setColumn } from "../../src/linalg/vector.js";
import { cgWorkspace, localityOrder, releaseMatVecMemory, setMatVecBackend, ssorWorkspace } from "../../src/linalg/blockMatVecOperator.js";

/**
 * A random connected spring network as pair records: every particle bonded to its successor
 * (a ring, so connected) and to `extra` random others; φ'' ∈ [1, 3], φ' ∈ [0, 0.05]·r.
 * `negative` bonds get φ'' = −20 to make M indefinite.
 */
function network(n: number, d: number, extra: number, rng: Rng, negative = 0): PairRecords {
  const I: number[] = [];
  const J: number[] = [];
  for (let i = 0; i < n; i++) {
    I.push(i);
    J.push((i + 1) % n);
    for (let e = 0; e < extra; e++) {
      let j = rng.int(n);
      if (j === i) j = (j + 1) % n;
      I.push(Math.min(i, j));
      J.push(Math.max(i, j));
    }
  }
  const count = I.length;
  const delta = new Float64Array(count * d);
  const r = new Float64Array(count);
  const dphi = new Float64Array(count);
  const d2phi = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    let s = 0;
    for (let a = 0; a < d; a++) {
      delta[p * d + a] = rng.normal();
      s += delta[p * d + a] ** 2;
    }
    r[p] = Math.sqrt(s);
    dphi[p] = 0.05 * rng.uniform() * r[p]; // φ' > 0, φ'' > 0: every pair block k is positive definite
    d2phi[p] = p < negative ? -20 : 1 + 2 * rng.uniform();
  }
  return { d, count, i: Int32Array.from(I), j: Int32Array.from(J), delta, r, dphi, d2phi };
}

function randomVector(len: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: len }, () => rng.normal());
}

function relDiff(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < a.length; k++) {
    num += (a[k] - b[k]) ** 2;
    den += b[k] ** 2;
  }
  return Math.sqrt(num / den);
}

test("blockMatMulVectors equals blockMatVec column by column", () => {
  const rng = Rng.fromSeed(1);
  const M = assembleHessian(network(40, 3, 3, rng), 40);
  const k = 5;
  const N = 120;
  const X = randomVector(N * k, rng);
  const Y = new Float64Array(N * k);
  blockMatMulVectors(M, k, X, Y);
  const y = new Float64Array(N);
  for (let c = 0; c < k; c++) {
    blockMatVec(M, getColumn(k, X, c), y);
    assert.ok(relDiff(getColumn(k, Y, c), y) < 1e-14);
  }
});

test("solveCG matches the dense pseudo-inverse (d = 2, 3, 4; with and without preconditioner)", () => {
  const rng = Rng.fromSeed(2);
  for (const [n, d] of [
    [150, 2],
    [100, 3],
    [60, 4],
  ]) {
    const M = assembleHessian(network(n, d, 3, rng), n);
    const eig = symmetricEigen(n * d, blockToDense(M));
    const b = randomVector(n * d, rng);
    const { x: ref, nullity } = pseudoInverseSolve(eig, b);
    assert.equal(nullity, d, "network Hessian has exactly the d translation zero modes");
    for (const preconditioner of ["blockJacobi", "none"] as const) {
      const res = solveCG(M, b, { preconditioner });
      assert.ok(res.converged, res.message);
      assert.ok(res.residual <= 1e-10);
      assert.ok(relDiff(res.x, ref) < 1e-8, `d=${d} ${preconditioner}: ${relDiff(res.x, ref)}`);
      assert.ok(translationNorm(d, res.x) < 1e-12);
    }
  }
});

test("solveCGMulti equals single-rhs solves", () => {
  const rng = Rng.fromSeed(3);
  const n = 80;
  const d = 3;
  const N = n * d;
  const M = assembleHessian(network(n, d, 4, rng), n);
  const k = 4;
  const B = new Float64Array(N * k);
  for (let c = 0; c < k; c++) setColumn(k, B, c, randomVector(N, rng));
  setColumn(k, B, 3, new Float64Array(N)); // a zero column converges at once
  const multi = solveCGMultiOrThrow(M, k, B);
  assert.ok(multi.converged);
  for (let c = 0; c < k; c++) {
    const single = solveCG(M, getColumn(k, B, c));
    assert.ok(single.converged);
    const xc = getColumn(k, multi.x, c);
    if (c === 3) {
      assert.ok(xc.every((v) => v === 0));
      assert.equal(multi.columns[c].iterations, 0);
    } else {
      assert.ok(relDiff(xc, single.x) < 1e-9, `column ${c}`);
      assert.ok(Math.abs(multi.columns[c].iterations - single.iterations) <= 2);
    }
  }
});

test("right-hand sides are projected: a pure translation gives x = 0", () => {
  const rng = Rng.fromSeed(4);
  const n = 30;
  const d = 2;
  const M = assembleHessian(network(n, d, 3, rng), n);
  const b = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    b[i * d] = 1.5;
    b[i * d + 1] = -2;
  }
  const res = solveCG(M, b);
  assert.ok(res.converged);
  assert.equal(res.iterations, 0);
  assert.ok(res.x.every((v) => v === 0));
  // b + translation solves like b.
  const c = randomVector(n * d, rng);
  const c2 = Float64Array.from(c, (v, s) => v + b[s]);
  assert.ok(relDiff(solveCG(M, c2).x, solveCG(M, c).x) < 1e-9);
});

test("unconverged solves are flagged and solveCGOrThrow throws", () => {
  const rng = Rng.fromSeed(5);
  const n = 100;
  const M = assembleHessian(network(n, 3, 3, rng), n);
  const b = randomVector(n * 3, rng);
  const res = solveCG(M, b, { maxIterations: 3 });
  assert.equal(res.converged, false);
  assert.equal(res.iterations, 3);
  assert.ok(res.residual > 1e-10);
  assert.match(res.message, /did not converge/);
  assert.throws(() => solveCGOrThrow(M, b, { maxIterations: 3 }, "shear response"), (e: unknown) => {
    return e instanceof GlassmechError && /shear response: CG did not converge/.test(e.message);
  });
  const multi = solveCGMulti(M, 1, b, { maxIterations: 3 });
  assert.equal(multi.converged, false);
  assert.throws(() => solveCGMultiOrThrow(M, 1, b, { maxIterations: 3 }), GlassmechError);
});

test("negative curvature on the translation-free subspace is reported", () => {
  const rng = Rng.fromSeed(6);
  const n = 60;
  const d = 3;
  const M: BlockMatrix = assembleHessian(network(n, d, 2, rng, 10), n);
  const eig = symmetricEigen(n * d, blockToDense(M));
  assert.ok(eig.values[0] < -1, "test matrix is indefinite");
  const b = randomVector(n * d, rng);
  const res = solveCG(M, b);
  assert.equal(res.converged, false);
  assert.ok(res.negativeCurvature);
  assert.match(res.message, /not positive on the translation-free subspace/);
  assert.throws(() => solveCGOrThrow(M, b), /not a minimum/);
  const multi = solveCGMulti(M, 1, b);
  assert.ok(multi.columns[0].negativeCurvature);
});

test("input validation", () => {
  const rng = Rng.fromSeed(7);
  const M = assembleHessian(network(10, 2, 1, rng), 10);
  assert.throws(() => solveCG(M, new Float64Array(5)), /length 5, expected n·d = 20/);
  assert.throws(() => solveCGMulti(M, 2, new Float64Array(20)), /expected n·d·k = 40/);
  const v = randomVector(20, rng);
  removeTranslations(2, v);
  assert.ok(translationNorm(2, v) < 1e-14);
});

test("projection helpers: multi-vector projection, max force, equilibrium check", () => {
  const rng = Rng.fromSeed(8);
  const d = 3;
  const n = 7;
  const k = 3;
  const V = randomVector(n * d * k, rng);
  const cols = [0, 1, 2].map((c) => getColumn(k, V, c));
  removeTranslationsMulti(d, k, V);
  for (let c = 0; c < k; c++) {
    removeTranslations(d, cols[c]);
    assert.ok(relDiff(getColumn(k, V, c), cols[c]) < 1e-14);
    assert.ok(translationNorm(d, getColumn(k, V, c)) < 1e-13);
  }
  const f = new Float64Array(n * d);
  f[2 * d] = 3;
  f[2 * d + 2] = -4;
  f[5 * d + 1] = 4.5;
  assert.equal(maxForceNorm(d, f), 5);
  assert.doesNotThrow(() => assertMechanicalEquilibrium(d, f, 5));
  assert.throws(() => assertMechanicalEquilibrium(d, f, 1e-10, "dipole responses"), /dipole responses needs a minimized configuration: max force 5\.000e\+0/);
  f[0] = NaN;
  assert.throws(() => assertMechanicalEquilibrium(d, f, 1e3));
});

// ---- Fast kernels (blockMatVecJs.ts, blockMatVecWasm.ts via blockMatVecOperator.ts) ----

/** The reference block product (blockMatVec's original loop), column r of k interleaved vectors. */
function referenceProduct(A: BlockMatrix, k: number, X: Float64Array, r: number, y: Float64Array): void {
  const { d, n, rowPtr, colIdx, values } = A;
  const dd = d * d;
  for (let i = 0; i < n; i++) {
    const yo = i * d;
    for (let a = 0; a < d; a++) y[yo + a] = 0;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const xo = colIdx[p] * d;
      const vo = p * dd;
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += values[vo + a * d + b] * X[(xo + b) * k + r];
        y[yo + a] += s;
      }
    }
  }
}

/** A block-CSR matrix with a random pattern (both triangles, diagonal included) and random, non-symmetric values. */
function randomBlockMatrix(n: number, d: number, perRow: number, rng: Rng): BlockMatrix {
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  for (let i = 0; i < n; i++) {
    const set = new Set<number>([i]);
    while (set.size < Math.min(n, perRow)) set.add(rng.int(n));
    const row = [...set].sort((a, b) => a - b);
    cols.push(...row);
    rowPtr[i + 1] = cols.length;
  }
  const values = randomVector(cols.length * d * d, rng);
  return { d, n, rowPtr, colIdx: Int32Array.from(cols), values };
}

/** Y = M·X through the CG workspace of the given backend, in the caller's layout; also returns the fused dots. */
function workspaceProduct(M: BlockMatrix, k: number, X: Float64Array, backend: "js" | "wasm"): { Y: Float64Array; dots: Float64Array; ws: string } {
  const old = setMatVecBackend(backend);
  try {
    const ws = cgWorkspace(M, k, false);
    const { kp, perm } = ws;
    const { d, n } = M;
    for (let i = 0; i < n; i++) {
      const o = (perm === null ? i : perm[i]) * d * kp;
      for (let a = 0; a < d; a++) for (let c = 0; c < kp; c++) ws.X[o + a * kp + c] = c < k ? X[(i * d + a) * k + c] : 0;
    }
    const dots = new Float64Array(kp);
    ws.matvec("X", dots);
    const Y = new Float64Array(n * d * k);
    for (let i = 0; i < n; i++) {
      const o = (perm === null ? i : perm[i]) * d * kp;
      for (let a = 0; a < d; a++) for (let c = 0; c < k; c++) Y[(i * d + a) * k + c] = ws.Q[o + a * kp + c];
    }
    return { Y, dots: dots.slice(0, k), ws: ws.backend };
  } finally {
    setMatVecBackend(old);
  }
}

test("JS kernels equal the reference block product bit for bit (d = 2, 3, 4, 5; k = 1..8)", () => {
  const rng = Rng.fromSeed(11);
  for (const d of [2, 3, 4, 5]) {
    const A = randomBlockMatrix(37, d, 6, rng);
    const N = A.n * d;
    const y = new Float64Array(N);
    const x = randomVector(N, rng);
    const y1 = new Float64Array(N);
    blockMatVec(A, x, y1);
    referenceProduct(A, 1, x, 0, y);
    assert.deepEqual(y1, y, `blockMatVec d=${d}`);
    for (let k = 1; k <= 8; k++) {
      const X = randomVector(N * k, rng);
      const Y = new Float64Array(N * k).fill(NaN);
      blockMatMulVectors(A, k, X, Y);
      for (let r = 0; r < k; r++) {
        referenceProduct(A, k, X, r, y);
        assert.deepEqual(getColumn(k, Y, r), y, `blockMatMulVectors d=${d} k=${k} column ${r}`);
      }
    }
  }
});

test("wasm kernels: general form bit for bit, compact symmetric form to 1e-15 (d = 2, 3, 4; k = 1..8)", () => {
  const rng = Rng.fromSeed(12);
  for (const d of [2, 3, 4]) {
    const gen = randomBlockMatrix(53, d, 7, rng);
    const sym = assembleHessian(network(60, d, 3, rng), 60);
    for (let k = 1; k <= 8; k++) {
      for (const [M, exact] of [
        [gen, true],
        [sym, false],
      ] as const) {
        const N = M.n * d;
        const X = randomVector(N * k, rng);
        const { Y, dots, ws } = workspaceProduct(M, k, X, "wasm");
        assert.equal(ws, "wasm");
        const y = new Float64Array(N);
        for (let r = 0; r < k; r++) {
          referenceProduct(M, k, X, r, y);
          const col = getColumn(k, Y, r);
          if (exact) assert.deepEqual(col, y, `gen d=${d} k=${k} column ${r}`);
          else assert.ok(relDiff(col, y) < 1e-15, `sym d=${d} k=${k} column ${r}: ${relDiff(col, y)}`);
          const xr = getColumn(k, X, r);
          let s = 0;
          for (let t = 0; t < N; t++) s += xr[t] * y[t];
          assert.ok(Math.abs(dots[r] - s) <= 1e-13 * Math.abs(s) + 1e-13, `fused dot d=${d} k=${k}`);
        }
      }
    }
  }
});

test("wasm and JS CG agree to 1e-10 and match the dense pseudo-inverse (d = 2, 3, 4)", () => {
  const rng = Rng.fromSeed(13);
  for (const [n, d] of [
    [90, 2],
    [60, 3],
    [40, 4],
  ]) {
    const M = assembleHessian(network(n, d, 3, rng), n);
    const eig = symmetricEigen(n * d, blockToDense(M));
    const k = 3;
    const B = randomVector(n * d * k, rng);
    const refs = [0, 1, 2].map((c) => pseudoInverseSolve(eig, getColumn(k, B, c)).x);
    const results: Record<string, Float64Array> = {};
    for (const backend of ["js", "wasm"] as const) {
      const old = setMatVecBackend(backend);
      try {
        for (const preconditioner of ["ssor", "blockJacobi", "none"] as const) {
          const multi = solveCGMultiOrThrow(M, k, B, { preconditioner });
          for (let c = 0; c < k; c++) {
            const xc = getColumn(k, multi.x, c);
            assert.ok(relDiff(xc, refs[c]) < 1e-8, `${backend} d=${d} column ${c}`);
            assert.ok(translationNorm(d, xc) < 1e-12);
            assert.ok(multi.columns[c].residual <= 1e-10);
          }
          const single = solveCGOrThrow(M, getColumn(k, B, 1), { preconditioner });
          assert.ok(relDiff(single.x, getColumn(k, multi.x, 1)) < 1e-9);
          results[`${backend}-${preconditioner}`] = multi.x;
        }
      } finally {
        setMatVecBackend(old);
      }
    }
    // Same solution to the accuracy the 1e-10 residual allows (κ·1e-10 in x), whatever the
    // backend (the wasm copy is reordered) or preconditioner.
    for (const key of ["wasm-blockJacobi", "wasm-none", "js-ssor", "wasm-ssor"])
      assert.ok(relDiff(results[key], results["js-blockJacobi"]) < 1e-9, `d=${d} ${key}: ${relDiff(results[key], results["js-blockJacobi"])}`);
  }
});

test("a matrix that is not exactly symmetric takes the general wasm kernel and still solves", () => {
  const rng = Rng.fromSeed(14);
  const n = 120;
  const d = 3;
  const M = assembleHessian(network(n, d, 3, rng), n);
  const b = randomVector(n * d, rng);
  const ref = solveCG(M, b).x;
  const values = Float64Array.from(M.values);
  values[d * d * 5 + 1] *= 1 + 1e-13; // one entry of one block: no longer exactly symmetric
  const P: BlockMatrix = { ...M, values };
  const old = setMatVecBackend("wasm");
  try {
    assert.equal(cgWorkspace(P, 1, true).perm, null, "general form (no reordering)");
    const res = solveCGOrThrow(P, b);
    assert.ok(relDiff(res.x, ref) < 1e-9);
  } finally {
    setMatVecBackend(old);
  }
});

test("the wasm copy follows in-place changes of the values and new matrices", () => {
  const rng = Rng.fromSeed(15);
  const n = 90;
  const d = 3;
  const M = assembleHessian(network(n, d, 3, rng), n);
  const M2 = assembleHessian(network(n, d, 3, rng), n);
  const b = randomVector(n * d, rng);
  const old = setMatVecBackend("wasm");
  try {
    const x1 = solveCGOrThrow(M, b).x;
    const x2 = solveCGOrThrow(M2, b).x;
    assert.ok(relDiff(solveCGOrThrow(M, b).x, x1) < 1e-12, "back to the first matrix");
    for (let t = 0; t < M.values.length; t++) M.values[t] *= 2; // in place: M/2 solves now
    const xh = solveCGOrThrow(M, b).x;
    assert.ok(relDiff(Float64Array.from(xh, (v) => 2 * v), x1) < 1e-9);
    releaseMatVecMemory();
    assert.ok(relDiff(solveCGOrThrow(M2, b).x, x2) < 1e-12, "after releasing the arena");
  } finally {
    setMatVecBackend(old);
  }
});

test("localityOrder is a permutation, also with disconnected pieces and isolated particles", () => {
  const rng = Rng.fromSeed(16);
  const A = assembleHessian(network(50, 2, 2, rng), 80); // particles 50..79 have no bonds
  const order = localityOrder(A);
  assert.equal(order.length, 80);
  assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: 80 }, (_, i) => i));
});

test("SSOR with replaced diagonal blocks (particles without bonds) and x0, on both backends", () => {
  const rng = Rng.fromSeed(17);
  const n = 70;
  const d = 3;
  const M = assembleHessian(network(60, d, 3, rng), n); // particles 60..69: zero rows, D̃ = I
  // A right-hand side on the bonded particles with zero sum (consistent, translation-free).
  const b = new Float64Array(n * d);
  for (let s = 0; s < 60 * d; s++) b[s] = rng.normal();
  for (let a = 0; a < d; a++) {
    let m = 0;
    for (let i = 0; i < 60; i++) m += b[i * d + a];
    for (let i = 0; i < 60; i++) b[i * d + a] -= m / 60;
  }
  const y = new Float64Array(n * d);
  for (const backend of ["js", "wasm"] as const) {
    const old = setMatVecBackend(backend);
    try {
      for (const preconditioner of ["ssor", "blockJacobi"] as const) {
        const res = solveCGOrThrow(M, b, { preconditioner });
        blockMatVec(M, res.x, y);
        const r = Float64Array.from(y, (v, s) => b[s] - v);
        removeTranslations(d, r);
        assert.ok(Math.hypot(...r) <= 1e-10 * Math.hypot(...b) * 1.0001, `${backend} ${preconditioner}`);
        // Restarting from the answer converges at once.
        const again = solveCG(M, b, { preconditioner, x0: res.x });
        assert.ok(again.converged && again.iterations <= 1, `${backend} ${preconditioner} x0: ${again.iterations}`);
      }
    } finally {
      setMatVecBackend(old);
    }
  }
});

/** P M Pᵀ: block row/column i of M becomes perm[i]. */
function permuted(M: BlockMatrix, perm: Int32Array): BlockMatrix {
  const { d, n, rowPtr, colIdx, values } = M;
  const dd = d * d;
  const inv = new Int32Array(n);
  perm.forEach((I, i) => (inv[I] = i));
  const newPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let I = 0; I < n; I++) {
    const i = inv[I];
    const entries: [number, number][] = [];
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) entries.push([perm[colIdx[p]], p]);
    entries.sort((a, b) => a[0] - b[0]);
    for (const [J, p] of entries) {
      cols.push(J);
      for (let t = 0; t < dd; t++) vals.push(values[p * dd + t]);
    }
    newPtr[I + 1] = cols.length;
  }
  return { d, n, rowPtr: newPtr, colIdx: Int32Array.from(cols), values: Float64Array.from(vals) };
}

test("SSOR sweeps: wasm (compact, reordered, fixed-up rows) and JavaScript agree on r̂·z and p̂·Âp̂", () => {
  const rng = Rng.fromSeed(18);
  for (const d of [2, 3, 4]) {
    const n = 80;
    // Exactly symmetric matrix with symmetric blocks; a few diagonal blocks not positive definite
    // (replaced by (|tr|/d)·I in D̃, the rows the wasm sweep fixes up afterwards).
    const net = assembleHessian(network(n, d, 3, rng), n);
    const values = Float64Array.from(net.values);
    for (const i of [3, 17, 42])
      for (let p = net.rowPtr[i]; p < net.rowPtr[i + 1]; p++)
        if (net.colIdx[p] === i) for (let t = 0; t < d * d; t++) values[p * d * d + t] *= -1;
    const M: BlockMatrix = { ...net, values };
    const k = 2;
    const R = randomVector(n * d * k, rng);
    // SSOR depends on the order of the unknowns: the JavaScript sweeps run on the matrix
    // renumbered like the wasm copy (row perm[i] = old row i).
    const perm = new Int32Array(n);
    localityOrder(M).forEach((old, I) => (perm[old] = I));
    const Mp = permuted(M, perm);
    const out: Record<string, Float64Array> = {};
    for (const backend of ["js", "wasm"] as const) {
      const old = setMatVecBackend(backend);
      try {
        const ws = ssorWorkspace(backend === "js" ? Mp : M, k)!;
        if (backend === "js") assert.equal(ws.perm, null);
        else assert.deepEqual(ws.perm, perm);
        assert.equal(ws.backend, backend);
        const { kp } = ws;
        for (let i = 0; i < n; i++) {
          const o = perm[i] * d * kp;
          for (let a = 0; a < d; a++) for (let c = 0; c < k; c++) ws.R[o + a * kp + c] = R[(i * d + a) * k + c];
        }
        const rz = new Float64Array(kp);
        const dots = new Float64Array(kp);
        ws.start(rz);
        ws.direction(new Float64Array(kp), Uint8Array.from([1, 1]));
        ws.apply(dots);
        out[backend] = Float64Array.from([rz[0], rz[1], dots[0], dots[1]]);
      } finally {
        setMatVecBackend(old);
      }
    }
    for (let t = 0; t < 4; t++) assert.ok(Math.abs(out.wasm[t] - out.js[t]) <= 1e-11 * Math.abs(out.js[t]), `d=${d} ${t}: ${out.wasm[t]} vs ${out.js[t]}`);
  }
});
