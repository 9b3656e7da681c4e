import { availableParallelism } from "node:os";
import { parentPort, Worker } from "node:worker_threads";
import { GlassmechError } from "./errors.js";

/**
 * A pull queue over node:worker_threads, shared by the study runner and the lattice sampler: each
 * worker gets one task at a time and the next one when it answers, so uneven task costs balance
 * themselves. Tasks and results are structured-cloneable plain data. With `threads` = 0 the tasks
 * run in the calling thread through `runInline` (same code path, easier to debug and profile).
 *
 * A task's result never depends on which worker ran it (each task carries its own seed), so the
 * callers give the same numbers for any thread count. Results are handed to `onResult` and not
 * kept here, so a caller that copies them away (the lattice's 10⁷ κ) holds them only once.
 */
export interface PoolOptions<T, R> {
  threads: number;
  /** Module that answers tasks through `serveTasks` (see studyWorker.ts, lattice/worker.ts). */
  workerUrl: URL;
  /** Data every worker receives once. */
  workerData?: unknown;
  /** The same handler, for threads = 0. */
  runInline: (task: T) => Promise<R> | R;
  onResult: (task: T, result: R) => void;
}

/** Worker threads by default: min(2, available cores) (the machines we run on share 2 cores). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

export async function runPool<T, R>(tasks: readonly T[], o: PoolOptions<T, R>): Promise<void> {
  if (o.threads === 0) {
    for (const task of tasks) o.onResult(task, await o.runInline(task));
    return;
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
        worker.on("message", (msg: TaskReply<R>) => {
          if (msg.error !== undefined) {
            reject(msg.error.glassmech ? new GlassmechError(msg.error.message) : new Error(msg.error.message));
            return;
          }
          try {
            o.onResult(tasks[msg.k], msg.result as R);
          } catch (e) {
            reject(e); // e.g. a throwing progress callback: fail the run, not the process
            return;
          }
          if (++finished === tasks.length) resolve();
          else give(worker);
        });
        worker.on("error", reject);
        // Any exit before the last answer (even code 0) would leave its task unanswered forever.
        worker.on("exit", (code) => {
          if (finished < tasks.length) reject(new Error(`worker thread exited with code ${code} before the run finished`));
        });
        give(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

interface TaskReply<R> {
  k: number;
  result?: R;
  error?: { message: string; glassmech: boolean };
}

/**
 * The worker side of runPool: answers every posted task with `handle(task)`, or with its error
 * (a GlassmechError stays one in the calling thread). `transfer` lists buffers of the result to
 * move instead of copy (the lattice's κ chunks).
 */
export function serveTasks<T, R>(handle: (task: T) => R, transfer?: (result: R) => ArrayBuffer[]): void {
  const port = parentPort;
  if (port === null) throw new Error("serveTasks called outside a worker thread");
  port.on("message", (msg: { k: number; task: T }) => {
    let reply: TaskReply<R>;
    let moved: ArrayBuffer[] = [];
    try {
      const result = handle(msg.task);
      reply = { k: msg.k, result };
      if (transfer !== undefined) moved = transfer(result);
    } catch (e) {
      reply = { k: msg.k, error: { message: (e as Error).message, glassmech: e instanceof GlassmechError } };
    }
    port.postMessage(reply, moved);
  });
}
