import type { Command } from "commander";
import { join } from "node:path";
import { defaultThreads } from "../lattice/pool.js";
import { runStudy } from "../study/runner.js";
import { readStudySpec } from "../study/spec.js";
import { integerArg } from "./options.js";
import { progressReporter } from "./progress.js";
import { withError } from "./format.js";

/**
 * `glassmech study SPEC.json [-o DIR] [--threads N]`: makes and measures every glass of a study
 * (src/study/spec.ts), over worker threads, resumable: rerun the same command after a kill.
 */
export function registerStudy(program: Command): void {
  program
    .command("study")
    .description("make and measure ensembles of glasses from a JSON study spec (resumable, multi-threaded)")
    .argument("<spec>", "study spec (JSON; see examples/)")
    .option("-o, --output <dir>", "study folder (default runs/<name>)")
    .option("--threads <n>", "worker threads (0 = run in this thread)", integerArg, defaultThreads())
    .option("--json", "print the summary as JSON")
    .option("--quiet", "no progress output")
    .action(async (specPath: string, o: { output?: string; threads: number; json?: boolean; quiet?: boolean }) => {
      const spec = readStudySpec(specPath);
      const dir = o.output ?? join("runs", spec.name);
      const progress = progressReporter("study", { quiet: o.quiet === true, intervalSeconds: 5 });
      const say = (line: string): void => {
        if (o.quiet !== true) process.stderr.write(line + "\n");
      };
      const summary = await runStudy(spec, dir, {
        threads: o.threads,
        onMessage: say,
        onProgress: (p) =>
          progress.update(
            "samples",
            p.done,
            p.total,
            p.last === null ? (p.skipped > 0 ? `(${p.skipped} already done)` : "") : `${p.last.label}#${p.last.sample} G = ${p.last.shearModulus.toPrecision(4)} in ${p.last.seconds.toFixed(1)} s`,
          ),
      });
      progress.stop();
      if (o.json === true) {
        process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
        return;
      }
      process.stdout.write(`study ${summary.name}: ${dir}/summary.json\n`);
      for (const e of summary.ensembles) {
        const m = e.statistics.means;
        const f = (k: string): string => (m[k] ? withError(m[k].mean, m[k].stdError) : "–");
        process.stdout.write(
          `  ${e.label} (${e.statistics.model}, T_p = ${e.tp.toPrecision(4)}, ${e.statistics.samples} glass${e.statistics.samples === 1 ? "" : "es"}): U/N ${f("energyPerParticle")}, G ${f("shearModulus")}, K ${f("bulkModulus")}, G/K ${f("GOverK")}, ν ${f("poissonRatio")}, p/p0 ${f("pOverP0")}, s ${f("stickiness")}, χ_G ${e.statistics.chiG?.value.toPrecision(3) ?? "–"}\n`,
        );
      }
      process.stdout.write(`report: glassmech report ${dir}  (writes ${join(dir, "report.html")})\n`);
    });
}
