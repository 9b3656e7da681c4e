/**
 * Per-glass modes (SPEC §6.1): participation ratio sanity, agreement with the dense
 * eigendecomposition, the shared pinned factor, ω_ph, and refusal of unstable Hessians.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PairSystem } from "../../src/forces/pairSystem.js";
import type { PairRecords } from "../../src/forces/types.js";
import { assembleHessian } from "../../src/hessian/assemble.js";
import { sparseCholesky } from "../../src/linalg/cholesky.js";
import { blockToDense, symmetricEigen } from "../../src/linalg/dense.js";
import { glassModes, participationRatio } from "../../src/observables/modes.js";
import { Rng } from "../../src/core/rng.js";
import { smallGlass } from "./glasses.js";

const PSS3 = { name: "pss", params: { rc: 1.2 }, d: 3, n: 120, density: 0.6, seed: 11 };
const IPL2 = { name: "ipl", params: {}, d: 2, n: 150, density: 0.86, seed: 5 };

test("participation ratio: 1 for equal weight on every particle, 1/N on one particle, 2/3 for a cosine wave", () => {
  const d = 3, n = 500;
  const rng = Rng.fromSeed(4);
  const v = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    // Random direction, unit length: every particle carries the same weight.
    let s = 0;
    for (let a = 0; a < d; a++) s += (v[i * d + a] = rng.normal()) ** 2;
    for (let a = 0; a < d; a++) v[i * d + a] /= Math.sqrt(s);
  }
  assert.ok(Math.abs(participationRatio(d, n, v) - 1) < 1e-12);
  const one = new Float64Array(n * d);
  one[7 * d + 1] = 3;
  assert.ok(Math.abs(participationRatio(d, n, one) - 1 / n) < 1e-15);
  // Transverse plane wave on a 1D chain of positions x_i = i/n: ψ_i = cos(2π x_i) ŷ, ⟨cos⁴⟩/⟨cos²⟩² = 3/2.
  const w = new Float64Array(n * d);
  for (let i = 0; i < n; i++) w[i * d + 1] = Math.cos((2 * Math.PI * i) / n);
  assert.ok(Math.abs(participationRatio(d, n, w) - 2 / 3) < 1e-12);
  assert.throws(() => participationRatio(d, n, new Float64Array(n * d)), /zero/);
});

for (const spec of [PSS3, IPL2]) {
  test(`modes of a ${spec.d}D ${spec.name} glass agree with the dense eigendecomposition (own and shared factor)`, () => {
    const { config, model } = smallGlass(spec);
    const sys = new PairSystem(config, model);
    const M = assembleHessian(sys.records(config.positions), config.n);
    const k = 12;
    const nd = config.n * config.d;
    const eig = symmetricEigen(nd, blockToDense(M));
    // Dense: eigenvalues ascending; the d lowest are the translations (≈ 0).
    for (let a = 0; a < spec.d; a++) assert.ok(Math.abs(eig.values[a]) < 1e-8 * eig.values[nd - 1], "translations at zero");
    assert.ok(eig.values[spec.d] > 1e-6 * eig.values[nd - 1], "stable glass");
    const own = glassModes(M, k, { cs: 2, boxLengths: config.box.lengths() });
    const factor = sparseCholesky(M, { positions: config.positions, box: config.box });
    const shared = glassModes(M, k, { factor });
    for (const m of [own, shared]) {
      assert.equal(m.frequencies.length, k);
      for (let l = 0; l < k; l++) {
        const lam = eig.values[spec.d + l];
        assert.ok(Math.abs(m.eigenvalues[l] - lam) <= 1e-8 * lam, `λ_${l}: ${m.eigenvalues[l]} vs dense ${lam}`);
        assert.ok(Math.abs(m.frequencies[l] - Math.sqrt(lam)) <= 1e-8 * Math.sqrt(lam));
        // Participation ratio of the dense eigenvector (column spec.d + l), when λ is not degenerate.
        const gap = Math.min(lam - eig.values[spec.d + l - 1], eig.values[spec.d + l + 1] - lam);
        if (gap > 1e-4 * lam) {
          const col = new Float64Array(nd);
          for (let t = 0; t < nd; t++) col[t] = eig.vectors[t * nd + spec.d + l];
          const e = participationRatio(spec.d, config.n, col);
          assert.ok(Math.abs(m.participationRatios[l] - e) < 1e-6, `e_${l}: ${m.participationRatios[l]} vs dense ${e}`);
        }
        assert.ok(m.participationRatios[l] > 1 / config.n && m.participationRatios[l] <= 1);
        assert.ok(m.residuals[l] < 1e-8);
      }
    }
    // ω_ph = 2π c_s / L.
    const L = Math.max(...config.box.lengths());
    assert.ok(Math.abs(own.omegaPh - (2 * Math.PI * 2) / L) < 1e-14);
    assert.ok(Number.isNaN(shared.omegaPh));
  });
}

test("a Hessian with an isolated particle (extra zero modes) is refused, or reported with allowUnstable", () => {
  const { config, model } = smallGlass(PSS3);
  const rec = new PairSystem(config, model).records(config.positions);
  // Drop every pair of particle 0: its d displacements become zero modes.
  const keep: number[] = [];
  for (let p = 0; p < rec.count; p++) if (rec.i[p] !== 0 && rec.j[p] !== 0) keep.push(p);
  const d = rec.d;
  const pick = <T extends Int32Array | Float64Array>(a: T, w: number): T => {
    const out = new (a.constructor as new (n: number) => T)(keep.length * w);
    keep.forEach((p, q) => { for (let c = 0; c < w; c++) out[q * w + c] = a[p * w + c]; });
    return out;
  };
  const cut: PairRecords = {
    d, count: keep.length, i: pick(rec.i, 1), j: pick(rec.j, 1), delta: pick(rec.delta, d), r: pick(rec.r, 1), dphi: pick(rec.dphi, 1), d2phi: pick(rec.d2phi, 1),
  };
  const M = assembleHessian(cut, config.n);
  assert.throws(() => glassModes(M, 6), /zero mode\(s\).*particle 0/);
  const m = glassModes(M, 6, { allowUnstable: true });
  assert.equal(m.extraZeroModes, d);
  assert.ok(Math.abs(m.frequencies[0]) < 1e-3);
});
