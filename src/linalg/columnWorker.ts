import { workerData } from "node:worker_threads";
import { blockingWait, serveCommands } from "../core/workerSignals.js";
import { COLUMN_COMMAND as COMMAND, COLUMN_CTRL as CTRL, type ColumnWorkerData } from "./columnProtocol.js";

/**
 * A worker of the column threads (columnThreads.ts): applies the V-cycle or the Hessian to its
 * part of the columns (its input slab → its output slab) on each command (core/workerSignals.ts).
 */
const { ctrl, message, amg: shared, input, output, t } = workerData as ColumnWorkerData;

await serveCommands(ctrl, message, t, COMMAND.stop, blockingWait, async () => {
  // Imported here, not at the top, so a failure to load is reported like any other.
  const { AmgHierarchy } = await import("./amg.js");
  const { matMulVectorsJs } = await import("./blockMatVecJs.js");
  const amg = AmgHierarchy.fromShared(shared);
  const fine = shared.levels[0].A;
  const M = { d: shared.d, n: shared.n, rowPtr: fine.rowPtr, colIdx: fine.colIdx, values: fine.values };
  return (command) => {
    const k = Atomics.load(ctrl, CTRL.columns);
    const T = Atomics.load(ctrl, CTRL.threads);
    const kt = Math.floor(((t + 1) * k) / T) - Math.floor((t * k) / T);
    if (kt === 0) return;
    if (command === COMMAND.precondition) amg.apply(kt, input, output);
    else if (command === COMMAND.multiply) matMulVectorsJs(M, kt, input, output);
    else throw new Error(`unknown command ${command}`);
  };
});
