import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { GlassmechError } from "../../src/core/errors.js";
import { blockGraph, fillReducingOrder, hopcroftKarp, invertPermutation, type BlockGraph } from "../../src/linalg/ordering.js";
import { symbolicCholesky } from "../../src/linalg/symbolic.js";
import { springNetwork } from "./springNetwork.js";

function isPermutation(p: Int32Array, n: number): boolean {
  if (p.length !== n) return false;
  const seen = new Uint8Array(n);
  for (const v of p) {
    if (v < 0 || v >= n || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

/** Exact fill of L (scalar lower nonzeros incl. diagonal) by explicit symbolic elimination. */
function bruteForceFill(g: BlockGraph, perm: Int32Array, d: number): number {
  const n = g.n;
  const iperm = invertPermutation(perm);
  const adj: Set<number>[] = [];
  for (let k = 0; k < n; k++) {
    const v = perm[k];
    adj.push(new Set(Array.from(g.adj.subarray(g.ptr[v], g.ptr[v + 1]), (w) => iperm[w])));
  }
  let blocks = 0;
  for (let k = 0; k < n; k++) {
    const higher = [...adj[k]].filter((j) => j > k);
    blocks += higher.length;
    // Eliminating k connects all its higher neighbours (a clique).
    for (const a of higher) for (const b of higher) if (a !== b) adj[a].add(b);
  }
  // Off-diagonal blocks are full d×d; the n diagonal blocks contribute d(d+1)/2 each.
  return blocks * d * d + (n * d * (d + 1)) / 2;
}

test("orderings are permutations (geometric, graph, natural; d = 2, 3, 4)", () => {
  for (const d of [2, 3, 4]) {
    const net = springNetwork(d, 300, 11);
    const g = blockGraph(net.matrix);
    for (const method of ["geometric", "graph", "natural"] as const) {
      const p = fillReducingOrder(g, { method, positions: net.positions, box: net.box });
      assert.ok(isPermutation(p, 300), `${method} d=${d}`);
    }
  }
});

test("blockGraph drops the diagonal and a pinned vertex's edges", () => {
  const net = springNetwork(2, 100, 2);
  const g = blockGraph(net.matrix, 7);
  assert.equal(g.ptr[8] - g.ptr[7], 0);
  for (let i = 0; i < g.n; i++)
    for (let p = g.ptr[i]; p < g.ptr[i + 1]; p++) {
      assert.notEqual(g.adj[p], i);
      assert.notEqual(g.adj[p], 7);
    }
});

test("symbolic column counts and fill match explicit elimination (no amalgamation)", () => {
  for (const [d, method] of [
    [2, "geometric"],
    [3, "graph"],
    [3, "natural"],
  ] as const) {
    const net = springNetwork(d, 120, 5);
    const g = blockGraph(net.matrix);
    const perm = fillReducingOrder(g, { method, positions: net.positions, box: net.box });
    const sym = symbolicCholesky(g, perm, d, { relax: false, maxSupernodeCols: 1e9 });
    // The symbolic analysis postorders the elimination tree; that does not change the fill.
    assert.equal(sym.nnzLower, bruteForceFill(g, sym.perm, d), `${method} d=${d}`);
    assert.equal(sym.nnzLower, bruteForceFill(g, perm, d), `${method} d=${d} (before postorder)`);
    // Supernode row lists: own columns first, then ascending rows below.
    for (let s = 0; s < sym.nsuper; s++) {
      const f = sym.superStart[s];
      const nc = sym.superStart[s + 1] - f;
      for (let q = 0; q < nc; q++) assert.equal(sym.rowIdx[sym.rowPtr[s] + q], f + q);
      for (let q = sym.rowPtr[s] + nc + 1; q < sym.rowPtr[s + 1]; q++) assert.ok(sym.rowIdx[q] > sym.rowIdx[q - 1]);
    }
  }
});

test("amalgamation and panel splitting only add explicit zeros", () => {
  const net = springNetwork(3, 400, 9);
  const g = blockGraph(net.matrix);
  const perm = fillReducingOrder(g, { positions: net.positions, box: net.box });
  const exact = symbolicCholesky(g, perm, 3, { relax: false, maxSupernodeCols: 1e9 });
  const relaxed = symbolicCholesky(g, perm, 3);
  const narrow = symbolicCholesky(g, perm, 3, { maxSupernodeCols: 6 });
  // Measured +26% at N = 400 (+7% on a N = 3000 glass): small systems have more small supernodes.
  assert.ok(relaxed.nnzLower >= exact.nnzLower && relaxed.nnzLower < 1.35 * exact.nnzLower, `${relaxed.nnzLower} vs ${exact.nnzLower}`);
  assert.ok(relaxed.nsuper < exact.nsuper);
  assert.ok(narrow.nsuper > relaxed.nsuper);
  for (let s = 0; s < narrow.nsuper; s++) assert.ok((narrow.superStart[s + 1] - narrow.superStart[s]) * 3 <= 6);
});

test("nested dissection fills far less than the natural order on a 3D network", () => {
  const net = springNetwork(3, 2000, 1);
  const g = blockGraph(net.matrix);
  const fill = (method: "geometric" | "graph" | "natural") =>
    symbolicCholesky(g, fillReducingOrder(g, { method, positions: net.positions, box: net.box }), 3).nnzLower;
  const natural = fill("natural");
  const geometric = fill("geometric");
  const graph = fill("graph");
  // Measured: natural ≈ 9.2M, graph ≈ 2.0M, geometric ≈ 1.7M scalars.
  assert.ok(geometric < natural / 5, `geometric ${geometric} vs natural ${natural}`);
  assert.ok(graph < natural / 4, `graph ${graph} vs natural ${natural}`);
  assert.ok(geometric <= graph * 1.05, `geometric ${geometric} vs graph ${graph}`);
});

test("geometric ordering needs positions and box", () => {
  const net = springNetwork(2, 50, 1);
  const g = blockGraph(net.matrix);
  assert.throws(() => fillReducingOrder(g, { method: "geometric" }), GlassmechError);
  assert.throws(() => fillReducingOrder(g, { method: "geometric", positions: new Float64Array(10), box: net.box }), /coordinates/);
  assert.throws(() => invertPermutation(Int32Array.from([0, 0, 1])), /not a permutation/);
});

test("Hopcroft–Karp finds maximum matchings (vs brute force on small graphs)", () => {
  const rng = Rng.fromSeed(3);
  for (let trial = 0; trial < 40; trial++) {
    const nl = 1 + rng.int(7);
    const nr = 1 + rng.int(7);
    const edges: number[][] = [];
    for (let u = 0; u < nl; u++) {
      const list: number[] = [];
      for (let w = 0; w < nr; w++) if (rng.uniform() < 0.35) list.push(w);
      edges.push(list);
    }
    const bptr = new Int32Array(nl + 1);
    for (let u = 0; u < nl; u++) bptr[u + 1] = bptr[u] + edges[u].length;
    const badj = Int32Array.from(edges.flat());
    const { matchL, matchR, size } = hopcroftKarp(nl, nr, bptr, badj);
    // Consistency.
    let count = 0;
    for (let u = 0; u < nl; u++)
      if (matchL[u] >= 0) {
        count++;
        assert.equal(matchR[matchL[u]], u);
        assert.ok(edges[u].includes(matchL[u]));
      }
    assert.equal(count, size);
    // Brute force maximum.
    const best = (u: number, used: number): number => {
      if (u === nl) return 0;
      let m = best(u + 1, used);
      for (const w of edges[u]) if (!(used & (1 << w))) m = Math.max(m, 1 + best(u + 1, used | (1 << w)));
      return m;
    };
    assert.equal(size, best(0, 0));
  }
});
