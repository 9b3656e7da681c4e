/**
 * Self-contained inputs for the force benchmark: a relaxed PSS packing (random positions, then
 * capped steepest descent until no overlaps remain) and a tiny velocity-Verlet MD driver with a
 * Berendsen thermostat (as LAMMPS's in.md in /work/shared/bench), so the benchmark does not
 * depend on the minimizers or integrators under development.
 */
import { Box } from "../src/core/box.js";
import type { Configuration } from "../src/core/configuration.js";
import { Rng } from "../src/core/rng.js";
import { PairSystem, type PairSystemOptions } from "../src/forces/pairSystem.js";
import { createModel, type Model } from "../src/models/index.js";
import type { BlockMatrix } from "../src/linalg/blockMatrix.js";

export interface BenchGlass {
  readonly config: Configuration;
  readonly model: Model;
  /** Max per-particle force after the relaxation. */
  readonly maxForce: number;
  readonly seconds: number;
}

/**
 * Random 50:50 PSS configuration in d = 3 at the given density, relaxed by capped steepest
 * descent: each particle moves along its force by min(α|F|, cap), until max|F| < fStop or
 * `steps` iterations.
 */
export function makeBenchGlass(n: number, o: { density?: number; rc?: number; seed?: number; steps?: number; fStop?: number } = {}): BenchGlass {
  const t0 = performance.now();
  const d = 3;
  const model = createModel({ name: "pss", params: { rc: o.rc ?? 1.2 } });
  const rng = Rng.fromSeed(o.seed ?? 1);
  const box = Box.forDensity(d, n, o.density ?? 0.6);
  const L = box.h[0];
  const x = new Float64Array(n * d);
  for (let k = 0; k < n * d; k++) x[k] = rng.uniform() * L;
  const types = new Int32Array(n);
  for (let i = 0; i < n; i++) types[i] = i % 2;
  const config: Configuration = { d, n, box, positions: x, types, sizes: null, model: { name: model.name, params: model.params } };
  const sys = new PairSystem(config, model);
  const f = new Float64Array(n * d);
  const alpha = 0.01;
  const cap = 0.05;
  const steps = o.steps ?? 300;
  const fStop = o.fStop ?? 2;
  let maxForce = Infinity;
  for (let it = 0; it < steps; it++) {
    sys.energyForces(x, f);
    maxForce = 0;
    for (let i = 0; i < n; i++) {
      const fx = f[i * 3];
      const fy = f[i * 3 + 1];
      const fz = f[i * 3 + 2];
      const fn = Math.sqrt(fx * fx + fy * fy + fz * fz);
      if (fn > maxForce) maxForce = fn;
      if (fn === 0) continue;
      const s = Math.min(alpha, cap / fn);
      x[i * 3] += s * fx;
      x[i * 3 + 1] += s * fy;
      x[i * 3 + 2] += s * fz;
    }
    if (maxForce < fStop) break;
  }
  box.wrap(x);
  return { config, model, maxForce, seconds: (performance.now() - t0) / 1000 };
}

/** Timings of an MD run: time spent in energy+forces (including neighbor-list maintenance). */
export interface MdTiming {
  readonly steps: number;
  /** Wall time in energy+forces calls (including neighbor-list maintenance). */
  readonly forceSeconds: number;
  /** Process CPU time in energy+forces calls (robust when other jobs share the machine). */
  readonly forceCpuSeconds: number;
  readonly totalSeconds: number;
  readonly rebuilds: number;
  /** Mean number of list pairs visited per evaluation, and of pairs inside the cutoff. */
  readonly listPairs: number;
  readonly temperature: number;
}

/**
 * Velocity Verlet (dt) with Berendsen rescaling toward T (relaxation time tau), m = 1, as LAMMPS
 * `fix nve` + `fix temp/berendsen`. Positions are not wrapped during the run (the neighbor list
 * handles unwrapped positions). The state (x, v) is advanced in place.
 */
export function runMd(
  sys: PairSystem,
  x: Float64Array,
  v: Float64Array,
  steps: number,
  o: { dt?: number; T?: number; tau?: number } = {},
): MdTiming {
  const n = sys.n;
  const d = sys.d;
  const dt = o.dt ?? 0.005;
  const T = o.T ?? 2;
  const tau = o.tau ?? 0.5;
  const f = new Float64Array(n * d);
  const nd = n * d;
  const builds0 = sys.rebuilds;
  let listPairs = 0;
  const tStart = performance.now();
  let forceMs = 0;
  let cpuUs = 0;
  let t = performance.now();
  let c = process.cpuUsage();
  sys.energyForces(x, f);
  forceMs += performance.now() - t;
  cpuUs += cpuSince(c);
  let kin = 0;
  for (let s = 0; s < steps; s++) {
    for (let k = 0; k < nd; k++) {
      v[k] += 0.5 * dt * f[k];
      x[k] += dt * v[k];
    }
    t = performance.now();
    c = process.cpuUsage();
    sys.energyForces(x, f);
    forceMs += performance.now() - t;
    cpuUs += cpuSince(c);
    listPairs += sys.listPairCount;
    kin = 0;
    for (let k = 0; k < nd; k++) {
      v[k] += 0.5 * dt * f[k];
      kin += v[k] * v[k];
    }
    // Berendsen: λ² = 1 + (dt/τ)(T/T_now − 1), T_now = Σ v² / (d(N−1))
    const Tnow = kin / (d * (n - 1));
    const lam = Math.sqrt(Math.max(0.01, 1 + (dt / tau) * (T / Tnow - 1)));
    for (let k = 0; k < nd; k++) v[k] *= lam;
  }
  return {
    steps,
    forceSeconds: forceMs / 1000,
    forceCpuSeconds: cpuUs / 1e6,
    totalSeconds: (performance.now() - tStart) / 1000,
    rebuilds: sys.rebuilds - builds0,
    listPairs: listPairs / Math.max(1, steps),
    temperature: kin / (d * (n - 1)),
  };
}

/** CPU microseconds (user + system) of this process since `c`. */
export function cpuSince(c: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(c);
  return u.user + u.system;
}

/** Maxwell–Boltzmann velocities at temperature T with zero total momentum. */
export function thermalVelocities(n: number, d: number, T: number, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed, 7);
  const v = new Float64Array(n * d);
  const s = Math.sqrt(T);
  for (let k = 0; k < n * d; k++) v[k] = s * rng.normal();
  for (let a = 0; a < d; a++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += v[i * d + a];
    m /= n;
    for (let i = 0; i < n; i++) v[i * d + a] -= m;
  }
  return v;
}

/** A PairSystem over a bench glass with the given options. */
export function benchSystem(g: BenchGlass, options: PairSystemOptions = {}): PairSystem {
  return new PairSystem(g.config, g.model, options);
}

/** k dipole-like (+e on j, −e on i, as ../shared/bench/scipy_hessian.py) right-hand sides (interleaved) on random bonded pairs. */
export function dipoleRhs(M: BlockMatrix, k: number, rng: Rng): Float64Array {
  const { d, n, rowPtr, colIdx } = M;
  const B = new Float64Array(n * d * k);
  for (let r = 0; r < k; r++) {
    let i = rng.int(n);
    while (rowPtr[i + 1] - rowPtr[i] < 2) i = rng.int(n);
    let j = i;
    while (j === i) j = colIdx[rowPtr[i] + rng.int(rowPtr[i + 1] - rowPtr[i])];
    const e = Float64Array.from({ length: d }, () => rng.normal());
    const s = Math.hypot(...e);
    for (let a = 0; a < d; a++) {
      B[(j * d + a) * k + r] += e[a] / s;
      B[(i * d + a) * k + r] -= e[a] / s;
    }
  }
  return B;
}
