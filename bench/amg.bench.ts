/**
 * The factorization-free path (issue 15; src/linalg/amg.ts, lobpcg.ts) against the Cholesky path
 * on minimized 3D PSS glasses (r_c = 1.2, ρ = 0.6; the dipoles benchmark's glass):
 *   AMG setup (levels, operator complexity, memory), dipole solves by CG+AMG and CG+SSOR
 *   (blocks of 4; iterations and CPU seconds per solve), the 20 lowest modes by LOBPCG+AMG, and,
 *   up to GLASSMECH_BENCH_AMG_CHOLESKY_MAX particles (default 30000), the Cholesky factor,
 *   one dipole solve with it and the 20 modes by shift-invert block Lanczos, with the largest
 *   relative frequency difference between the two eigensolvers.
 * Sizes: N = 10⁴ and 10⁵ (quick: 10⁴; GLASSMECH_BENCH_AMG_N="100000" to choose);
 * GLASSMECH_BENCH_GLASS_DIR caches the glasses.
 * Times are process CPU seconds (robust on the shared machine).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Configuration } from "../src/core/configuration.js";
import { readConfiguration, writeConfiguration } from "../src/io/readConfiguration.js";
import { smoothedAggregation } from "../src/linalg/amg.js";
import { sparseCholesky } from "../src/linalg/cholesky.js";
import { lowestModes } from "../src/linalg/modes.js";
import { chooseSolvePath } from "../src/linalg/solverChoice.js";
import { createModel, type Model } from "../src/models/index.js";
import { dipoleResponses, selectDipolePairs } from "../src/observables/dipoles.js";
import { prepareGlass } from "../src/observables/prepare.js";
import { quenchedBenchGlass } from "./quenchedGlass.js";
import type { BenchContext, BenchReport, BenchValue, Benchmark } from "./types.js";

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function glass(n: number, ctx: BenchContext): { config: Configuration; model: Model } {
  const dir = process.env.GLASSMECH_BENCH_GLASS_DIR;
  const file = dir !== undefined ? join(dir, `pss-rc1.2-n${n}-seed1.xyz`) : null;
  if (file !== null && existsSync(file)) {
    const config = readConfiguration(file);
    return { config, model: createModel(config.model) };
  }
  const g = quenchedBenchGlass(n, 2000000);
  ctx.log(`N = ${n}: glass minimized in ${g.iterations} FIRE steps`);
  if (file !== null) {
    mkdirSync(dir!, { recursive: true });
    writeConfiguration(file, g.config);
  }
  return { config: g.config, model: g.model };
}

function run(n: number, ctx: BenchContext): Record<string, BenchValue> {
  const { config, model } = glass(n, ctx);
  const g = prepareGlass(config, model, { forceTolerance: 1e-8 });
  const M = g.hessian;
  const k = 20;
  const row: Record<string, BenchValue> = { N: n };
  const choice = chooseSolvePath(M, { modes: k, solves: 100, positions: config.positions, box: config.box });
  row.autoPath = choice.path;
  row.estDirectS = Number.isFinite(choice.directSeconds) ? +choice.directSeconds.toFixed(1) : null;
  row.estIterS = +choice.iterativeSeconds.toFixed(1);
  let c0 = cpu();
  const amg = smoothedAggregation(M);
  row.amgSetupS = cpu() - c0;
  row.levels = amg.stats.levels;
  row.opComplexity = +amg.stats.operatorComplexity.toFixed(2);
  row.amgMB = Math.round(amg.stats.bytes / 1e6);
  ctx.log(`N = ${n}: AMG ${amg.stats.blockRows.join("/")} in ${(row.amgSetupS as number).toFixed(1)} s`);
  const sel = selectDipolePairs(g.records, { count: 8, seed: 1 });
  c0 = cpu();
  const a = dipoleResponses(M, g.records, sel.pairs, { solver: "cg", amg, blockSize: 4 });
  row.cgAmgIts = a.cgIterations / 2;
  row.cgAmgSPerSolve = (cpu() - c0) / sel.pairs.length;
  c0 = cpu();
  const s = dipoleResponses(M, g.records, sel.pairs, { solver: "cg", preconditioner: "ssor", blockSize: 4 });
  row.cgSsorIts = s.cgIterations / 2;
  row.cgSsorSPerSolve = (cpu() - c0) / sel.pairs.length;
  ctx.log(`N = ${n}: CG+AMG ${row.cgAmgIts} its, CG+SSOR ${row.cgSsorIts} its per block`);
  c0 = cpu();
  const lob = lowestModes(M, k, { solver: "lobpcg", amg });
  row.lobpcgS = cpu() - c0;
  row.lobpcgIts = lob.iterations;
  ctx.log(`N = ${n}: LOBPCG ${lob.iterations} its, ${(row.lobpcgS as number).toFixed(0)} s`);
  const cholMax = Number(process.env.GLASSMECH_BENCH_AMG_CHOLESKY_MAX ?? 30000);
  if (n <= cholMax) {
    c0 = cpu();
    const F = sparseCholesky(M, { positions: config.positions, box: config.box });
    row.factorS = cpu() - c0;
    row.factorMB = Math.round(F.stats.bytes / 1e6);
    c0 = cpu();
    dipoleResponses(M, g.records, sel.pairs, { factor: F, blockSize: 8 });
    row.cholSPerSolve = (cpu() - c0) / sel.pairs.length;
    c0 = cpu();
    const si = lowestModes(M, k, { factor: F });
    row.lanczosS = cpu() - c0;
    let worst = 0;
    for (let l = 0; l < k; l++) worst = Math.max(worst, Math.abs(Math.sqrt(lob.values[l] / si.values[l]) - 1));
    row.maxRelFreqDiff = worst;
  }
  return row;
}

export const bench: Benchmark = {
  name: "amg",
  description: "AMG setup, CG+AMG vs CG+SSOR dipole solves, 20 modes by LOBPCG+AMG vs Cholesky + shift-invert Lanczos (CPU s)",
  run(ctx: BenchContext): BenchReport {
    const env = process.env.GLASSMECH_BENCH_AMG_N;
    const sizes = env !== undefined ? env.split(",").map(Number) : ctx.quick ? [10000] : [10000, 100000];
    const rows = sizes.map((n) => run(n, ctx));
    return {
      columns: ["N", "autoPath", "estDirectS", "estIterS", "amgSetupS", "levels", "opComplexity", "amgMB", "cgAmgIts", "cgAmgSPerSolve", "cgSsorIts", "cgSsorSPerSolve", "lobpcgS", "lobpcgIts", "factorS", "factorMB", "cholSPerSolve", "lanczosS", "maxRelFreqDiff"],
      rows,
      notes: [
        "CG iterations are per block of 4 dipoles (tol 1e-10); seconds per solve = block time / 4",
        "the Cholesky columns are skipped above GLASSMECH_BENCH_AMG_CHOLESKY_MAX particles (N = 10⁵: 290 s and 5.5 GiB, README)",
      ],
    };
  },
};
