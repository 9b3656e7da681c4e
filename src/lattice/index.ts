/**
 * Lattice model of dipole stiffnesses (SPEC §8, seed 004 §III C): samplers, reproducible chunked
 * and multi-threaded runs, and the analysis of p(κ) (quantiles, log bins, low-κ exponent η).
 */
export { defaultLatticeSide, latticeShells, PAPER_LATTICE_SIDE, type LatticeShells } from "./geometry.js";
export type { KappaSampler } from "./sampler.js";
export { ExactLatticeSampler, latticeKappa, siteWeights } from "./exact.js";
export { FastLatticeSampler, boundedMoments, DEFAULT_NEAR_WEIGHT, DEFAULT_OMEGA_STAR, type FastSamplerOptions } from "./fast.js";
export { streamFromRng, streamUniform } from "./stream.js";
export { DEFAULT_CHUNK_SIZE, chunkKappas, makeSampler, sampleChunk, sampleKappasSync, type ChunkTask, type LatticeSamplerSpec, type LatticeSampling } from "./chunks.js";
export { sampleKappas, type PoolOptions } from "./pool.js";
export { analyzeKappas, fitEta, KAPPA_QUANTILE_LEVELS, type EtaFit, type EtaFitOptions, type KappaAnalysis } from "./analysis.js";
export { countAtMost, ksTwoSample, kolmogorovQ, quantileSorted } from "./quantiles.js";
