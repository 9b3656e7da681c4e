/**
 * Small glasses for the observables tests (fixed seeds): makeGlass (random start, short NVT run,
 * instantaneous quench) minimized to max force 1e-12, and strain-then-relax helpers for the
 * finite-deformation checks. Cached per process.
 */
import assert from "node:assert/strict";
import { affineTransform } from "../../src/core/box.js";
import type { Configuration } from "../../src/core/configuration.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { minimize } from "../../src/minimize/index.js";
import { createModel, type Model } from "../../src/models/index.js";
import { makeGlass } from "../../src/protocols/makeGlass.js";

export const F_TOL = 1e-12;

export interface GlassSpec {
  name: string;
  params: Record<string, number>;
  d: number;
  n: number;
  density: number;
  seed: number;
  tp?: number;
  /** Max force of the minima (default 1e-12; steep QSS q = 20 in 2D reaches only ~1e-11 in float64). */
  fTol?: number;
}

const cache = new Map<string, { config: Configuration; model: Model }>();

/** A minimized glass (max force < 1e-12) of the given model. */
export function smallGlass(s: GlassSpec): { config: Configuration; model: Model } {
  const key = JSON.stringify(s);
  const hit = cache.get(key);
  if (hit) return hit;
  const model = createModel({ name: s.name, params: s.params });
  const g = makeGlass({ model, d: s.d, n: s.n, density: s.density, tp: s.tp ?? 1, seed: s.seed, time: 5, fTol: s.fTol ?? F_TOL, maxIterations: 100000 });
  assert.ok(g.report.minimization.maxForce <= (s.fTol ?? F_TOL), "glass minimized");
  const out = { config: g.config, model };
  cache.set(key, out);
  return out;
}

/** Strains box and positions by F (row-major d×d), re-minimizes to fTol: energy, stress, pressure, volume. */
export function relaxedUnder(c: Configuration, model: Model, F: ArrayLike<number>, fTol = F_TOL) {
  const box = c.box.deformed(F);
  const x0 = affineTransform(c.d, c.positions, F);
  const strained = { ...c, box, positions: x0 };
  const sys = new PairSystem(strained, model);
  const res = minimize(sys.energyForcesFn, x0, { d: c.d, method: "cg", fTol, maxIterations: 100000 });
  assert.ok(res.converged, "strained glass re-minimized");
  const m = sys.measure(res.x);
  return { U: res.energy, stress: m.stress, pressure: m.pressure, volume: box.volume };
}
