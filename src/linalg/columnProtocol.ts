/** The control words of the column threads (columnThreads.ts), in a module a worker can always load. */
import { SIGNAL } from "../core/workerSignals.js";
import type { AmgShared } from "./amg.js";

/**
 * core/workerSignals.ts's four slots, then the command's total column count and thread count (a
 * worker works out its part), then the operands of a dense product (tallProducts.ts): block
 * indices a, b, y with their column counts and the subtract flag.
 */
export const COLUMN_CTRL = { ...SIGNAL, columns: 4, threads: 5, a: 6, na: 7, b: 8, nb: 9, y: 10, my: 11, subtract: 12 } as const;

export const COLUMN_COMMAND = { precondition: 1, multiply: 2, stop: 3, gram: 4, combine: 5 } as const;

/** What a worker receives (all arrays over SharedArrayBuffers). */
export interface ColumnWorkerData {
  readonly ctrl: Int32Array;
  readonly message: Uint8Array;
  readonly amg: AmgShared;
  /** This worker's input and output slabs. */
  readonly input: Float64Array;
  readonly output: Float64Array;
  /** LOBPCG's tall blocks (N·maxColumns doubles each), the per-chunk Gram partial sums and the coefficients of a combination. */
  readonly blocks: readonly Float64Array[];
  readonly partial: Float64Array;
  readonly coef: Float64Array;
  readonly maxColumns: number;
  /** Thread index (≥ 1). */
  readonly t: number;
}
