/**
 * Shared fixtures of the neighbor-list and pair-loop tests: random configurations of any
 * registered model, and a brute-force all-images reference evaluation that shares no code with
 * the Verlet list or the compiled loops.
 */
import { Box, affineTransform } from "../../src/core/box.js";
import type { Configuration } from "../../src/core/configuration.js";
import { Rng } from "../../src/core/rng.js";
import { createModel, type Model } from "../../src/models/index.js";
import { bruteForcePairs } from "../../src/neighbors/bruteForce.js";

export interface ConfigOptions {
  d: number;
  n: number;
  density: number;
  seed: number;
  /** Simple-shear tilt of the box (and positions) in the x–y plane. */
  shear?: number;
  /** Spread particles over several periodic images (unwrapped positions). */
  unwrapped?: boolean;
  /** Minimum separation (in units of λ_ss) for rejection sampling, to avoid huge overlaps. */
  minDist?: number;
}

/** λ_ij of a model for particles i, j of a configuration (independent re-implementation). */
export function lambdaOf(model: Model, c: Configuration, i: number, j: number): number {
  const s = model.scales;
  if (s.kind === "types") return s.lambda[c.types[i] * s.ntypes + c.types[j]];
  const li = c.sizes![i];
  const lj = c.sizes![j];
  return 0.5 * (li + lj) * (1 - s.nonadditivity * Math.abs(li - lj));
}

export function epsilonOf(model: Model, c: Configuration, i: number, j: number): number {
  const s = model.scales;
  return s.kind === "types" ? s.epsilon[c.types[i] * s.ntypes + c.types[j]] : s.epsilon;
}

/** Random configuration of `model` (types by composition, sizes sampled for POLY). */
export function randomConfig(model: Model, o: ConfigOptions): Configuration {
  const rng = Rng.fromSeed(o.seed);
  const { d, n } = o;
  let box = Box.forDensity(d, n, o.density);
  const types = new Int32Array(n);
  let sizes: Float64Array | null = null;
  if (model.scales.kind === "sizes") sizes = model.sampleSizes!(n, () => rng.uniform());
  else
    for (let i = 0; i < n; i++) {
      let u = rng.uniform();
      let t = 0;
      while (t < model.composition.length - 1 && u >= model.composition[t]) u -= model.composition[t++];
      types[i] = t;
    }
  const x = new Float64Array(n * d);
  const L = box.h[0];
  const minD = o.minDist ?? 0;
  for (let i = 0; i < n; i++) {
    for (let tries = 0; ; tries++) {
      for (let a = 0; a < d; a++) x[i * d + a] = rng.uniform() * L;
      if (minD === 0 || tries > 200) break;
      let ok = true;
      const v = new Float64Array(d);
      for (let j = 0; j < i && ok; j++) {
        for (let a = 0; a < d; a++) v[a] = x[j * d + a] - x[i * d + a];
        box.minimumImage(v);
        let r2 = 0;
        for (let a = 0; a < d; a++) r2 += v[a] * v[a];
        if (r2 < minD * minD) ok = false;
      }
      if (ok) break;
    }
  }
  let positions: Float64Array = x;
  if (o.shear !== undefined && o.shear !== 0) {
    const F = new Float64Array(d * d);
    for (let a = 0; a < d; a++) F[a * d + a] = 1;
    F[1] = o.shear;
    positions = affineTransform(d, x, F);
    box = box.deformed(F);
  }
  if (o.unwrapped === true)
    for (let i = 0; i < n; i++) {
      const k = Array.from({ length: d }, () => rng.int(5) - 2);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) positions[i * d + a] += box.h[a * d + b] * k[b];
    }
  return { d, n, box, positions, types, sizes: sizes, model: { name: model.name, params: model.params } };
}

export function modelByName(name: string, params: Record<string, number> = {}): Model {
  return createModel({ name, params });
}

/** Brute-force all-images energy, forces, virial, pair list: the independent reference. */
export function bruteForceEvaluation(model: Model, c: Configuration, x: Float64Array = c.positions) {
  const d = c.d;
  const xc = model.reduced.xc;
  const pairs = bruteForcePairs(x, c.box, (i, j) => xc * lambdaOf(model, c, i, j));
  const forces = new Float64Array(c.n * d);
  const stress = new Float64Array(d * d);
  const out = new Float64Array(3);
  let energy = 0;
  const dphis: number[] = [];
  for (let p = 0; p < pairs.count; p++) {
    const i = pairs.i[p];
    const j = pairs.j[p];
    const lam = lambdaOf(model, c, i, j);
    const eps = epsilonOf(model, c, i, j);
    let r2 = 0;
    for (let a = 0; a < d; a++) r2 += pairs.delta[p * d + a] ** 2;
    const r = Math.sqrt(r2);
    model.reduced.eval2(r / lam, out);
    energy += eps * out[0];
    const dphi = (eps * out[1]) / lam;
    dphis.push(dphi);
    for (let a = 0; a < d; a++) {
      const da = pairs.delta[p * d + a];
      forces[i * d + a] += (dphi / r) * da;
      forces[j * d + a] -= (dphi / r) * da;
      for (let b = 0; b < d; b++) stress[a * d + b] += ((dphi / r) * da * pairs.delta[p * d + b]) / c.box.volume;
    }
  }
  return { pairs, energy, forces, stress, dphis };
}

/** max_k |a_k − b_k| / max(1, max_k |b_k|). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  let s = 1;
  for (let k = 0; k < b.length; k++) {
    m = Math.max(m, Math.abs(a[k] - b[k]));
    s = Math.max(s, Math.abs(b[k]));
  }
  return m / s;
}
