import { workerData } from "node:worker_threads";
import { COLUMN_COMMAND as COMMAND, COLUMN_CTRL as CTRL, type ColumnWorkerData } from "./columnProtocol.js";

/**
 * A worker of the column threads (columnThreads.ts): waits for a command on the shared control
 * array, applies the V-cycle or the Hessian to its part of the columns (its input slab → its
 * output slab) and counts itself done. A failure goes to the shared message buffer, so the
 * calling thread reports it as an error, never a hang.
 */
const { ctrl, message, amg: shared, input, output, t } = workerData as ColumnWorkerData;

function done(): void {
  Atomics.add(ctrl, CTRL.done, 1);
  Atomics.notify(ctrl, CTRL.done);
}

function fail(e: unknown): void {
  const text = e instanceof Error ? e.message : String(e);
  if (Atomics.compareExchange(ctrl, CTRL.error, 0, t) === 0) {
    message.fill(0);
    new TextEncoder().encodeInto(text.slice(0, 1000), message);
  }
}

let generation = Atomics.load(ctrl, CTRL.generation);
try {
  // Imported here, not at the top, so a failure to load is reported like any other.
  const { AmgHierarchy } = await import("./amg.js");
  const { matMulVectorsJs } = await import("./blockMatVecJs.js");
  const amg = AmgHierarchy.fromShared(shared);
  const fine = shared.levels[0].A;
  const M = { d: shared.d, n: shared.n, rowPtr: fine.rowPtr, colIdx: fine.colIdx, values: fine.values };
  done();
  for (;;) {
    Atomics.wait(ctrl, CTRL.generation, generation);
    if (Atomics.load(ctrl, CTRL.generation) === generation) continue;
    generation = Atomics.load(ctrl, CTRL.generation);
    const command = Atomics.load(ctrl, CTRL.command);
    if (command === COMMAND.stop) break;
    try {
      const k = Atomics.load(ctrl, CTRL.columns);
      const T = Atomics.load(ctrl, CTRL.threads);
      const kt = Math.floor(((t + 1) * k) / T) - Math.floor((t * k) / T);
      if (kt > 0) {
        if (command === COMMAND.precondition) amg.apply(kt, input, output);
        else if (command === COMMAND.multiply) matMulVectorsJs(M, kt, input, output);
        else throw new Error(`unknown command ${command}`);
      }
    } catch (e) {
      fail(e);
    }
    done();
  }
} catch (e) {
  fail(e);
  done();
}
