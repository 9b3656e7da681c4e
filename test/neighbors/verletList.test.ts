import { test } from "node:test";
import assert from "node:assert/strict";
import { Box, affineTransform, shearMatrix } from "../../src/core/box.js";
import type { Configuration } from "../../src/core/configuration.js";
import { GlassmechError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import { pairCutoffs } from "../../src/forces/pairTables.js";
import type { Model } from "../../src/models/index.js";
import { bruteForcePairs } from "../../src/neighbors/bruteForce.js";
import { combinedSize, largestCombinedSize } from "../../src/neighbors/cutoffs.js";
import { VerletList } from "../../src/neighbors/verletList.js";
import { lambdaOf, modelByName, randomConfig } from "../forces/helpers.js";

/** Canonical sorted keys of a pair set: "i j" plus the separation (self-images: the positive one of ±). */
function canonical(d: number, pairs: { i: number; j: number; delta: ArrayLike<number> }[]): { key: string; delta: number[] }[] {
  const out = pairs.map((p) => {
    let i = p.i;
    let j = p.j;
    let v = Array.from(p.delta);
    if (i > j) {
      [i, j] = [j, i];
      v = v.map((t) => -t);
    }
    if (i === j) {
      const first = v.find((t) => Math.abs(t) > 1e-9) ?? 0;
      if (first < 0) v = v.map((t) => -t);
    }
    // image identity: rounded separation (distinct images differ by a lattice vector ≫ 1e-6)
    return { key: `${i} ${j} ${v.map((t) => t.toFixed(6)).join(" ")}`, delta: v };
  });
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  assert.equal(d, out[0]?.delta.length ?? d);
  return out;
}

/**
 * All pairs stored in a Verlet list, in original labels, with r_ij = xs_j − xs_i + shift where xs
 * are the list's internal positions for x (gathered by `sync`, which must not rebuild here).
 */
function listPairs(vl: VerletList, x: Float64Array, types: Int32Array | null, sizes: Float64Array | null): { i: number; j: number; delta: number[] }[] {
  const d = vl.d;
  const xs = new Float64Array(vl.n * d);
  const builds = vl.builds;
  vl.sync(x, types, sizes, xs, new Int32Array(vl.n), new Float64Array(vl.n));
  assert.equal(vl.builds, builds, "listPairs must not rebuild");
  const res: { i: number; j: number; delta: number[] }[] = [];
  const add = (I: number, J: number, shift: Float64Array | null, so: number) => {
    const v: number[] = [];
    for (let a = 0; a < d; a++) v.push(xs[J * d + a] - xs[I * d + a] + (shift === null ? 0 : shift[so + a]));
    res.push({ i: vl.order[I], j: vl.order[J], delta: v });
  };
  for (let I = 0; I < vl.n; I++) for (let p = vl.start[I]; p < vl.start[I + 1]; p++) add(I, vl.nbr[p], null, 0);
  for (let p = 0; p < vl.shiftCount; p++) add(vl.shiftI[p], vl.shiftJ[p], vl.shiftVec, p * d);
  return res;
}

function bruteList(model: Model, c: Configuration, skin: number, x = c.positions) {
  const xc = model.reduced.xc;
  const b = bruteForcePairs(x, c.box, (i, j) => xc * lambdaOf(model, c, i, j) + skin);
  const d = c.d;
  return Array.from({ length: b.count }, (_, p) => ({ i: b.i[p], j: b.j[p], delta: b.delta.slice(p * d, p * d + d) }));
}

function assertSamePairs(d: number, got: ReturnType<typeof listPairs>, want: ReturnType<typeof listPairs>, what: string): void {
  const g = canonical(d, got);
  const w = canonical(d, want);
  assert.equal(g.length, w.length, `${what}: ${g.length} pairs, brute force ${w.length}`);
  for (let k = 0; k < g.length; k++) {
    assert.equal(g[k].key, w[k].key, `${what}: pair ${k}`);
    for (let a = 0; a < d; a++) assert.ok(Math.abs(g[k].delta[a] - w[k].delta[a]) < 1e-9, `${what}: separation of pair ${g[k].key}`);
  }
}

function buildList(model: Model, c: Configuration, skin = 0.3, swapSafe = false): VerletList {
  const vl = new VerletList(c.n, c.box, pairCutoffs(model, swapSafe), { skin });
  vl.build(c.positions, model.scales.kind === "types" ? c.types : null, c.sizes);
  return vl;
}

const cases: { model: string; n: number; density: number; shear?: number; what: string }[] = [
  { model: "pss", n: 150, density: 0.6, what: "binary, big box" },
  { model: "pss", n: 150, density: 0.6, shear: 0.37, what: "binary, big sheared box" },
  { model: "poly", n: 150, density: 1.0, what: "polydisperse, big box" },
  { model: "poly", n: 150, density: 1.0, shear: -0.8, what: "polydisperse, big sheared box" },
  { model: "kablj", n: 120, density: 1.2, what: "KABLJ 80:20" },
  { model: "pss", n: 6, density: 0.8, what: "binary, small box" },
  { model: "poly", n: 5, density: 1.0, shear: 0.6, what: "polydisperse, small sheared box" },
  { model: "pss", n: 1, density: 0.5, what: "one particle (self-images only)" },
  { model: "kablj", n: 3, density: 1.2, shear: 1.3, what: "strongly sheared tiny box" },
];

test("Verlet list equals a brute-force all-images search (d = 2, 3, 4; big, small, sheared boxes)", () => {
  let seed = 10;
  for (const cs of cases)
    for (const d of [2, 3, 4]) {
      const model = modelByName(cs.model);
      const n = d === 4 && cs.n > 100 ? 90 : cs.n;
      const c = randomConfig(model, { d, n, density: cs.density, seed: seed++, shear: cs.shear, unwrapped: true });
      const vl = buildList(model, c);
      assertSamePairs(d, listPairs(vl, c.positions, c.types, c.sizes), bruteList(model, c, 0.3), `${cs.what}, d=${d}`);
    }
});

test("small boxes: a particle pairs with several images of another and with its own images", () => {
  const model = modelByName("pss");
  const c = randomConfig(model, { d: 3, n: 2, density: 0.9, seed: 3 });
  const vl = buildList(model, c);
  const pairs = listPairs(vl, c.positions, c.types, null);
  const self = pairs.filter((p) => p.i === p.j).length;
  const multi = pairs.filter((p) => p.i !== p.j).length;
  assert.ok(self >= 3, `expected self-image pairs, got ${self}`);
  assert.ok(multi > 1, `expected several images of the 0–1 pair, got ${multi}`);
  assertSamePairs(3, pairs, bruteList(model, c, 0.3), "two particles");
});

test("swap-safe list contains the exact list and stays valid when sizes are exchanged", () => {
  const model = modelByName("poly");
  const c = randomConfig(model, { d: 3, n: 200, density: 1.0, seed: 5 });
  const exact = buildList(model, c, 0.3, false);
  const safe = buildList(model, c, 0.3, true);
  assert.ok(safe.pairCount > exact.pairCount);
  // Exchange many sizes: every pair within the new exact cutoffs must already be in the safe list.
  const rng = Rng.fromSeed(8);
  const sizes = c.sizes!;
  for (let k = 0; k < 100; k++) {
    const i = rng.int(c.n);
    const j = rng.int(c.n);
    [sizes[i], sizes[j]] = [sizes[j], sizes[i]];
  }
  const have = new Set(canonical(3, listPairs(safe, c.positions, null, sizes)).map((p) => p.key));
  for (const p of canonical(3, bruteList(model, c, 0))) assert.ok(have.has(p.key), `pair ${p.key} missing from the swap-safe list`);
  assert.equal(safe.needsRebuild(c.positions, null, sizes), false, "swap-safe list ignores size swaps");
  assert.equal(exact.needsRebuild(c.positions, null, sizes), true, "exact list rebuilds after size swaps");
});

test("rebuild rule: moves below skin/2 keep the list, beyond skin/2 rebuild it, and both equal a fresh build", () => {
  const model = modelByName("pss");
  const skin = 0.3;
  const c = randomConfig(model, { d: 3, n: 300, density: 0.6, seed: 21 });
  const vl = buildList(model, c, skin);
  const x = Float64Array.from(c.positions);
  // all particles move by 0.49·skin in random directions: no rebuild needed
  const rng = Rng.fromSeed(4);
  const move = (len: number, i: number) => {
    const v = [rng.normal(), rng.normal(), rng.normal()];
    const s = len / Math.hypot(...v);
    for (let a = 0; a < 3; a++) x[i * 3 + a] += s * v[a];
  };
  for (let i = 0; i < c.n; i++) move(0.49 * skin, i);
  assert.equal(vl.update(x, c.types, null), false, "no rebuild below skin/2");
  assert.equal(vl.builds, 1);
  // the stale list still holds every pair inside the interaction cutoff
  const have = new Set(canonical(3, listPairs(vl, x, c.types, null)).map((p) => p.key));
  for (const p of canonical(3, bruteList(model, c, 0, x))) assert.ok(have.has(p.key), `pair ${p.key} missing before rebuild`);
  // one particle beyond skin/2 from its build position triggers a rebuild
  for (let a = 0; a < 3; a++) x[17 * 3 + a] = c.positions[17 * 3 + a];
  x[17 * 3 + 1] += 0.51 * skin;
  assert.equal(vl.update(x, c.types, null), true, "rebuild beyond skin/2");
  assert.equal(vl.builds, 2);
  assertSamePairs(3, listPairs(vl, x, c.types, null), bruteList(model, c, skin, x), "after rebuild");
});

test("box change and type change force a rebuild", () => {
  const model = modelByName("pss");
  const c = randomConfig(model, { d: 2, n: 100, density: 0.6, seed: 2 });
  const vl = buildList(model, c);
  assert.equal(vl.update(c.positions, c.types, null), false);
  const types = Int32Array.from(c.types);
  types[3] = 1 - types[3];
  assert.equal(vl.update(c.positions, types, null), true, "type change rebuilds");
  const F = shearMatrix(2, 0.05);
  const x2 = affineTransform(2, c.positions, F);
  vl.setBox(c.box.deformed(F));
  assert.equal(vl.update(x2, types, null), true, "setBox rebuilds");
  const c2 = { ...c, positions: x2, box: c.box.deformed(F), types };
  assertSamePairs(2, listPairs(vl, x2, types, null), bruteList(model, c2, 0.3), "after shear");
});

test("POLY combining rule and its bound", () => {
  assert.equal(combinedSize(1, 1, 0.2), 1);
  assert.ok(Math.abs(combinedSize(0.8, 1.2, 0.2) - 0.92) < 1e-15);
  for (const na of [0, 0.2, -0.3]) {
    const bound = largestCombinedSize(0.7, 1.5, na);
    for (let a = 0.7; a <= 1.5; a += 0.05) for (let b = 0.7; b <= 1.5; b += 0.05) assert.ok(combinedSize(a, b, na) <= bound + 1e-15);
  }
});

test("bad input: types outside the model, wrong lengths, non-finite positions, missing sizes", () => {
  const model = modelByName("pss");
  const c = randomConfig(model, { d: 3, n: 10, density: 0.6, seed: 1 });
  const vl = new VerletList(c.n, c.box, pairCutoffs(model));
  const bad = Int32Array.from(c.types);
  bad[4] = 7;
  assert.throws(() => vl.build(c.positions, bad, null), (e: unknown) => e instanceof GlassmechError && /particle 4 has type 7/.test(e.message));
  assert.throws(() => vl.build(c.positions.subarray(3), c.types, null), GlassmechError);
  const x = Float64Array.from(c.positions);
  x[5] = NaN;
  assert.throws(() => vl.build(x, c.types, null), (e: unknown) => e instanceof GlassmechError && /particle 1/.test(e.message));
  const poly = modelByName("poly");
  const vp = new VerletList(c.n, c.box, pairCutoffs(poly));
  assert.throws(() => vp.build(c.positions, null, null), (e: unknown) => e instanceof GlassmechError && /sizes/.test(e.message));
  assert.throws(() => new VerletList(c.n, c.box, pairCutoffs(model), { skin: -1 }), GlassmechError);
  assert.throws(() => vl.setBox(Box.cubic(2, 3)), GlassmechError);
});
