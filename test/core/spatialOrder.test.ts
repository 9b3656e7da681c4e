import { test } from "node:test";
import assert from "node:assert/strict";
import { Box } from "../../src/core/box.js";
import { Rng } from "../../src/core/rng.js";
import { mortonBits, spatialOrder, spatiallyOrdered } from "../../src/core/spatialOrder.js";
import { createModel } from "../../src/models/index.js";
import { ORDERED_START_MIN, randomConfiguration } from "../../src/protocols/randomStart.js";

function randomPoints(d: number, n: number, L: number, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  return Float64Array.from({ length: n * d }, () => rng.uniform() * L);
}

test("spatialOrder: a permutation that enumerates a 4×4 grid along the Z curve", () => {
  const box = Box.cubic(2, 4);
  // Cell centres (x, y) of a 4×4 grid, labelled in a scrambled order.
  const cells = Array.from({ length: 16 }, (_, k) => [k % 4, Math.floor(k / 4)]);
  const labels = [5, 12, 0, 9, 3, 14, 7, 1, 10, 15, 2, 8, 13, 4, 11, 6];
  const x = new Float64Array(32);
  labels.forEach((c, i) => {
    x[2 * i] = cells[c][0] + 0.5;
    x[2 * i + 1] = cells[c][1] + 0.5;
  });
  assert.equal(mortonBits(2, 16), 2);
  const order = spatialOrder(2, 16, x, box);
  const visited = Array.from(order, (i) => [x[2 * i] - 0.5, x[2 * i + 1] - 0.5].join(","));
  // Z order: x is the more significant bit of each level.
  assert.deepEqual(visited.slice(0, 8), ["0,0", "0,1", "1,0", "1,1", "0,2", "0,3", "1,2", "1,3"]);
  assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: 16 }, (_, i) => i));
});

test("spatialOrder: the same order for any periodic image, neighbours close in label (d = 2, 3, 4)", () => {
  for (const d of [2, 3, 4]) {
    const n = 2048;
    const L = Math.pow(n, 1 / d);
    const box = Box.cubic(d, L);
    const x = randomPoints(d, n, L, d);
    const order = spatialOrder(d, n, x, box);
    const shifted = x.map((v, k) => v + L * ((k % 3) - 1));
    assert.deepEqual(spatialOrder(d, n, shifted, box), order);
    // Mean label distance of pairs closer than 1.2 spacings, after relabelling, against n/3 at random.
    const rank = new Int32Array(n);
    order.forEach((i, k) => (rank[i] = k));
    let sum = 0;
    let pairs = 0;
    const v = new Float64Array(d);
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        for (let a = 0; a < d; a++) v[a] = x[j * d + a] - x[i * d + a];
        box.minimumImage(v);
        if (Math.hypot(...v) < 1.2) {
          sum += Math.abs(rank[i] - rank[j]);
          pairs++;
        }
      }
    assert.ok(pairs > n, `d = ${d}: ${pairs} close pairs`);
    // Random labels give n/3 = 683; pairs across the periodic boundary keep part of that.
    assert.ok(sum / pairs < n / 8, `d = ${d}: mean label gap ${(sum / pairs).toFixed(0)} of n = ${n}`);
  }
});

test("spatiallyOrdered keeps every (position, type, size) row; large random starts come ordered", () => {
  const model = createModel({ name: "pss", params: { rc: 1.2 } });
  const c = randomConfiguration(model, Rng.fromSeed(7), { d: 3, n: 500, density: 0.6 });
  const rows = (k: { positions: Float64Array; sizes: Float64Array | null; types: Int32Array; n: number }): string[] =>
    Array.from({ length: k.n }, (_, i) => `${k.positions.subarray(3 * i, 3 * i + 3).join(",")}|${k.types[i]}|${k.sizes?.[i]}`).sort();
  const ordered = spatiallyOrdered(c);
  assert.deepEqual(rows(ordered), rows(c));
  assert.notDeepEqual(Array.from(ordered.positions), Array.from(c.positions), "a small start keeps its draw order");
  // The same draw at ORDERED_START_MIN particles comes in Morton order (ordering again is the identity).
  const n = ORDERED_START_MIN;
  const big = randomConfiguration(model, Rng.fromSeed(7), { d: 3, n, density: 0.6 });
  assert.deepEqual(Array.from(spatialOrder(3, n, big.positions, big.box)), Array.from({ length: n }, (_, i) => i));
  // … and holds the points of the unordered draw (the same uniforms, consumed in the same order).
  const rng = Rng.fromSeed(7);
  const drawn = Float64Array.from({ length: 3 * n }, () => rng.uniform() * big.box.h[0]);
  assert.deepEqual(Float64Array.from(big.positions).sort(), drawn.sort());
});
