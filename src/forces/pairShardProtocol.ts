/** The control words of the threaded pair loop (pairShards.ts), in a module a worker can always load. */
import { SIGNAL } from "../core/workerSignals.js";

/** Slots of the shared control array: core/workerSignals.ts's four, then the pair loop's own. */
export const CTRL = {
  ...SIGNAL,
  /** Incremented when the box changes (workers rebuild their grid geometry). */
  boxVersion: 4,
  /** Per thread t: gather result (1 = list still valid) at okFlags + t. */
  okFlags: 8,
} as const;

export const COMMAND = { gather: 1, cells: 2, sort: 3, place: 4, scan: 5, forces: 6, energy: 7, reduce: 8, vector: 9, stop: 10 } as const;

/**
 * Waits until ctrl[index] ≠ value: a short spin first (a futex wake-up costs tens of µs, as much
 * as a whole pair-loop command at N ~ 10³), then Atomics.wait for at most timeoutMs.
 */
export function waitWhileEqual(ctrl: Int32Array, index: number, value: number, timeoutMs: number): void {
  for (let k = 0; k < SPINS; k++) if (Atomics.load(ctrl, index) !== value) return;
  Atomics.wait(ctrl, index, value, timeoutMs);
}

/** Spin iterations before blocking (≈ 20–50 µs). */
const SPINS = 20000;
