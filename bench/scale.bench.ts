/**
 * The whole pipeline on one large glass (issue 15 item 3): 3D PSS r_c = 1.2, ρ = 0.6, T_p = 2.
 * Phases, each timed (wall and process CPU seconds) with the peak RSS reached by its end:
 *   make       random start → MD at T_p for `time` (2 pair-loop threads) → CG to max force 1e-10
 *              (the report's own stage seconds are listed too);
 *   hessian    pair records and the assembled true Hessian (prepareGlass);
 *   moduli     G and K (block CG on the Hessian);
 *   modes      the 20 lowest nonzero modes (the solve path the cost model picks, named; LOBPCG's
 *              V-cycles and products with M on 2 threads, solveThreads);
 *   dipoles    100 dipole responses (seeded subset; the path the cost model picks).
 * The modes and dipoles phases include G and K again (seconds at N = 10⁵).
 * N = 10⁶ by default (GLASSMECH_BENCH_SCALE_N to choose), N = 10⁵ with --quick.
 * GLASSMECH_BENCH_SCALE_GLASS=FILE starts from a glass `glassmech make` wrote with these options
 * (its make report is then the make row; the make at N = 10⁶ alone takes hours), and
 * GLASSMECH_BENCH_SCALE_DIPOLES the dipole count (default 100; 0 skips the phase).
 * The peak RSS is the process's (monotone): a phase's own peak is at most its value.
 */
import { measurePrepared } from "../src/registry/measure.js";
import { createModel } from "../src/models/index.js";
import { prepareGlass } from "../src/observables/prepare.js";
import { makeGlass } from "../src/protocols/makeGlass.js";
import { readConfiguration } from "../src/io/readConfiguration.js";
import type { Configuration } from "../src/core/configuration.js";
import type { BenchContext, BenchReport, BenchValue, Benchmark } from "./types.js";

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function peakRssGiB(): number {
  return process.resourceUsage().maxRSS / 2 ** 20; // maxRSS is in KiB
}

/** The method, iterations and reason of a measurement's solve entry (`solves`, registry/context.ts). */
function solveSummary(result: Record<string, unknown>, what: string): string {
  const entry = (result.solves as { what: string; method: string; iterations: number; reason?: string }[] | undefined)?.find((s) => s.what === what);
  return entry === undefined ? "" : `${entry.method}, ${entry.iterations} iterations${entry.reason !== undefined ? ` (${entry.reason})` : ""}`;
}

export const bench: Benchmark = {
  name: "scale",
  description: "the whole pipeline on one large 3D PSS glass: make, Hessian, G and K, 20 modes, 100 dipoles (time and peak memory per phase)",
  run(ctx: BenchContext): BenchReport {
    const n = ctx.quick ? 100000 : Number(process.env.GLASSMECH_BENCH_SCALE_N ?? 1000000);
    const time = 10;
    const rows: Record<string, BenchValue>[] = [];
    const notes: string[] = [];
    const phase = <T>(name: string, work: () => T, detail: (r: T) => string): T => {
      ctx.log(`N = ${n}: ${name}`);
      const c0 = cpuSeconds();
      const t0 = performance.now();
      const r = work();
      rows.push({ phase: name, wallS: (performance.now() - t0) / 1000, cpuS: cpuSeconds() - c0, peakRssGiB: peakRssGiB(), detail: detail(r) });
      return r;
    };
    const model = createModel({ name: "pss", params: { rc: 1.2 } });
    const glassFile = process.env.GLASSMECH_BENCH_SCALE_GLASS;
    const dipoles = Number(process.env.GLASSMECH_BENCH_SCALE_DIPOLES ?? 100);
    let config: Configuration;
    if (glassFile === undefined) {
      config = phase(
        "make",
        () => makeGlass({ model, d: 3, n, density: 0.6, tp: 2, seed: 1, time, threads: 2 }),
        (r) => `${Object.entries(r.report.seconds).map(([k, v]) => `${k} ${v.toFixed(0)} s`).join(", ")}; CG ${r.report.minimization.iterations} iterations to ${r.report.minimization.maxForce.toExponential(1)}`,
      ).config;
    } else {
      config = readConfiguration(glassFile);
      if (config.n !== n || config.d !== 3) throw new Error(`${glassFile}: ${config.n} particles in ${config.d}D, the bench wants ${n} in 3D (GLASSMECH_BENCH_SCALE_N)`);
      notes.push(`started from ${glassFile} (made separately: its make report is the make row)`);
    }
    const g = phase(
      "hessian",
      () => prepareGlass(config, model),
      (r) => `${r.records.count} pairs`,
    );
    phase(
      "moduli",
      () => measurePrepared(g, {}).result,
      (r) => `G = ${Number(r.shearModulus).toPrecision(5)}, K = ${Number(r.bulkModulus).toPrecision(5)}`,
    );
    phase(
      "modes",
      // LOBPCG's iterations logged (minutes each at N = 10⁶).
      () => measurePrepared(g, { modes: 20, solveThreads: 2 }, undefined, (stage, done, total, detail) => ctx.log(`  ${stage} ${done}/${Number.isFinite(total) ? total : "?"} ${detail}`)).result,
      (r) => `ω1 = ${(r.frequencies as number[])[0].toPrecision(6)}; ${solveSummary(r, "modes")}`,
    );
    if (dipoles > 0)
      phase(
        "dipoles",
        () => measurePrepared(g, { dipoles, seed: 1 }).result,
        (r) => solveSummary(r, "dipoles"),
      );
    const total = rows.reduce((s, r) => s + (r.wallS as number), 0);
    const gkm = rows.filter((r) => r.phase === "hessian" || r.phase === "moduli" || r.phase === "modes").reduce((s, r) => s + (r.wallS as number), 0);
    notes.push(`N = ${n}, MD time ${time} at T_p = 2 on 2 pair-loop threads; all phases ${(total / 60).toFixed(1)} min (target at N = 10⁶: 60 min); Hessian + G, K + 20 modes ${(gkm / 60).toFixed(1)} min (target 15 min); peak RSS ${peakRssGiB().toFixed(2)} GiB (target 16 GB)`);
    return { columns: ["phase", "wallS", "cpuS", "peakRssGiB", "detail"], rows, notes };
  },
};
