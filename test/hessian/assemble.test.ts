import { test } from "node:test";
import assert from "node:assert/strict";
import { Box } from "../../src/core/box.js";
import { Rng } from "../../src/core/rng.js";
import type { Configuration } from "../../src/core/configuration.js";
import type { PairRecords } from "../../src/forces/types.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { assembleHessian } from "../../src/hessian/assemble.js";
import { blockMatVec } from "../../src/linalg/blockMatrix.js";
import { blockToDense } from "../../src/linalg/dense.js";
import { modelByName, randomConfig } from "../forces/helpers.js";

/** Dense Hessian straight from the SPEC §4.2 formula, one record at a time (independent reference). */
function denseReference(rec: PairRecords, n: number): Float64Array {
  const d = rec.d;
  const N = n * d;
  const A = new Float64Array(N * N);
  for (let p = 0; p < rec.count; p++) {
    const i = rec.i[p];
    const j = rec.j[p];
    const r = rec.r[p];
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        const na = rec.delta[p * d + a] / r;
        const nb = rec.delta[p * d + b] / r;
        const k = rec.d2phi[p] * na * nb + (rec.dphi[p] / r) * ((a === b ? 1 : 0) - na * nb);
        A[(i * d + a) * N + j * d + b] -= k;
        A[(j * d + a) * N + i * d + b] -= k;
        A[(i * d + a) * N + i * d + b] += k;
        A[(j * d + a) * N + j * d + b] += k;
      }
  }
  return A;
}

function syntheticRecords(n: number, d: number, count: number, rng: Rng): PairRecords {
  const i = new Int32Array(count);
  const j = new Int32Array(count);
  const delta = new Float64Array(count * d);
  const r = new Float64Array(count);
  const dphi = new Float64Array(count);
  const d2phi = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    i[p] = rng.int(n);
    j[p] = rng.int(n);
    let s = 0;
    for (let a = 0; a < d; a++) {
      delta[p * d + a] = rng.normal();
      s += delta[p * d + a] ** 2;
    }
    r[p] = Math.sqrt(s);
    dphi[p] = rng.normal();
    d2phi[p] = rng.normal() * 10;
  }
  return { d, count, i, j, delta, r, dphi, d2phi };
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]));
  return m;
}

test("assembleHessian equals the formula of SPEC §4.2; pattern is sorted, diagonal always present", () => {
  const rng = Rng.fromSeed(21);
  for (const d of [2, 3, 4]) {
    const n = 25;
    // Random records, including repeated (i, j) pairs, both orders, and self-image records (i = j),
    // which must contribute nothing.
    const rec = syntheticRecords(n, d, 120, rng);
    const M = assembleHessian(rec, n);
    const ref = denseReference(rec, n);
    // Self records: the reference adds −k twice and +k twice to block (i, i), i.e. nothing.
    let selfCount = 0;
    for (let p = 0; p < rec.count; p++) if (rec.i[p] === rec.j[p]) selfCount++;
    assert.ok(selfCount > 0, "test includes self-image records");
    const dense = blockToDense(M);
    assert.ok(maxAbsDiff(dense, ref) < 1e-12 * maxAbs(ref), `d=${d}`);
    assert.equal(M.rowPtr.length, n + 1);
    for (let row = 0; row < n; row++) {
      let hasDiag = false;
      for (let p = M.rowPtr[row]; p < M.rowPtr[row + 1]; p++) {
        if (p > M.rowPtr[row]) assert.ok(M.colIdx[p] > M.colIdx[p - 1], "columns strictly ascending");
        if (M.colIdx[p] === row) hasDiag = true;
      }
      assert.ok(hasDiag, `row ${row} stores its diagonal block`);
    }
  }
  // A particle without any record still has a (zero) diagonal block.
  const none: PairRecords = { d: 3, count: 0, i: new Int32Array(0), j: new Int32Array(0), delta: new Float64Array(0), r: new Float64Array(0), dphi: new Float64Array(0), d2phi: new Float64Array(0) };
  const Z = assembleHessian(none, 4);
  assert.deepEqual(Array.from(Z.colIdx), [0, 1, 2, 3]);
  assert.ok(Z.values.every((v) => v === 0));
});

test("assembleHessian rejects out-of-range particle indices", () => {
  const rec = syntheticRecords(5, 2, 3, Rng.fromSeed(1));
  rec.j[1] = 7;
  assert.throws(() => assembleHessian(rec, 5), /pair record 1 has particle indices \(\d+, 7\) outside 0..4/);
});

/** M by central finite differences of the forces: column c = −(f(x + h e_c) − f(x − h e_c)) / 2h. */
function finiteDifferenceHessian(sys: PairSystem, x0: Float64Array, h: number): Float64Array {
  const N = x0.length;
  const A = new Float64Array(N * N);
  const x = Float64Array.from(x0);
  const fp = new Float64Array(N);
  const fm = new Float64Array(N);
  for (let c = 0; c < N; c++) {
    x[c] = x0[c] + h;
    sys.energyForces(x, fp);
    x[c] = x0[c] - h;
    sys.energyForces(x, fm);
    x[c] = x0[c];
    for (let r = 0; r < N; r++) A[r * N + c] = -(fp[r] - fm[r]) / (2 * h);
  }
  return A;
}

function checkAgainstFiniteDifferences(config: Configuration, label: string): void {
  const model = modelByName(config.model.name, { ...config.model.params });
  const sys = new PairSystem(config, model);
  const rec = sys.records(config.positions);
  assert.ok(rec.count > config.n, `${label}: enough interacting pairs (${rec.count})`);
  const M = assembleHessian(rec, config.n);
  const dense = blockToDense(M);
  const N = config.n * config.d;
  // Symmetric.
  let asym = 0;
  for (let r = 0; r < N; r++) for (let c = 0; c < r; c++) asym = Math.max(asym, Math.abs(dense[r * N + c] - dense[c * N + r]));
  const scale = maxAbs(dense);
  assert.equal(asym, 0, `${label}: exactly symmetric`);
  // Annihilates uniform translations.
  const t = new Float64Array(N);
  const y = new Float64Array(N);
  for (let a = 0; a < config.d; a++) {
    t.fill(0);
    for (let i = 0; i < config.n; i++) t[i * config.d + a] = 1;
    blockMatVec(M, t, y);
    assert.ok(maxAbs(y) <= 1e-12 * scale, `${label}: M·t_${a} = ${maxAbs(y)}`);
  }
  // Equals the finite-difference Jacobian of −forces.
  const fd = finiteDifferenceHessian(sys, config.positions, 1e-6);
  const err = maxAbsDiff(dense, fd);
  if (process.env.GLASSMECH_VERBOSE) console.log(`${label}: pairs ${rec.count}, |M − FD| / max|M| = ${(err / scale).toExponential(2)}`);
  assert.ok(err <= 2e-8 * scale, `${label}: |M − FD| = ${err.toExponential(2)}, scale ${scale.toExponential(2)}`);
}

test("M equals the finite-difference Jacobian of −forces (d = 2, 3, 4; several models)", () => {
  const cases: [string, Record<string, number>, number, number, number][] = [
    // model, params, d, n, density
    ["pss", { rc: 1.2 }, 2, 40, 0.6],
    ["pss", { rc: 1.5 }, 3, 40, 0.6],
    ["pss", { rc: 1.2 }, 4, 30, 0.6],
    ["ipl", {}, 3, 40, 0.7],
    ["qss", { q: 12, xc: 2.0 }, 2, 40, 0.6],
    ["kablj", {}, 3, 40, 0.9],
    ["poly", {}, 3, 40, 0.7],
  ];
  let seed = 100;
  for (const [name, params, d, n, density] of cases) {
    const model = modelByName(name, params);
    const config = randomConfig(model, { d, n, density, seed: seed++, minDist: 0.85 });
    checkAgainstFiniteDifferences(config, `${name} d=${d}`);
  }
});

test("tiny periodic boxes: several images of a pair and self-images are handled", () => {
  // L = 1.9 < 2·cutoff for PSS rc = 1.5 (x_c·λ up to 2.36): each pair interacts through several
  // images and every particle with its own images.
  const model = modelByName("pss", { rc: 1.5 });
  const box = Box.cubic(3, 1.9);
  const positions = Float64Array.from([0.1, 0.2, 0.3, 1.0, 1.1, 0.9, 0.5, 1.4, 1.6]);
  const config: Configuration = { d: 3, n: 3, box, positions, types: Int32Array.from([0, 1, 0]), sizes: null, model: { name: "pss", params: model.params } };
  const rec = new PairSystem(config, model).records(positions);
  let self = 0;
  const seen = new Map<string, number>();
  for (let p = 0; p < rec.count; p++) {
    if (rec.i[p] === rec.j[p]) self++;
    const key = `${rec.i[p]},${rec.j[p]}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  assert.ok(self > 0, "self-image records present");
  assert.ok([...seen.values()].some((c) => c > 1), "repeated pair records present");
  checkAgainstFiniteDifferences(config, "tiny box");
});
