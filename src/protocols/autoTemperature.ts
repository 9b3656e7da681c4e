import { Rng } from "../core/rng.js";
import { PairSystem } from "../forces/pairSystem.js";
import { elasticModuli } from "../hessian/moduli.js";
import { minimize } from "../minimize/index.js";
import type { Model } from "../models/types.js";
import { randomConfiguration } from "./randomStart.js";

export interface AutoTemperatureReport {
  /** The chosen parent temperature 4 G∞ a0^d / 30. */
  readonly tp: number;
  /** Mean shear modulus of the T = ∞ inherent states, and its standard error. */
  readonly gInfinity: number;
  readonly gInfinityError: number;
  readonly samples: number;
  readonly n: number;
  readonly a0: number;
}

/** Generator streams for T_p = auto, far from the sample streams (Rng.forSample uses index + 1). */
const AUTO_STREAM = 1_000_000_000;

/**
 * T_p = auto (SPEC §3.6, seed 001 §II): seed 001 equilibrates at T_p ≥ 4 · G∞ a0³/30, where G∞
 * is the high-T_p limit of the mean inherent-state shear modulus and G∞ a0³/30 is a rough
 * estimate of the computer glass transition temperature. We estimate G∞ from inherent states of
 * infinite-temperature parents: random configurations minimized to 1e-10 (a few samples of at most
 * 1000 particles; G is intensive). In d dimensions a0³ becomes a0^d = V/N.
 */
export function autoParentTemperature(
  model: Model,
  o: { d: number; n: number; density?: number; seed: number; samples?: number },
): AutoTemperatureReport {
  const samples = o.samples ?? 3;
  const n = Math.min(o.n, 1000);
  const gs: number[] = [];
  let volume = 0;
  for (let k = 0; k < samples; k++) {
    const rng = Rng.fromSeed(o.seed, AUTO_STREAM + k);
    const config = randomConfiguration(model, rng, { d: o.d, n, density: o.density });
    const system = new PairSystem(config, model);
    const r = minimize(system.energyForcesFn, config.positions, { d: o.d, method: "cg", fTol: 1e-10, maxIterations: 1000000 });
    const m = elasticModuli(system.records(r.x), n, config.box.volume);
    gs.push(m.shearModulus);
    volume = config.box.volume;
  }
  const mean = gs.reduce((a, b) => a + b, 0) / samples;
  const variance = samples > 1 ? gs.reduce((a, g) => a + (g - mean) ** 2, 0) / (samples - 1) : 0;
  const a0d = volume / n;
  return {
    tp: (4 * mean * a0d) / 30,
    gInfinity: mean,
    gInfinityError: Math.sqrt(variance / samples),
    samples,
    n,
    a0: Math.pow(a0d, 1 / o.d),
  };
}
