import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import { annealingAnalysis } from "../study/annealing.js";
import type { StudySummary } from "../study/runner.js";

/** `glassmech anneal STUDY_DIR [--json]`: crossover temperature and annealing trends (seed 000). */
export function registerAnneal(program: Command): void {
  program
    .command("anneal")
    .description("thermal-annealing analysis of a study with several T_p per model: T_co (G/K and energy-collapse schemes), G/G∞, K/K∞, G_na/G, ν/ν∞ vs T_p/T_co")
    .argument("<study>", "study folder (with summary.json)")
    .option("--json", "print JSON")
    .action((dir: string, o: { json?: boolean }) => {
      const path = join(dir, "summary.json");
      let summary: StudySummary;
      try {
        summary = JSON.parse(readFileSync(path, "utf8")) as StudySummary;
      } catch (e) {
        throw new GlassmechError(`cannot read the study summary (run glassmech study first): ${(e as Error).message}`, { file: path });
      }
      const a = annealingAnalysis(summary);
      if (o.json === true) {
        process.stdout.write(JSON.stringify(a, null, 2) + "\n");
        return;
      }
      for (const m of a.models) {
        process.stdout.write(
          `${m.model}, density ${m.density.toPrecision(4)}: T_co = ${m.tcoGK.Tco.toPrecision(4)} ± ${m.tcoGK.stdError.toPrecision(2)} (G/K scheme)` +
            (Number.isFinite(m.tcoCollapse) ? `, ${m.tcoCollapse.toPrecision(4)} (energy collapse)` : "") +
            `; G∞ = ${m.GInf.toPrecision(4)}, K∞ = ${m.KInf.toPrecision(4)}\n`,
        );
        process.stdout.write("     T_p   T_p/T_co      u/N    G/G∞    K/K∞  G_na/G   ν/ν∞\n");
        for (const p of m.points)
          process.stdout.write(
            `${p.tp.toPrecision(4).padStart(8)} ${p.tpOverTco.toFixed(3).padStart(10)} ${p.energyPerParticle.toFixed(4).padStart(8)} ${p.GOverGInf.toFixed(4).padStart(7)} ${p.KOverKInf.toFixed(4).padStart(7)} ${p.GnaOverG.toFixed(4).padStart(7)} ${p.nuOverNuInf.toFixed(4).padStart(6)}\n`,
          );
      }
    });
}
