import type { Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import { readConfiguration } from "../io/readConfiguration.js";
import { createModel } from "../models/index.js";
import { DEFAULT_FORCE_TOLERANCE, prepareGlass } from "../observables/prepare.js";
import { quasilocalizedModes } from "../observables/qlm.js";
import { parseStartSpec } from "../observables/qlmStarts.js";
import { addReadOptions, integerArg, numberArg, readOptionsFrom } from "./options.js";
import { progressReporter } from "./progress.js";
import { writeExtxyzWithColumn } from "./qlmXyz.js";

/**
 * `glassmech qlm glass.xyz [--starts dipoles:200|shear] [--k 5] [--json] [--out mode.xyz]`:
 * quasilocalized modes found directly as quartic modes (SPEC §6.4–6.6, observables/qlm.ts):
 * per mode ω_π, 𝒢, U''''::ππππ, participation, core pair, residual, iterations, dilation/shear
 * and the vector π (flat N·d, particle-major); c(r) of the modes and ξ_QLM; every start's outcome.
 */
export function registerQlm(program: Command): void {
  const cmd = program
    .command("qlm")
    .description("quasilocalized modes found directly: quartic modes, their frequency, core, dilation/shear and size (SPEC §6.4–6.6)")
    .argument("<file>", "minimized glass")
    .option("--starts <spec>", "where the searches start: 'shear' (responses to simple and pure shear in every plane) or 'dipoles:M' (M dipole responses, softest first)", "shear")
    .option("--k <k>", "number of modes reported (softest first)", integerArg, 5)
    .option("--seed <s>", "seed of the random dipole pairs", integerArg, 1)
    .option("--tol <t>", "stationarity residual |Mπ − (π·Mπ/U''''::ππππ) U''''::πππ|/|Mπ|", numberArg, 1e-8)
    .option("--max-iterations <m>", "iteration cap per start", integerArg, 20000)
    .option("--no-early-merge", "run every start to convergence (default: stop a search once it overlaps a mode found already by > 0.999)")
    .option("--out <file>", "write the softest mode as an extended-XYZ column qlm:R:d of the glass")
    .option("--force-tolerance <f>", "largest per-particle force accepted as a minimum", numberArg, DEFAULT_FORCE_TOLERANCE)
    .option("--quiet", "no progress output")
    .option("--json", "print JSON");
  addReadOptions(cmd);
  cmd.action((file: string) => {
    const o = cmd.opts() as {
      starts: string;
      k: number;
      seed: number;
      tol: number;
      maxIterations: number;
      earlyMerge: boolean;
      out?: string;
      forceTolerance: number;
      quiet?: boolean;
      json?: boolean;
    };
    const parsed = parseStartSpec(o.starts);
    const spec = parsed.kind === "dipoles" ? { ...parsed, seed: o.seed } : parsed;
    if (!(o.k >= 1)) throw new GlassmechError(`--k must be at least 1, got ${o.k}`);
    const config = readConfiguration(file, readOptionsFrom(cmd));
    const model = createModel(config.model, { file });
    const progress = progressReporter("qlm", { quiet: o.quiet === true });
    try {
      const t0 = performance.now();
      const g = prepareGlass(config, model, { forceTolerance: o.forceTolerance });
      const res = quasilocalizedModes(g, {
        starts: spec,
        k: o.k,
        tol: o.tol,
        maxIterations: o.maxIterations,
        earlyMergeOverlap: o.earlyMerge ? undefined : false,
        onProgress: (done, total, it, r) => progress.update("quartic-mode searches", done, total, it > 0 ? `start ${done + 1}: iteration ${it}, residual ${r.toExponential(1)}` : ""),
      });
      progress.stop();
      if (o.out !== undefined) {
        if (res.modes.length === 0) throw new GlassmechError(`--out ${o.out}: no start converged, so there is no mode to write`);
        writeExtxyzWithColumn(o.out, config, "qlm", res.modes[0].vector);
      }
      const result = { file, ...res, seconds: { ...res.seconds, total: (performance.now() - t0) / 1000 } };
      if (o.json === true) {
        process.stdout.write(JSON.stringify(result) + "\n");
        return;
      }
      process.stdout.write(
        `${file}: ${res.modes.length} of ${res.distinctModes} distinct quartic modes from ${res.outcomes.length} ${res.starts} starts, ${res.iterations} CG iterations, ${result.seconds.total.toFixed(2)} s\n`,
      );
      process.stdout.write("    #     omega_pi        cost     quartic        e   corePair  dilation/shear  iterations  residual  start\n");
      res.modes.forEach((m, l) =>
        process.stdout.write(
          `${String(l + 1).padStart(5)}  ${m.frequency.toPrecision(8).padStart(11)}  ${m.cost.toExponential(3).padStart(10)}  ${m.quartic.toExponential(3).padStart(10)}  ${m.participation.toPrecision(3).padStart(7)}  ${`${m.corePair[0]}-${m.corePair[1]}`.padStart(9)}  ${m.dilationShear.toPrecision(4).padStart(14)}  ${String(m.iterations).padStart(10)}  ${m.residual.toExponential(1).padStart(8)}  ${m.start}${m.duplicates.length > 0 ? ` (+${m.duplicates.length} more)` : ""}\n`,
        ),
      );
      process.stdout.write(
        res.xiQlm !== null
          ? `ξ_QLM = ${res.xiQlm.toPrecision(4)} (max of r^${2 * config.d} c(r) of the ${res.modes.length} modes)\n`
          : `ξ_QLM: ${res.qlmDecay?.xiError ?? "no modes"}\n`,
      );
      for (const s of res.outcomes)
        if (s.status !== "converged" && s.status !== "duplicate") process.stdout.write(`  flagged: ${s.label}: ${s.status}: ${s.message}\n`);
      if (o.out !== undefined) process.stdout.write(`softest mode written to ${o.out} (column qlm:R:${config.d})\n`);
    } catch (e) {
      progress.stop();
      if (e instanceof GlassmechError && e.file === undefined) throw new GlassmechError(e.message, { file });
      throw e;
    }
  });
}
