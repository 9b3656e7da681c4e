import { existsSync, rmSync, unlinkSync } from "node:fs";
import { Option, type Command } from "commander";
import { fileCheckpointStore } from "../io/checkpointFile.js";
import { removeStaleTemporaries, writeFileAtomic } from "../io/text.js";
import { checkOutputFormat, writeConfiguration } from "../io/readConfiguration.js";
import { createModel } from "../models/index.js";
import { GLASS_OPTIONS } from "../protocols/glassOptions.js";
import { makeGlass, type MakeReport } from "../protocols/makeGlass.js";
import type { GlassSettings } from "../study/spec.js";
import { addSchemaFlags, schemaValues } from "./schemaFlags.js";
import { addModelOptions, autoOrPositiveArg, modelOverridesFrom, numberArg, positiveIntegerArg, seedArg } from "./options.js";
import { progressReporter } from "./progress.js";
import { checkFits, makeGlassBytes, memoryBudget } from "../core/memoryBudget.js";

/**
 * `glassmech make`: one glass by the protocols of SPEC §3 (random start, equilibration at T_p,
 * instantaneous or continuous quench, minimization to max force < ftol). Resumable: it
 * checkpoints to OUT.checkpoint.json and rerunning the same command continues the run.
 */
export function registerMake(program: Command): void {
  const cmd = program
    .command("make")
    .description("make a glass: random start → MD at T_p → quench → minimize (SPEC §3)")
    .requiredOption("-o, --output <file>", "glass file to write (.xyz, .data, .dump, .gsd)")
    .option("--density <rho>", "number density N/V (default: the model's)", numberArg)
    .option("--tp <T>", "parent temperature, or 'auto' = 4 G∞ a0^d/30 (SPEC §3.6)", autoOrPositiveArg, "auto")
    .option("--seed <s>", "random seed", seedArg, 1)
    .option("--sample <k>", "sample index within a study (selects the random stream)", seedArg, 0)
    .option("--checkpoint <file>", "checkpoint file (default OUTPUT.checkpoint.json; deleted on success)")
    .option("--checkpoint-every <steps>", "MD steps (and minimizer iterations / 10) between checkpoints", positiveIntegerArg, 10000)
    .option("--threads <k>", "threads of the pair loop (results are bit-identical for a fixed count; see README, Threads)", positiveIntegerArg, 1)
    .option("--report <file>", "write the JSON report (timings, equilibration checks, minimization) here")
    .option("--json", "print the JSON report on stdout")
    .option("--quiet", "no progress output")
    .option("--max-memory <size>", "memory this run may use, e.g. 16G (default: RAM, cgroup limit or GLASSMECH_MAX_MEMORY)");
  addSchemaFlags(cmd, GLASS_OPTIONS);
  addModelOptions(cmd, "pss");
  cmd.action(() => {
    const o = cmd.opts() as Record<string, unknown>;
    const model = createModel(modelOverridesFrom(cmd, "pss"));
    const out = o.output as string;
    const checkpoint = (o.checkpoint as string | undefined) ?? `${out}.checkpoint.json`;
    // The declared defaults (protocols/glassOptions.ts), then the flags given.
    const glass = { ...Object.fromEntries(GLASS_OPTIONS.filter((g) => g.default !== undefined).map((g) => [g.key, g.default])), ...schemaValues(cmd, GLASS_OPTIONS) } as unknown as GlassSettings;
    // The output must be writable in its format before hours of work (4D has no LAMMPS/GSD form).
    checkOutputFormat(out, glass.d);
    // A size that cannot fit is refused before anything is allocated (issue 15).
    checkFits(`make (N = ${glass.n}, d = ${glass.d})`, makeGlassBytes(glass.n, glass.d, o.threads as number), memoryBudget({ maxMemory: o.maxMemory as string | undefined }), "ask for a smaller N", (l) => process.stderr.write(l + "\n"));
    // A killed run may have left half-written temporaries of its checkpoint or output.
    removeStaleTemporaries(checkpoint);
    removeStaleTemporaries(out);
    const progress = progressReporter("make", { quiet: o.quiet === true });
    const tp = o.tp as number | "auto";
    // A checkpoint from a run with other options is replaced: rerunning with corrected options
    // must not be blocked by the leftovers of a wrong one.
    const made = (): ReturnType<typeof makeGlass> => makeGlass({
      model,
      ...glass,
      density: o.density as number | undefined,
      tp,
      seed: o.seed as number,
      sample: o.sample as number,
      threads: o.threads as number,
      time: glass.steps === undefined ? glass.time : undefined,
      checkpoint: fileCheckpointStore(checkpoint),
      checkpointSteps: o.checkpointEvery as number,
      staleCheckpoint: "replace",
      onProgress: (p) => progress.update(p.stage, p.done, p.total, p.detail),
    });
    let result: ReturnType<typeof makeGlass>;
    try {
      result = made();
    } catch (e) {
      // The run failed for a reason a resume would meet again (blow-up, no convergence, bad
      // options): its checkpoint is useless and would only stand in the way. A kill (SIGKILL,
      // Ctrl-C) never gets here, so interrupted runs keep theirs.
      progress.stop();
      rmSync(checkpoint, { force: true });
      throw e;
    }
    const { config, report } = result;
    progress.stop();
    // Should the write fail now (disk full), the checkpoint stays: the rerun redoes only the
    // final minimization. Format and folder were checked before the run, and the checkpoint
    // (beside the output) could be written, so this is rare.
    writeConfiguration(out, config);
    if (o.report !== undefined) writeFileAtomic(o.report as string, JSON.stringify(report, null, 2) + "\n");
    if (existsSync(checkpoint)) unlinkSync(checkpoint);
    if (o.json === true) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
    else process.stdout.write(summary(out, report));
  });
}

function summary(out: string, r: MakeReport): string {
  const eq = r.equilibration;
  const lines = [
    `wrote ${out}`,
    `  T_p = ${r.tp.toPrecision(4)}${r.tpAuto ? ` (auto: G∞ = ${r.tpAuto.gInfinity.toPrecision(4)} ± ${r.tpAuto.gInfinityError.toPrecision(2)})` : ""}, dt = ${r.dt}, ${r.equilibrationSteps} equilibration steps, mean T = ${r.meanTemperature.toPrecision(4)}`,
    `  equilibration${r.equilibrator === "swap" ? " (swap MC, τ_σ in sweeps)" : ""}: τ_σ = ${eq.relaxationTime.toPrecision(3)}, run = ${eq.durationOverTau.toPrecision(3)} τ_σ, energy drift ${eq.energyDrift.sigmas.toPrecision(2)}σ, pressure drift ${eq.pressureDrift.sigmas.toPrecision(2)}σ${eq.equilibrated ? "" : "  (WARNING: not demonstrably equilibrated)"}`,
    `  ${r.protocol === "continuous" ? `continuous quench: ${r.coolingSteps} steps; ` : ""}${r.minimization.method} minimization: ${r.minimization.iterations} iterations, max force ${r.minimization.maxForce.toExponential(2)}${r.minimization.roundOffFloor ? " (its round-off floor, above --ftol)" : ""}`,
    `  U/N = ${r.energyPerParticle.toPrecision(10)}; time: ${Object.entries(r.seconds).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ")}`,
  ];
  return lines.join("\n") + "\n";
}
