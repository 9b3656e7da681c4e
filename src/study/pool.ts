import { Worker } from "node:worker_threads";
import { GlassmechError } from "../core/errors.js";

/**
 * A pull queue over node:worker_threads: each worker gets one task at a time and the next one
 * when it answers, so uneven task costs balance themselves. Tasks and results are structured-
 * cloneable plain data. With `threads` = 0 the tasks run in the calling thread through
 * `runInline` (same code path, easier to debug and profile).
 *
 * A task's result never depends on which worker ran it (each task carries its own seed), so a
 * study gives the same numbers for any thread count.
 */
export interface PoolOptions<T, R> {
  threads: number;
  /** Module whose default export handles a task (see studyWorker.ts). */
  workerUrl: URL;
  /** Data every worker receives once. */
  workerData?: unknown;
  /** The same handler, for threads = 0. */
  runInline: (task: T) => Promise<R> | R;
  onResult?: (task: T, result: R) => void;
}

export async function runPool<T, R>(tasks: readonly T[], o: PoolOptions<T, R>): Promise<R[]> {
  const results: R[] = new Array(tasks.length);
  if (o.threads === 0) {
    for (let k = 0; k < tasks.length; k++) {
      results[k] = await o.runInline(tasks[k]);
      o.onResult?.(tasks[k], results[k]);
    }
    return results;
  }
  const workers: Worker[] = [];
  let next = 0, finished = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      if (tasks.length === 0) return resolve();
      const give = (w: Worker): void => {
        if (next < tasks.length) {
          const k = next++;
          w.postMessage({ k, task: tasks[k] });
        }
      };
      const n = Math.min(o.threads, tasks.length);
      for (let w = 0; w < n; w++) {
        const worker = new Worker(o.workerUrl, { workerData: o.workerData });
        workers.push(worker);
        worker.on("message", (msg: { k: number; result?: R; error?: { message: string; glassmech: boolean } }) => {
          if (msg.error !== undefined) {
            reject(msg.error.glassmech ? new GlassmechError(msg.error.message) : new Error(msg.error.message));
            return;
          }
          try {
            results[msg.k] = msg.result as R;
            o.onResult?.(tasks[msg.k], msg.result as R);
          } catch (e) {
            reject(e);
            return;
          }
          if (++finished === tasks.length) resolve();
          else give(worker);
        });
        worker.on("error", reject);
        worker.on("exit", (code) => {
          if (code !== 0 && finished < tasks.length) reject(new Error(`worker thread exited with code ${code}`));
        });
        give(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
