import { test } from "node:test";
import assert from "node:assert/strict";
import { affineTransform, scaleMatrix, shearMatrix } from "../../src/core/box.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { bruteForceEvaluation, modelByName, randomConfig } from "./helpers.js";

const DENSITY: Record<string, number> = { pss: 0.6, ipl: 0.8, poly: 0.9, kablj: 1.0, qss: 0.5, hrz: 1.0 };

/** U of the configuration after the affine map F applied to positions and box. */
function strainedEnergy(sys: PairSystem, x: Float64Array, F: Float64Array, box0: PairSystem["box"]): number {
  sys.setBox(box0.deformed(F));
  return sys.energy(affineTransform(sys.d, x, F));
}

test("pressure p = −dU/dV under isotropic affine expansion; p = p+ − p−, p− ≥ 0; p = −tr σ / d", () => {
  for (const name of ["pss", "ipl", "poly", "kablj"])
    for (const d of [2, 3, 4]) {
      const model = modelByName(name);
      const c = randomConfig(model, { d, n: 60, density: DENSITY[name], seed: 300 + d, minDist: 0.85, shear: 0.15, unwrapped: true });
      const sys = new PairSystem(c, model);
      const s = sys.measure(c.positions);
      const box0 = c.box;
      const V = box0.volume;
      // x → e^η x: V → e^{dη} V, dU/dV = (dU/dη)/(d V)
      const h = 1e-6;
      const up = strainedEnergy(sys, c.positions, scaleMatrix(d, Math.exp(h)), box0);
      const dn = strainedEnergy(sys, c.positions, scaleMatrix(d, Math.exp(-h)), box0);
      const pFD = -(up - dn) / (2 * h) / (d * V);
      const scale = s.pressurePlus + s.pressureMinus;
      const what = `${name} d=${d}`;
      assert.ok(Math.abs(s.pressure - pFD) < 1e-6 * Math.max(1, scale), `${what}: p ${s.pressure} vs −dU/dV ${pFD}`);
      assert.ok(Math.abs(s.pressure - (s.pressurePlus - s.pressureMinus)) < 1e-12 * Math.max(1, scale));
      assert.ok(s.pressurePlus > 0 && s.pressureMinus >= 0);
      let tr = 0;
      for (let a = 0; a < d; a++) tr += s.stress[a * d + a];
      assert.ok(Math.abs(s.pressure + tr / d) < 1e-12 * Math.max(1, scale), `${what}: p = −tr σ/d`);
      if (name === "ipl" || name === "poly") assert.equal(s.pressureMinus, 0, `${what}: purely repulsive model has p− = 0`);
      else assert.ok(s.pressureMinus > 0, `${what}: attractive model has p− > 0`);
    }
});

test("shear stress σ_xy = (1/V) dU/dγ under simple shear of positions and box; stress is symmetric", () => {
  for (const name of ["pss", "poly"])
    for (const d of [2, 3, 4])
      for (const tilt of [0, 0.4]) {
        const model = modelByName(name);
        const c = randomConfig(model, { d, n: 60, density: DENSITY[name], seed: 400 + d, minDist: 0.85, shear: tilt });
        const sys = new PairSystem(c, model);
        const s = sys.measure(c.positions);
        const box0 = c.box;
        const h = 1e-6;
        for (const [a, b] of [
          [0, 1],
          [d - 1, 0],
        ]) {
          const up = strainedEnergy(sys, c.positions, shearMatrix(d, h, a, b), box0);
          const dn = strainedEnergy(sys, c.positions, shearMatrix(d, -h, a, b), box0);
          const sFD = (up - dn) / (2 * h) / box0.volume;
          const scale = s.pressurePlus + s.pressureMinus;
          assert.ok(
            Math.abs(s.stress[a * d + b] - sFD) < 1e-6 * Math.max(1, scale),
            `${name} d=${d} tilt=${tilt} σ_${a}${b}: ${s.stress[a * d + b]} vs ${sFD}`,
          );
        }
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) assert.equal(s.stress[a * d + b], s.stress[b * d + a]);
      }
});

test("stickiness, coordination and max force match a brute-force evaluation; stickiness is 0 for IPL", () => {
  for (const name of ["pss", "kablj", "ipl", "poly"])
    for (const d of [2, 3]) {
      const model = modelByName(name);
      const c = randomConfig(model, { d, n: 90, density: DENSITY[name], seed: 500 + d, minDist: 0.85, unwrapped: true });
      const sys = new PairSystem(c, model);
      const s = sys.measure(c.positions);
      const ref = bruteForceEvaluation(model, c);
      // SPEC §4.4 by brute force over the reference pair list
      const att = new Float64Array(c.n);
      const rep = new Float64Array(c.n);
      for (let p = 0; p < ref.pairs.count; p++) {
        const g = ref.dphis[p];
        for (const k of [ref.pairs.i[p], ref.pairs.j[p]]) {
          if (g > 0) att[k] = Math.max(att[k], g);
          if (g < 0) rep[k] = Math.max(rep[k], -g);
        }
      }
      const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
      const sRef = mean(att) / mean(rep);
      const what = `${name} d=${d}`;
      assert.ok(Math.abs(s.stickiness - sRef) < 1e-12 * Math.max(1, sRef), `${what}: stickiness ${s.stickiness} vs ${sRef}`);
      if (name === "ipl" || name === "poly") assert.equal(s.stickiness, 0, `${what}: repulsive model`);
      else assert.ok(s.stickiness > 0, `${what}: attractive model`);
      assert.equal(s.pairCount, ref.pairs.count);
      assert.equal(s.coordination, (2 * ref.pairs.count) / c.n);
      let fmax = 0;
      for (let i = 0; i < c.n; i++) {
        let q = 0;
        for (let a = 0; a < d; a++) q += ref.forces[i * d + a] ** 2;
        fmax = Math.max(fmax, Math.sqrt(q));
      }
      assert.ok(Math.abs(s.maxForce - fmax) < 1e-12 * fmax, `${what}: maxForce`);
      assert.ok(Math.abs(s.energy - ref.energy) < 1e-12 * Math.max(1, Math.abs(ref.energy)));
      assert.ok(Math.abs(s.energyPerParticle - ref.energy / c.n) < 1e-12 * Math.max(1, Math.abs(ref.energy)));
      for (let k = 0; k < d * d; k++) assert.ok(Math.abs(s.stress[k] - ref.stress[k]) < 1e-12 * Math.max(1, Math.abs(ref.stress[k])));
    }
});

test("no interacting pair: stickiness is NaN, pressure and coordination are 0", () => {
  const model = modelByName("pss");
  const c = randomConfig(model, { d: 3, n: 2, density: 0.001, seed: 1 });
  const s = new PairSystem(c, model).measure(c.positions);
  assert.equal(s.pairCount, 0);
  assert.equal(s.pressure, 0);
  assert.equal(s.coordination, 0);
  assert.ok(Number.isNaN(s.stickiness));
});
