/**
 * Lattice model of dipole stiffnesses (SPEC §8, src/lattice): cost per κ sample at the paper's
 * sizes (2D L = 101, 3D L = 21, 4D L = 11).
 *
 * Rows per d:
 * - fastUsPerSample / exactUsPerSample: CPU µs per sample of the fast and brute-force samplers in
 *   one thread (median of 3 runs; CPU time, so a shared machine inflates it less than wall time);
 * - pooledSeconds: wall time of a 10⁶-sample run (10⁵ with --quick) on 2 worker threads, with the
 *   analysis excluded, and est10MSeconds its linear extrapolation to the paper's 10⁷ samples.
 */
import { ExactLatticeSampler } from "../src/lattice/exact.js";
import { FastLatticeSampler } from "../src/lattice/fast.js";
import { defaultLatticeSide } from "../src/lattice/geometry.js";
import { sampleKappas } from "../src/lattice/pool.js";
import { Rng } from "../src/core/rng.js";
import { streamFromRng } from "../src/lattice/stream.js";
import type { KappaSampler } from "../src/lattice/sampler.js";
import { median, type BenchContext, type BenchReport, type BenchValue, type Benchmark } from "./types.js";

function cpuUsPerSample(s: KappaSampler, n: number): number {
  const out = new Float64Array(n);
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const st = streamFromRng(Rng.forSample(1, r));
    const c0 = process.cpuUsage();
    s.sample(st, out, 0, n);
    const c = process.cpuUsage(c0);
    times.push((c.user + c.system) / n);
  }
  return median(times);
}

export const bench: Benchmark = {
  name: "lattice",
  description: "κ samples of the lattice model (fast vs brute force, 1 thread; pooled run on 2 threads)",
  async run(ctx: BenchContext): Promise<BenchReport> {
    const rows: Record<string, BenchValue>[] = [];
    const pooledN = ctx.quick ? 1e5 : 1e6;
    for (const d of [2, 3, 4]) {
      const L = defaultLatticeSide(d);
      const fast = new FastLatticeSampler(d, L);
      const fastUs = cpuUsPerSample(fast, ctx.quick ? 10000 : 50000);
      const exactUs = cpuUsPerSample(new ExactLatticeSampler(d, L), ctx.quick ? 50 : 200);
      ctx.log(`d = ${d}: fast ${fastUs.toFixed(2)} µs, exact ${exactUs.toFixed(0)} µs per sample; pooled ${pooledN} samples…`);
      const t0 = performance.now();
      await sampleKappas({ d, L, samples: pooledN, seed: 1 }, { threads: 2 });
      const pooled = (performance.now() - t0) / 1000;
      rows.push({ d, L, nearSites: fast.nearSites, farSites: fast.farSites, fastUsPerSample: fastUs, exactUsPerSample: exactUs, speedup: exactUs / fastUs, pooledSamples: pooledN, pooledSeconds: pooled, est10MSeconds: (pooled * 1e7) / pooledN });
    }
    return {
      columns: ["d", "L", "nearSites", "farSites", "fastUsPerSample", "exactUsPerSample", "speedup", "pooledSamples", "pooledSeconds", "est10MSeconds"],
      rows,
      notes: ["fast sampler defaults: nearWeight 8e-4, ω* = 0.3 (src/lattice/fast.ts); 2 worker threads, chunks of 10⁴ samples"],
    };
  },
};
