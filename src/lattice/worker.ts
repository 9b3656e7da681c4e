/**
 * Worker thread of the lattice pool (pool.ts): builds one sampler from the posted spec, then
 * answers each { chunk, start, count } with the chunk's κ values (buffer transferred, not copied).
 */
import { parentPort, workerData } from "node:worker_threads";
import { makeSampler, sampleChunk, type LatticeSamplerSpec } from "./chunks.js";

interface ChunkRequest {
  chunk: number;
  start: number;
  count: number;
}

const { spec, seed } = workerData as { spec: LatticeSamplerSpec; seed: number };
const sampler = makeSampler(spec);
const port = parentPort;
if (port === null) throw new Error("lattice worker started outside a worker thread");
port.on("message", (req: ChunkRequest) => {
  const out = new Float64Array(req.count);
  sampleChunk(sampler, seed, req.chunk, out, 0, req.count);
  port.postMessage({ chunk: req.chunk, start: req.start, kappas: out }, [out.buffer]);
});
