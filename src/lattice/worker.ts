/**
 * Worker thread of the lattice pool (pool.ts): builds one sampler from the posted spec, then
 * answers each chunk task with the chunk's κ values (buffer transferred, not copied).
 */
import { workerData } from "node:worker_threads";
import { serveTasks } from "../core/pool.js";
import { chunkKappas, makeSampler, type ChunkTask, type LatticeSamplerSpec } from "./chunks.js";

const { spec, seed } = workerData as { spec: LatticeSamplerSpec; seed: number };
const sampler = makeSampler(spec);
serveTasks(
  (t: ChunkTask) => chunkKappas(sampler, seed, t),
  (kappas) => [kappas.buffer as ArrayBuffer],
);
