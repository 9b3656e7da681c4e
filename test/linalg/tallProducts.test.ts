/**
 * The row-chunked dense products of LOBPCG's tall blocks (src/linalg/tallProducts.ts through
 * columnThreads.ts): equal to plain sums, and bit-identical on 1, 2 and 3 threads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { smoothedAggregation } from "../../src/linalg/amg.js";
import { ColumnThreads } from "../../src/linalg/columnThreads.js";
import { CHUNK_ROWS, chunkCount } from "../../src/linalg/tallProducts.js";
import { Rng } from "../../src/core/rng.js";
import { springNetwork } from "./springNetwork.js";

test("tall products: Gram AᵀB and combinations A·C + B·D over several row chunks equal plain sums, bit-identical on 1–3 threads", () => {
  const net = springNetwork(3, 3000, 5); // 9000 rows: chunks of 4096, 4096, 808
  const M = net.matrix;
  const N = M.n * M.d;
  assert.ok(chunkCount(N) >= 3, `${chunkCount(N)} chunks of ${CHUNK_ROWS} rows`);
  const amg = smoothedAggregation(M);
  const m = 7;
  const rng = Rng.fromSeed(9);
  const na = 7;
  const nb = 5;
  const my = 6;
  const A = new Float64Array(N * m).map(() => rng.uniform() - 0.5);
  const B = new Float64Array(N * m).map(() => rng.uniform() - 0.5);
  const C = new Float64Array((na + nb) * my).map(() => rng.uniform() - 0.5);
  // Plain references.
  const gRef = new Float64Array(na * nb);
  for (let s = 0; s < N; s++) for (let i = 0; i < na; i++) for (let j = 0; j < nb; j++) gRef[i * nb + j] += A[s * na + i] * B[s * nb + j];
  const yRef = new Float64Array(N * my);
  for (let s = 0; s < N; s++)
    for (let j = 0; j < my; j++) {
      let v = 0;
      for (let i = 0; i < na; i++) v += A[s * na + i] * C[i * my + j];
      for (let i = 0; i < nb; i++) v += B[s * nb + i] * C[(na + i) * my + j];
      yRef[s * my + j] = v;
    }
  let first: { g: Float64Array; y: Float64Array; z: Float64Array } | null = null;
  for (const threads of [1, 2, 3]) {
    const blocks = [A, B, new Float64Array(N * m), new Float64Array(N * m)].map((b) => {
      const shared = new Float64Array(new SharedArrayBuffer(8 * N * m));
      shared.set(b);
      return shared;
    });
    const ops = new ColumnThreads(M, amg, threads, m, blocks);
    try {
      const g = new Float64Array(na * nb);
      ops.gram(0, na, 1, nb, g);
      ops.combine(0, na, 1, nb, C, my, 2, false);
      // z = y − A·C[0:na] (subtract) leaves B·C[na:].
      blocks[3].set(blocks[2]);
      ops.combine(0, na, 0, 0, C, my, 3, true);
      const y = blocks[2].slice(0, N * my);
      const z = blocks[3].slice(0, N * my);
      for (let t = 0; t < na * nb; t++) assert.ok(Math.abs(g[t] - gRef[t]) < 1e-11, `T=${threads} gram ${t}: ${g[t]} vs ${gRef[t]}`);
      for (let s = 0; s < N * my; s++) {
        assert.ok(Math.abs(y[s] - yRef[s]) < 1e-13, `T=${threads} combination ${s}`);
        let bc = 0;
        const row = Math.floor(s / my);
        for (let i = 0; i < nb; i++) bc += B[row * nb + i] * C[(na + i) * my + (s % my)];
        assert.ok(Math.abs(z[s] - bc) < 1e-13, `T=${threads} subtraction ${s}`);
      }
      if (first === null) first = { g, y, z };
      else {
        assert.deepEqual(Array.from(g), Array.from(first.g), `T=${threads}: Gram differs from one thread`);
        assert.deepEqual(Array.from(y), Array.from(first.y), `T=${threads}: combination differs from one thread`);
        assert.deepEqual(Array.from(z), Array.from(first.z), `T=${threads}: subtraction differs from one thread`);
      }
      assert.throws(() => ops.combine(0, na, 1, nb, C, my, 1, false), /cannot overwrite its operand/);
    } finally {
      ops.close();
    }
  }
});
