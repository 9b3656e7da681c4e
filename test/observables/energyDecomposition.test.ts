import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import type { PairRecords } from "../../src/forces/types.js";
import { assembleHessian } from "../../src/hessian/assemble.js";
import { blockMatVec } from "../../src/linalg/blockMatrix.js";
import { blockToDense, symmetricEigen } from "../../src/linalg/dense.js";
import { hessianEnergyDecomposition } from "../../src/observables/energyDecomposition.js";
import { measured } from "./measured.js";
import { smallGlass, type GlassSpec } from "./glasses.js";

function quadratic(rec: PairRecords, n: number, u: Float64Array): number {
  const M = assembleHessian(rec, n);
  const Mu = new Float64Array(u.length);
  blockMatVec(M, u, Mu);
  let s = 0;
  for (let k = 0; k < u.length; k++) s += u[k] * Mu[k];
  return s;
}

/** u·M_X·u of one part of Eq. 9, from a Hessian assembled with the other terms switched off. */
function part(rec: PairRecords, n: number, u: Float64Array, which: "k+" | "k-" | "f+" | "f-"): number {
  const keep = (v: number, sign: string) => (sign === "+" ? (v > 0 ? v : 0) : v < 0 ? v : 0);
  const stiff = which[0] === "k";
  const d2phi = stiff ? rec.d2phi.map((v) => keep(v, which[1])) : new Float64Array(rec.count);
  const dphi = stiff ? new Float64Array(rec.count) : rec.dphi.map((v) => keep(v, which[1]));
  return quadratic({ ...rec, dphi, d2phi }, n, u);
}

const SPECS: GlassSpec[] = [
  { name: "pss", params: { rc: 1.2 }, d: 2, n: 150, density: 0.7, seed: 31 },
  { name: "qss", params: { q: 20, xc: 1.8 }, d: 3, n: 64, density: 0.677, seed: 32 },
  { name: "ipl", params: {}, d: 3, n: 64, density: 0.82, seed: 33 },
];

for (const spec of SPECS)
  test(`${spec.name} d=${spec.d}: k± and f± sum to u·M·u and equal the split Hessians (seed 001 Eqs. 8–10)`, () => {
    const { config: c, model } = smallGlass(spec);
    const n = c.n;
    const N = n * c.d;
    const rec = new PairSystem(c, model).records(c.positions);
    const omega0 = measured(c, model).omega0;
    const rng = Rng.fromSeed(7);
    const u = new Float64Array(N).map(() => rng.normal());
    const parts = hessianEnergyDecomposition(rec, n, u, omega0);
    const uMu = quadratic(rec, n, u);
    const scale = Math.abs(parts.kPlus) + Math.abs(parts.kMinus) + Math.abs(parts.fPlus) + Math.abs(parts.fMinus);
    assert.ok(Math.abs(parts.total - uMu) <= 1e-12 * scale, `sum ${parts.total} vs u·M·u ${uMu}`);
    assert.equal(parts.total, parts.kPlus + parts.kMinus + parts.fPlus + parts.fMinus);
    for (const [key, which] of [["kPlus", "k+"], ["kMinus", "k-"], ["fPlus", "f+"], ["fMinus", "f-"]] as const) {
      const ref = part(rec, n, u, which);
      assert.ok(Math.abs(parts[key] - ref) <= 1e-12 * scale, `${key} ${parts[key]} vs split Hessian ${ref}`);
      assert.ok(Math.abs(parts.scaled[key] - parts[key] / omega0 ** 2) <= 1e-15 * Math.abs(parts[key]) + 1e-300);
    }
    assert.ok(parts.kPlus > 0 && parts.kMinus <= 0 && parts.fPlus >= 0 && parts.fMinus < 0);
    if (spec.name === "ipl") assert.equal(parts.fPlus, 0); // purely repulsive: no attractive force
    else assert.ok(parts.fPlus > 0 && parts.kMinus < 0, "attractive glass has f+ > 0 and k− < 0");

    // Eigenvectors: the parts sum to ω² (normalized modes); the 3 lowest nonzero modes and the top one.
    const eig = symmetricEigen(N, blockToDense(assembleHessian(rec, n)));
    for (const k of [c.d, c.d + 1, c.d + 2, N - 1]) {
      const v = new Float64Array(N);
      for (let r = 0; r < N; r++) v[r] = eig.vectors[r * N + k];
      const pv = hessianEnergyDecomposition(rec, n, v, omega0);
      assert.ok(Math.abs(pv.norm2 - 1) < 1e-12);
      const w2 = eig.values[k];
      assert.ok(w2 > 0);
      const sc = Math.abs(pv.kPlus) + Math.abs(pv.kMinus) + Math.abs(pv.fPlus) + Math.abs(pv.fMinus);
      assert.ok(Math.abs(pv.total - w2) <= 1e-10 * sc, `mode ${k}: sum ${pv.total} vs ω² ${w2}`);
    }
  });

test("measure with modes and energyDecomposition: each mode's k±/ω0², f±/ω0² sum to (ω/ω0)²; without modes it is refused", () => {
  const { config: c, model } = smallGlass(SPECS[0]);
  const m = measured(c, model, { modes: 6, energyDecomposition: true });
  const e = m.energyDecomposition!;
  assert.equal(e.kPlus.length, 6);
  m.frequencies!.forEach((w, l) => {
    const sum = e.kPlus[l] + e.kMinus[l] + e.fPlus[l] + e.fMinus[l];
    assert.ok(Math.abs(sum - (w / m.omega0) ** 2) < 1e-8 * (e.kPlus[l] - e.kMinus[l]), `mode ${l}: ${sum} vs ${(w / m.omega0) ** 2}`);
    assert.ok(e.kMinus[l] < 0 && e.fPlus[l] > 0, "a sticky glass: negative stiffnesses and attractive forces");
  });
  assert.throws(() => measured(c, model, { energyDecomposition: true }), /ask for modes too/);
});
