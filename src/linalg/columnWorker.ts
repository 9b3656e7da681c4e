import { workerData } from "node:worker_threads";
import { blockingWait, serveCommands } from "../core/workerSignals.js";
import { COLUMN_COMMAND as COMMAND, COLUMN_CTRL as CTRL, type ColumnWorkerData } from "./columnProtocol.js";

/**
 * A worker of the column threads (columnThreads.ts): applies the V-cycle or the Hessian to its
 * part of the columns (its input slab → its output slab), or computes its row chunks of a dense
 * product of the shared tall blocks, on each command (core/workerSignals.ts).
 */
const { ctrl, message, amg: shared, input, output, t, blocks, partial, coef, maxColumns } = workerData as ColumnWorkerData;

await serveCommands(ctrl, message, t, COMMAND.stop, blockingWait, async () => {
  // Imported here, not at the top, so a failure to load is reported like any other.
  const { AmgHierarchy } = await import("./amg.js");
  const { matMulVectorsJs } = await import("./blockMatVecJs.js");
  const { PanelProducts, runShare } = await import("./tallProducts.js");
  const panels = new PanelProducts(maxColumns);
  const amg = AmgHierarchy.fromShared(shared);
  const fine = shared.levels[0].A;
  const M = { d: shared.d, n: shared.n, rowPtr: fine.rowPtr, colIdx: fine.colIdx, values: fine.values };
  return (command) => {
    if (command === COMMAND.gram || command === COMMAND.combine) {
      const at = (slot: number): number => Atomics.load(ctrl, slot);
      const N = shared.n * shared.d;
      runShare(panels, command === COMMAND.gram, t, at(CTRL.threads), N, blocks, partial, coef, at(CTRL.a), at(CTRL.na), at(CTRL.b), at(CTRL.nb), at(CTRL.y), at(CTRL.my), at(CTRL.subtract) === 1);
      return;
    }
    const k = Atomics.load(ctrl, CTRL.columns);
    const T = Atomics.load(ctrl, CTRL.threads);
    const kt = Math.floor(((t + 1) * k) / T) - Math.floor((t * k) / T);
    if (kt === 0) return;
    if (command === COMMAND.precondition) amg.apply(kt, input, output);
    else if (command === COMMAND.multiply) matMulVectorsJs(M, kt, input, output);
    else throw new Error(`unknown command ${command}`);
  };
});
