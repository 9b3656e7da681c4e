import { test } from "node:test";
import assert from "node:assert/strict";
import { Box } from "../../src/core/box.js";
import { Rng } from "../../src/core/rng.js";
import type { Configuration } from "../../src/core/configuration.js";
import { createModel } from "../../src/models/index.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { minimize } from "../../src/minimize/index.js";
import { MolecularDynamics, conservedEnergy, initMd, type MdState } from "../../src/dynamics/index.js";

/** MD on the real pair loop: PSS rc = 1.2 liquid (N = 150, ρ = 0.6, 3D). */
function pssLiquid(): { ef: PairSystem["energyForcesFn"]; s: MdState; n: number } {
  const n = 150;
  const d = 3;
  const rng = Rng.fromSeed(9);
  const box = Box.forDensity(d, n, 0.6);
  const L = box.lengths()[0];
  const positions = Float64Array.from({ length: n * d }, () => rng.uniform() * L);
  const config: Configuration = { d, n, box, positions, types: Int32Array.from({ length: n }, (_, i) => i % 2), sizes: null, model: { name: "pss", params: { rc: 1.2 } } };
  const ef = new PairSystem(config, createModel(config.model)).energyForcesFn;
  const x = minimize(ef, positions, { d, fTol: 1e-2 }).x;
  const s = initMd(ef, x, { d, temperature: 0.6, thermostat: "bussi", tau: 0.2, seed: 2 });
  new MolecularDynamics(ef).run(s, 1000);
  return { ef, s, n };
}

test("PSS liquid: NVE energy error shrinks as dt², thermostat holds T", () => {
  const { ef, s: liquid, n } = pssLiquid();
  const md = new MolecularDynamics(ef);
  const err = (dt: number) => {
    const s = initMd(ef, liquid.x, { d: 3, dt, velocities: liquid.v });
    const h0 = conservedEnergy(s);
    let e = 0;
    md.run(s, Math.round(3 / dt), { every: 1, onProgress: (st) => (e = Math.max(e, Math.abs(conservedEnergy(st) - h0))) });
    return e / n;
  };
  const e1 = err(0.005);
  const e2 = err(0.0025);
  assert.ok(e1 < 1e-3, `energy error per particle ${e1}`);
  assert.ok(e1 / e2 > 3.2 && e1 / e2 < 5, `ratio ${e1 / e2}`);

  let sum = 0;
  let count = 0;
  md.run(liquid, 3000, { every: 5, onProgress: (st) => ((sum += st.kineticEnergy), count++) });
  const T = (2 * sum) / count / (3 * (n - 1));
  assert.ok(Math.abs(T / 0.6 - 1) < 0.04, `mean T ${T}`);
});
