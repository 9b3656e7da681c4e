import { test } from "node:test";
import assert from "node:assert/strict";
import { Box } from "../../src/core/box.js";
import { Rng } from "../../src/core/rng.js";
import type { Configuration } from "../../src/core/configuration.js";
import { createModel } from "../../src/models/index.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { minimize } from "../../src/minimize/index.js";
import { maxParticleNorm } from "../../src/minimize/vectors.js";
import { MolecularDynamics, initMd } from "../../src/dynamics/index.js";

/** Minimizers on real glasses (SPEC §3.4): PSS rc = 1.2 at ρ = 0.6 and IPL in 2D/3D. */
interface Case {
  name: string;
  params: Record<string, number>;
  d: number;
  n: number;
  density: number;
  Tp: number;
}
const cases: Case[] = [
  { name: "pss", params: { rc: 1.2 }, d: 3, n: 150, density: 0.6, Tp: 0.5 },
  { name: "ipl", params: {}, d: 2, n: 200, density: 0.86, Tp: 1.0 },
  { name: "ipl", params: {}, d: 3, n: 150, density: 0.82, Tp: 1.0 },
];

function randomConfig(c: Case, seed: number): Configuration {
  const rng = Rng.fromSeed(seed);
  const box = Box.forDensity(c.d, c.n, c.density);
  const L = box.lengths()[0];
  const positions = Float64Array.from({ length: c.n * c.d }, () => rng.uniform() * L);
  const types = Int32Array.from({ length: c.n }, (_, i) => i % 2);
  return { d: c.d, n: c.n, box, positions, types, sizes: null, model: { name: c.name, params: c.params } };
}

/** Energy and max force of x evaluated by a fresh PairSystem (fresh neighbor list). */
function recheck(config: Configuration, x: Float64Array): { energy: number; maxForce: number } {
  const sys = new PairSystem(config, createModel(config.model));
  const f = new Float64Array(x.length);
  const energy = sys.energyForces(x, f);
  return { energy, maxForce: maxParticleNorm(f, config.d) };
}

for (const c of cases) {
  const label = `${c.name} ${c.d}D N=${c.n} ρ=${c.density}`;

  test(`${label}: FIRE and CG from a random start reach max force < 1e-10`, () => {
    const config = randomConfig(c, 42);
    const sys = new PairSystem(config, createModel(config.model));
    for (const method of ["fire", "cg"] as const) {
      const r = minimize(sys.energyForcesFn, config.positions, { d: c.d, method });
      assert.equal(r.converged, true);
      assert.ok(r.maxForce < 1e-10);
      const again = recheck(config, r.x);
      assert.ok(again.maxForce < 1e-10, `${method}: fresh evaluation gives max force ${again.maxForce}`);
      assert.ok(Math.abs(again.energy - r.energy) < 1e-12 * Math.abs(r.energy));
      // sanity of the minimum: sticky PSS is bound, purely repulsive IPL is not
      if (c.name === "pss") assert.ok(r.energy / c.n < -4, `${r.energy / c.n}`);
      else assert.ok(r.energy / c.n > 0);
    }
  });

  test(`${label}: quench of an MD parent at T=${c.Tp}; FIRE and CG agree near a minimum`, () => {
    const config = randomConfig(c, 7);
    const sys = new PairSystem(config, createModel(config.model));
    const ef = sys.energyForcesFn;
    const x1 = minimize(ef, config.positions, { d: c.d, fTol: 1e-2 }).x; // remove overlaps
    const s = initMd(ef, x1, { d: c.d, temperature: c.Tp, seed: 3 });
    new MolecularDynamics(ef).run(s, 1500);
    const rf = minimize(ef, s.x, { d: c.d, method: "fire" });
    const rc = minimize(ef, s.x, { d: c.d, method: "cg" });
    assert.ok(rf.maxForce < 1e-10 && rc.maxForce < 1e-10);
    // from a liquid the two may end in different (nearby) inherent states
    assert.ok(Math.abs(rf.energy - rc.energy) <= 1e-2 * Math.abs(rc.energy), `FIRE ${rf.energy} vs CG ${rc.energy}`);
    // started near a minimum, they find the same one to ~1e-10 relative
    const x0 = Float64Array.from(rc.x, (v, k) => v + 1e-3 * Math.sin(1.7 * k));
    const nf = minimize(ef, x0, { d: c.d, method: "fire" });
    const nc = minimize(ef, x0, { d: c.d, method: "cg" });
    assert.ok(Math.abs(nf.energy - nc.energy) <= 1e-10 * Math.abs(nc.energy), `${nf.energy} vs ${nc.energy}`);
    assert.ok(Math.abs(nc.energy - rc.energy) <= 1e-10 * Math.abs(nc.energy));
  });
}
