import { workerData } from "node:worker_threads";
import { serveTasks } from "../core/pool.js";
import type { LockHolder } from "./lock.js";
import { runClaimedSample, type SampleTask } from "./sample.js";
import type { StudySpec } from "./spec.js";

/** Worker thread of the study pool: runs one claimed sample per task (see core/pool.ts, sample.ts). */
const { spec, dir, holder } = workerData as { spec: StudySpec; dir: string; holder: LockHolder };
serveTasks((task: SampleTask) => runClaimedSample(spec, dir, task, holder));
