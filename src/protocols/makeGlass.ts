import { Box } from "../core/box.js";
import type { CheckpointStore } from "../core/checkpointStore.js";
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import {
  MolecularDynamics,
  SwapMonteCarlo,
  initMd,
  initSwapMc,
  linearCooling,
  resetSwapMcStatistics,
  scheduleEndTime,
  stateTemperature,
  swapMcStatistics,
  type MdState,
  type SwapMcState,
} from "../dynamics/index.js";
import { PairSystem } from "../forces/pairSystem.js";
import {
  continueMinimization,
  deserializeState,
  minimize,
  serializeState,
  type CgState,
  type FireState,
  type MinimizeOptions,
  type MinimizeResult,
} from "../minimize/index.js";
import type { Model } from "../models/types.js";
import { autoParentTemperature, type AutoTemperatureReport } from "./autoTemperature.js";
import { analyseEquilibration, type EquilibrationReport } from "./equilibration.js";
import { checkGlassOptions } from "./glassOptions.js";
import { checkRandomStart, randomConfiguration } from "./randomStart.js";
import { autoTimeStep } from "./timestep.js";

/**
 * The glass-making protocols of SPEC §3: random start → overlap removal → NVT equilibration at
 * T_p → instantaneous quench (minimization), or continuous quench (linear cooling at a rate, then
 * minimization). Every random choice comes from `Rng.forSample(seed, sample)`, so a glass is a
 * pure function of its options (bit for bit on this machine), whatever else runs in parallel.
 *
 * Long runs checkpoint (atomically) at every stage boundary and every `checkpointSteps` MD steps;
 * calling `makeGlass` again with the same options and checkpoint path resumes where it stopped
 * and produces the bit-identical glass of an uninterrupted run. For that, the neighbor list is
 * rebuilt at the same points in both (every MD stage start and every checkpoint step, saved or
 * not): the pair summation order, and so the rounding, depends on when the list was built. Every
 * checkpoint also stores the positions the live neighbor list was built at, and a resume builds
 * the list there (PairSystem.rebuildListAt): the same list, so the same sums, without extra
 * rebuilds in the uninterrupted run. Without that, the first forces after a stage-boundary
 * checkpoint (initMd of the equilibration or the cooling) came from a list built at other
 * positions than in the uninterrupted run, and a resumed N = 2000 glass had U/N −4.49436 instead
 * of −4.49398 (issue 16). The two minimizations (overlap removal, final quench) checkpoint their
 * state every checkpointSteps/10 iterations.
 */
export interface MakeGlassOptions {
  model: Model;
  d: number;
  n: number;
  /** Number density (default: the model's default for d). */
  density?: number;
  /** Parent temperature, or "auto" = 4 G∞ a0^d / 30 (SPEC §3.6). */
  tp: number | "auto";
  seed: number;
  /** Sample index within a study (selects the generator stream; default 0). */
  sample?: number;
  protocol?: "instant" | "continuous";
  /**
   * How the parent is equilibrated at T_p: "md" (default; NVT molecular dynamics for `time` or
   * `steps`) or "swap" (Swap Monte Carlo, SPEC §3.3, for `sweeps` sweeps of N moves; the first
   * fifth, at most 200 sweeps, tunes the displacement step and is not sampled).
   */
  equilibrator?: "md" | "swap";
  /** Swap MC sweeps (default 1000). */
  sweeps?: number;
  /** Fraction of swap moves (default 0.2). */
  swapFraction?: number;
  /** Equilibration time at T_p in reduced time units (default 100), or `steps` instead. */
  time?: number;
  steps?: number;
  /** Cooling rate dT/dt of the continuous quench (default 1e-3, SPEC §3.5). */
  rate?: number;
  thermostat?: "berendsen" | "bussi";
  /** Time step, or "auto" (default): see timestep.ts. */
  dt?: number | "auto";
  minimizer?: "cg" | "fire";
  /** Largest per-particle force of the final glass (default 1e-10). */
  fTol?: number;
  maxIterations?: number;
  /** Steps between equilibration samples (energy, pressure, shear stress; default 20). */
  sampleEvery?: number;
  /** Where to checkpoint (io/checkpointFile.ts for a file); none: no checkpoints, no resume. */
  checkpoint?: CheckpointStore;
  /** MD steps between checkpoints (default 10000); minimizers checkpoint every checkpointSteps/10 iterations. */
  checkpointSteps?: number;
  /**
   * A checkpoint written for other options: "error" (default) refuses to touch it; "replace"
   * removes it and starts over (the CLI: a rerun with corrected options), so nothing stale is
   * left should this run fail before its first save.
   */
  staleCheckpoint?: "error" | "replace";
  onProgress?: (p: MakeProgress) => void;
  /**
   * Threads of the pair loop in MD and minimization (default 1; see forces/pairShards.ts). The
   * glass is bit-identical for a fixed count; other counts round differently, so resume with the
   * count the run started with to get the numbers of an uninterrupted run.
   */
  threads?: number;
}

/**
 * Largest particle force (ε/λ) at which the overlap removal hands over to MD. A force of 10
 * moves a particle by F·dt²/2 ≈ 10⁻⁴ λ in one step at dt = 0.005, so the first MD steps are
 * safe, and liquids at the T_p of SPEC §3 carry thermal forces of this size anyway. Going on to
 * 10⁻² (as before) quenched the random state for nothing: on N = 10⁴ PSS r_c = 1.5 it took 25 s of
 * FIRE against 1.1 s to reach 10 (the equilibration that follows erases that history).
 */
export const OVERLAP_FORCE_TOL = 10;

export type MakeStage = "auto-tp" | "overlaps" | "equilibrate" | "cool" | "minimize" | "done";

export interface MakeProgress {
  readonly stage: MakeStage;
  /** Work done and total in the stage's own unit (MD steps, or minimizer iterations with total NaN). */
  readonly done: number;
  readonly total: number;
  readonly detail: string;
}

export interface MakeReport {
  readonly seed: number;
  readonly sample: number;
  readonly protocol: "instant" | "continuous";
  readonly tp: number;
  readonly tpAuto: AutoTemperatureReport | null;
  readonly dt: number;
  readonly equilibrator: "md" | "swap";
  /** MD steps at T_p (0 with swap MC, whose sweeps are in the equilibration report). */
  readonly equilibrationSteps: number;
  readonly coolingSteps: number;
  readonly meanTemperature: number;
  readonly equilibration: EquilibrationReport;
  readonly minimization: Omit<MinimizeResult, "x">;
  readonly energyPerParticle: number;
  readonly seconds: Record<string, number>;
}

export interface MadeGlass {
  readonly config: Configuration;
  readonly report: MakeReport;
}

interface Checkpoint {
  format: "glassmech-make-checkpoint";
  version: 1;
  key: string;
  stage: MakeStage;
  /** The configuration with its box as plain data (checkpoints hold plain data only). */
  config: Omit<Configuration, "box"> & { box: { d: number; h: Float64Array } };
  tp: number;
  tpAuto: AutoTemperatureReport | null;
  dt: number;
  md: MdState | null;
  /** Swap MC state while equilibrating with equilibrator "swap". */
  mc: SwapMcState | null;
  /** Velocities at the end of equilibration (the continuous quench starts from them). */
  velocities: Float64Array | null;
  /** Minimizer state in the middle of stage "overlaps" or "minimize" (absent in older checkpoints). */
  min?: FireState | CgState | null;
  /** Positions the neighbor list was built at when saved, or null when it was due for a rebuild. */
  list?: Float64Array | null;
  series: { energy: number[]; pressure: number[]; shear: number[]; temperature: number[] };
  rng: ReturnType<Rng["state"]>;
  seconds: Record<string, number>;
}

export function makeGlass(o: MakeGlassOptions): MadeGlass {
  const opened: PairSystem[] = [];
  try {
    return makeGlassWith(o, opened);
  } finally {
    // Threaded pair systems hold worker threads.
    for (const s of opened) s.close();
  }
}

function makeGlassWith(o: MakeGlassOptions, opened: PairSystem[]): MadeGlass {
  const sample = o.sample ?? 0;
  const protocol = o.protocol ?? "instant";
  const sampleEvery = o.sampleEvery ?? 20;
  validate(o, sampleEvery);
  const key = optionsKey(o, sample, protocol, sampleEvery);
  const progress = o.onProgress ?? (() => {});
  let cp = o.checkpoint !== undefined ? loadCheckpoint(o.checkpoint, key, o.staleCheckpoint ?? "error") : null;
  const checkpointSteps = o.checkpointSteps ?? 10000;
  // Set once the pair system exists: the neighbor list's build positions go into every checkpoint.
  let listPositions = (): Float64Array | null => null;
  const save = (c: Checkpoint): void => {
    if (o.checkpoint === undefined) return;
    c.list = listPositions();
    o.checkpoint.save(JSON.stringify(serializeState(c)));
  };
  const timed = (c: Checkpoint, stage: string, t0: number): void => {
    c.seconds[stage] = (c.seconds[stage] ?? 0) + (Date.now() - t0) / 1000;
  };

  if (cp === null) {
    const rng = Rng.forSample(o.seed, sample);
    let tp: number, tpAuto: AutoTemperatureReport | null = null;
    const t0 = Date.now();
    if (o.tp === "auto") {
      progress({ stage: "auto-tp", done: 0, total: NaN, detail: "quenching random states for G∞" });
      tpAuto = autoParentTemperature(o.model, { d: o.d, n: o.n, density: o.density, seed: o.seed });
      tp = tpAuto.tp;
    } else tp = o.tp;
    const config = randomConfiguration(o.model, rng, { d: o.d, n: o.n, density: o.density });
    const dt = o.dt === undefined || o.dt === "auto" ? autoTimeStep(o.model, tp) : o.dt;
    cp = {
      format: "glassmech-make-checkpoint",
      version: 1,
      key,
      stage: "overlaps",
      config: { ...config, box: { d: config.d, h: config.box.h } },
      tp,
      tpAuto,
      dt,
      md: null,
      mc: null,
      velocities: null,
      series: { energy: [], pressure: [], shear: [], temperature: [] },
      rng: rng.state(),
      seconds: {},
    };
    if (tpAuto !== null) timed(cp, "auto-tp", t0);
  }
  const c: Checkpoint = cp;
  const box = new Box(c.config.box.d, c.config.box.h);
  const system = new PairSystem({ ...c.config, box }, o.model, { threads: o.threads });
  opened.push(system);
  // Forces a neighbor-list rebuild at the next evaluation (deterministic rebuild points).
  const rebuildList = (): void => system.setBox(system.box);
  listPositions = () => system.listPositions();
  // A resumed run continues with the list the interrupted one had (see the module comment).
  if ((c.list ?? null) !== null) system.rebuildListAt(c.list!);
  const ef = system.energyForcesFn;
  const d = o.d;
  // Minimizer checkpoints every `minEvery` iterations (a multiple of the progress interval).
  const minEvery = Math.max(1, Math.round(checkpointSteps / 10));
  const progressEvery = minEvery <= 200 ? minEvery : 200;
  const minCheckpointEvery = minEvery <= 200 ? minEvery : Math.round(minEvery / 200) * 200;
  const checkpointedMinimize = (stage: "overlaps" | "minimize", m: Pick<MinimizeOptions, "method" | "fTol" | "maxIterations">): MinimizeResult => {
    const onProgress = (p: { iterations: number; maxForce: number; state: FireState | CgState }): void => {
      progress({ stage, done: p.iterations, total: NaN, detail: `max force ${p.maxForce.toExponential(2)}` });
      if (p.iterations % minCheckpointEvery !== 0 || p.state.converged || o.checkpoint === undefined) return;
      c.min = p.state;
      save(c);
      c.min = null;
    };
    const saved = c.min ?? null;
    if (saved !== null && saved.method === m.method) {
      c.min = null; // the list was restored with the pair system
      return continueMinimization(ef, saved, { fTol: m.fTol, maxIterations: m.maxIterations, onProgress, progressEvery, vectors: system.vectors });
    }
    return minimize(ef, c.config.positions, { d, ...m, onProgress, progressEvery, vectors: system.vectors });
  };
  const eqSteps = o.steps ?? Math.round((o.time ?? 100) / c.dt);
  // A time that rounds to no step at all (dt ≫ time) must not pass for an equilibration.
  if (o.steps === undefined && (o.time ?? 100) > 0 && eqSteps < 1 && (o.equilibrator ?? "md") === "md")
    throw new GlassmechError(`equilibration time ${o.time ?? 100} is shorter than half a time step (dt = ${c.dt}): no MD step would run`);

  if (c.stage === "overlaps") {
    // Random starts put cores on top of each other: a capped FIRE run to moderate forces first.
    // Only the overlaps must go (see OVERLAP_FORCE_TOL), not the whole quench.
    const t0 = Date.now();
    const r = checkpointedMinimize("overlaps", { method: "fire", fTol: OVERLAP_FORCE_TOL, maxIterations: 200000 });
    c.config.positions.set(r.x);
    timed(c, "overlaps", t0);
    c.stage = "equilibrate";
    save(c);
  }

  const md = new MolecularDynamics(ef, { vectors: system.vectors });
  const runStage = (stage: "equilibrate" | "cool", total: number, record: boolean): void => {
    const s = c.md!;
    const t0 = Date.now();
    rebuildList();
    while (s.step < total) {
      // Chunks end at every sample step and every checkpoint step.
      const nextSample = (Math.floor(s.step / sampleEvery) + 1) * sampleEvery;
      const nextCheckpoint = (Math.floor(s.step / checkpointSteps) + 1) * checkpointSteps;
      md.run(s, Math.min(nextSample, nextCheckpoint, total) - s.step);
      if (record && s.step % sampleEvery === 0) {
        const m = system.measure(s.x);
        const T = stateTemperature(s);
        c.series.energy.push(m.energyPerParticle);
        // Total pressure: virial part plus the kinetic part N T / V.
        c.series.pressure.push(m.pressure + (s.n * T) / system.box.volume);
        c.series.temperature.push(T);
        for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) c.series.shear.push(m.stress[a * d + b]);
      }
      progress({ stage, done: s.step, total, detail: `T = ${stateTemperature(s).toFixed(3)}` });
      if (s.step % checkpointSteps === 0 && s.step < total) {
        rebuildList();
        save(c);
      }
    }
    timed(c, stage, t0);
  };

  if (c.stage === "equilibrate" && (o.equilibrator ?? "md") === "swap") {
    runSwapEquilibration(c, o, sampleEvery, progress, save);
    // Swaps changed types/sizes: the list rebuilds at the next evaluation anyway (exact cutoffs);
    // saying so keeps a stale build out of the checkpoint.
    rebuildList();
    c.stage = protocol === "continuous" ? "cool" : "minimize";
    save(c);
  }
  if (c.stage === "equilibrate") {
    if (c.md === null) {
      const rng = Rng.fromState(c.rng);
      c.md = initMd(ef, c.config.positions, { d, dt: c.dt, thermostat: o.thermostat ?? "berendsen", temperature: c.tp, rng });
      c.rng = rng.state();
    }
    runStage("equilibrate", eqSteps, true);
    c.config.positions.set(c.md.x);
    c.velocities = c.md.v;
    c.md = null;
    c.stage = protocol === "continuous" ? "cool" : "minimize";
    save(c);
  }

  let coolingSteps = 0;
  if (protocol === "continuous") {
    const schedule = linearCooling(c.tp, o.rate ?? 1e-3);
    coolingSteps = Math.round(scheduleEndTime(schedule) / c.dt);
    if (c.stage === "cool") {
      if (c.md === null) {
        const rng = Rng.fromState(c.rng);
        // After MD equilibration the velocities carry on; after swap MC they are drawn afresh at T_p.
        const velocities = c.velocities ?? undefined;
        c.md = initMd(ef, c.config.positions, { d, dt: c.dt, thermostat: o.thermostat ?? "berendsen", temperature: schedule, velocities, rng });
        c.rng = rng.state();
      }
      runStage("cool", coolingSteps, false);
      c.config.positions.set(c.md.x);
      c.stage = "minimize";
      save(c);
    }
  }

  if (c.stage !== "minimize" && c.stage !== "done") throw new GlassmechError(`checkpoint is in an unknown stage '${c.stage}'`);
  const t0 = Date.now();
  if ((c.min ?? null) === null) rebuildList();
  const r = checkpointedMinimize("minimize", { method: o.minimizer ?? "cg", fTol: o.fTol ?? 1e-10, maxIterations: o.maxIterations ?? 1000000 });
  timed(c, "minimize", t0);
  const positions = Float64Array.from(r.x);
  box.wrap(positions);
  const config: Configuration = { ...c.config, box, positions };
  const temps = c.series.temperature;
  const report: MakeReport = {
    seed: o.seed,
    sample,
    protocol,
    tp: c.tp,
    tpAuto: c.tpAuto,
    dt: c.dt,
    equilibrator: o.equilibrator ?? "md",
    equilibrationSteps: (o.equilibrator ?? "md") === "swap" ? 0 : eqSteps,
    coolingSteps,
    meanTemperature: temps.reduce((a, b) => a + b, 0) / Math.max(1, temps.length),
    // Swap MC samples in MC time: lags and τ_σ are then in sweeps.
    equilibration: analyseSecondHalf(c, (o.equilibrator ?? "md") === "swap" ? sampleEvery : sampleEvery * c.dt, box.volume, d),
    minimization: {
      method: r.method,
      energy: r.energy,
      maxForce: r.maxForce,
      iterations: r.iterations,
      energyEvaluations: r.energyEvaluations,
      converged: r.converged,
      roundOffFloor: r.roundOffFloor,
      failure: r.failure,
    },
    energyPerParticle: r.energy / o.n,
    seconds: c.seconds,
  };
  progress({ stage: "done", done: 1, total: 1, detail: `U/N = ${(r.energy / o.n).toFixed(6)}` });
  return { config, report };
}

/** Swap MC sweeps between checkpoints. */
const CHECKPOINT_SWEEPS = 500;

/**
 * Equilibration by Swap Monte Carlo (SPEC §3.3): tuning of the displacement step (not sampled,
 * as tuning breaks detailed balance), then production sweeps sampled every `sampleEvery` sweeps
 * (series in MC time: the c(t) lags are in sweeps). Swaps permute sizes/types: the final ones are
 * copied into the configuration, which is saved with them.
 */
function runSwapEquilibration(
  c: Checkpoint,
  o: MakeGlassOptions,
  sampleEvery: number,
  progress: (p: MakeProgress) => void,
  save: (c: Checkpoint) => void,
): void {
  const sweeps = o.sweeps ?? 1000;
  const tuneSweeps = Math.min(200, Math.floor(sweeps / 5));
  const box = new Box(c.config.box.d, c.config.box.h);
  const mc = new SwapMonteCarlo(o.model);
  const t0 = Date.now();
  if (c.mc === null) {
    const rng = Rng.fromState(c.rng);
    c.mc = initSwapMc({ ...c.config, box }, o.model, { temperature: c.tp, rng, swapFraction: o.swapFraction });
    mc.run(c.mc, tuneSweeps, { tune: true });
    resetSwapMcStatistics(c.mc);
    c.rng = rng.state();
    save(c);
  }
  const s = c.mc;
  // Observables of the MC configuration: a pair system reading the MC arrays by reference.
  const sampler = new PairSystem({ ...c.config, box, positions: s.positions, types: s.types, sizes: s.sizes }, o.model, { swapSafe: true });
  const d = c.config.d;
  const total = sweeps - tuneSweeps;
  for (;;) {
    const done = swapMcStatistics(s).sweeps;
    if (done >= total) break;
    const next = Math.min(total, (Math.floor(done / sampleEvery) + 1) * sampleEvery);
    mc.run(s, next - done);
    if (next % sampleEvery === 0) {
      const m = sampler.measure(s.positions);
      c.series.energy.push(m.energyPerParticle);
      c.series.pressure.push(m.pressure + (s.n * c.tp) / box.volume);
      c.series.temperature.push(c.tp);
      for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) c.series.shear.push(m.stress[a * d + b]);
    }
    const st = swapMcStatistics(s);
    progress({ stage: "equilibrate", done: next, total, detail: `swap MC: acceptance ${st.displacementAcceptance.toFixed(2)} (moves) ${st.swapAcceptance.toFixed(2)} (swaps)` });
    if (next % CHECKPOINT_SWEEPS === 0 && next < total) save(c);
  }
  c.config.positions.set(s.positions);
  c.config.types.set(s.types);
  if (c.config.sizes !== null && s.sizes !== null) c.config.sizes.set(s.sizes);
  c.mc = null;
  c.seconds.equilibrate = (c.seconds.equilibrate ?? 0) + (Date.now() - t0) / 1000;
}

/**
 * The first half of the equilibration run is burn-in (the system forgets the overlap-removed
 * start); drift and c(t) are judged on the second half.
 */
function analyseSecondHalf(c: Checkpoint, interval: number, volume: number, d: number): EquilibrationReport {
  const m = c.series.energy.length;
  const h = Math.floor(m / 2);
  const k = (d * (d - 1)) / 2;
  return analyseEquilibration({
    interval,
    volume,
    temperature: c.tp,
    energy: c.series.energy.slice(h),
    pressure: c.series.pressure.slice(h),
    shear: c.series.shear.slice(h * k),
    components: k,
  });
}

function validate(o: MakeGlassOptions, sampleEvery: number): void {
  checkRandomStart(o.d, o.n, o.density ?? o.model.defaultDensity(o.d));
  if (o.tp !== "auto" && !(o.tp > 0 && Number.isFinite(o.tp))) throw new GlassmechError(`parent temperature tp must be positive or "auto", got ${o.tp}`);
  checkGlassOptions(o as unknown as Record<string, unknown>);
  if (!(Number.isInteger(sampleEvery) && sampleEvery >= 1)) throw new GlassmechError(`sampleEvery must be a positive integer, got ${sampleEvery}`);
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw new GlassmechError(`seed must be a non-negative integer, got ${o.seed}`);
  if (o.sample !== undefined && !(Number.isSafeInteger(o.sample) && o.sample >= 0)) throw new GlassmechError(`sample must be a non-negative integer, got ${o.sample}`);
  if (o.checkpointSteps !== undefined && !(Number.isInteger(o.checkpointSteps) && o.checkpointSteps >= 1))
    throw new GlassmechError(`checkpoint interval must be a positive integer, got ${o.checkpointSteps}`);
}

/** What makes a checkpoint belong to a run: every option that changes the result. */
function optionsKey(o: MakeGlassOptions, sample: number, protocol: string, sampleEvery: number): string {
  return JSON.stringify({
    model: o.model.name,
    params: o.model.params,
    d: o.d,
    n: o.n,
    density: o.density ?? null,
    tp: o.tp,
    seed: o.seed,
    sample,
    protocol,
    time: o.time ?? null,
    steps: o.steps ?? null,
    rate: o.rate ?? null,
    thermostat: o.thermostat ?? "berendsen",
    dt: o.dt ?? "auto",
    equilibrator: o.equilibrator ?? "md",
    sweeps: o.sweeps ?? null,
    swapFraction: o.swapFraction ?? null,
    sampleEvery,
    checkpointSteps: o.checkpointSteps ?? 10000,
  });
}

function loadCheckpoint(store: CheckpointStore, key: string, stale: "error" | "replace"): Checkpoint | null {
  const file = store.where;
  let c: Checkpoint;
  try {
    const text = store.load();
    if (text === null) return null;
    c = deserializeState(JSON.parse(text)) as Checkpoint;
  } catch (e) {
    throw new GlassmechError(`checkpoint is unreadable (${(e as Error).message}); delete it to start over`, { file });
  }
  if (c.format !== "glassmech-make-checkpoint" || c.version !== 1) throw new GlassmechError("not a glassmech make checkpoint", { file });
  if (c.key !== key) {
    if (stale === "error") throw new GlassmechError("checkpoint was written for different options; use another path or delete it", { file });
    store.remove();
    return null;
  }
  return c;
}
