import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { join, resolve } from "node:path";
import { GlassmechError } from "../core/errors.js";
import { liveJobs, planSlurm, submitSlurm } from "../study/slurm.js";
import { readStudySpec } from "../study/spec.js";

/**
 * `glassmech slurm SPEC -o DIR --tasks N [--submit]`: the study as a Slurm job array of N shards
 * plus a merge-and-report job that runs after all of them succeeded (src/study/slurm.ts). Without
 * --submit it writes the scripts and prints what it would submit; rerun it to resubmit the shards
 * that still have samples to make (failed tasks, a killed allocation).
 */
function positive(what: string, max: number) {
  return (v: string): number => {
    if (!/^\d+$/.test(v.trim()) || Number(v) < 1 || Number(v) > max) throw new InvalidArgumentError(`'${v}' is not a valid ${what} (1 … ${max})`);
    return Number(v);
  };
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerSlurm(program: Command): void {
  program
    .command("slurm")
    .description("run a study as a Slurm job array (one shard per task) with a dependent merge + report job")
    .argument("<spec>", "study spec (JSON)")
    .option("-o, --output <dir>", "study folder on a filesystem every node sees (default runs/<name>)")
    .requiredOption("--tasks <n>", "array tasks = shards", positive("task count", 100_000))
    .option("--cpus-per-task <n>", "CPUs (= worker threads) per task", positive("CPU count", 1024), 1)
    .option("--partition <name>", "Slurm partition")
    .option("--time <limit>", "time limit per task, as sbatch takes it (e.g. 2:00:00)")
    .option("--mem <size>", "memory per task, as sbatch takes it (e.g. 4G)")
    .option("--account <name>", "Slurm account")
    .option("--qos <name>", "Slurm QOS")
    .option("--sbatch-arg <arg>", "extra #SBATCH line, e.g. --sbatch-arg=--constraint=avx2 (repeatable)", collect, [])
    .option("--submit", "submit (default: write the scripts and print what would be submitted)")
    .option("--sbatch <path>", "sbatch command", "sbatch")
    .option("--squeue <path>", "squeue command (checks that no earlier submission still runs)", "squeue")
    .action((specPath: string, o: { output?: string; tasks: number; cpusPerTask: number; partition?: string; time?: string; mem?: string; account?: string; qos?: string; sbatchArg: string[]; submit?: boolean; sbatch: string; squeue: string }) => {
      const spec = readStudySpec(specPath);
      const dir = o.output ?? join("runs", spec.name);
      const invocation = [process.execPath, resolve(process.argv[1]!)];
      const plan = planSlurm(spec, specPath, dir, { tasks: o.tasks, cpusPerTask: o.cpusPerTask, partition: o.partition, time: o.time, mem: o.mem, account: o.account, qos: o.qos, sbatchArgs: o.sbatchArg }, invocation);
      process.stdout.write(`${plan.note}\nscripts: ${plan.arrayScript}, ${plan.mergeScript}\n`);
      if (plan.commands.length === 0) return;
      if (o.submit !== true) {
        process.stdout.write(`would submit (add --submit):\n${plan.commands.map((c) => `  ${c.join(" ").replace("%ARRAY%", "<array job id>")}`).join("\n")}\n`);
        return;
      }
      const live = liveJobs(dir, o.squeue);
      if (live.length > 0)
        throw new GlassmechError(`jobs ${live.join(", ")} of this study are still queued or running (squeue); wait for them or scancel them before resubmitting`, { file: dir });
      const ids = submitSlurm(dir, plan, o.tasks, o.sbatch);
      process.stdout.write(`${ids.arrayJob === null ? "" : `submitted array job ${ids.arrayJob} (shards ${plan.array}); `}merge job ${ids.mergeJob}${ids.arrayJob === null ? "" : " after it"}\n`);
    });
}
