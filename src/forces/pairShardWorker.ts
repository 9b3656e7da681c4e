import { workerData } from "node:worker_threads";
import { serveCommands } from "../core/workerSignals.js";
import type { ShardInit, ShardMemory } from "./pairShard.js";
import { COMMAND, waitWhileEqual } from "./pairShardProtocol.js";

/**
 * A worker thread of the threaded pair loop (pairShards.ts): runs each command on its range
 * (pairShard.ts); the hand-over and failure reports are core/workerSignals.ts's.
 */
const { init, mem, t } = workerData as { init: ShardInit; mem: ShardMemory; t: number };

await serveCommands(mem.ctrl, mem.message, t, COMMAND.stop, waitWhileEqual, async () => {
  // Imported here, not at the top, so a failure to load is reported like any other.
  const { PairShard } = await import("./pairShard.js");
  const shard = new PairShard(init, mem, t);
  return (command) => shard.run(command);
});
