/**
 * The PSS glass the Hessian and dipole benchmarks share: makeBenchGlass's packing, 1000 MD steps
 * at T = 2 (velocities ~ N(0, 2) from seed 2), then FIRE to max force 1e-8; positions wrapped.
 */
import type { Configuration } from "../src/core/configuration.js";
import { Rng } from "../src/core/rng.js";
import { PairSystem } from "../src/forces/pairSystem.js";
import { minimize } from "../src/minimize/index.js";
import type { Model } from "../src/models/index.js";
import { makeBenchGlass, runMd } from "./makeBenchGlass.js";

export interface QuenchedGlass {
  readonly config: Configuration;
  readonly model: Model;
  readonly system: PairSystem;
  readonly iterations: number;
  readonly maxForce: number;
}

export function quenchedBenchGlass(n: number, maxIterations: number): QuenchedGlass {
  const g = makeBenchGlass(n, { seed: 1 });
  const system = new PairSystem(g.config, g.model);
  const x = g.config.positions.slice();
  const v = new Float64Array(n * 3);
  const rng = Rng.fromSeed(2);
  for (let k = 0; k < v.length; k++) v[k] = rng.normal() * Math.SQRT2;
  runMd(system, x, v, 1000, { T: 2 });
  const r = minimize(system.energyForcesFn, x, { d: 3, method: "fire", fTol: 1e-8, maxIterations });
  g.config.box.wrap(r.x);
  return { config: { ...g.config, positions: r.x }, model: g.model, system, iterations: r.iterations, maxForce: r.maxForce };
}
