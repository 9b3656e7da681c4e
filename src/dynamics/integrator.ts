import type { EnergyForces } from "../forces/types.js";
import type { ThreadedVectors } from "../forces/threadedVectors.js";
import { GlassmechError } from "../core/errors.js";
import { Rng, type RngState } from "../core/rng.js";
import { scheduleMaxTemperature, temperatureAt, validateSchedule, type TemperatureSchedule } from "./schedule.js";
import { berendsenFactor, bussiFactor, validateThermostat, type ThermostatSpec } from "./thermostats.js";
import { degreesOfFreedom, kineticEnergy, maxwellBoltzmann } from "./temperature.js";

/**
 * Molecular dynamics (SPEC §3.2, §3.5): velocity Verlet (mass 1), optionally thermostatted and
 * following a target-temperature schedule (constant, or linear cooling for continuous quenches).
 *
 * All state is plain data (`MdState`): positions, velocities, forces, step counter, thermostat
 * and schedule, the generator state of the stochastic thermostat, and the blow-up limits. So
 * `serializeState` (minimize/checkpoint.ts) at any step and `run` on the restored state continue
 * bit-identically. Positions are not wrapped into the box (the pair loop handles unwrapped
 * coordinates; see forces/pairSystem.ts).
 *
 * One step (Δt, forces F = −∇U, Swope et al. 1982):
 *   v ← v + ½Δt F(x);  x ← x + Δt v;  F ← F(x);  v ← v + ½Δt F;  then the thermostat rescales
 *   v ← λ v (thermostats.ts) towards T₀ = T(t + Δt) of the schedule.
 *
 * Blow-up watch (never returns a broken state as fine): after every step, a non-finite energy,
 * T = 2K/N_f above `maxTemperature`, or a drift of the conserved quantity
 * H = U + K − (heat put in by the thermostat) by more than `maxEnergyDrift` per particle from its
 * value at the start throws "MD blew up at step k …: reduce dt". (For "bussi" H is the effective
 * energy of Bussi et al. Eq. 9; for "berendsen" the same bookkeeping of the rescaling work.)
 */
export interface MdState {
  readonly d: number;
  readonly n: number;
  /** Positions, velocities and forces (particle-major n·d). */
  readonly x: Float64Array;
  readonly v: Float64Array;
  readonly f: Float64Array;
  potentialEnergy: number;
  kineticEnergy: number;
  /** Completed steps; time = time0 + step·dt. */
  step: number;
  time: number;
  readonly time0: number;
  readonly dt: number;
  readonly thermostat: ThermostatSpec;
  /** Target temperature schedule; null for NVE. */
  readonly schedule: TemperatureSchedule | null;
  /** State of the thermostat's generator (bussi), else null. */
  rng: RngState | null;
  /** Σ of kinetic energy added by thermostat rescalings, K(λ² − 1) per step. */
  thermostatHeat: number;
  /** H = U + K − thermostatHeat at step 0: the reference for the drift watch. */
  readonly referenceEnergy: number;
  /** Blow-up limits. */
  readonly maxTemperature: number;
  readonly maxEnergyDrift: number;
}

export interface MdOptions {
  /** Spatial dimension. */
  d: number;
  /** Time step (default 0.005, SPEC §3.2). */
  dt?: number;
  /**
   * Thermostat: an explicit spec, or a name with `tau`. Default: "berendsen" when a temperature
   * is given, "nve" otherwise.
   */
  thermostat?: ThermostatSpec | "nve" | "berendsen" | "bussi";
  /** Thermostat relaxation time τ_T (default 100·dt, SPEC §3.2). */
  tau?: number;
  /** Target temperature: a constant or a schedule (e.g. linearCooling(Tp, 1e-3)). */
  temperature?: number | TemperatureSchedule;
  /**
   * Temperature of the initial Maxwell–Boltzmann velocities (default: the target at the start
   * time, or 0 without a target). Ignored when `velocities` is given.
   */
  initialTemperature?: number;
  /** Initial velocities (copied) instead of drawing them. */
  velocities?: Float64Array;
  /** Generator for the initial velocities and the stochastic thermostat (or give `seed`). */
  rng?: Rng;
  seed?: number | bigint;
  /** Start time (default 0): the schedule is evaluated at time0 + step·dt. */
  time?: number;
  /** Blow-up limit on T (default 20 × the largest target or initial temperature; ∞ if both are 0). */
  maxTemperature?: number;
  /** Blow-up limit on |H − H₀| per particle (default 1, energy units). */
  maxEnergyDrift?: number;
}

/** Builds the initial MD state at positions x (copied): velocities, forces, checks. */
export function initMd(energyForces: EnergyForces, x0: Float64Array, o: MdOptions): MdState {
  const d = o.d;
  if (!(d === 2 || d === 3 || d === 4)) throw new GlassmechError(`MD: dimension d must be 2, 3 or 4, got ${d}`);
  if (x0.length === 0 || x0.length % d !== 0) throw new GlassmechError(`MD: position array of length ${x0.length} is not a positive multiple of d = ${d}`);
  const n = x0.length / d;
  const dt = o.dt ?? 0.005;
  if (!(dt > 0) || !Number.isFinite(dt)) throw new GlassmechError(`MD time step dt must be positive, got ${dt}`);

  const schedule: TemperatureSchedule | null =
    o.temperature === undefined ? null : typeof o.temperature === "number" ? { kind: "constant", T: o.temperature } : o.temperature;
  if (schedule !== null) validateSchedule(schedule);
  const tau = o.tau ?? 100 * dt;
  let thermostat: ThermostatSpec;
  const t = o.thermostat ?? (schedule === null ? "nve" : "berendsen");
  if (typeof t === "string") thermostat = t === "nve" ? { kind: "nve" } : { kind: t, tau };
  else thermostat = t;
  validateThermostat(thermostat);
  if (thermostat.kind !== "nve" && schedule === null) throw new GlassmechError(`thermostat "${thermostat.kind}" needs a target temperature`);
  if (thermostat.kind === "nve" && schedule !== null) throw new GlassmechError("a target temperature needs a thermostat (berendsen or bussi), not nve");

  const time0 = o.time ?? 0;
  if (!Number.isFinite(time0)) throw new GlassmechError(`MD start time must be finite, got ${time0}`);
  const rng = o.rng ?? (o.seed !== undefined ? Rng.fromSeed(o.seed) : null);

  let v: Float64Array;
  let T1: number;
  if (o.velocities !== undefined) {
    if (o.velocities.length !== x0.length) throw new GlassmechError(`MD: ${o.velocities.length} velocity components for ${x0.length} coordinates`);
    v = Float64Array.from(o.velocities);
    T1 = (2 * kineticEnergy(v)) / Math.max(1, degreesOfFreedom(n, d));
  } else {
    T1 = o.initialTemperature ?? (schedule === null ? 0 : temperatureAt(schedule, time0));
    if (T1 > 0 && rng === null) throw new GlassmechError("MD: drawing initial velocities needs a seed (or rng)");
    v = T1 > 0 ? maxwellBoltzmann(n, d, T1, rng!) : new Float64Array(x0.length);
  }
  if (thermostat.kind === "bussi" && rng === null) throw new GlassmechError("MD: the bussi thermostat needs a seed (or rng)");

  const x = Float64Array.from(x0);
  for (let k = 0; k < x.length; k++)
    if (!Number.isFinite(x[k]) || !Number.isFinite(v[k])) throw new GlassmechError(`MD: initial position or velocity of particle ${Math.floor(k / d)} is not finite`);
  const f = new Float64Array(x.length);
  const u = energyForces(x, f);
  for (let k = 0; k < f.length; k++)
    if (!Number.isFinite(f[k])) throw new GlassmechError(`MD: force on particle ${Math.floor(k / d)} is not finite at the start`);
  if (!Number.isFinite(u)) throw new GlassmechError(`MD: potential energy is not finite at the start (${u})`);
  const K = kineticEnergy(v);

  const Tref = Math.max(schedule === null ? 0 : scheduleMaxTemperature(schedule), T1);
  const maxTemperature = o.maxTemperature ?? (Tref > 0 ? 20 * Tref : Infinity);
  const maxEnergyDrift = o.maxEnergyDrift ?? 1;
  if (!(maxTemperature > 0)) throw new GlassmechError(`maxTemperature must be positive, got ${maxTemperature}`);
  if (!(maxEnergyDrift > 0)) throw new GlassmechError(`maxEnergyDrift must be positive, got ${maxEnergyDrift}`);

  return {
    d,
    n,
    x,
    v,
    f,
    potentialEnergy: u,
    kineticEnergy: K,
    step: 0,
    time: time0,
    time0,
    dt,
    thermostat,
    schedule,
    rng: thermostat.kind === "bussi" ? rng!.state() : null,
    thermostatHeat: 0,
    referenceEnergy: u + K,
    maxTemperature,
    maxEnergyDrift,
  };
}

/** Instantaneous temperature 2K/N_f of a state (N_f = d(N − 1), see temperature.ts). */
export function stateTemperature(s: MdState): number {
  const nf = degreesOfFreedom(s.n, s.d);
  return nf > 0 ? (2 * s.kineticEnergy) / nf : 0;
}

/** Conserved quantity H = U + K − thermostat heat (drifts only through integration error). */
export function conservedEnergy(s: MdState): number {
  return s.potentialEnergy + s.kineticEnergy - s.thermostatHeat;
}

/** Target temperature of a state at its current time (NaN for NVE). */
export function targetTemperature(s: MdState): number {
  return s.schedule === null ? NaN : temperatureAt(s.schedule, s.time);
}

export interface RunOptions {
  /** Called every `every` steps (and after the last step) with the live state. */
  onProgress?: (s: MdState) => void;
  every?: number;
}

/** The integrator: binds an energy function; all state lives in MdState. */
export class MolecularDynamics {
  readonly energyForces: EnergyForces;
  private readonly vectors: ThreadedVectors | null;

  /**
   * `vectors`: the shared vectors of a threaded PairSystem (`system.vectors`, whose energyForces
   * is the same as `energyForces`): the step's loops then run on the pair loop's threads too.
   */
  constructor(energyForces: EnergyForces, options: { vectors?: ThreadedVectors | null } = {}) {
    this.energyForces = energyForces;
    this.vectors = options.vectors ?? null;
  }

  /** One step (allocates the generator; use `run` for long stretches). */
  step(s: MdState): MdState {
    return this.run(s, 1);
  }

  /** Advances `nSteps` steps in place. Throws GlassmechError on blow-up. */
  run(s: MdState, nSteps: number, opts: RunOptions = {}): MdState {
    if (!(Number.isInteger(nSteps) && nSteps >= 0)) throw new GlassmechError(`MD: number of steps must be a non-negative integer, got ${nSteps}`);
    const every = opts.every ?? 1000;
    if (!(Number.isInteger(every) && every >= 1)) throw new GlassmechError(`MD: progress interval must be a positive integer, got ${every}`);
    if (s.v.length !== s.x.length || s.f.length !== s.x.length || s.x.length !== s.n * s.d) throw new GlassmechError("MD: state arrays do not match n·d");
    const rng = s.rng === null ? null : Rng.fromState(s.rng);
    const V = this.vectors;
    if (V !== null && nSteps > 0) {
      // The state moves into the shared vectors for the run, and back for progress reports and at the end.
      if (V.x.length !== s.x.length) throw new GlassmechError(`MD: the shared vectors hold ${V.x.length} coordinates, the state ${s.x.length}`);
      V.x.set(s.x);
      V.v.set(s.v);
      V.f.set(s.f);
      const back = (): void => {
        s.x.set(V.x);
        s.v.set(V.v);
        s.f.set(V.f);
      };
      try {
        for (let k = 0; k < nSteps; k++) {
          this.advanceThreaded(s, rng, V);
          if (opts.onProgress !== undefined && (s.step % every === 0 || k === nSteps - 1)) {
            if (rng !== null) s.rng = rng.state();
            back();
            opts.onProgress(s);
          }
        }
      } finally {
        back();
      }
    } else
      for (let k = 0; k < nSteps; k++) {
        this.advance(s, rng);
        if (opts.onProgress !== undefined && (s.step % every === 0 || k === nSteps - 1)) {
          if (rng !== null) s.rng = rng.state();
          opts.onProgress(s);
        }
      }
    if (rng !== null) s.rng = rng.state();
    return s;
  }

  /** Runs until time ≥ t (rounded to whole steps). */
  runUntil(s: MdState, t: number, opts: RunOptions = {}): MdState {
    const steps = Math.max(0, Math.round((t - s.time0) / s.dt) - s.step);
    return this.run(s, steps, opts);
  }

  private advance(s: MdState, rng: Rng | null): void {
    const { x, v, f, dt } = s;
    const len = x.length;
    const h = 0.5 * dt;
    for (let k = 0; k < len; k++) {
      v[k] += h * f[k];
      x[k] += dt * v[k];
    }
    const u = this.energyForces(x, f);
    let vv = 0;
    for (let k = 0; k < len; k++) {
      v[k] += h * f[k];
      vv += v[k] * v[k];
    }
    this.finishStep(s, rng, u, 0.5 * vv, (lambda) => {
      for (let k = 0; k < len; k++) v[k] *= lambda;
    });
  }

  /** `advance` on the shared vectors: the same loops, run on the pair loop's threads. */
  private advanceThreaded(s: MdState, rng: Rng | null, V: ThreadedVectors): void {
    const h = 0.5 * s.dt;
    V.kickDrift(h, s.dt);
    const u = V.energyForces();
    const vv = V.kickSquare(h);
    this.finishStep(s, rng, u, 0.5 * vv, (lambda) => V.scaleV(lambda));
  }

  /** Clock, thermostat (v *= λ through `scale`) and the blow-up watch after the second half kick. */
  private finishStep(s: MdState, rng: Rng | null, u: number, kinetic: number, scale: (lambda: number) => void): void {
    let K = kinetic;
    s.step++;
    s.time = s.time0 + s.step * s.dt;
    const th = s.thermostat;
    if (th.kind !== "nve" && s.schedule !== null && Number.isFinite(K)) {
      const nf = degreesOfFreedom(s.n, s.d);
      const T0 = temperatureAt(s.schedule, s.time);
      const lambda = th.kind === "berendsen" ? berendsenFactor(K, nf, T0, s.dt, th.tau) : bussiFactor(K, nf, T0, s.dt, th.tau, rng!);
      if (lambda !== 1) {
        scale(lambda);
        const Knew = K * lambda * lambda;
        s.thermostatHeat += Knew - K;
        K = Knew;
      }
    }
    s.potentialEnergy = u;
    s.kineticEnergy = K;
    this.watch(s);
  }

  private watch(s: MdState): void {
    const T = stateTemperature(s);
    const drift = (s.potentialEnergy + s.kineticEnergy - s.thermostatHeat - s.referenceEnergy) / s.n;
    let why: string | null = null;
    if (!Number.isFinite(s.potentialEnergy) || !Number.isFinite(s.kineticEnergy)) why = "non-finite energy";
    else if (T > s.maxTemperature) why = `temperature above the limit ${s.maxTemperature}`;
    else if (Math.abs(drift) > s.maxEnergyDrift) why = `conserved energy drifted by ${drift.toExponential(3)} per particle (limit ${s.maxEnergyDrift})`;
    if (why === null) return;
    const target = s.schedule === null ? "" : `, target ${temperatureAt(s.schedule, s.time)}`;
    throw new GlassmechError(
      `MD blew up at step ${s.step} (t = ${s.time}, T = ${T}${target}, U/N = ${s.potentialEnergy / s.n}): ${why}; reduce dt (now ${s.dt})` +
        " or minimize overlapping starting configurations first",
    );
  }
}
