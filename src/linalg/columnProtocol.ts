/** The control words of the column threads (columnThreads.ts), in a module a worker can always load. */
import type { AmgShared } from "./amg.js";

export const COLUMN_CTRL = {
  /** Incremented by the calling thread to start a command. */
  generation: 0,
  command: 1,
  /** Workers that finished the current command (or started up). */
  done: 2,
  /** Index of a thread whose command threw (0: none). */
  error: 3,
  /** The command's total column count and thread count (a worker works out its part). */
  columns: 4,
  threads: 5,
} as const;

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
