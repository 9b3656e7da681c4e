import { test } from "node:test";
import assert from "node:assert/strict";
import { GlassmechError } from "../../src/core/errors.js";
import { sparseCholesky } from "../../src/linalg/cholesky.js";
import { blockToDense, symmetricEigen } from "../../src/linalg/dense.js";
import { blockLanczosLargest } from "../../src/linalg/lanczos.js";
import { lowestModes, maxAbsRowSum } from "../../src/linalg/modes.js";
import { translationNorm } from "../../src/linalg/projection.js";
import { springNetwork } from "./springNetwork.js";

/** max |P_A − P_B| of the projectors onto the spans of two sets of k orthonormal vectors. */
function projectorDistance(nd: number, k: number, A: (l: number, t: number) => number, B: (l: number, t: number) => number): number {
  let worst = 0;
  for (let s = 0; s < nd; s++)
    for (let t = 0; t < nd; t++) {
      let pa = 0;
      let pb = 0;
      for (let l = 0; l < k; l++) {
        pa += A(l, s) * A(l, t);
        pb += B(l, s) * B(l, t);
      }
      worst = Math.max(worst, Math.abs(pa - pb));
    }
  return worst;
}

test("lowestModes agrees with the dense eigendecomposition (d = 2, 3, 4)", () => {
  for (const [d, n, k, seed] of [
    [2, 250, 20, 3],
    [3, 150, 24, 3],
    [4, 100, 16, 3],
  ]) {
    const net = springNetwork(d, n, seed);
    const nd = n * d;
    const ref = symmetricEigen(nd, blockToDense(net.matrix));
    // Precondition of the subspace comparison: mode k is separated from mode k+1.
    const gap = (ref.values[d + k] - ref.values[d + k - 1]) / ref.values[d + k];
    assert.ok(gap > 1e-3, `d=${d}: choose k at a spectral gap (${gap})`);
    const r = lowestModes(net.matrix, k, { positions: net.positions, box: net.box, solver: "lanczos" });
    assert.equal(r.values.length, k);
    assert.equal(r.vectors.length, k * nd);
    for (let l = 0; l < k; l++) {
      const e = Math.abs(r.values[l] - ref.values[d + l]) / ref.values[d + l];
      assert.ok(e < 1e-8, `d=${d} mode ${l}: ${r.values[l]} vs ${ref.values[d + l]}`);
      assert.ok(r.residuals[l] <= 1e-9, `residual ${r.residuals[l]}`);
      const v = r.vectors.subarray(l * nd, (l + 1) * nd);
      assert.ok(translationNorm(d, v) < 1e-10);
    }
    const dist = projectorDistance(
      nd,
      k,
      (l, t) => r.vectors[l * nd + t],
      (l, t) => ref.vectors[t * nd + d + l],
    );
    assert.ok(dist < 1e-7, `d=${d}: subspace distance ${dist}`);
    assert.ok(r.iterations > 0 && r.shift < 0);
    assert.equal(r.extraZeroModes, 0);
    if (d === 2) {
      // The dense path gives the same values.
      const dense = lowestModes(net.matrix, k, { solver: "dense" });
      for (let l = 0; l < k; l++) assert.ok(Math.abs(dense.values[l] - r.values[l]) < 1e-9 * r.values[l]);
    }
  }
});

test("the results are reproducible and a factor can be reused", () => {
  const net = springNetwork(3, 200, 8);
  const a = lowestModes(net.matrix, 10, { positions: net.positions, box: net.box });
  const b = lowestModes(net.matrix, 10, { method: "graph" });
  for (let l = 0; l < 10; l++) assert.ok(Math.abs(a.values[l] - b.values[l]) < 1e-10 * a.values[l]);
  const shift = -1e-3;
  const F = sparseCholesky(net.matrix, { shift, pin: "none" });
  const c = lowestModes(net.matrix, 10, { factor: F });
  assert.equal(c.shift, shift);
  assert.equal(c.seconds.factor, 0);
  for (let l = 0; l < 10; l++) assert.ok(Math.abs(a.values[l] - c.values[l]) < 1e-10 * a.values[l]);
  const again = lowestModes(net.matrix, 10, { factor: F });
  assert.deepEqual(Array.from(again.values), Array.from(c.values));
  // The pinned factor of M (for dipole solves) is shift-invert with σ = 0.
  const pinned = sparseCholesky(net.matrix, { positions: net.positions, box: net.box });
  const p = lowestModes(net.matrix, 10, { factor: pinned });
  assert.equal(p.shift, 0);
  for (let l = 0; l < 10; l++) assert.ok(Math.abs(a.values[l] - p.values[l]) < 1e-10 * a.values[l]);
  assert.throws(() => lowestModes(net.matrix, 10, { factor: sparseCholesky(net.matrix, { shift: -0.1, pin: 3 }) }), /must be of M itself/);
  assert.throws(() => lowestModes(springNetwork(3, 150, 8).matrix, 10, { factor: F }), /the factor is for 200 particles/);
  assert.throws(() => lowestModes(net.matrix, 0), GlassmechError);
  assert.throws(() => lowestModes(net.matrix, 600), /only 597/);
});

test("a rattler's extra zero modes are detected (and returned on request)", () => {
  const d = 3;
  const net = springNetwork(d, 150, 9, { isolated: [42] });
  assert.throws(
    () => lowestModes(net.matrix, 8, { positions: net.positions, box: net.box }),
    (e: unknown) => e instanceof GlassmechError && /3 zero mode\(s\) besides the 3 translations/.test(e.message) && /particle 42/.test(e.message),
  );
  const r = lowestModes(net.matrix, 8, { positions: net.positions, box: net.box, allowUnstable: true });
  assert.equal(r.extraZeroModes, d);
  for (let l = 0; l < d; l++) assert.ok(Math.abs(r.values[l]) < 1e-9 * r.normM);
  assert.ok(r.values[d] > 1e-6);
});

test("negative modes are an error: below the shift (factorization) or above it (Lanczos)", () => {
  const net = springNetwork(2, 200, 10);
  const clean = lowestModes(net.matrix, 4).values;
  const lowest = clean[0];
  // Lower every eigenvalue by 1.5 λ₁: the lowest nonzero mode becomes negative (−0.5 λ₁),
  // the translations sit at −1.5 λ₁ and are still projected out.
  const bad = springNetwork(2, 200, 10, { diagonalShift: -1.5 * lowest });
  assert.throws(() => lowestModes(bad.matrix, 4), /not positive definite/);
  assert.throws(() => lowestModes(bad.matrix, 4, { shift: -2 * lowest }), /negative mode/);
  const r = lowestModes(bad.matrix, 4, { shift: -2 * lowest, allowUnstable: true });
  assert.equal(r.negativeModes, clean.filter((v) => v < 1.5 * lowest).length);
  assert.ok(r.negativeModes >= 1);
  for (let l = 0; l < 4; l++) assert.ok(Math.abs(r.values[l] - (clean[l] - 1.5 * lowest)) < 1e-8 * lowest);
});

test("block Lanczos on a known spectrum (restarts, breakdown-free, residuals)", () => {
  const n = 400;
  const diag = Float64Array.from({ length: n }, (_, i) => 1 / (1 + i + 0.3 * Math.sin(i)));
  const op = {
    size: n,
    apply(X: Float64Array, k: number, Y: Float64Array) {
      for (let r = 0; r < k; r++) for (let i = 0; i < n; i++) Y[r * n + i] = diag[i] * X[r * n + i];
    },
  };
  const res = blockLanczosLargest(op, { nev: 6, blockSize: 3, maxBasis: 18, maxRestarts: 200 });
  assert.ok(res.converged);
  assert.ok(res.restarts > 0);
  const sorted = Array.from(diag).sort((a, b) => b - a);
  for (let j = 0; j < 6; j++) {
    assert.ok(Math.abs(res.values[j] - sorted[j]) < 1e-9 * sorted[j]);
    // Eigenvector = unit vector of that diagonal entry.
    const i = diag.indexOf(sorted[j]);
    assert.ok(Math.abs(Math.abs(res.vectors[j * n + i]) - 1) < 1e-8);
  }
  assert.equal(maxAbsRowSum(springNetwork(2, 50, 1).matrix) > 0, true);
});

test("block Lanczos survives an exhausted Krylov space (three distinct eigenvalues)", () => {
  const n = 120;
  const diag = Float64Array.from({ length: n }, (_, i) => [1, 0.5, 0.25][i % 3]);
  const op = {
    size: n,
    apply(X: Float64Array, k: number, Y: Float64Array) {
      for (let r = 0; r < k; r++) for (let i = 0; i < n; i++) Y[r * n + i] = diag[i] * X[r * n + i];
    },
  };
  // A block of 2 spans at most 6 Krylov directions: later blocks break down and are replaced by
  // random directions orthogonal to the basis.
  const res = blockLanczosLargest(op, { nev: 5, blockSize: 2, maxBasis: 16 });
  assert.ok(res.converged);
  for (let j = 0; j < 5; j++) assert.ok(Math.abs(res.values[j] - 1) < 1e-12);
  for (let a = 0; a < 5; a++)
    for (let c = 0; c < 5; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += res.vectors[a * n + i] * res.vectors[c * n + i];
      assert.ok(Math.abs(s - (a === c ? 1 : 0)) < 1e-10);
    }
  for (let j = 0; j < 5; j++) for (let i = 0; i < n; i++) if (diag[i] !== 1) assert.ok(Math.abs(res.vectors[j * n + i]) < 1e-10);
});
