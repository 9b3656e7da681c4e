/**
 * Iterative Hessian solves (src/linalg/cg.ts; SPEC §4.2, §4.3) on minimized PSS glasses
 * (r_c = 1.2, density 0.6, 3D: random positions, capped descent, then nonlinear CG to max force
 * 1e-10), side by side with SciPy on the same exported Hessian in the same session:
 *   G+K     elasticModuli (both nonaffine responses M⁺Ξ_γ, M⁺Ξ_η by one block CG, k = 2);
 *           "cold" is the first call on a fresh matrix (wasm copy, preconditioner, kernels),
 *           "warm" the median of repeats (the copy is cached per matrix)
 *   dipole  one solveCG of a dipole-like right-hand side (+n on j, −n on i, a bonded pair) to 1e-10
 *   SciPy   scipy.sparse.linalg.cg (unpreconditioned, 1 thread, on the translation-free subspace
 *           like /work/shared/bench/scipy_hessian.py) on the same Ξ_γ, Ξ_η and dipoles; and
 *           scipy_hessian.py itself (`--modes 0 --solves 10`, N ≤ 10⁴: SuperLU takes minutes beyond)
 * Scale (child processes, so the peak RSS is the workload's): time and VmHWM of pair records,
 * assembly and one dipole CG solve at N = 10⁵ (full mode, the minimized glass), and at N = 10⁶ with
 * GLASSMECH_BENCH_CG_HUGE=1 (full mode). Minimizing 10⁶ particles takes hours here (FIRE was
 * still at max force 5 after 3000 steps), so N = 10⁶ uses the relaxed random configuration of
 * makeBenchGlass: records and assembly of its (indefinite) Hessian are timed as they are, and the
 * CG solve runs on the same pattern with the pre-stress dropped and φ'' clamped at 0 (blocks
 * max(φ'',0) n⊗n: positive semi-definite by construction, the translations its only kernel when
 * rigid); the solve itself checks positivity (pᵀMp > 0 throughout, converged to 1e-10).
 *
 * Glasses are cached in bench/.cache/ (positions, float64). Env: GLASSMECH_BENCH_CG_N="3000,10000"
 * sizes; GLASSMECH_BENCH_CG_SCIPY=0 skips SciPy; GLASSMECH_BENCH_CG_SCIPY_REPS (default 3).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Box } from "../src/core/box.js";
import type { Configuration } from "../src/core/configuration.js";
import { Rng } from "../src/core/rng.js";
import { PairSystem } from "../src/forces/pairSystem.js";
import type { PairRecords } from "../src/forces/types.js";
import { assembleHessian } from "../src/hessian/assemble.js";
import { elasticModuli } from "../src/hessian/moduli.js";
import { expansionDerivatives, shearDerivatives } from "../src/hessian/strain.js";
import { writeMatrixMarket } from "../src/io/matrixMarket.js";
import type { BlockMatrix } from "../src/linalg/blockMatrix.js";
import { releaseMatVecMemory, setMatVecBackend } from "../src/linalg/blockMatVecOperator.js";
import { solveCG } from "../src/linalg/cg.js";
import { minimize } from "../src/minimize/index.js";
import { createModel } from "../src/models/index.js";
import { dipoleRhs, makeBenchGlass } from "./makeBenchGlass.js";
import { median, type BenchContext, type BenchReport, type BenchValue, type Benchmark } from "./types.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const cacheDir = path.join(root, "bench", ".cache");
const SCIPY_SCRIPT = "/work/shared/bench/scipy_hessian.py";
const DENSITY = 0.6;
const RC = 1.2;

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Median wall and CPU seconds of `reps` calls (after `warmup` untimed calls). */
function timeIt<T>(reps: number, f: () => T, warmup = 0): { wall: number; cpu: number; last: T } {
  let last = undefined as T;
  for (let r = 0; r < warmup; r++) last = f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    const c = cpuSeconds();
    last = f();
    cpu.push(cpuSeconds() - c);
    wall.push((performance.now() - t) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu), last };
}

function ensureCacheDir(): void {
  mkdirSync(cacheDir, { recursive: true });
  const ignore = path.join(cacheDir, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "*\n");
}

/** The PSS configuration (50:50 types, density 0.6) for given positions. */
function pssConfig(n: number, positions: Float64Array): { config: Configuration; sys: PairSystem } {
  const model = createModel({ name: "pss", params: { rc: RC } });
  const box = Box.forDensity(3, n, DENSITY);
  const types = new Int32Array(n);
  for (let i = 0; i < n; i++) types[i] = i % 2;
  const config: Configuration = { d: 3, n, box, positions, types, sizes: null, model: { name: model.name, params: model.params } };
  return { config, sys: new PairSystem(config, model) };
}

/**
 * Positions of a cached configuration: "min" = nonlinear CG to max force 1e-10 (a proper minimum,
 * positive Hessian), "relaxed" = makeBenchGlass's capped descent only (the N = 10⁶ demonstration).
 */
function benchPositions(n: number, kind: "min" | "relaxed", ctx: BenchContext): Float64Array {
  ensureCacheDir();
  const file = path.join(cacheDir, `pss3d-rc${RC}-rho${DENSITY}-n${n}-s1-${kind}.f64`);
  if (existsSync(file)) {
    const b = readFileSync(file);
    return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
  ctx.log(`N = ${n}: making a ${kind} glass (cached in ${path.relative(root, file)})`);
  const t0 = performance.now();
  const g = makeBenchGlass(n, { seed: 1, density: DENSITY, rc: RC });
  const sys = new PairSystem(g.config, g.model);
  let x = g.config.positions;
  if (kind === "min") {
    const r = minimize(sys.energyForcesFn, x, { d: 3, method: "cg", fTol: 1e-10, maxIterations: 1000000 });
    ctx.log(`N = ${n}: ${r.iterations} CG iterations, max force ${r.maxForce.toExponential(2)}`);
    x = r.x;
  }
  ctx.log(`N = ${n}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  writeFileSync(file, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  return x;
}


function column(k: number, X: Float64Array, c: number): Float64Array {
  const out = new Float64Array(X.length / k);
  for (let s = 0; s < out.length; s++) out[s] = X[s * k + c];
  return out;
}

function scipyAvailable(): boolean {
  if (process.env.GLASSMECH_BENCH_CG_SCIPY === "0") return false;
  const r = spawnSync("python3", ["-c", "import scipy, numpy"], { encoding: "utf8" });
  return r.status === 0;
}

const PY_ENV = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };

/**
 * SciPy CG on our exact right-hand sides: columns 0, 1 of the raw float64 file are Ξ_γ, Ξ_η
 * (G+K = both solves), the rest dipoles. Same operator as scipy_hessian.py.
 */
const PY_CG = `
import sys, json, time, statistics
import numpy as np, scipy, scipy.io, scipy.sparse as sp, scipy.sparse.linalg as sla
mtx, d, rhs, k, reps = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
M = sp.csr_matrix(scipy.io.mmread(mtx)); n = M.shape[0]
T = np.zeros((n, d))
for a in range(d): T[a::d, a] = 1.0
T /= np.sqrt(n // d)
project = lambda v: v - T @ (T.T @ v)
op = sla.LinearOperator((n, n), matvec=lambda x: project(M @ project(x)))
B = np.fromfile(rhs, dtype=np.float64).reshape(n, k)
def solve(b):
    its = [0]
    def cb(_): its[0] += 1
    t = time.perf_counter(); c = time.process_time()
    x, info = sla.cg(op, project(b), rtol=1e-10, maxiter=100000, callback=cb)
    return time.perf_counter() - t, time.process_time() - c, its[0], info
gk = []
for _ in range(reps):
    a = solve(B[:, 0]); b = solve(B[:, 1]); gk.append((a[0] + b[0], a[1] + b[1], a[2], b[2]))
dip = [solve(B[:, c]) for c in range(2, k)]
print(json.dumps({"scipy": scipy.__version__, "gk_wall": statistics.median(g[0] for g in gk), "gk_cpu": statistics.median(g[1] for g in gk),
  "gk_its": [gk[0][2], gk[0][3]], "dip_wall": statistics.median(x[0] for x in dip), "dip_cpu": statistics.median(x[1] for x in dip),
  "dip_its": statistics.median(x[2] for x in dip)}))
`;

interface SizeResult {
  row: Record<string, BenchValue>;
}

function runSize(n: number, ctx: BenchContext, scipy: boolean): SizeResult {
  const positions = benchPositions(n, "min", ctx);
  const { config, sys } = pssConfig(n, positions);
  const records: PairRecords = sys.records(positions);
  const volume = config.box.volume;
  const ta = timeIt(1, () => assembleHessian(records, n));
  const M = ta.last;
  const rng = Rng.fromSeed(7);
  const nDip = 5;
  const D = dipoleRhs(M, nDip, rng);
  const dip = Array.from({ length: nDip }, (_, c) => column(nDip, D, c));
  const random = Float64Array.from({ length: n * 3 }, () => rng.normal());

  // wasm (default backend): cold first call, then warm medians.
  setMatVecBackend("auto");
  releaseMatVecMemory();
  const cold = timeIt(1, () => elasticModuli(records, n, volume, { hessian: M }));
  const reps = n >= 100000 ? 3 : 5;
  const gk = timeIt(reps, () => elasticModuli(records, n, volume, { hessian: M }));
  const its = gk.last.cgIterations;
  ctx.log(`N = ${n}: G+K ${gk.last.shearModulus.toFixed(4)}, ${gk.last.bulkModulus.toFixed(4)} in ${its} iterations: cold ${cold.wall.toFixed(3)} s, warm ${gk.wall.toFixed(3)} s wall / ${gk.cpu.toFixed(3)} s CPU`);
  let k = 0;
  const dipT = timeIt(nDip, () => solveCG(M, dip[k++ % nDip]));
  const dipIts: number[] = [];
  for (const b of dip) dipIts.push(solveCG(M, b).iterations);
  const randT = timeIt(3, () => solveCG(M, random));
  ctx.log(`N = ${n}: dipole solve ${(dipT.wall * 1e3).toFixed(1)} ms (${median(dipIts)} iterations), random rhs ${(randT.wall * 1e3).toFixed(1)} ms (${randT.last.iterations})`);

  // The same loop on the JavaScript kernels, for reference.
  setMatVecBackend("js");
  const gkJs = timeIt(n >= 100000 ? 1 : 3, () => elasticModuli(records, n, volume, { hessian: M }), 1);
  setMatVecBackend("auto");

  const row: Record<string, BenchValue> = {
    N: n,
    blocksPerRow: M.rowPtr[n] / n,
    assembleS: ta.wall,
    gkIts: its,
    gkColdS: cold.wall,
    gkS: gk.wall,
    gkCpuS: gk.cpu,
    gkJsS: gkJs.wall,
    dipIts: median(dipIts),
    dipS: dipT.wall,
    dipCpuS: dipT.cpu,
    randIts: randT.last.iterations,
    randS: randT.wall,
    scipyGkS: null,
    scipyGkIts: null,
    scipyDipS: null,
    scipyDipIts: null,
    scipyScriptCgS: null,
    scipyLuSolveS: null,
    vsScipyGk: null,
    vsScipyGkCpu: null,
    vsScipyDip: null,
    vsScipyDipCpu: null,
    vsScipyScriptCg: null,
  };
  if (scipy) {
    ensureCacheDir();
    const mtx = path.join(cacheDir, `hessian-n${n}.mtx`);
    const rhsFile = path.join(cacheDir, `rhs-n${n}.f64`);
    writeMatrixMarket(mtx, M);
    const sh = shearDerivatives(records, n, 0, 1).xi;
    const ex = expansionDerivatives(records, n).xi;
    const kk = 2 + nDip;
    const R = new Float64Array(n * 3 * kk);
    for (let s = 0; s < n * 3; s++) {
      R[s * kk] = sh[s];
      R[s * kk + 1] = ex[s];
      for (let c = 0; c < nDip; c++) R[s * kk + 2 + c] = dip[c][s];
    }
    writeFileSync(rhsFile, new Uint8Array(R.buffer));
    const reps_ = process.env.GLASSMECH_BENCH_CG_SCIPY_REPS ?? "3";
    ctx.log(`N = ${n}: SciPy CG on the same right-hand sides…`);
    const py = spawnSync("python3", ["-c", PY_CG, mtx, "3", rhsFile, String(kk), reps_], { encoding: "utf8", env: PY_ENV, maxBuffer: 1 << 24 });
    if (py.status === 0) {
      const o = JSON.parse(py.stdout) as { gk_wall: number; gk_cpu: number; gk_its: number[]; dip_wall: number; dip_cpu: number; dip_its: number };
      row.scipyGkS = o.gk_wall;
      row.scipyGkIts = Math.max(...o.gk_its);
      row.scipyDipS = o.dip_wall;
      row.scipyDipIts = o.dip_its;
      row.vsScipyGk = o.gk_wall / gk.wall;
      row.vsScipyGkCpu = o.gk_cpu / gk.cpu;
      row.vsScipyDip = o.dip_wall / dipT.wall;
      row.vsScipyDipCpu = o.dip_cpu / dipT.cpu;
    } else ctx.log(`SciPy CG failed: ${py.stderr.slice(-500)}`);
    if (n <= 10000 && existsSync(SCIPY_SCRIPT)) {
      ctx.log(`N = ${n}: ${path.basename(SCIPY_SCRIPT)} --modes 0 --solves 10 (SuperLU: slow)…`);
      const s = spawnSync("python3", [SCIPY_SCRIPT, mtx, "--d", "3", "--modes", "0", "--solves", "10", "--reps", reps_], { encoding: "utf8", env: PY_ENV, maxBuffer: 1 << 24 });
      if (s.status === 0) {
        const o = JSON.parse(s.stdout) as { median_s: { cg: number; solve: number } };
        row.scipyScriptCgS = o.median_s.cg;
        row.scipyLuSolveS = o.median_s.solve;
        row.vsScipyScriptCg = o.median_s.cg / randT.wall;
      } else ctx.log(`scipy_hessian.py failed: ${s.stderr.slice(-500)}`);
    }
  }
  return { row };
}

/** Peak resident set (VmHWM) and current RSS in MB, from /proc (null where unavailable). */
function memoryMB(): { hwm: number | null; rss: number | null } {
  try {
    const s = readFileSync("/proc/self/status", "utf8");
    const get = (key: string): number | null => {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(s);
      return m ? Number(m[1]) / 1024 : null;
    };
    return { hwm: get("VmHWM"), rss: get("VmRSS") };
  } catch {
    return { hwm: process.memoryUsage().rss / 2 ** 20, rss: process.memoryUsage().rss / 2 ** 20 };
  }
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0); false when not permitted. */
function resetPeak(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

/**
 * Child-process workload: pair records, assembly, one dipole CG solve of the cached configuration;
 * prints one JSON line with the time and peak RSS after each phase.
 */
function scaleChild(n: number, kind: "min" | "relaxed"): void {
  const file = path.join(cacheDir, `pss3d-rc${RC}-rho${DENSITY}-n${n}-s1-${kind}.f64`);
  const b = readFileSync(file);
  const positions = new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const out: Record<string, number | boolean | string | null> = { n, kind };
  const phase = (name: string, f: () => void): void => {
    const canReset = resetPeak();
    const t = performance.now();
    const c = cpuSeconds();
    f();
    out[`${name}S`] = (performance.now() - t) / 1000;
    out[`${name}CpuS`] = cpuSeconds() - c;
    out[`${name}PeakMB`] = memoryMB().hwm;
    out.peakResettable = canReset;
  };
  let records: PairRecords | null = null;
  let M: BlockMatrix | null = null;
  out.startMB = memoryMB().rss;
  phase("records", () => {
    records = pssConfig(n, positions).sys.records(positions);
  });
  phase("assemble", () => {
    M = assembleHessian(records!, n);
  });
  if (kind === "relaxed") {
    // Positive semi-definite stand-in on the same pattern (see the module comment).
    M = null;
    const r = records! as PairRecords;
    for (let p = 0; p < r.count; p++) {
      r.dphi[p] = 0;
      if (r.d2phi[p] < 0) r.d2phi[p] = 0;
    }
    M = assembleHessian(r, n);
  }
  records = null;
  const Mx = M! as BlockMatrix;
  out.blocksPerRow = Mx.rowPtr[n] / n;
  out.matrixMB = (Mx.values.byteLength + Mx.colIdx.byteLength + Mx.rowPtr.byteLength) / 2 ** 20;
  const rhs = column(1, dipoleRhs(Mx, 1, Rng.fromSeed(7)), 0);
  phase("cg", () => {
    const r = solveCG(Mx, rhs, { maxIterations: 20000 });
    out.cgIts = r.iterations;
    out.cgConverged = r.converged;
    out.cgNegativeCurvature = r.negativeCurvature;
    out.cgResidual = r.residual;
  });
  out.finalHwmMB = memoryMB().hwm;
  process.stdout.write(JSON.stringify(out) + "\n");
}

function runScale(n: number, kind: "min" | "relaxed", ctx: BenchContext): Record<string, BenchValue> {
  benchPositions(n, kind, ctx);
  ctx.log(`N = ${n}: records + assembly + one CG solve in a child process…`);
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ["--max-old-space-size=16384", self, "--scale", String(n), kind], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    ctx.log(`scale run failed: ${r.stderr.slice(-1000)}`);
    return { N: n, kind, error: r.stderr.slice(-200) };
  }
  const o = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, BenchValue>;
  ctx.log(`N = ${n}: ${JSON.stringify(o)}`);
  return o;
}

export const bench: Benchmark = {
  name: "cg",
  description: "iterative Hessian solves (G+K block CG, dipole CG) vs SciPy; N = 10⁵/10⁶ time and peak RSS",
  run(ctx: BenchContext): BenchReport {
    const sizes = (process.env.GLASSMECH_BENCH_CG_N ?? (ctx.quick ? "3000,10000" : "3000,10000,100000")).split(",").map(Number);
    const scipy = scipyAvailable();
    if (!scipy) ctx.log("python3 with scipy not found (or GLASSMECH_BENCH_CG_SCIPY=0): no SciPy comparison");
    const rows: Record<string, BenchValue>[] = [];
    for (const n of sizes) rows.push(runSize(n, ctx, scipy).row);
    const scale: Record<string, BenchValue>[] = [];
    if (!ctx.quick && sizes.includes(100000)) scale.push(runScale(100000, "min", ctx));
    if (!ctx.quick && process.env.GLASSMECH_BENCH_CG_HUGE === "1") scale.push(runScale(1000000, "relaxed", ctx));
    const notes = [
      "times in seconds, wall clock, medians (CPU medians in gkCpuS/dipCpuS); SciPy runs in the same session on the same exported Hessian and right-hand sides, 1 thread",
      "gkS: elasticModuli with a cached matrix (warm, includes Ξ and the affine terms); gkColdS: first call (wasm copy, preconditioner, kernel compilation, first-touch page faults); gkJsS: the JavaScript backend (block Jacobi)",
      "vsScipyGk = SciPy G+K CG / ours (wall), vsScipyGkCpu the same in CPU time; vsScipyDip(Cpu) likewise for one dipole solve; vsScipyScriptCg = scipy_hessian.py cg (its random rhs) / our random-rhs solve",
      "SciPy CG is unpreconditioned (as in scipy_hessian.py); ours is SSOR-preconditioned block CG (Eisenstat form, wasm SIMD kernels); iteration counts in gkIts / scipyGkIts",
    ];
    for (const s of scale)
      notes.push(
        `scale N=${s.n}: ${s.kind === "relaxed" ? "relaxed random configuration (CG on the pre-stress-free, φ'' ≥ 0 stand-in)" : "minimized glass"}, ${Number(s.blocksPerRow).toFixed(1)} blocks/row, matrix ${Number(s.matrixMB).toFixed(0)} MB; ` +
          `records ${Number(s.recordsS).toFixed(1)} s (peak ${Number(s.recordsPeakMB).toFixed(0)} MB), assembly ${Number(s.assembleS).toFixed(1)} s (peak ${Number(s.assemblePeakMB).toFixed(0)} MB), ` +
          `one dipole CG solve ${Number(s.cgS).toFixed(1)} s (CPU ${Number(s.cgCpuS).toFixed(1)} s), ${s.cgIts} iterations, converged ${s.cgConverged}, negative curvature ${s.cgNegativeCurvature} (peak ${Number(s.cgPeakMB).toFixed(0)} MB)` +
          (s.peakResettable ? "" : " [VmHWM not resettable: peaks are cumulative]"),
      );
    return {
      columns: [
        "N",
        "blocksPerRow",
        "assembleS",
        "gkIts",
        "gkColdS",
        "gkS",
        "gkCpuS",
        "gkJsS",
        "scipyGkS",
        "scipyGkIts",
        "vsScipyGk",
        "vsScipyGkCpu",
        "dipIts",
        "dipS",
        "dipCpuS",
        "scipyDipS",
        "scipyDipIts",
        "vsScipyDip",
        "vsScipyDipCpu",
        "randIts",
        "randS",
        "scipyScriptCgS",
        "vsScipyScriptCg",
        "scipyLuSolveS",
      ],
      rows,
      notes,
    };
  },
};

// Child-process entry for the scale runs: node cg.bench.js --scale <n> <min|relaxed>
if (process.argv[2] === "--scale" && process.argv[1] === fileURLToPath(import.meta.url)) {
  scaleChild(Number(process.argv[3]), process.argv[4] === "relaxed" ? "relaxed" : "min");
}
