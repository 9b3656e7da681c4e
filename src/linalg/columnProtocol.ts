/** The control words of the column threads (columnThreads.ts), in a module a worker can always load. */
import { SIGNAL } from "../core/workerSignals.js";
import type { AmgShared } from "./amg.js";

/** core/workerSignals.ts's four slots, then the command's total column count and thread count (a worker works out its part). */
export const COLUMN_CTRL = { ...SIGNAL, columns: 4, threads: 5 } as const;

export const COLUMN_COMMAND = { precondition: 1, multiply: 2, stop: 3 } as const;

/** What a worker receives (all arrays over SharedArrayBuffers). */
export interface ColumnWorkerData {
  readonly ctrl: Int32Array;
  readonly message: Uint8Array;
  readonly amg: AmgShared;
  /** This worker's input and output slabs. */
  readonly input: Float64Array;
  readonly output: Float64Array;
  /** Thread index (≥ 1). */
  readonly t: number;
}
