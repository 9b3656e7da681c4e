import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { join } from "node:path";
import { GlassmechError } from "../core/errors.js";
import { defaultThreads } from "../core/pool.js";
import { runStudy } from "../study/runner.js";
import { parseShard, shardName, type Shard } from "../study/shard.js";
import { readSlurmRecord } from "../study/slurm.js";
import { readStudySpec } from "../study/spec.js";
import { studyStatus, readStudyFolderSpec, type StudyStatus } from "../study/status.js";
import { summarizeStudy, type StudySummary } from "../study/summary.js";
import { withError } from "../registry/format.js";
import { formatSeconds, progressReporter } from "./progress.js";

/**
 * `glassmech study SPEC.json [-o DIR] [--threads N] [--shard I/N]`: makes and measures every glass
 * of a study (src/study/spec.ts), or one shard of it, over worker threads; resumable (rerun the
 * same command after a kill) and safe beside other runs on the folder.
 * `glassmech study status DIR`: done/running/failed/missing per ensemble, with an ETA.
 * `glassmech study merge DIR`: summary.json, glasses.csv and ensembles.csv from what is complete.
 */
function threadsArg(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 1024) throw new InvalidArgumentError(`'${value}' is not a thread count (0 … 1024; 0 = run in this thread)`);
  return Number(value);
}

function shardArg(value: string): Shard {
  try {
    return parseShard(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function printSummary(summary: StudySummary, dir: string): void {
  process.stdout.write(`study ${summary.name}: ${join(dir, "summary.json")}, glasses.csv, ensembles.csv\n`);
  for (const e of summary.ensembles) {
    const m = e.statistics.means;
    const f = (k: string): string => (m[k] ? withError(m[k].mean, m[k].stdError) : "–");
    const count = e.glasses === e.planned ? `${e.glasses} glass${e.glasses === 1 ? "" : "es"}` : `${e.glasses} of ${e.planned} glasses`;
    process.stdout.write(
      `  ${e.label} (${e.statistics.model}, T_p = ${e.tp.toPrecision(4)}, ${count}): U/N ${f("energyPerParticle")}, G ${f("shearModulus")}, K ${f("bulkModulus")}, G/K ${f("GOverK")}, ν ${f("poissonRatio")}, p/p0 ${f("pOverP0")}, s ${f("stickiness")}, χ_G ${e.statistics.chiG?.value.toPrecision(3) ?? "–"}\n`,
    );
  }
  for (const e of summary.ensembles) for (const w of e.statistics.microWarnings ?? []) process.stdout.write(`  ${e.label}: missing ${w}\n`);
  for (const e of summary.errors ?? []) process.stdout.write(`  ${e.label}: no statistics: ${e.error}\n`);
  for (const e of summary.incomplete ?? []) if (e.glasses === 0) process.stdout.write(`  ${e.label}: no glass done yet (of ${e.planned})\n`);
}

function printStatus(s: StudyStatus): void {
  const t = s.total;
  const eta = s.etaSeconds === null ? (t.running === 0 && t.done < t.planned ? "not running" : "–") : formatSeconds(s.etaSeconds);
  const mean = s.meanSeconds === null ? "" : `, ${s.meanSeconds.toFixed(1)} s per glass`;
  process.stdout.write(`study ${s.name} (${s.dir}): ${t.done} of ${t.planned} done, ${t.running} running, ${t.failed} failed, ${t.missing} missing${t.interrupted > 0 ? ` (${t.interrupted} interrupted)` : ""}; ETA ${eta}${mean}\n`);
  const w = Math.max(8, ...s.ensembles.map((e) => e.label.length));
  process.stdout.write(`  ${"ensemble".padEnd(w)}  ${["done", "running", "failed", "missing", "planned"].map((h) => h.padStart(7)).join(" ")}\n`);
  for (const e of s.ensembles)
    process.stdout.write(`  ${e.label.padEnd(w)}  ${[e.done, e.running, e.failed, e.missing, e.planned].map((v) => String(v).padStart(7)).join(" ")}\n`);
  for (const r of s.running.slice(0, 20)) process.stdout.write(`  running: ${r.label}#${r.sample} (shard ${r.shard}, pid ${r.pid} on ${r.host}, since ${r.since})\n`);
  if (s.running.length > 20) process.stdout.write(`  … and ${s.running.length - 20} more running\n`);
  for (const f of s.failures.slice(0, 20)) process.stdout.write(`  failed: ${f.label}#${f.sample} (shard ${f.shard}, ${f.host}, ${f.time}): ${f.error}\n`);
  if (s.failures.length > 20) process.stdout.write(`  … and ${s.failures.length - 20} more failed\n`);
  if (s.shards !== null && (s.shards.withWork.length > 0 || s.shards.withFailures.length > 0))
    process.stdout.write(`  shards of ${s.shards.count} with work left: ${s.shards.withWork.join(", ") || "none"}${s.shards.withFailures.length > 0 ? `; with failures: ${s.shards.withFailures.join(", ")}` : ""}\n`);
  process.stdout.write(s.summaryWritten ? `  summary.json written (rerun 'glassmech study merge' after more samples finish)\n` : `  no summary yet: 'glassmech study merge ${s.dir}'\n`);
}

export function registerStudy(program: Command): void {
  const study = program
    .command("study")
    .description("make and measure ensembles of glasses from a JSON study spec (resumable, multi-threaded, shardable); also: study status DIR, study merge DIR");
  study
    .command("run", { isDefault: true })
    .description("make and measure the glasses of a study spec, or one shard of them (the default: `glassmech study SPEC`)")
    .argument("<spec>", "study spec (JSON; see examples/)")
    .option("-o, --output <dir>", "study folder (default runs/<name>)")
    .option("--threads <n>", "worker threads (0 = run in this thread)", threadsArg, defaultThreads())
    .option("--shard <i/n>", "run only shard i of n (0 ≤ i < n): sample k of ensemble e belongs to shard (e + k) mod n", shardArg)
    .option("--json", "print the summary as JSON")
    .option("--quiet", "no progress output")
    .action(async (specPath: string, o: { output?: string; threads: number; shard?: Shard; json?: boolean; quiet?: boolean }) => {
      const spec = readStudySpec(specPath);
      const dir = o.output ?? join("runs", spec.name);
      const progress = progressReporter(o.shard === undefined ? "study" : `study shard ${shardName(o.shard)}`, { quiet: o.quiet === true, intervalSeconds: 5 });
      const say = (line: string): void => {
        if (o.quiet !== true) process.stderr.write(line + "\n");
      };
      const run = await runStudy(spec, dir, {
        threads: o.threads,
        shard: o.shard,
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
      if (run.summary !== null) {
        if (o.json === true) process.stdout.write(JSON.stringify(run.summary, null, 2) + "\n");
        else {
          printSummary(run.summary, dir);
          process.stdout.write(`report: glassmech report ${dir}  (writes ${join(dir, "report.html")})\n`);
        }
      } else if (o.json === true) process.stdout.write(JSON.stringify(run, null, 2) + "\n");
      else
        process.stdout.write(`shard ${shardName(run.shard)} of study ${spec.name}: ${run.made} made, ${run.alreadyDone} already done, ${run.elsewhere} left to other runs, ${run.failed.length} failed; 'glassmech study merge ${dir}' summarizes\n`);
      if (run.elsewhere > 0) say(`${run.elsewhere} sample(s) were being made by another run; 'glassmech study status ${dir}' shows them`);
      if (run.failed.length > 0)
        throw new GlassmechError(
          `${run.failed.length} sample(s) failed (first: ${run.failed[0].label}#${run.failed[0].sample}: ${run.failed[0].error}); see 'glassmech study status ${dir}', rerun to retry`,
          { file: dir },
        );
    });
  study
    .command("status")
    .description("done / running / failed / missing samples per ensemble of a study folder, with an ETA")
    .argument("<dir>", "study folder")
    .option("--shards <n>", "list the shards (of n) that still have work (default: the count of `glassmech slurm`)", (v) => {
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError(`'${v}' is not a positive shard count`);
      return Number(v);
    })
    .option("--json", "print JSON")
    .action((dir: string, o: { shards?: number; json?: boolean }) => {
      const s = studyStatus(dir, { shards: o.shards ?? readSlurmRecord(dir)?.tasks });
      if (o.json === true) process.stdout.write(JSON.stringify(s, null, 2) + "\n");
      else printStatus(s);
    });
  study
    .command("merge")
    .description("summary.json, glasses.csv and ensembles.csv of a study folder from whatever samples are complete")
    .argument("<dir>", "study folder")
    .option("--json", "print the summary as JSON")
    .action((dir: string, o: { json?: boolean }) => {
      const summary = summarizeStudy(readStudyFolderSpec(dir), dir);
      if (o.json === true) process.stdout.write(JSON.stringify(summary, null, 2) + "\n");
      else printSummary(summary, dir);
    });
}
