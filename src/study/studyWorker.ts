import { parentPort, workerData } from "node:worker_threads";
import { GlassmechError } from "../core/errors.js";
import { runSample, type SampleTask } from "./sample.js";
import type { StudySpec } from "./spec.js";

/** Worker thread of the study pool: runs one sample per message (see pool.ts). */
const { spec, dir } = workerData as { spec: StudySpec; dir: string };
parentPort!.on("message", (msg: { k: number; task: SampleTask }) => {
  try {
    parentPort!.postMessage({ k: msg.k, result: runSample(spec, dir, msg.task) });
  } catch (e) {
    parentPort!.postMessage({ k: msg.k, error: { message: (e as Error).message, glassmech: e instanceof GlassmechError } });
  }
});
