/**
 * Dipole responses and c(r) (SPEC §6.2–6.3; src/observables/dipoles.ts, decay.ts) on minimized
 * PSS glasses (r_c = 1.2, density 0.6, 1000 MD steps at T = 2, FIRE to max force 1e-8), the
 * per-glass microscopic workload:
 *   cholesky  factor the pinned Hessian once, then M dipoles in blocks of 32 right-hand sides,
 *             each checked by its true residual ‖Mz − d‖/‖d‖ and κ = z·Mz/(z·z)
 *   cg        the same dipoles by block CG (4 per block, tol 1e-10): no factor in memory
 *   c(r)      100 dipoles binned into c(r) (the binning alone, and with the solves)
 * Per-dipole cost = (factor + solves)/M against SciPy's (SuperLU factor + one LU solve per
 * dipole) and SciPy's CG solve, /work/shared/bench/README.md (1 core, unloaded).
 * Times are process CPU seconds (robust on the shared machine).
 *
 * Env: GLASSMECH_BENCH_DIPOLES_N="3000,10000" sizes (quick: 3000); GLASSMECH_BENCH_DIPOLES_M
 * dipoles per glass (default 1000); GLASSMECH_BENCH_DIPOLES_CHOLESKY_MAX (default 30000): larger
 * N skip the factorization; GLASSMECH_BENCH_GLASS_DIR caches the minimized glasses as .xyz
 * (a 10⁵ glass takes minutes to make).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Configuration } from "../src/core/configuration.js";
import { readConfiguration, writeConfiguration } from "../src/io/readConfiguration.js";
import { sparseCholesky } from "../src/linalg/cholesky.js";
import { createModel, type Model } from "../src/models/index.js";
import { DecayAccumulator, decayReport } from "../src/observables/decay.js";
import { dipoleResponses, selectDipolePairs } from "../src/observables/dipoles.js";
import { prepareGlass, type PreparedGlass } from "../src/observables/prepare.js";
import { measurePrepared } from "../src/registry/measure.js";
import { quenchedBenchGlass } from "./quenchedGlass.js";
import type { BenchContext, BenchReport, BenchValue, Benchmark } from "./types.js";

/** SciPy reference (README, seconds): SuperLU factorization, one LU solve, one CG solve. */
const SCIPY: Record<number, { factor: number; solve: number; cg: number }> = {
  3000: { factor: 1.34, solve: 0.0099, cg: 0.03 },
  10000: { factor: 22.6, solve: 0.065, cg: 0.135 },
};

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function glass(n: number, ctx: BenchContext): { config: Configuration; model: Model; setupS: number } {
  const c0 = cpuSeconds();
  const dir = process.env.GLASSMECH_BENCH_GLASS_DIR;
  const file = dir !== undefined ? join(dir, `pss-rc1.2-n${n}-seed1.xyz`) : null;
  if (file !== null && existsSync(file)) {
    const config = readConfiguration(file);
    return { config, model: createModel(config.model), setupS: cpuSeconds() - c0 };
  }
  const g = quenchedBenchGlass(n, 2000000);
  const config = g.config;
  const setupS = cpuSeconds() - c0;
  ctx.log(`N = ${n}: glass minimized in ${g.iterations} FIRE steps, ${setupS.toFixed(0)} s (max force ${g.maxForce.toExponential(1)})`);
  if (file !== null) {
    mkdirSync(dir!, { recursive: true });
    writeConfiguration(file, config);
  }
  return { config, model: g.model, setupS };
}

function run(n: number, ctx: BenchContext): Record<string, BenchValue> {
  const { config, model, setupS } = glass(n, ctx);
  const c0 = cpuSeconds();
  const g: PreparedGlass = prepareGlass(config, model, { forceTolerance: 1e-8 });
  const meas = measurePrepared(g).result as { cs: number };
  const prepareS = cpuSeconds() - c0;
  const M = Number(process.env.GLASSMECH_BENCH_DIPOLES_M ?? 1000);
  const sel = selectDipolePairs(g.records, { count: M, seed: 1 });
  const choleskyMax = Number(process.env.GLASSMECH_BENCH_DIPOLES_CHOLESKY_MAX ?? 30000);
  const row: Record<string, BenchValue> = { N: n, dipoles: sel.pairs.length, prepareS, setupS };

  // Cholesky: factor once, then all dipoles in blocks of 32.
  let kappaRef: Float64Array | null = null;
  if (n <= choleskyMax) {
    const c1 = cpuSeconds();
    const F = sparseCholesky(g.hessian, { positions: config.positions, box: config.box });
    const factorS = cpuSeconds() - c1;
    const c2 = cpuSeconds();
    const res = dipoleResponses(g.hessian, g.records, sel.pairs, { factor: F, blockSize: 32 });
    const solvesS = cpuSeconds() - c2;
    kappaRef = res.kappa;
    const perDipole = (factorS + solvesS) / sel.pairs.length;
    row.factorS = factorS;
    row.factorMB = F.stats.bytes / 2 ** 20;
    row.cholMsPerDipole = (solvesS / sel.pairs.length) * 1e3;
    row.cholMsAllIn = perDipole * 1e3;
    row.maxResidual = res.maxResidual;
    const ref = SCIPY[n];
    if (ref) {
      row.vsScipySolve = ref.solve / (solvesS / sel.pairs.length);
      row.vsScipyAllIn = (ref.factor + sel.pairs.length * ref.solve) / (factorS + solvesS);
    }
    ctx.log(`N = ${n}: factor ${factorS.toFixed(2)} s, ${sel.pairs.length} dipoles ${solvesS.toFixed(2)} s (${row.cholMsPerDipole.toFixed(2)} ms each)`);
  }

  // Block CG on a subset (CG cost per dipole does not depend on M).
  const mCg = Math.min(sel.pairs.length, 64);
  const c3 = cpuSeconds();
  const cg = dipoleResponses(g.hessian, g.records, sel.pairs.subarray(0, mCg), { solver: "cg", cgTol: 1e-10 });
  const cgS = cpuSeconds() - c3;
  row.cgMsPerDipole = (cgS / mCg) * 1e3;
  row.cgIterations = cg.cgIterations / Math.ceil(mCg / cg.blockSize);
  if (SCIPY[n]) row.vsScipyCg = SCIPY[n].cg / (cgS / mCg);
  if (kappaRef !== null) {
    let worst = 0;
    for (let t = 0; t < mCg; t++) worst = Math.max(worst, Math.abs(cg.kappa[t] - kappaRef[t]) / kappaRef[t]);
    row.cgKappaRelDiff = worst;
  }
  ctx.log(`N = ${n}: CG ${mCg} dipoles ${cgS.toFixed(2)} s (${row.cgMsPerDipole.toFixed(1)} ms each, ${row.cgIterations} iterations per block)`);

  // c(r) from 100 dipoles with the solver "auto" picks, binning timed separately.
  const sel100 = selectDipolePairs(g.records, { count: 100, seed: 2 });
  const c4 = cpuSeconds();
  const acc = new DecayAccumulator(g.records, config.positions, config.box);
  let binS = 0;
  const res100 = dipoleResponses(g.hessian, g.records, sel100.pairs, {
    positions: config.positions,
    box: config.box,
    onResponse: (z, idx) => {
      const b0 = cpuSeconds();
      acc.add(z, sel100.pairs[idx]);
      binS += cpuSeconds() - b0;
    },
  });
  const rep = decayReport(acc.result(), meas.cs);
  const decayS = cpuSeconds() - c4;
  row.decaySolver = res100.solver;
  row.decay100S = decayS;
  row.binning100S = binS;
  row.xiG = rep.xi;
  ctx.log(`N = ${n}: c(r) from 100 dipoles ${decayS.toFixed(1)} s (${res100.solver}; binning ${binS.toFixed(2)} s), ξ_g = ${rep.xi ?? rep.xiError}`);
  return row;
}

export const bench: Benchmark = {
  name: "dipoles",
  description: "dipole responses (Cholesky and block CG) and c(r) of PSS glasses (CPU seconds)",
  run(ctx: BenchContext): BenchReport {
    const sizes = (process.env.GLASSMECH_BENCH_DIPOLES_N ?? (ctx.quick ? "3000" : "3000,10000")).split(",").map(Number);
    const rows = sizes.map((n) => run(n, ctx));
    return {
      columns: [
        "N", "dipoles", "factorS", "factorMB", "cholMsPerDipole", "cholMsAllIn", "vsScipySolve", "vsScipyAllIn", "maxResidual",
        "cgMsPerDipole", "cgIterations", "vsScipyCg", "cgKappaRelDiff", "decaySolver", "decay100S", "binning100S", "xiG", "prepareS", "setupS",
      ],
      rows,
      notes: [
        "cholMsPerDipole: block solves (32 right-hand sides) + residual check + κ, per dipole; cholMsAllIn adds the factorization spread over the dipoles",
        "vsScipySolve = SciPy LU solve per dipole / ours; vsScipyAllIn = (SciPy factor + M LU solves) / (our factor + M solves); >1 means faster",
        "cg: block CG (4 per block, SSOR preconditioner, tol 1e-10), per dipole; vsScipyCg = SciPy single CG solve / ours",
        "decay100S: 100 dipoles solved (solver 'auto') and binned into c(r); binning100S: the binning alone",
      ],
    };
  },
};
