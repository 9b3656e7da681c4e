/**
 * Multi-threaded sampling over the shared worker pool (core/pool.ts): the work is a flat list of
 * equal chunks; chunk c always uses Rng.forSample(seed, c) (chunks.ts), so the result is identical
 * for any thread count.
 */
import { defaultThreads, runPool } from "../core/pool.js";
import { GlassmechError } from "../core/errors.js";
import { checkSampling, chunkKappas, makeSampler, type ChunkTask, type LatticeSampling } from "./chunks.js";

export interface PoolOptions {
  /** Worker threads; 0 runs in the calling thread. Default min(2, available cores). */
  threads?: number;
  /** Called after each finished chunk with (samples done, samples total). */
  onProgress?: (done: number, total: number) => void;
}

/** κ samples of the lattice model, sample s at out[s], reproducible for any `threads`. */
export async function sampleKappas(s: LatticeSampling, options: PoolOptions = {}): Promise<Float64Array> {
  const threads = options.threads ?? defaultThreads();
  if (!(Number.isInteger(threads) && threads >= 0 && threads <= 256)) throw new GlassmechError(`lattice: threads must be an integer in [0, 256], got ${threads}`);
  const { samples, chunkSize, chunks } = checkSampling(s);
  // Built here also to validate the spec, so bad input throws a GlassmechError in this thread.
  const sampler = makeSampler(s);
  const spec = { d: s.d, L: s.L, exact: s.exact, nearWeight: s.nearWeight, omegaStar: s.omegaStar };
  const tasks: ChunkTask[] = [];
  for (let c = 0; c < chunks; c++) tasks.push({ chunk: c, count: Math.min(chunkSize, samples - c * chunkSize) });
  const out = new Float64Array(samples);
  let done = 0;
  await runPool<ChunkTask, Float64Array>(tasks, {
    threads,
    workerUrl: new URL("./worker.js", import.meta.url),
    workerData: { spec, seed: s.seed },
    runInline: (t) => chunkKappas(sampler, s.seed, t),
    onResult: (task, kappas) => {
      out.set(kappas, task.chunk * chunkSize);
      done += kappas.length;
      options.onProgress?.(done, samples);
    },
  });
  return out;
}
