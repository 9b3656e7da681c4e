/**
 * Multi-threaded sampling with a small pool of node:worker_threads (no dependency: the work is a
 * flat list of equal chunks, so a pull queue of ~50 lines does what piscina/tinypool would).
 * Each worker holds one chunk at a time and gets the next one when it answers; chunk c always uses
 * Rng.forSample(seed, c) (chunks.ts), so the result is identical for any thread count.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { GlassmechError } from "../core/errors.js";
import { checkSampling, makeSampler, sampleKappasSync, type LatticeSampling } from "./chunks.js";

export interface PoolOptions {
  /** Worker threads; 0 runs in the calling thread. Default min(2, available cores). */
  threads?: number;
  /** Called after each finished chunk with (samples done, samples total). */
  onProgress?: (done: number, total: number) => void;
}

export function defaultThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/** κ samples of the lattice model, sample s at out[s], reproducible for any `threads`. */
export async function sampleKappas(s: LatticeSampling, options: PoolOptions = {}): Promise<Float64Array> {
  const threads = options.threads ?? defaultThreads();
  if (!(Number.isInteger(threads) && threads >= 0 && threads <= 256)) throw new GlassmechError(`lattice: threads must be an integer in [0, 256], got ${threads}`);
  const { samples, chunkSize, chunks } = checkSampling(s);
  if (threads === 0) return sampleKappasSync(s, options.onProgress);
  makeSampler(s); // validate the spec here, so bad input throws a GlassmechError in this thread
  const spec = { d: s.d, L: s.L, exact: s.exact, nearWeight: s.nearWeight, omegaStar: s.omegaStar };
  const out = new Float64Array(samples);
  const nWorkers = Math.min(threads, chunks);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let finishedChunks = 0;
      const give = (w: Worker): void => {
        if (next >= chunks) return;
        const c = next++;
        const start = c * chunkSize;
        w.postMessage({ chunk: c, start, count: Math.min(chunkSize, samples - start) });
      };
      for (let k = 0; k < nWorkers; k++) {
        const w = new Worker(new URL("./worker.js", import.meta.url), { workerData: { spec, seed: s.seed } });
        workers.push(w);
        w.on("message", (msg: { chunk: number; start: number; kappas: Float64Array }) => {
          try {
            out.set(msg.kappas, msg.start);
            done += msg.kappas.length;
            finishedChunks++;
            options.onProgress?.(done, samples);
            if (finishedChunks === chunks) resolve();
            else give(w);
          } catch (e) {
            reject(e); // e.g. a throwing progress callback: fail the run, not the process
          }
        });
        w.on("error", (e) => reject(e));
        w.on("exit", (code) => {
          if (finishedChunks < chunks) reject(new GlassmechError(`lattice: worker exited with code ${code} before the run finished`));
        });
        give(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
