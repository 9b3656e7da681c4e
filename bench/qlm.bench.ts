/**
 * Quartic-mode searches (SPEC §6.4; src/observables/quarticModes.ts, qlm.ts) on minimized CSS
 * glasses (PSS r_c = 1.5, ρ = 0.6, 3D, T_p = auto, 10 time units, seed 1; the make pipeline):
 * the shear starts of seed 003 SI S-4 (6 in 3D), each run to convergence (residual < 1e-8, no
 * early merging), so every start costs a full search.
 * Reported: pairs, CG iterations per converged search, CPU seconds per iteration and per converged
 * search, the cost split (the two passes over the pairs: fused M·z + U''''::zzz, and M·p̂ + the
 * line quartic; the rest is O(N·d) vector work and the exact line search), and the start solves.
 * No public peer computes quartic modes, so there is no reference column.
 *
 * Env: GLASSMECH_BENCH_QLM_N="1000,10000" (quick: 1000); GLASSMECH_BENCH_GLASS_DIR caches the
 * glasses as .xyz (an N = 10⁴ glass takes ~40 s to make).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Configuration } from "../src/core/configuration.js";
import { PairJets } from "../src/hessian/contractions.js";
import { readConfiguration, writeConfiguration } from "../src/io/readConfiguration.js";
import { createModel } from "../src/models/index.js";
import { prepareGlass } from "../src/observables/prepare.js";
import { shearStarts } from "../src/observables/qlmStarts.js";
import { quarticModeSearch } from "../src/observables/quarticModes.js";
import { makeGlass } from "../src/protocols/makeGlass.js";
import type { BenchContext, BenchReport, BenchValue, Benchmark } from "./types.js";

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function glass(n: number, ctx: BenchContext): Configuration {
  const dir = process.env.GLASSMECH_BENCH_GLASS_DIR;
  const file = dir !== undefined ? join(dir, `css-rc1.5-n${n}-seed1.xyz`) : null;
  if (file !== null && existsSync(file)) return readConfiguration(file);
  const t0 = cpuSeconds();
  const model = createModel({ name: "pss", params: { rc: 1.5 } });
  const g = makeGlass({ model, d: 3, n, density: 0.6, tp: "auto", seed: 1, time: 10 });
  ctx.log(`N = ${n}: glass made in ${(cpuSeconds() - t0).toFixed(0)} s CPU (T_p = ${g.report.tp.toPrecision(3)}, max force ${g.report.minimization.maxForce.toExponential(1)})`);
  if (file !== null) {
    mkdirSync(dir!, { recursive: true });
    writeConfiguration(file, g.config);
  }
  return g.config;
}

function run(n: number, ctx: BenchContext): Record<string, BenchValue> {
  const config = glass(n, ctx);
  const g = prepareGlass(config, createModel(config.model));
  const c0 = cpuSeconds();
  const starts = shearStarts(g.hessian, g.records);
  const c1 = cpuSeconds();
  const jets = PairJets.fromRecords(g.records, g.config, g.model);
  const c2 = cpuSeconds();
  let its = 0, converged = 0, seconds = 0, convergedIts = 0, convergedSeconds = 0;
  let softest = Infinity;
  for (const s of starts) {
    const t = cpuSeconds();
    const res = quarticModeSearch(jets, s.vector);
    const dt = cpuSeconds() - t;
    its += res.iterations;
    seconds += dt;
    if (res.status === "converged") {
      converged++;
      convergedIts += res.iterations;
      convergedSeconds += dt;
      softest = Math.min(softest, Math.sqrt(res.stiffness));
    } else ctx.log(`N = ${n}: ${s.label}: ${res.status} ${res.message}`);
    ctx.log(`N = ${n}: ${s.label}: ${res.status}, ${res.iterations} iterations, ${dt.toFixed(2)} s, ω_π = ${Math.sqrt(res.stiffness).toPrecision(5)}`);
  }
  // The two pair passes alone, timed on the last start (same work as inside an iteration).
  const nd = n * 3;
  const z = Float64Array.from(starts[0].vector), p = Float64Array.from(starts[1].vector);
  const a = new Float64Array(nd), b = new Float64Array(nd), r2 = new Float64Array(2), q = new Float64Array(5);
  const reps = Math.max(20, Math.round(2e7 / jets.count));
  const t3 = cpuSeconds();
  for (let k = 0; k < reps; k++) jets.evaluate(z, a, b, r2);
  const t4 = cpuSeconds();
  for (let k = 0; k < reps; k++) jets.lineQuartic(z, p, a, q);
  const t5 = cpuSeconds();
  const passes = (t5 - t3) / reps;
  return {
    N: n,
    pairs: jets.count,
    starts: starts.length,
    converged,
    "iterations/search": converged > 0 ? Math.round(convergedIts / converged) : null,
    "ms/iteration": (1000 * seconds) / its,
    "s/search": converged > 0 ? convergedSeconds / converged : null,
    "passes ms": 1000 * passes,
    "evaluate ns/pair": (1e9 * (t4 - t3)) / reps / jets.count,
    "line ns/pair": (1e9 * (t5 - t4)) / reps / jets.count,
    "passes share": passes / (seconds / its),
    "start solves s": c1 - c0,
    "table s": c2 - c1,
    "softest ω_π": softest,
  };
}

export const bench: Benchmark = {
  name: "qlm",
  description: "quartic-mode searches from the 6 shear starts on CSS r_c = 1.5 glasses (CPU seconds, one thread)",
  run(ctx: BenchContext): BenchReport {
    const sizes = (process.env.GLASSMECH_BENCH_QLM_N ?? (ctx.quick ? "1000" : "1000,10000")).split(",").map(Number);
    const rows = sizes.map((n) => run(n, ctx));
    return {
      columns: ["N", "pairs", "starts", "converged", "iterations/search", "ms/iteration", "s/search", "passes ms", "evaluate ns/pair", "line ns/pair", "passes share", "start solves s", "table s", "softest ω_π"],
      rows,
      notes: [
        "every start runs to |Mπ − (π·Mπ/U''''::ππππ) U''''::πππ|/|Mπ| < 1e-8 (no early merging)",
        "an iteration = 2 passes over the pairs (fused M·z + U''''::zzz + z·M·z + U''''::zzzz; M·p̂ + the 5 line-quartic coefficients) + O(N·d) vector work + an exact line search on polynomial coefficients",
        "CPU seconds of this process; the machine is shared (see loadAverage)",
      ],
    };
  },
};
