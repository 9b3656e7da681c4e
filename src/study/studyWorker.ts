import { parentPort, workerData } from "node:worker_threads";
import type { LockHolder } from "./lock.js";
import { runClaimedSample, type SampleTask } from "./sample.js";
import type { StudySpec } from "./spec.js";

/** Worker thread of the study pool: runs one claimed sample per message (see pool.ts, sample.ts). */
const { spec, dir, holder } = workerData as { spec: StudySpec; dir: string; holder: LockHolder };
parentPort!.on("message", (msg: { k: number; task: SampleTask }) => {
  try {
    parentPort!.postMessage({ k: msg.k, result: runClaimedSample(spec, dir, msg.task, holder) });
  } catch (e) {
    parentPort!.postMessage({ k: msg.k, error: { message: (e as Error).message, glassmech: false } });
  }
});
