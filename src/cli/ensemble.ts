import { readFileSync } from "node:fs";
import { InvalidArgumentError, type Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import { ensembleStatistics, type GlassResult } from "../study/ensemble.js";
import { ensembleRow, ensemblesCsv } from "../study/tables.js";
import { withError } from "./format.js";

/** `glassmech ensemble RESULTS... [--json]`: ensemble statistics of per-glass JSON results (SPEC §5). */
export function registerEnsemble(program: Command): void {
  program
    .command("ensemble")
    .description("ensemble statistics (means ± SE, χ_G, χ_K with outlier removal) of per-glass JSON results")
    .argument("<results...>", "per-glass JSON files (from `glassmech measure --json` or a study)")
    .option("--json", "print JSON")
    .option("--csv", "print one CSV row with the columns of a study's ensembles.csv")
    .option("--omega-cut-fraction <f>", "ω_c/ω_ph of A_g, the ω⁴ fit of D(ω) and Ne0 (default 0.75)", (v) => {
      const f = Number(v);
      if (!(f > 0 && f <= 1)) throw new InvalidArgumentError(`'${v}' is not in (0, 1]`);
      return f;
    })
    .option("--ne0-threshold <ω>", "threshold frequency of Ne0 (default ω_c)", (v) => {
      const f = Number(v);
      if (!(f > 0 && Number.isFinite(f))) throw new InvalidArgumentError(`'${v}' is not a positive frequency`);
      return f;
    })
    .option("--decay-from <results...>", "ξ_g (and ω_g = 2π c_s/ξ_g, 𝒩) from the c(r) of these results: larger glasses of the same model")
    .action((files: string[], o: { json?: boolean; csv?: boolean; decayFrom?: string[]; omegaCutFraction?: number; ne0Threshold?: number }) => {
      const read = (f: string): GlassResult => {
        try {
          return JSON.parse(readFileSync(f, "utf8")) as GlassResult;
        } catch (e) {
          throw new GlassmechError(`not a per-glass JSON result: ${(e as Error).message}`, { file: f });
        }
      };
      const results = files.map(read);
      const s = ensembleStatistics(results, { decayFrom: o.decayFrom?.map(read), omegaCutFraction: o.omegaCutFraction, ne0Threshold: o.ne0Threshold });
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
      process.stdout.write(`${s.samples} glasses of ${s.model}, N = ${s.N}, d = ${s.d}\n`);
      for (const [k, v] of Object.entries(s.means)) process.stdout.write(`  ${k.padEnd(24)} ${withError(v.mean, v.stdError, 6)}\n`);
      const chi = (name: string, c: typeof s.chiG): string =>
        c === null
          ? `  ${name.padEnd(24)} – (one glass)\n`
          : `  ${name.padEnd(24)} ${c.value.toPrecision(4)} (raw ${c.raw.toPrecision(4)}, ${c.removed} removed, stopped by ${c.stoppedBy})\n`;
      process.stdout.write(chi("chiG", s.chiG) + chi("chiK", s.chiK));
      process.stdout.write(`  ${"<G>/<K>".padEnd(24)} ${withError(s.GOverKOfMeans.value, s.GOverKOfMeans.stdError)}\n`);
      // Microscopic ensemble keys (SPEC §6, §10), present when the results carry modes/dipoles.
      const micro = s as unknown as Record<string, { value?: number; stdError?: number } | undefined>;
      for (const k of ["Ag", "AgOmega0_5", "Ne0", "omegaG", "kappaG", "eta", "xiG"]) {
        const v = micro[k];
        if (v !== undefined && typeof v.value === "number") process.stdout.write(`  ${k.padEnd(24)} ${withError(v.value, v.stdError)}\n`);
      }
      if (s.xiG !== undefined)
        process.stdout.write(`  ${"omegaG (2π c_s/ξ_g)".padEnd(24)} ${withError(s.xiG.omegaG, s.xiG.omegaGStdError)}   (c(r) of ${s.xiG.glasses} glass${s.xiG.glasses === 1 ? "" : "es"}, N = ${s.xiG.N})\n`);
      const q = (s as unknown as { qlmDensity?: Record<string, { value: number; stdError: number } | undefined> }).qlmDensity;
      for (const [def, v] of Object.entries(q ?? {}))
        if (v !== undefined) process.stdout.write(`  ${`qlmDensity (${def})`.padEnd(24)} ${withError(v.value, v.stdError)}\n`);
      if (s.vdos !== undefined) {
        const f = s.vdos.fit;
        process.stdout.write(`  ${"D(ω) = A ω⁴ fit".padEnd(24)} ${f === null ? "–" : `A = ${withError(f.A, f.A * f.relError)}, A ω0⁵ = ${f.AOmega0_5.toPrecision(4)}, free exponent ${withError(f.freeExponent, f.freeExponentStdError, 3)} over ω ∈ [${f.range[0].toPrecision(3)}, ${f.range[1].toPrecision(3)}] (${f.points} log bins below ω_c = ${s.vdos.omegaCut.toPrecision(4)}; D(ω) bins with --json)`}\n`);
      }
      if (s.energyDecomposition !== undefined) {
        const e = s.energyDecomposition;
        process.stdout.write(`  ${"energy/ω0² of soft modes".padEnd(24)} k+ ${withError(e.kPlus.value, e.kPlus.stdError, 4)}, k− ${withError(e.kMinus.value, e.kMinus.stdError, 4)}, f+ ${withError(e.fPlus.value, e.fPlus.stdError, 4)}, f− ${withError(e.fMinus.value, e.fMinus.stdError, 4)} (${e.modes} modes ${e.below === "omegaCut" ? "below ω_c" : "(none below ω_c: all computed)"})\n`);
      }
      if (s.quarticModes !== undefined) {
        const qm = s.quarticModes;
        process.stdout.write(`  ${"softest ω_π (quartic)".padEnd(24)} ${withError(qm.softest.value, qm.softest.stdError)} (ω_π/ω0 ${withError(qm.softestOverOmega0.value, qm.softestOverOmega0.stdError, 4)}; ${qm.glasses} of ${qm.of} glasses, ${qm.modes} modes), dilation/shear ${withError(qm.dilationShear.value, qm.dilationShear.stdError, 3)}${qm.xiQlm ? `, ξ_QLM ${withError(qm.xiQlm.value, qm.xiQlm.stdError, 4)}` : ""}\n`);
      }
      // Why a microscopic value is missing (too few modes below ω_c, κ in the tail, …).
      for (const w of s.microWarnings ?? []) process.stdout.write(`  missing: ${w}\n`);
    });
}
