import { workerData } from "node:worker_threads";
import type { ShardInit, ShardMemory } from "./pairShard.js";
import { COMMAND, CTRL, waitWhileEqual } from "./pairShardProtocol.js";

/**
 * A worker thread of the threaded pair loop (pairShards.ts): waits for a command on the shared
 * control array, runs it on its range (pairShard.ts) and counts itself done. A failure is written
 * to the shared message buffer, so the calling thread reports it as an error, never a hang.
 */
const { init, mem, t } = workerData as { init: ShardInit; mem: ShardMemory; t: number };
const ctrl = mem.ctrl;

function done(): void {
  Atomics.add(ctrl, CTRL.done, 1);
  Atomics.notify(ctrl, CTRL.done);
}

function fail(e: unknown): void {
  const text = e instanceof Error ? e.message : String(e);
  if (Atomics.compareExchange(ctrl, CTRL.error, 0, t + 1) === 0) {
    mem.message.fill(0);
    new TextEncoder().encodeInto(text.slice(0, 1000), mem.message);
  }
}

let generation = Atomics.load(ctrl, CTRL.generation);
try {
  // Imported here, not at the top, so a failure to load is reported like any other.
  const { PairShard } = await import("./pairShard.js");
  const shard = new PairShard(init, mem, t);
  done();
  for (;;) {
    waitWhileEqual(ctrl, CTRL.generation, generation, Infinity);
    if (Atomics.load(ctrl, CTRL.generation) === generation) continue;
    generation = Atomics.load(ctrl, CTRL.generation);
    const command = Atomics.load(ctrl, CTRL.command);
    if (command === COMMAND.stop) break;
    try {
      shard.run(command);
    } catch (e) {
      fail(e);
    }
    done();
  }
} catch (e) {
  fail(e);
  done();
}
