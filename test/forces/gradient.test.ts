import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { modelNames } from "../../src/models/index.js";
import { modelByName, randomConfig } from "./helpers.js";

/** Number density giving roughly 5–15 neighbors per particle for each model's length scales. */
const DENSITY: Record<string, number> = { qss: 0.5, pss: 0.6, ipl: 0.7, poly: 0.9, kablj: 1.0, hrz: 1.0 };

test("F = −∇U by central finite differences, every registered model, d = 2, 3, 4", () => {
  const rng = Rng.fromSeed(99);
  let seed = 1;
  const names = modelNames();
  assert.ok(names.includes("pss") && names.includes("ipl") && names.includes("poly"), `registered: ${names.join(", ")}`);
  for (const name of names)
    for (const d of [2, 3, 4]) {
      const model = modelByName(name);
      const c = randomConfig(model, { d, n: 40, density: DENSITY[name] ?? 0.8, seed: seed++, minDist: 0.85, shear: 0.2, unwrapped: true });
      const sys = new PairSystem(c, model);
      const x = Float64Array.from(c.positions);
      const f = new Float64Array(c.n * d);
      const U = sys.energyForces(x, f);
      assert.ok(Number.isFinite(U));
      let fmax = 0;
      for (const v of f) fmax = Math.max(fmax, Math.abs(v));
      assert.ok(fmax > 0, `${name} d=${d}: some force must be nonzero`);
      const h = 1e-6;
      for (let t = 0; t < 12; t++) {
        const k = rng.int(c.n * d);
        const x0 = x[k];
        x[k] = x0 + h;
        const up = sys.energy(x);
        x[k] = x0 - h;
        const dn = sys.energy(x);
        x[k] = x0;
        const fd = -(up - dn) / (2 * h);
        // truncation ~h²·U''' and rounding ~ε|U|/h; scale by the largest force
        const tol = 1e-6 * Math.max(1, fmax) + (1e-15 * Math.abs(U)) / h;
        assert.ok(Math.abs(fd - f[k]) < tol, `${name} d=${d} coordinate ${k}: analytic ${f[k]}, finite difference ${fd}`);
      }
    }
});
