/**
 * Side by side with LAMMPS on the same input (/work/shared/bench/README.md): PSS r_c = 1.2,
 * density 0.6, 3D glasses made here (N = 3000 and, unless --quick, 10⁴ and 10⁵), exported with
 * `export-lammps` (spline table). Needs `lmp` on PATH (skipped otherwise).
 *
 * - MD: NVT velocity Verlet + Berendsen (τ = 0.5) at T = 2, dt = 0.005, skin 0.3, 1000 warm-up
 *   steps then `steps` timed steps; LAMMPS single-threaded, ours on 1 and on 2 threads (the
 *   threaded pair loop, forces/pairShards.ts); ratio = our µs/atom-step ÷ LAMMPS's (< 1 means
 *   faster than LAMMPS), speedup = 1 thread ÷ 2 threads.
 * - Minimization: from the T = 2 snapshot at the end of our MD. Up to N = 10⁴ to convergence:
 *   LAMMPS FIRE to max force 1e-8 (its `in.min`), ours CG and FIRE to 1e-10 (ratio = our seconds
 *   ÷ LAMMPS's). At N = 10⁵ (convergence takes long) a fixed FIRE_ITERATIONS iterations each
 *   (the same `in.min` with that iteration limit and no force tolerance). Per-iteration FIRE
 *   times at 1 and 2 threads are given for every N.
 * Times: LAMMPS's own "Loop time"; ours wall time of the loop (CPU time alongside for MD).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { MolecularDynamics, initMd } from "../src/dynamics/index.js";
import { PairSystem } from "../src/forces/pairSystem.js";
import { readConfiguration, writeConfiguration } from "../src/io/readConfiguration.js";
import { writeLammpsPair } from "../src/io/lammpsTable.js";
import { minimize } from "../src/minimize/index.js";
import { createModel } from "../src/models/index.js";
import { makeGlass } from "../src/protocols/makeGlass.js";
import type { Configuration } from "../src/core/configuration.js";
import { cpuSince } from "./makeBenchGlass.js";
import type { BenchContext, BenchReport, BenchValue, Benchmark } from "./types.js";

const SHARED = resolve(process.env.GLASSMECH_SHARED ?? join(process.cwd(), "..", "shared"), "bench", "lammps");

function lmpAvailable(): boolean {
  try {
    execFileSync("lmp", ["-h"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function lammps(args: string[], cwd: string): string {
  return execFileSync("lmp", ["-nocite", "-log", "none", ...args], { cwd, encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" }, maxBuffer: 1 << 26 });
}

/** FIRE iterations timed at N = 10⁵ (instead of a minimization to convergence). */
const FIRE_ITERATIONS = 2000;

function loopTime(out: string): number {
  const all = [...out.matchAll(/Loop time of ([\d.eE+-]+) on/g)];
  if (all.length === 0) throw new Error(`no "Loop time" in LAMMPS output:\n${out.slice(-2000)}`);
  return Number(all[all.length - 1][1]);
}

function glass(n: number, cacheDir: string, ctx: BenchContext): Configuration {
  const path = join(cacheDir, `pss-rc1.2-n${n}.xyz`);
  if (existsSync(path)) return readConfiguration(path);
  ctx.log(`making the N = ${n} glass on 2 threads (cached in ${path})`);
  const { config } = makeGlass({ model: createModel({ name: "pss", params: { rc: 1.2 } }), d: 3, n, density: 0.6, tp: 2, seed: 1, time: 20, threads: 2 });
  writeConfiguration(path, config);
  return config;
}

/** Our MD on `threads` threads: seconds and CPU seconds of `steps` steps after 1000 warm-up steps, and the final state. */
function ourMd(config: Configuration, threads: number, steps: number) {
  const model = createModel(config.model);
  const sys = new PairSystem(config, model, { threads });
  try {
    const s = initMd(sys.energyForcesFn, config.positions, { d: 3, dt: 0.005, thermostat: "berendsen", tau: 0.5, temperature: 2, seed: 1 });
    const md = new MolecularDynamics(sys.energyForcesFn, { vectors: sys.vectors });
    md.run(s, 1000);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    md.run(s, steps);
    return { seconds: (performance.now() - t0) / 1000, cpu: cpuSince(c0) / 1e6, x: Float64Array.from(s.x) };
  } finally {
    sys.close();
  }
}

/** Our minimization of `hot` on `threads` threads (to 1e-10, or a fixed number of FIRE iterations). */
function ourMin(hot: Configuration, method: "cg" | "fire", threads: number, iterations: number | null) {
  const sys = new PairSystem(hot, createModel(hot.model), { threads });
  try {
    const t = performance.now();
    const r = minimize(sys.energyForcesFn, hot.positions, { d: 3, method, fTol: 1e-10, maxIterations: iterations ?? 1000000, onFailure: iterations === null ? "throw" : "flag", vectors: sys.vectors });
    return { seconds: (performance.now() - t) / 1000, r };
  } finally {
    sys.close();
  }
}

export const bench: Benchmark = {
  name: "lammps",
  description: "MD steps/s and minimization time next to LAMMPS on the same PSS glass, ours on 1 and 2 threads (ratios < 1: faster than LAMMPS)",
  run(ctx: BenchContext): BenchReport {
    const notes: string[] = [];
    if (!lmpAvailable()) return { columns: ["N"], rows: [], notes: ["lmp not installed (apt-get install lammps): skipped"] };
    const cacheDir = join(process.cwd(), "bench", ".cache");
    mkdirSync(cacheDir, { recursive: true });
    const work = mkdtempSync(join(tmpdir(), "gm-lammps-"));
    // in.min with an iteration limit instead of a force tolerance (the N = 10⁵ row).
    const minFixed = join(work, "in.min-fixed");
    writeFileSync(minFixed, readFileSync(join(SHARED, "in.min"), "utf8").replace(/^minimize .*$/m, `minimize 0.0 0.0 ${FIRE_ITERATIONS} ${10 * FIRE_ITERATIONS}`));
    const rows: Record<string, BenchValue>[] = [];
    for (const n of ctx.quick ? [3000] : [3000, 10000, 100000]) {
      const steps = ctx.quick ? 1000 : n >= 100000 ? 1000 : 5000;
      const converge = n <= 10000;
      const config = glass(n, cacheDir, ctx);
      const model = createModel(config.model);
      const data = join(work, `glass-${n}.data`);
      const pair = join(work, `pair-${n}.lmp`);
      writeConfiguration(data, config);
      writeLammpsPair(pair, model);
      ctx.log(`N=${n}: LAMMPS MD, ${steps} steps`);
      const lmpMd = loopTime(lammps(["-in", join(SHARED, "in.md"), "-var", "data", data, "-var", "pair", pair, "-var", "T", "2.0", "-var", "nsteps", String(steps), "-var", "seed", "1"], work));
      ctx.log(`N=${n}: our MD on 1 and 2 threads`);
      const md1 = ourMd(config, 1, steps);
      const md2 = ourMd(config, 2, steps);
      // minimization from our T = 2 snapshot
      const hot: Configuration = { ...config, positions: md1.x };
      config.box.wrap(hot.positions);
      const hotData = join(work, `hot-${n}.data`);
      writeConfiguration(hotData, hot);
      ctx.log(`N=${n}: LAMMPS FIRE ${converge ? "to 1e-8" : `${FIRE_ITERATIONS} iterations`}`);
      const minVars = ["-var", "data", hotData, "-var", "pair", pair, "-var", "style", "fire", "-var", "ftol", "1e-8", "-var", "out", join(work, `min-${n}.data`)];
      const minOut = lammps(["-in", converge ? join(SHARED, "in.min") : minFixed, ...minVars], work);
      const lmpMin = loopTime(minOut);
      const lmpIters = Number(/Iterations, force evaluations = (\d+)/.exec(minOut)?.[1] ?? NaN);
      const lmpRes = /RESULT pe\/N ([-\d.eE+]+) fmax ([\d.eE+-]+)/.exec(minOut);
      ctx.log(`N=${n}: our ${converge ? "CG and FIRE to 1e-10" : `FIRE, ${FIRE_ITERATIONS} iterations`} (FIRE on 1 and 2 threads)`);
      const cg = converge ? ourMin(hot, "cg", 1, null) : null;
      const fire1 = ourMin(hot, "fire", 1, converge ? null : FIRE_ITERATIONS);
      const fire2 = ourMin(hot, "fire", 2, converge ? null : FIRE_ITERATIONS);
      const us = (seconds: number) => (seconds * 1e6) / (steps * n);
      const msIter = (seconds: number, iters: number) => (1000 * seconds) / iters;
      const usLmp = us(lmpMd);
      const lmpFireMs = msIter(lmpMin, lmpIters);
      rows.push({
        N: n,
        lmpUsPerAtomStep: usLmp,
        ourUsPerAtomStep: us(md1.seconds),
        our2UsPerAtomStep: us(md2.seconds),
        ourCpuUsPerAtomStep: us(md1.cpu),
        mdRatio: us(md1.seconds) / usLmp,
        md2Ratio: us(md2.seconds) / usLmp,
        mdSpeedup2: md1.seconds / md2.seconds,
        lmpFireMsPerIter: lmpFireMs,
        ourFireMsPerIter: msIter(fire1.seconds, fire1.r.iterations),
        ourFire2MsPerIter: msIter(fire2.seconds, fire2.r.iterations),
        fire2Ratio: msIter(fire2.seconds, fire2.r.iterations) / lmpFireMs,
        fireSpeedup2: msIter(fire1.seconds, fire1.r.iterations) / msIter(fire2.seconds, fire2.r.iterations),
        lmpFireS: converge ? lmpMin : null,
        lmpFireFmax: lmpRes ? Number(lmpRes[2]) : null,
        ourCgS: cg?.seconds ?? null,
        ourCgIters: cg?.r.iterations ?? null,
        ourFireS: converge ? fire1.seconds : null,
        ourFireIters: converge ? fire1.r.iterations : null,
        ourFire2S: converge ? fire2.seconds : null,
        cgRatio: cg === null ? null : cg.seconds / lmpMin,
        fireRatio: converge ? fire1.seconds / lmpMin : null,
      });
    }
    notes.push(`LAMMPS: ${lammps(["-h"], work).split("\n").find((l) => /Simulator - /.test(l))?.replace(/.*Simulator - /, "LAMMPS ").trim() ?? "lmp"}; single process, OMP_NUM_THREADS=1; pair_style table spline from export-lammps`);
    notes.push("ratios: ours ÷ LAMMPS (below 1 = faster than LAMMPS); speedup: our 1 thread ÷ our 2 threads; minimization up to N = 10⁴: ours to 1e-10, LAMMPS FIRE to 1e-8, from the same T = 2 snapshot");
    notes.push(`N = 10⁵: MD 1000 timed steps; FIRE ${FIRE_ITERATIONS} iterations each (per-iteration columns), not to convergence`);
    return {
      columns: [
        "N",
        "lmpUsPerAtomStep",
        "ourUsPerAtomStep",
        "our2UsPerAtomStep",
        "mdRatio",
        "md2Ratio",
        "mdSpeedup2",
        "lmpFireMsPerIter",
        "ourFireMsPerIter",
        "ourFire2MsPerIter",
        "fire2Ratio",
        "fireSpeedup2",
        "lmpFireS",
        "ourCgS",
        "ourFireS",
        "ourFire2S",
        "cgRatio",
        "fireRatio",
      ],
      rows,
      notes,
    };
  },
};
