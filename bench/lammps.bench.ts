/**
 * Side by side with LAMMPS on the same input (/work/shared/bench/README.md): PSS r_c = 1.2,
 * density 0.6, 3D glasses made here (N = 3000 and, unless --quick, 10⁴), exported with
 * `export-lammps` (spline table). Needs `lmp` on PATH (skipped otherwise).
 *
 * - MD: NVT velocity Verlet + Berendsen (τ = 0.5) at T = 2, dt = 0.005, skin 0.3, 1000 warm-up
 *   steps then `steps` timed steps, both single-threaded; ratio = our µs/atom-step ÷ LAMMPS's
 *   (< 1 means faster than LAMMPS).
 * - Minimization: from the T = 2 snapshot at the end of our MD, LAMMPS FIRE to max force 1e-8
 *   (its `in.min`), ours CG and FIRE to 1e-10; ratio = our seconds ÷ LAMMPS's.
 * Times: LAMMPS's own "Loop time"; ours wall time of the loop (CPU time alongside).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
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

function loopTime(out: string): number {
  const all = [...out.matchAll(/Loop time of ([\d.eE+-]+) on/g)];
  if (all.length === 0) throw new Error(`no "Loop time" in LAMMPS output:\n${out.slice(-2000)}`);
  return Number(all[all.length - 1][1]);
}

function glass(n: number, cacheDir: string, ctx: BenchContext): Configuration {
  const path = join(cacheDir, `pss-rc1.2-n${n}.xyz`);
  if (existsSync(path)) return readConfiguration(path);
  ctx.log(`making the N = ${n} glass (cached in ${path})`);
  const { config } = makeGlass({ model: createModel({ name: "pss", params: { rc: 1.2 } }), d: 3, n, density: 0.6, tp: 2, seed: 1, time: 20 });
  writeConfiguration(path, config);
  return config;
}

export const bench: Benchmark = {
  name: "lammps",
  description: "MD steps/s and minimization time next to LAMMPS on the same PSS glass (ratios < 1: faster than LAMMPS)",
  run(ctx: BenchContext): BenchReport {
    const notes: string[] = [];
    if (!lmpAvailable()) return { columns: ["N"], rows: [], notes: ["lmp not installed (apt-get install lammps): skipped"] };
    const cacheDir = join(process.cwd(), "bench", ".cache");
    mkdirSync(cacheDir, { recursive: true });
    const work = mkdtempSync(join(tmpdir(), "gm-lammps-"));
    const rows: Record<string, BenchValue>[] = [];
    const steps = ctx.quick ? 1000 : 5000;
    for (const n of ctx.quick ? [3000] : [3000, 10000]) {
      const config = glass(n, cacheDir, ctx);
      const model = createModel(config.model);
      const data = join(work, `glass-${n}.data`);
      const pair = join(work, `pair-${n}.lmp`);
      writeConfiguration(data, config);
      writeLammpsPair(pair, model);
      // LAMMPS MD
      ctx.log(`N=${n}: LAMMPS MD, ${steps} steps`);
      const lmpMd = loopTime(lammps(["-in", join(SHARED, "in.md"), "-var", "data", data, "-var", "pair", pair, "-var", "T", "2.0", "-var", "nsteps", String(steps), "-var", "seed", "1"], work));
      // our MD: same settings, our integrator
      const sys = new PairSystem(config, model);
      const s = initMd(sys.energyForcesFn, config.positions, { d: 3, dt: 0.005, thermostat: "berendsen", tau: 0.5, temperature: 2, seed: 1 });
      const md = new MolecularDynamics(sys.energyForcesFn);
      md.run(s, 1000);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      md.run(s, steps);
      const ourMd = (performance.now() - t0) / 1000;
      const ourMdCpu = cpuSince(c0) / 1e6;
      // minimization from our T = 2 snapshot
      const hot: Configuration = { ...config, positions: Float64Array.from(s.x) };
      config.box.wrap(hot.positions);
      const hotData = join(work, `hot-${n}.data`);
      writeConfiguration(hotData, hot);
      ctx.log(`N=${n}: LAMMPS FIRE to 1e-8`);
      const minOut = lammps(["-in", join(SHARED, "in.min"), "-var", "data", hotData, "-var", "pair", pair, "-var", "style", "fire", "-var", "ftol", "1e-8", "-var", "out", join(work, `min-${n}.data`)], work);
      const lmpMin = loopTime(minOut);
      const lmpRes = /RESULT pe\/N ([-\d.eE+]+) fmax ([\d.eE+-]+)/.exec(minOut);
      const ours = (method: "cg" | "fire") => {
        const sysm = new PairSystem(hot, model);
        const t = performance.now();
        const r = minimize(sysm.energyForcesFn, hot.positions, { d: 3, method, fTol: 1e-10, maxIterations: 1000000 });
        return { seconds: (performance.now() - t) / 1000, r };
      };
      ctx.log(`N=${n}: our CG and FIRE to 1e-10`);
      const cg = ours("cg");
      const fire = ours("fire");
      const usLmp = (lmpMd * 1e6) / (steps * n);
      const usOurs = (ourMd * 1e6) / (steps * n);
      rows.push({
        N: n,
        lmpUsPerAtomStep: usLmp,
        ourUsPerAtomStep: usOurs,
        ourCpuUsPerAtomStep: (ourMdCpu * 1e6) / (steps * n),
        mdRatio: usOurs / usLmp,
        lmpFireS: lmpMin,
        lmpFireFmax: lmpRes ? Number(lmpRes[2]) : null,
        lmpFireUPerN: lmpRes ? Number(lmpRes[1]) : null,
        ourCgS: cg.seconds,
        ourCgIters: cg.r.iterations,
        ourCgUPerN: cg.r.energy / n,
        ourFireS: fire.seconds,
        ourFireIters: fire.r.iterations,
        cgRatio: cg.seconds / lmpMin,
        fireRatio: fire.seconds / lmpMin,
      });
    }
    notes.push(`LAMMPS: ${lammps(["-h"], work).split("\n").find((l) => /Simulator - /.test(l))?.replace(/.*Simulator - /, "LAMMPS ").trim() ?? "lmp"}; single process, OMP_NUM_THREADS=1; pair_style table spline from export-lammps`);
    notes.push("ratios: ours ÷ LAMMPS (below 1 = faster than LAMMPS); minimization: ours to 1e-10, LAMMPS FIRE to 1e-8, from the same T = 2 snapshot");
    return {
      columns: ["N", "lmpUsPerAtomStep", "ourUsPerAtomStep", "ourCpuUsPerAtomStep", "mdRatio", "lmpFireS", "lmpFireFmax", "ourCgS", "ourCgIters", "ourFireS", "ourFireIters", "cgRatio", "fireRatio"],
      rows,
      notes,
    };
  },
};
