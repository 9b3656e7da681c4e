import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import { ensembleStatistics } from "../registry/ensemble.js";
import { withError } from "../registry/format.js";
import { analysisOptions, OBSERVABLES } from "../registry/index.js";
import type { GlassResult } from "../registry/types.js";
import { ensembleRow, ensemblesCsv } from "../study/tables.js";
import { addSchemaFlags, schemaValues } from "./schemaFlags.js";

/** `glassmech ensemble RESULTS... [--json|--csv]`: ensemble statistics of per-glass JSON results (SPEC §5). */
export function registerEnsemble(program: Command): void {
  const cmd = program
    .command("ensemble")
    .description("ensemble statistics (means ± SE, χ_G, χ_K with outlier removal, and each measured observable's reduction) of per-glass JSON results")
    .argument("<results...>", "per-glass JSON files (from `glassmech measure --json` or a study)")
    .option("--json", "print JSON")
    .option("--csv", "print one CSV row with the columns of a study's ensembles.csv")
    .option("--decay-from <results...>", "ξ_g (and ω_g = 2π c_s/ξ_g, 𝒩) from the c(r) of these results: larger glasses of the same model");
  addSchemaFlags(cmd, analysisOptions());
  cmd.action((files: string[]) => {
    const o = cmd.opts() as { json?: boolean; csv?: boolean; decayFrom?: string[] };
    const read = (f: string): GlassResult => {
      try {
        return JSON.parse(readFileSync(f, "utf8")) as GlassResult;
      } catch (e) {
        throw new GlassmechError(`not a per-glass JSON result: ${(e as Error).message}`, { file: f });
      }
    };
    const results = files.map(read);
    const s = ensembleStatistics(results, { decayFrom: o.decayFrom?.map(read), ...schemaValues(cmd, analysisOptions()) });
    if (o.csv === true) {
      const label = results[0].label;
      const tp = results[0].tp;
      process.stdout.write(ensemblesCsv([ensembleRow(s, { ensemble: typeof label === "string" ? label : undefined, tp: typeof tp === "number" ? tp : undefined })]));
      return;
    }
    if (o.json === true) {
      process.stdout.write(JSON.stringify(s, null, 2) + "\n");
      return;
    }
    const line = (k: string, v: string): void => void process.stdout.write(`  ${k.padEnd(24)} ${v}\n`);
    process.stdout.write(`${s.samples} glasses of ${s.model}, N = ${s.N}, d = ${s.d}\n`);
    for (const [k, v] of Object.entries(s.means)) line(k, withError(v.mean, v.stdError, 6));
    // Each observable's own lines (registry ensembleText).
    for (const entry of OBSERVABLES) for (const [k, v] of entry.ensembleText?.(s as unknown as Record<string, unknown>) ?? []) line(k, v);
    // Why a value is missing (too few modes below ω_c, κ in the tail, …).
    for (const w of s.microWarnings ?? []) process.stdout.write(`  missing: ${w}\n`);
  });
}
