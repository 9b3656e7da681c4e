/**
 * Chunked, reproducible sampling (SPEC §3: one seeded generator per unit of work).
 *
 * Samples are cut into fixed chunks of `chunkSize` (default 10⁴); chunk c covers samples
 * [c·chunkSize, min((c+1)·chunkSize, n)) and draws only from `Rng.forSample(seed, c)` (its BigInt
 * seeding is paid once per chunk, never per sample). The κ of sample s therefore depends only on
 * (seed, chunkSize, s, sampler), not on n, the thread count or the order chunks run in.
 */
import { GlassmechError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { defaultLatticeSide } from "./geometry.js";
import { ExactLatticeSampler } from "./exact.js";
import { FastLatticeSampler } from "./fast.js";
import type { KappaSampler } from "./sampler.js";
import { streamFromRng } from "./stream.js";

export const DEFAULT_CHUNK_SIZE = 10000;

/** What to sample; plain data so it can be posted to a worker. */
export interface LatticeSamplerSpec {
  d: number;
  /** Odd side; default the paper's (2D 101, 3D 21, 4D 11). */
  L?: number;
  /** Brute force over all sites (default false: the fast sampler). */
  exact?: boolean;
  nearWeight?: number;
  omegaStar?: number;
}

export interface LatticeSampling extends LatticeSamplerSpec {
  samples: number;
  seed: number;
  chunkSize?: number;
}

export function makeSampler(spec: LatticeSamplerSpec): KappaSampler {
  const L = spec.L ?? defaultLatticeSide(spec.d);
  if (spec.exact) return new ExactLatticeSampler(spec.d, L);
  const o: { nearWeight?: number; omegaStar?: number } = {};
  if (spec.nearWeight !== undefined) o.nearWeight = spec.nearWeight;
  if (spec.omegaStar !== undefined) o.omegaStar = spec.omegaStar;
  return new FastLatticeSampler(spec.d, L, o);
}

export function checkSampling(s: LatticeSampling): { samples: number; chunkSize: number; chunks: number } {
  const { samples, seed } = s;
  const chunkSize = s.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!(Number.isInteger(samples) && samples >= 1 && samples <= 2e9)) throw new GlassmechError(`lattice: samples must be an integer in [1, 2e9], got ${samples}`);
  if (!(Number.isSafeInteger(seed) && seed >= 0)) throw new GlassmechError(`lattice: seed must be a non-negative integer, got ${seed}`);
  if (!(Number.isInteger(chunkSize) && chunkSize >= 1)) throw new GlassmechError(`lattice: chunkSize must be a positive integer, got ${chunkSize}`);
  return { samples, chunkSize, chunks: Math.ceil(samples / chunkSize) };
}

/** Fills out[start … start+count) with chunk `chunk` (start = chunk·chunkSize). */
export function sampleChunk(sampler: KappaSampler, seed: number, chunk: number, out: Float64Array, start: number, count: number): void {
  const st = streamFromRng(Rng.forSample(seed, chunk));
  sampler.sample(st, out, start, count);
}

/** One unit of work of the pool (pool.ts): chunk `chunk`, which holds `count` samples. */
export interface ChunkTask {
  chunk: number;
  count: number;
}

/** The κ of one chunk as a new array (what a pool worker answers, worker.ts). */
export function chunkKappas(sampler: KappaSampler, seed: number, t: ChunkTask): Float64Array {
  const out = new Float64Array(t.count);
  sampleChunk(sampler, seed, t.chunk, out, 0, t.count);
  return out;
}

/** All samples in the calling thread, chunk by chunk (tests, small runs). */
export function sampleKappasSync(s: LatticeSampling, onChunk?: (done: number, total: number) => void): Float64Array {
  const { samples, chunkSize, chunks } = checkSampling(s);
  const sampler = makeSampler(s);
  const out = new Float64Array(samples);
  for (let c = 0; c < chunks; c++) {
    const start = c * chunkSize;
    const count = Math.min(chunkSize, samples - start);
    sampleChunk(sampler, s.seed, c, out, start, count);
    onChunk?.(start + count, samples);
  }
  return out;
}
