import { test } from "node:test";
import assert from "node:assert/strict";
import { Box, affineTransform, identity, shearMatrix, scaleMatrix } from "../../src/core/box.js";
import type { Configuration } from "../../src/core/configuration.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { expansionDerivatives, shearDerivatives, strainCoupling, strainDerivatives } from "../../src/hessian/strain.js";
import { Rng } from "../../src/core/rng.js";
import { modelByName, randomConfig } from "../forces/helpers.js";

/** Energy, forces and records of the configuration strained affinely by F (positions and box). */
function strained(config: Configuration, F: Float64Array) {
  const model = modelByName(config.model.name, { ...config.model.params });
  const box = config.box.deformed(F);
  const x = affineTransform(config.d, config.positions, F);
  const sys = new PairSystem({ ...config, box, positions: x }, model);
  const f = new Float64Array(x.length);
  const U = sys.energyForces(x, f);
  return { U, f, records: sys.records(x), volume: box.volume };
}

function unitStrain(d: number, a: number, b: number, h: number): Float64Array {
  const F = identity(d);
  F[a * d + b] += h;
  return F;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]));
  return m;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

const cases: [string, Record<string, number>, number, number, number][] = [
  ["pss", { rc: 1.2 }, 2, 40, 0.6],
  ["pss", { rc: 1.3 }, 3, 40, 0.6],
  ["ipl", {}, 4, 30, 0.8],
  ["kablj", {}, 3, 40, 0.9],
  ["poly", {}, 2, 40, 0.8],
];

function configs(): { config: Configuration; label: string }[] {
  let seed = 300;
  return cases.map(([name, params, d, n, density]) => ({
    config: randomConfig(modelByName(name, params), { d, n, density, seed: seed++, minDist: 0.85 }),
    label: `${name} d=${d}`,
  }));
}

test("shear: ∂U/∂γ, ∂²U/∂γ², Ξ_γ equal finite differences of the affinely sheared system", () => {
  for (const { config, label } of configs()) {
    const d = config.d;
    for (const [a, b] of d === 2 ? [[0, 1], [1, 0]] : [[0, 1], [2, 0]]) {
      const base = strained(config, identity(d));
      const sd = shearDerivatives(base.records, config.n, a, b);
      const h = 1e-5;
      const p = strained(config, shearMatrix(d, h, a, b));
      const m = strained(config, shearMatrix(d, -h, a, b));
      // First derivative of the energy.
      const dU = (p.U - m.U) / (2 * h);
      assert.ok(Math.abs(sd.dUdGamma - dU) <= 1e-7 * Math.max(1, Math.abs(dU)), `${label} (${a},${b}) dU/dγ ${sd.dUdGamma} vs ${dU}`);
      // Second derivative: differences of the analytic first derivative (tight) and of the energy (loose).
      const d2 = (shearDerivatives(p.records, config.n, a, b).dUdGamma - shearDerivatives(m.records, config.n, a, b).dUdGamma) / (2 * h);
      assert.ok(Math.abs(sd.d2UdGamma2 - d2) <= 1e-7 * Math.abs(d2), `${label} d²U/dγ² ${sd.d2UdGamma2} vs ${d2}`);
      const H = 1e-3;
      const pp = strained(config, shearMatrix(d, H, a, b));
      const mm = strained(config, shearMatrix(d, -H, a, b));
      const d2e = (pp.U - 2 * base.U + mm.U) / (H * H);
      assert.ok(Math.abs(sd.d2UdGamma2 - d2e) <= 1e-4 * Math.abs(d2e), `${label} d²U/dγ² (energy) ${sd.d2UdGamma2} vs ${d2e}`);
      // Ξ_γ = −∂f/∂γ with forces recomputed at the strained positions.
      const xiFD = Float64Array.from(p.f, (v, k) => -(v - m.f[k]) / (2 * h));
      assert.ok(maxAbsDiff(sd.xi, xiFD) <= 1e-7 * maxAbs(xiFD), `${label} Ξ_γ: ${maxAbsDiff(sd.xi, xiFD)} vs scale ${maxAbs(xiFD)}`);
    }
  }
});

test("expansion: ∂U/∂η, ∂²U/∂η², Ξ_η equal finite differences of x → e^η x", () => {
  for (const { config, label } of configs()) {
    const d = config.d;
    const base = strained(config, identity(d));
    const ed = expansionDerivatives(base.records, config.n);
    const h = 1e-5;
    const p = strained(config, scaleMatrix(d, Math.exp(h)));
    const m = strained(config, scaleMatrix(d, Math.exp(-h)));
    const dU = (p.U - m.U) / (2 * h);
    assert.ok(Math.abs(ed.dUdEta - dU) <= 1e-7 * Math.max(1, Math.abs(dU)), `${label} dU/dη ${ed.dUdEta} vs ${dU}`);
    const d2 = (expansionDerivatives(p.records, config.n).dUdEta - expansionDerivatives(m.records, config.n).dUdEta) / (2 * h);
    assert.ok(Math.abs(ed.d2UdEta2 - d2) <= 1e-7 * Math.abs(d2), `${label} d²U/dη² ${ed.d2UdEta2} vs ${d2}`);
    const H = 1e-3;
    const d2e = (strained(config, scaleMatrix(d, Math.exp(H))).U - 2 * base.U + strained(config, scaleMatrix(d, Math.exp(-H))).U) / (H * H);
    assert.ok(Math.abs(ed.d2UdEta2 - d2e) <= 1e-4 * Math.abs(d2e), `${label} d²U/dη² (energy) ${ed.d2UdEta2} vs ${d2e}`);
    const xiFD = Float64Array.from(p.f, (v, k) => -(v - m.f[k]) / (2 * h));
    assert.ok(maxAbsDiff(ed.xi, xiFD) <= 1e-7 * maxAbs(xiFD), `${label} Ξ_η`);
  }
});

test("general strain: ∂U/∂ε, ∂²U/∂ε∂ε, Ξ_ab equal finite differences; shear and expansion are special cases", () => {
  for (const { config, label } of configs()) {
    const d = config.d;
    const D = d * d;
    const n = config.n;
    const base = strained(config, identity(d));
    const sd = strainDerivatives(base.records, n);
    const h = 1e-5;
    // First derivatives against the energy; also against the pair loop's virial (σ V = ∂U/∂ε).
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        const p = strained(config, unitStrain(d, a, b, h));
        const m = strained(config, unitStrain(d, a, b, -h));
        const dU = (p.U - m.U) / (2 * h);
        const ab = a * d + b;
        assert.ok(Math.abs(sd.first[ab] - dU) <= 1e-7 * Math.max(1, maxAbs(sd.first)), `${label} ∂U/∂ε_${a}${b}`);
        // Ξ_ab = −∂f/∂ε_ab.
        let err = 0;
        let scale = 0;
        for (let k = 0; k < n * d; k++) {
          const fd = -(p.f[k] - m.f[k]) / (2 * h);
          err = Math.max(err, Math.abs(sd.xi[k * D + ab] - fd));
          scale = Math.max(scale, Math.abs(fd));
        }
        assert.ok(err <= 1e-7 * Math.max(scale, 1), `${label} Ξ_${a}${b}: ${err} (scale ${scale})`);
        // Second derivatives: U(I + ε) with ε = ±h E_ab; ∂U/∂ε_ce at the strained state is the
        // current-frame derivative G transported back: Σ_k G_ck (F⁻¹)_ek.
        const pd = strainDerivatives(p.records, n).first;
        const md = strainDerivatives(m.records, n).first;
        const Fp = unitStrain(d, a, b, h);
        const Fm = unitStrain(d, a, b, -h);
        const ip = new Box(d, Fp).hInv;
        const im = new Box(d, Fm).hInv;
        for (let c = 0; c < d; c++)
          for (let e = 0; e < d; e++) {
            let gp = 0;
            let gm = 0;
            for (let k = 0; k < d; k++) {
              gp += pd[c * d + k] * ip[e * d + k];
              gm += md[c * d + k] * im[e * d + k];
            }
            const fd = (gp - gm) / (2 * h);
            const an = sd.second[(c * d + e) * D + ab];
            assert.ok(Math.abs(an - fd) <= 1e-7 * maxAbs(sd.second), `${label} ∂²U/∂ε_${c}${e}∂ε_${a}${b}: ${an} vs ${fd}`);
          }
      }
    // Symmetric as a d²×d² matrix.
    for (let p = 0; p < D; p++) for (let q = 0; q < p; q++) assert.ok(Math.abs(sd.second[p * D + q] - sd.second[q * D + p]) <= 1e-12 * maxAbs(sd.second));
    // Special cases.
    const sh = shearDerivatives(base.records, n, 0, 1);
    assert.ok(Math.abs(sd.first[1] - sh.dUdGamma) <= 1e-12 * maxAbs(sd.first) + 1e-12);
    assert.ok(Math.abs(sd.second[1 * D + 1] - sh.d2UdGamma2) <= 1e-12 * maxAbs(sd.second));
    for (let k = 0; k < n * d; k++) assert.ok(Math.abs(sd.xi[k * D + 1] - sh.xi[k]) <= 1e-12 * maxAbs(sh.xi));
    const ex = expansionDerivatives(base.records, n);
    let tr = 0;
    let tr2 = 0;
    for (let a = 0; a < d; a++) {
      tr += sd.first[a * d + a];
      for (let c = 0; c < d; c++) tr2 += sd.second[(a * d + a) * D + c * d + c];
    }
    // e^η I = I + ηI + η²/2 I: U_ηη = Σ S_aa,cc + Σ ∂U/∂ε_aa.
    assert.ok(Math.abs(tr - ex.dUdEta) <= 1e-12 * Math.max(1, Math.abs(ex.dUdEta)));
    assert.ok(Math.abs(tr2 + tr - ex.d2UdEta2) <= 1e-12 * Math.abs(ex.d2UdEta2));
  }
});

test("strain derivatives agree with the pair loop's virial stress (σ V = ∂U/∂ε)", () => {
  for (const { config, label } of configs()) {
    const model = modelByName(config.model.name, { ...config.model.params });
    const sys = new PairSystem(config, model);
    const sd = strainDerivatives(sys.records(config.positions), config.n);
    const stress = sys.measure(config.positions).stress;
    const V = config.box.volume;
    for (let k = 0; k < stress.length; k++) assert.ok(Math.abs(stress[k] * V - sd.first[k]) <= 1e-10 * maxAbs(sd.first), label);
  }
});

test("strainCoupling(u) = Σ_k Ξ_ab,k · u_k", () => {
  const rng = Rng.fromSeed(9);
  for (const { config, label } of configs()) {
    const d = config.d;
    const D = d * d;
    const rec = strained(config, identity(d)).records;
    const sd = strainDerivatives(rec, config.n);
    const u = Float64Array.from({ length: config.n * d }, () => rng.normal());
    const F = strainCoupling(rec, config.n, u);
    for (let ab = 0; ab < D; ab++) {
      let s = 0;
      for (let k = 0; k < config.n * d; k++) s += sd.xi[k * D + ab] * u[k];
      assert.ok(Math.abs(F[ab] - s) <= 1e-11 * (1 + Math.abs(s)), `${label} F_${ab}`);
    }
  }
});

test("tiny box with self-images: strain derivatives still match finite differences", () => {
  const model = modelByName("pss", { rc: 1.5 });
  const config: Configuration = {
    d: 3,
    n: 3,
    box: Box.cubic(3, 1.9),
    positions: Float64Array.from([0.1, 0.2, 0.3, 1.0, 1.1, 0.9, 0.5, 1.4, 1.6]),
    types: Int32Array.from([0, 1, 0]),
    sizes: null,
    model: { name: "pss", params: model.params },
  };
  const base = strained(config, identity(3));
  assert.ok(Array.from(base.records.i).some((i, p) => i === base.records.j[p]), "self-image records present");
  const sh = shearDerivatives(base.records, 3, 0, 2);
  const h = 1e-5;
  const p = strained(config, shearMatrix(3, h, 0, 2));
  const m = strained(config, shearMatrix(3, -h, 0, 2));
  assert.ok(Math.abs(sh.dUdGamma - (p.U - m.U) / (2 * h)) <= 1e-7 * Math.max(1, Math.abs(sh.dUdGamma)));
  const d2 = (shearDerivatives(p.records, 3, 0, 2).dUdGamma - shearDerivatives(m.records, 3, 0, 2).dUdGamma) / (2 * h);
  assert.ok(Math.abs(sh.d2UdGamma2 - d2) <= 1e-7 * Math.abs(d2));
  const xiFD = Float64Array.from(p.f, (v, k) => -(v - m.f[k]) / (2 * h));
  assert.ok(maxAbsDiff(sh.xi, xiFD) <= 1e-7 * maxAbs(xiFD));
});

test("input validation", () => {
  const rec = strained(configs()[0].config, identity(2)).records;
  assert.throws(() => shearDerivatives(rec, 40, 0, 0), /shear plane \(0, 0\)/);
  assert.throws(() => shearDerivatives(rec, 40, 0, 2), /shear plane/);
  assert.throws(() => strainCoupling(rec, 40, new Float64Array(3)), /expected n·d = 80/);
  assert.throws(() => expansionDerivatives(rec, 3), /outside 0..2/);
});
