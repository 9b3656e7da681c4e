/**
 * Hessian linear algebra (SPEC §4.2, §6.1; src/linalg/cholesky.ts, modes.ts) on minimized PSS
 * glasses (r_c = 1.2, density 0.6, quenched from T = 2), the workloads of
 * /work/shared/bench/scipy_hessian.py:
 *   factor      sparse Cholesky of the pinned Hessian (ordering + symbolic + numeric)
 *   solve       one dipole-like solve z = M⁺ d (+n on j, −n on i for a bonded pair)
 *   factor+1000 factorization plus 1000 dipole solves, batched 32 right-hand sides per pass
 *   modes50     the 50 lowest nonzero eigenpairs (shift-invert block Lanczos, own factorization)
 *   modesShared the same with the pinned factor of the dipole solves (no second factorization)
 * All times are process CPU seconds (medians of 3 where repeated), robust on a shared machine;
 * SciPy's figures are those of /work/shared/bench/README.md (1 core, unloaded), so ratios are
 * indicative: rerun scipy_hessian.py on the exported Hessian for a same-load comparison.
 *
 * Env: GLASSMECH_BENCH_HESSIAN_N="3000,10000" sizes; GLASSMECH_BENCH_HESSIAN_SPRINGS=1 uses
 * random spring networks of glass-like coordination instead of glasses (fast set-up, e.g. for
 * N = 10⁵ scaling runs).
 */
import { Rng } from "../src/core/rng.js";
import type { Box } from "../src/core/box.js";
import { assembleHessian } from "../src/hessian/assemble.js";
import type { BlockMatrix } from "../src/linalg/blockMatrix.js";
import { sparseCholesky } from "../src/linalg/cholesky.js";
import { lowestModes } from "../src/linalg/modes.js";
import { springNetwork } from "../test/linalg/springNetwork.js";
import { dipoleRhs } from "./makeBenchGlass.js";
import { quenchedBenchGlass } from "./quenchedGlass.js";
import { median, type BenchContext, type BenchReport, type BenchValue, type Benchmark } from "./types.js";

/** SciPy reference (README, seconds): SuperLU factor, one LU solve, 50 modes by eigsh. */
const SCIPY: Record<number, { factor: number; solve: number; modes: number }> = {
  3000: { factor: 1.34, solve: 0.0099, modes: 3.5 },
  10000: { factor: 22.6, solve: 0.065, modes: 34.6 },
};

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

interface Problem {
  readonly M: BlockMatrix;
  readonly positions: Float64Array;
  readonly box: Box;
  readonly setupSeconds: number;
  readonly kind: string;
}

function glass(n: number, ctx: BenchContext): Problem {
  const c0 = cpuSeconds();
  const g = quenchedBenchGlass(n, 500000);
  const M = assembleHessian(g.system.records(g.config.positions), n);
  ctx.log(`N = ${n}: glass minimized in ${g.iterations} FIRE steps (max force ${g.maxForce.toExponential(1)})`);
  return { M, positions: g.config.positions, box: g.config.box, setupSeconds: cpuSeconds() - c0, kind: "PSS glass" };
}

function springs(n: number): Problem {
  const c0 = cpuSeconds();
  // Cutoff 1.67 at density 0.6: ≈ 11.7 neighbours, the coordination of the PSS glasses.
  const net = springNetwork(3, n, 1, { cutoff: 1.67 });
  return { M: net.matrix, positions: net.positions, box: net.box, setupSeconds: cpuSeconds() - c0, kind: "spring network" };
}


function run(p: Problem, n: number, ctx: BenchContext): Record<string, BenchValue> {
  const { M, positions, box } = p;
  const nd = n * M.d;
  const rng = Rng.fromSeed(7);
  // Factorization (median of 3).
  const factorTimes: number[] = [];
  let F = sparseCholesky(M, { positions, box });
  for (let rep = 0; rep < 3; rep++) {
    const c0 = cpuSeconds();
    F = sparseCholesky(M, { positions, box });
    factorTimes.push(cpuSeconds() - c0);
  }
  const factor = median(factorTimes);
  ctx.log(`N = ${n}: factor ${factor.toFixed(3)} s (${(F.stats.flops / 1e9).toFixed(1)} GFlop, nnz(L) ${(F.stats.nnzL / 1e6).toFixed(1)}M)`);
  // One dipole solve at a time (median over 20).
  const single: number[] = [];
  const B1 = dipoleRhs(M, 20, rng);
  const b = new Float64Array(nd);
  for (let r = 0; r < 20; r++) {
    for (let t = 0; t < nd; t++) b[t] = B1[t * 20 + r];
    const c0 = cpuSeconds();
    F.pseudoSolve(b);
    single.push(cpuSeconds() - c0);
  }
  const solve = median(single);
  // Factorization + 1000 dipole solves, 32 per pass.
  const c1 = cpuSeconds();
  const G = sparseCholesky(M, { positions, box });
  const batch = 32;
  const B = dipoleRhs(M, batch, rng);
  for (let done = 0; done < 1000; done += batch) G.pseudoSolveMany(B, batch);
  const factor1000 = cpuSeconds() - c1;
  ctx.log(`N = ${n}: solve ${(solve * 1e3).toFixed(2)} ms, factor + 1000 solves ${factor1000.toFixed(2)} s`);
  // The same pinned factor is shift-invert with σ = 0: 50 modes without a new factorization.
  const c3 = cpuSeconds();
  lowestModes(M, 50, { factor: G });
  const modesShared = cpuSeconds() - c3;
  // 50 lowest modes.
  const c2 = cpuSeconds();
  const modes = lowestModes(M, 50, { positions, box });
  const modes50 = cpuSeconds() - c2;
  ctx.log(`N = ${n}: 50 modes ${modes50.toFixed(2)} s (${modes.iterations} block solves, ${modes.restarts} restarts)`);
  const ref = SCIPY[n];
  const scipy1000 = ref ? ref.factor + 1000 * ref.solve : null;
  let maxRes = 0;
  for (const r of modes.residuals) maxRes = Math.max(maxRes, r);
  return {
    N: n,
    kind: p.kind,
    factorS: factor,
    gflops: F.stats.flops / 1e9 / factor,
    nnzL: F.stats.nnzL,
    factorMB: F.stats.bytes / 2 ** 20,
    solveMs: solve * 1e3,
    factor1000S: factor1000,
    modes50S: modes50,
    modesSharedS: modesShared,
    blockSolves: modes.iterations,
    maxResidual: maxRes,
    lowestOmega: Math.sqrt(modes.values[0]),
    vsScipyFactor: ref ? ref.factor / factor : null,
    vsScipySolve: ref ? ref.solve / solve : null,
    vsScipy1000: scipy1000 ? scipy1000 / factor1000 : null,
    vsScipyModes: ref ? ref.modes / modes50 : null,
    setupS: p.setupSeconds,
  };
}

export const bench: Benchmark = {
  name: "hessian",
  description: "sparse Cholesky, dipole solves and 50 lowest modes of PSS glass Hessians (CPU seconds)",
  run(ctx: BenchContext): BenchReport {
    const sizes = (process.env.GLASSMECH_BENCH_HESSIAN_N ?? (ctx.quick ? "3000" : "3000,10000")).split(",").map(Number);
    const useSprings = process.env.GLASSMECH_BENCH_HESSIAN_SPRINGS === "1";
    const rows: Record<string, BenchValue>[] = [];
    for (const n of sizes) {
      const p = useSprings ? springs(n) : glass(n, ctx);
      rows.push(run(p, n, ctx));
    }
    return {
      columns: [
        "N",
        "kind",
        "factorS",
        "gflops",
        "nnzL",
        "factorMB",
        "solveMs",
        "factor1000S",
        "modes50S",
        "modesSharedS",
        "blockSolves",
        "maxResidual",
        "lowestOmega",
        "vsScipyFactor",
        "vsScipySolve",
        "vsScipy1000",
        "vsScipyModes",
        "setupS",
      ],
      rows,
      notes: [
        "geometric nested dissection, supernodal left-looking Cholesky with wasm SIMD kernels (1 thread)",
        "vsScipy* = SciPy time (README reference, unloaded) / our CPU time; >1 means faster than SciPy",
        "factor1000S: one factorization + 1000 dipole solves in passes of 32 right-hand sides",
        "modes50S includes its own factorization of M − σI (σ = −1e-5·‖M‖) and the residual checks",
        "modesSharedS: the same 50 modes reusing the pinned factor of the dipole solves (σ = 0, no factorization)",
      ],
    };
  },
};
