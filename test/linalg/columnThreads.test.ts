/**
 * The column-parallel V-cycle and Hessian products (src/linalg/columnThreads.ts) and LOBPCG on
 * several threads: bit-identical to one thread, clear errors.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { smoothedAggregation } from "../../src/linalg/amg.js";
import { matMulVectorsJs } from "../../src/linalg/blockMatVecJs.js";
import { ColumnThreads } from "../../src/linalg/columnThreads.js";
import { lowestModes } from "../../src/linalg/modes.js";
import { removeTranslationsMulti } from "../../src/linalg/projection.js";
import { Rng } from "../../src/core/rng.js";
import { prepareGlass } from "../../src/observables/prepare.js";
import { smallGlass } from "../observables/glasses.js";

function hessianOf(spec: Parameters<typeof smallGlass>[0]) {
  const { config, model } = smallGlass(spec);
  return prepareGlass(config, model).hessian;
}

test("column threads: V-cycles and M·X on 2 and 3 threads equal one thread bit for bit (d = 2, 3)", () => {
  for (const spec of [
    { name: "pss", params: { rc: 1.5 }, d: 3, n: 500, density: 0.6, seed: 2 },
    { name: "pss", params: { rc: 1.5 }, d: 2, n: 400, density: 0.6, seed: 3 },
  ]) {
    const M = hessianOf(spec);
    const nd = M.n * M.d;
    const amg = smoothedAggregation(M, { maxCoarse: 40 });
    assert.ok(amg.stats.levels >= 3);
    const k = 7;
    const rng = Rng.fromSeed(3);
    const R = new Float64Array(nd * k).map(() => rng.uniform() - 0.5);
    removeTranslationsMulti(M.d, k, R);
    const zRef = new Float64Array(nd * k);
    amg.apply(k, R, zRef);
    const yRef = new Float64Array(nd * k);
    matMulVectorsJs(M, k, R, yRef);
    for (const threads of [2, 3]) {
      const ops = new ColumnThreads(M, amg, threads, k, []);
      try {
        assert.equal(ops.threads, threads);
        for (const cols of [k, 2, 1]) {
          const Rc = R.subarray(0, nd * cols).map((_, s) => R[Math.floor(s / cols) * k + (s % cols)]);
          const z = new Float64Array(nd * cols);
          const y = new Float64Array(nd * cols);
          ops.precondition(cols, Rc, z);
          ops.multiply(cols, Rc, y);
          for (let s = 0; s < nd * cols; s++) {
            const ref = Math.floor(s / cols) * k + (s % cols);
            if (z[s] !== zRef[ref] || y[s] !== yRef[ref]) assert.fail(`d=${M.d} T=${threads} k=${cols}: entry ${s} differs (${z[s]} vs ${zRef[ref]}, ${y[s]} vs ${yRef[ref]})`);
          }
        }
      } finally {
        ops.close();
      }
    }
  }
});

test("LOBPCG+AMG on 2 threads gives the eigenpairs of one thread bit for bit", () => {
  const M = hessianOf({ name: "pss", params: { rc: 1.2 }, d: 3, n: 1500, density: 0.6, seed: 4, fTol: 1e-10 }); // 4500 rows: two chunks of the dense products
  const amg = smoothedAggregation(M, { maxCoarse: 60 });
  const one = lowestModes(M, 6, { solver: "lobpcg", amg, allowUnstable: true });
  const two = lowestModes(M, 6, { solver: "lobpcg", amg, threads: 2, allowUnstable: true });
  assert.equal(two.iterations, one.iterations);
  assert.deepEqual(Array.from(two.values), Array.from(one.values));
  assert.deepEqual(Array.from(two.vectors), Array.from(one.vectors));
});

test("column threads refuse a bad thread count and use after close", () => {
  const M = hessianOf({ name: "pss", params: { rc: 1.2 }, d: 3, n: 200, density: 0.6, seed: 21 });
  const amg = smoothedAggregation(M);
  assert.throws(() => new ColumnThreads(M, amg, 0, 4, []), /threads must be a positive integer, got 0/);
  assert.throws(() => new ColumnThreads(M, amg, 1.5, 4, []), /threads must be a positive integer/);
  const ops = new ColumnThreads(M, amg, 2, 4, []);
  const big = new Float64Array(M.n * M.d * 5);
  assert.throws(() => ops.multiply(5, big, new Float64Array(big.length)), /5 columns, made for at most 4/);
  ops.close();
  const X = new Float64Array(M.n * M.d * 4);
  assert.throws(() => ops.multiply(4, X, new Float64Array(X.length)), /used after close/);
});
