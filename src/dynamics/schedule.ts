import { GlassmechError } from "../core/errors.js";

/**
 * Target temperature as a function of simulation time (SPEC §3.2, §3.5).
 * - constant: T(t) = T.
 * - linear: continuous quench (or heating) from `from` at |dT/dt| = `rate`, starting at time
 *   `start` (default 0), then held at `to`:
 *   T(t) = from + (to − from)·min(1, rate·max(0, t − start)/|to − from|).
 * Plain data, stored in the MD state so checkpoints resume the same schedule.
 */
export type TemperatureSchedule =
  | { readonly kind: "constant"; readonly T: number }
  | { readonly kind: "linear"; readonly from: number; readonly to: number; readonly rate: number; readonly start?: number };

/** Linear cooling from T_p at rate dT/dt (default 1e−3, SPEC §3.5) down to `to` (default 0). */
export function linearCooling(from: number, rate = 1e-3, to = 0, start = 0): TemperatureSchedule {
  const s: TemperatureSchedule = { kind: "linear", from, to, rate, start };
  validateSchedule(s);
  return s;
}

export function validateSchedule(s: TemperatureSchedule): void {
  const ok = (T: number) => T >= 0 && Number.isFinite(T);
  if (s.kind === "constant") {
    if (!ok(s.T)) throw new GlassmechError(`target temperature must be finite and ≥ 0, got ${s.T}`);
    return;
  }
  if (s.kind !== "linear") throw new GlassmechError(`unknown temperature schedule "${(s as { kind: string }).kind}"`);
  if (!ok(s.from) || !ok(s.to)) throw new GlassmechError(`schedule temperatures must be finite and ≥ 0, got from ${s.from} to ${s.to}`);
  if (!(s.rate > 0) || !Number.isFinite(s.rate)) throw new GlassmechError(`cooling rate must be positive, got ${s.rate}`);
  if (s.start !== undefined && !Number.isFinite(s.start)) throw new GlassmechError(`schedule start time must be finite, got ${s.start}`);
}

/** Target temperature at time t. */
export function temperatureAt(s: TemperatureSchedule, t: number): number {
  if (s.kind === "constant") return s.T;
  const span = Math.abs(s.to - s.from);
  if (span === 0) return s.to;
  const u = (s.rate * Math.max(0, t - (s.start ?? 0))) / span;
  return u >= 1 ? s.to : s.from + (s.to - s.from) * u;
}

/** Time at which the schedule reaches its final temperature (start time for constant). */
export function scheduleEndTime(s: TemperatureSchedule): number {
  if (s.kind === "constant") return 0;
  return (s.start ?? 0) + Math.abs(s.to - s.from) / s.rate;
}

/** Largest target temperature over the whole schedule. */
export function scheduleMaxTemperature(s: TemperatureSchedule): number {
  return s.kind === "constant" ? s.T : Math.max(s.from, s.to);
}
