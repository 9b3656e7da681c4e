/**
 * The plane-wave start block of LOBPCG (planeWaves.ts): the wave vectors are the shortest ones
 * (against a brute-force enumeration, cubic and orthorhombic, d = 2, 3, 4), the polarizations are
 * orthonormal and transverse, the columns are e·cos(q·x) and e·sin(q·x), orthogonal on a lattice,
 * and the start changes the iterations of LOBPCG but not its eigenpairs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Box } from "../../src/core/box.js";
import { lowestWaveVectors, planeWaveBlock, planeWaveShellEnd, transversePolarizations } from "../../src/linalg/planeWaves.js";
import { lobpcgBlockSize, lobpcgLowest } from "../../src/linalg/lobpcg.js";
import { maxAbsRowSum } from "../../src/linalg/modes.js";
import { smoothedAggregation } from "../../src/linalg/amg.js";
import { prepareGlass } from "../../src/observables/prepare.js";
import { smallGlass } from "../observables/glasses.js";

function q2(box: Box, nw: ArrayLike<number>): number {
  const d = box.d;
  let s = 0;
  for (let a = 0; a < d; a++) {
    let qa = 0;
    for (let b = 0; b < d; b++) qa += nw[b] * box.hInv[b * d + a];
    s += qa * qa;
  }
  return s;
}

test("lowestWaveVectors are the shortest h⁻ᵀn, one of each ±n, ascending (d = 2, 3, 4)", () => {
  for (const lengths of [[7, 7], [9, 5], [6, 6, 6], [10, 7, 13], [5, 5, 5, 5], [4, 6, 5, 7]]) {
    const box = Box.orthorhombic(lengths);
    const d = box.d;
    // Brute force over |n|_∞ ≤ 4 (enough for the 20 shortest in these boxes).
    const all: number[] = [];
    const v = new Array<number>(d).fill(-4);
    for (;;) {
      const first = v.findIndex((x) => x !== 0);
      if (first >= 0 && v[first] > 0) all.push(q2(box, v));
      let a = d - 1;
      while (a >= 0 && v[a] === 4) v[a--] = -4;
      if (a < 0) break;
      v[a]++;
    }
    all.sort((x, y) => x - y);
    const got = lowestWaveVectors(box, 20);
    assert.equal(got.length, 20);
    const seen = new Set<string>();
    got.forEach((nw, i) => {
      assert.ok(Math.abs(q2(box, nw) - all[i]) < 1e-14, `${lengths} wave ${i}: ${q2(box, nw)} vs ${all[i]}`);
      const key = nw.join(",");
      const minus = Array.from(nw, (x) => -x).join(",");
      assert.ok(!seen.has(key) && !seen.has(minus), `${lengths}: ${key} twice`);
      seen.add(key);
    });
  }
  // Cubic: the first shell is the three axes, in lexicographic order.
  assert.deepEqual(lowestWaveVectors(Box.cubic(3, 8), 3).map((nw) => Array.from(nw)), [[0, 0, 1], [0, 1, 0], [1, 0, 0]]);
});

test("transversePolarizations are d − 1 orthonormal vectors perpendicular to q", () => {
  for (const [lengths, nw] of [[[7, 9], [1, -2]], [[6, 6, 6], [0, 0, 1]], [[10, 7, 13], [2, -1, 3]], [[4, 6, 5, 7], [1, 0, -1, 2]]] as const) {
    const box = Box.orthorhombic(lengths);
    const d = box.d;
    const q = new Float64Array(d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) q[a] += nw[b] * box.hInv[b * d + a];
    const pols = transversePolarizations(box, nw);
    assert.equal(pols.length, d - 1);
    for (let s = 0; s < pols.length; s++) {
      assert.ok(Math.abs(pols[s].reduce((t, x, a) => t + x * q[a], 0)) < 1e-15, "not transverse");
      for (let t = 0; t < pols.length; t++) {
        const dot = pols[s].reduce((u, x, a) => u + x * pols[t][a], 0);
        assert.ok(Math.abs(dot - (s === t ? 1 : 0)) < 1e-15, "not orthonormal");
      }
    }
  }
});

test("planeWaveBlock: columns e·cos(q·x), e·sin(q·x), orthogonal on a lattice", () => {
  const L = 6;
  const d = 3;
  const n = L ** 3;
  const box = Box.cubic(d, L);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    x[i * d] = (i % L) + 0.25;
    x[i * d + 1] = (Math.floor(i / L) % L) + 0.25;
    x[i * d + 2] = Math.floor(i / L / L) + 0.25;
  }
  const m = 14; // three full waves of 4 columns and half of the fourth
  const out = new Float64Array(n * d * m);
  planeWaveBlock(d, n, x, box, m, out);
  const waves = lowestWaveVectors(box, 4);
  for (const j of [0, 3, 5, 13]) {
    const w = Math.floor(j / 4);
    const t = j % 4;
    const e = transversePolarizations(box, waves[w])[t % 2];
    for (const i of [0, 17, n - 1]) {
      let phase = 0;
      for (let a = 0; a < d; a++) phase += (2 * Math.PI * waves[w][a] * x[i * d + a]) / L;
      const amp = t < 2 ? Math.cos(phase) : Math.sin(phase);
      for (let a = 0; a < d; a++) assert.ok(Math.abs(out[(i * d + a) * m + j] - amp * e[a]) < 1e-14, `column ${j} particle ${i}`);
    }
  }
  // Distinct lattice waves are exactly orthogonal; each column has norm² n/2.
  for (let j = 0; j < m; j++)
    for (let l = 0; l < m; l++) {
      let s = 0;
      for (let r = 0; r < n * d; r++) s += out[r * m + j] * out[r * m + l];
      assert.ok(Math.abs(s - (j === l ? n / 2 : 0)) < 1e-9, `columns ${j}, ${l}: ${s}`);
    }
});

test("planeWaveShellEnd closes the degenerate shell of column k; lobpcgBlockSize never ends inside one", () => {
  const cubic = Box.cubic(3, 20);
  // 3D cubic: 4 columns per wave; shells of 3, 6, 4 waves (|n|² = 1, 2, 3) end at columns 12, 36, 52.
  for (const [k, end] of [[1, 12], [12, 12], [13, 36], [20, 36], [36, 36], [37, 52]]) assert.equal(planeWaveShellEnd(cubic, k), end, `k = ${k}`);
  // 2D square: 2 columns per wave; shells of 2, 2, 2, 4 waves (|n|² = 1, 2, 4, 5).
  const square = Box.cubic(2, 30);
  for (const [k, end] of [[3, 4], [5, 8], [9, 12], [13, 20]]) assert.equal(planeWaveShellEnd(square, k), end, `2D k = ${k}`);
  // An orthorhombic box keeps only the mirror degeneracies: (1,0,0) is alone, (1,0,±1) a pair.
  const ortho = Box.orthorhombic([10, 7, 13]);
  assert.equal(planeWaveShellEnd(ortho, 5), 8);
  assert.equal(planeWaveShellEnd(ortho, 9), 16);
  assert.equal(lobpcgBlockSize(20, 3e6), 30);
  assert.equal(lobpcgBlockSize(20, 3e6, cubic), 40);
  assert.equal(lobpcgBlockSize(12, 3e6, cubic), 18);
  assert.equal(lobpcgBlockSize(20, 90, cubic), 30); // at most dim/3
});

test("LOBPCG from plane waves: the same eigenpairs as from a random block, in no more iterations", () => {
  const { config, model } = smallGlass({ name: "pss", params: { rc: 1.2 }, d: 3, n: 1000, density: 0.6, seed: 4, fTol: 1e-10 });
  const M = prepareGlass(config, model).hessian;
  const k = 12;
  const amg = smoothedAggregation(M, { positions: config.positions, box: config.box });
  // Guard columns converged like the wanted ones, so that the count measures the start alone
  // (the default loose guard tolerance moves it by ±1 at this size).
  const normM = maxAbsRowSum(M);
  const random = lobpcgLowest(M, k, amg, normM, { guardTol: 1e-10 });
  const waves = lobpcgLowest(M, k, amg, normM, { guardTol: 1e-10, planeWaves: { positions: config.positions, box: config.box } });
  for (let l = 0; l < k; l++) assert.ok(Math.abs(waves.values[l] / random.values[l] - 1) < 1e-9, `mode ${l}`);
  assert.ok(waves.iterations <= random.iterations, `plane waves ${waves.iterations} vs random ${random.iterations} iterations`);
});
