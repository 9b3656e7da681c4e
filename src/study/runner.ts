import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { GlassmechError } from "../core/errors.js";
import { writeFileAtomic } from "../io/text.js";
import { createModel } from "../models/index.js";
import { autoParentTemperature } from "../protocols/autoTemperature.js";
import { analysisOptions } from "../registry/index.js";
import { ShardLock } from "./lock.js";
import { runPool } from "../core/pool.js";
import { runClaimedSample, type SampleSummary, type SampleTask } from "./sample.js";
import { inShard, WHOLE_STUDY, type Shard } from "./shard.js";
import type { MeasureSettings, StudySpec } from "./spec.js";
import { listEnsembleFiles, readAutoTp, sweepStudyTemporaries, type FailureRecord } from "./store.js";
import { summarizeStudy, type StudySummary } from "./summary.js";

/**
 * Runs a study, or one shard of it: every sample of every ensemble, over worker threads,
 * resumable, and safe beside other runs on the same folder (also from other hosts on a shared
 * filesystem).
 *
 * Layout of the study folder: `study.json` (the spec it was started with; a spec that only changes
 * `samples` or appends ensembles extends the study — see extendsSpec — any other change is
 * refused), `<label>/tp-auto.json` (T_p = auto, computed once per ensemble), the files of each
 * sample (store.ts), `.locks/` (lock.ts), and after a whole-study run or `study merge`:
 * `summary.json`, `glasses.csv`, `ensembles.csv` (summary.ts). Completed samples (result file
 * present) are skipped, so a run can be killed at any moment and rerun without losing or
 * duplicating a sample; samples claimed by another live run are left to it.
 */
export interface StudyProgress {
  done: number;
  total: number;
  /** Samples already complete when this run started. */
  skipped: number;
  last: SampleSummary | null;
  etaSeconds: number;
}

export interface StudyRunOptions {
  threads: number;
  /** Run only this share of the samples (default: all). */
  shard?: Shard;
  onProgress?: (p: StudyProgress) => void;
  onMessage?: (line: string) => void;
}

export interface StudyRunResult {
  shard: Shard;
  /** Samples made by this run. */
  made: number;
  /** Samples of this shard already complete when the run started. */
  alreadyDone: number;
  /** Samples of this shard left to (or finished by) another live run. */
  elsewhere: number;
  failed: FailureRecord[];
  /** Written by a whole-study run (over what is complete); shards leave it to `study merge`. */
  summary: StudySummary | null;
}

export type { StudySummary } from "./summary.js";

export async function runStudy(spec: StudySpec, dir: string, o: StudyRunOptions): Promise<StudyRunResult> {
  prepareStudyFolder(spec, dir);
  const shard = o.shard ?? WHOLE_STUDY;
  const lock = ShardLock.acquire(dir, shard);
  sweepStudyTemporaries(dir, spec.ensembles.map((e) => e.label));
  const releaseOnSignal = (signal: NodeJS.Signals): void => {
    lock.release();
    process.kill(process.pid, signal); // default action, now that our handler is gone
  };
  process.once("SIGINT", releaseOnSignal);
  process.once("SIGTERM", releaseOnSignal);
  let made = 0, elsewhere = 0, alreadyDone = 0;
  const failed: FailureRecord[] = [];
  try {
    const tasks: SampleTask[] = [];
    const tps = new Map<number, number>();
    spec.ensembles.forEach((e, k) => {
      const done = listEnsembleFiles(dir, e.label).results; // one listing, not a stat per sample
      for (let s = 0; s < e.samples; s++) {
        if (!inShard(shard, k, s)) continue;
        if (done.has(s)) alreadyDone++;
        else {
          if (!tps.has(k)) tps.set(k, resolveTp(spec, dir, k, o.onMessage));
          tasks.push({ ensemble: k, sample: s, tp: tps.get(k)! });
        }
      }
    });
    const total = alreadyDone + tasks.length;
    const t0 = Date.now();
    let finished = 0;
    o.onProgress?.({ done: alreadyDone, total, skipped: alreadyDone, last: null, etaSeconds: NaN });
    await runPool(tasks, {
      threads: o.threads,
      workerUrl: new URL("./studyWorker.js", import.meta.url),
      workerData: { spec, dir, holder: lock.holder },
      runInline: (task) => runClaimedSample(spec, dir, task, lock.holder),
      onResult: (_task, r) => {
        finished++;
        if (r.kind === "busy") elsewhere++;
        else if (r.kind === "failed") {
          failed.push(r.failure);
          o.onMessage?.(`${r.failure.label}#${r.failure.sample} failed: ${r.failure.error}`);
        } else made++;
        const elapsed = (Date.now() - t0) / 1000;
        o.onProgress?.({ done: alreadyDone + finished, total, skipped: alreadyDone, last: r.kind === "done" ? r.summary : null, etaSeconds: (elapsed / finished) * (tasks.length - finished) });
      },
    });
  } finally {
    process.off("SIGINT", releaseOnSignal);
    process.off("SIGTERM", releaseOnSignal);
    lock.release();
  }
  const summary = shard.count === 1 ? summarizeStudy(spec, dir) : null;
  return { shard, made, alreadyDone, elsewhere, failed, summary };
}

/**
 * Makes `dir` a study folder of `spec`: writes study.json, or checks that the one there is the
 * same study (or one it extends). Several shards may do this at once: they write the same text.
 */
export function prepareStudyFolder(spec: StudySpec, dir: string): void {
  makeFolder(dir);
  const specPath = join(dir, "study.json");
  const specText = JSON.stringify(spec, null, 2) + "\n";
  if (existsSync(specPath)) {
    const oldText = readFileSync(specPath, "utf8");
    if (oldText === specText) return;
    if (!extendsSpec(JSON.parse(oldText) as StudySpec, spec))
      throw new GlassmechError(`${dir} holds a study with a different spec (only "samples" may change and ensembles may be appended); use another output folder or delete it`, { file: specPath });
  }
  writeFileAtomic(specPath, specText);
}

/**
 * Creates `dir` and its missing parents one at a time. (Node's recursive mkdirSync retries
 * forever where the kernel answers ENOENT for an existing parent, as under /proc.)
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let p = resolve(dir); !existsSync(p); p = dirname(p)) {
    missing.push(p);
    if (dirname(p) === p) break;
  }
  try {
    for (const p of missing.reverse()) mkdirSync(p);
  } catch (e) {
    throw new GlassmechError(`cannot create the study folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: dir });
  }
  if (!statSync(dir).isDirectory()) throw new GlassmechError(`the study folder is an existing file, not a folder`, { file: dir });
}

/**
 * True when `next` only changes the sample counts and the analysis-only settings (`decayFrom`,
 * the analysis-only `measure` keys such as `omegaCutFraction`) of `prev`'s ensembles and/or appends ensembles: every sample's random stream depends only on (seed,
 * ensemble index, sample index), so the glasses already made are exactly those a fresh run of
 * `next` would make, and the study can be grown (or a summary taken over fewer samples) without
 * redoing anything.
 */
export function extendsSpec(prev: StudySpec, next: StudySpec): boolean {
  // Analysis-only settings (registry declarations with analysisOnly: they change no glass and no per-glass result) may change too.
  const analysis = analysisOptions().map((o) => o.key);
  const glassesOnly = (m: MeasureSettings | undefined): MeasureSettings | undefined =>
    m === undefined ? undefined : Object.fromEntries(Object.entries(m).filter(([k]) => !analysis.includes(k)));
  const withoutSamples = (s: StudySpec, n: number): string =>
    canonicalJson({ ...s, measure: glassesOnly(s.measure), ensembles: s.ensembles.slice(0, n).map((e) => ({ ...e, samples: 0, decayFrom: undefined, measure: glassesOnly(e.measure) })) });
  const n = prev.ensembles.length;
  return next.ensembles.length >= n && withoutSamples(prev, n) === withoutSamples(next, n);
}

/** JSON with object keys sorted, so that two specs compare by content, not by the order their keys were written in. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

/** T_p of ensemble k: its number, or 4 G∞ a0^d/30 computed once and kept in `tp-auto.json`. */
function resolveTp(spec: StudySpec, dir: string, k: number, say?: (line: string) => void): number {
  const e = spec.ensembles[k];
  if (e.tp !== "auto") return e.tp;
  const known = readAutoTp(dir, e.label);
  if (known !== null) return known;
  const g = { ...spec.glass, ...e };
  say?.(`${e.label}: T_p = auto, quenching random states for G∞ …`);
  // Deterministic (seeded by the study seed): shards computing it at the same time write the same file.
  const r = autoParentTemperature(createModel(e.model), { d: g.d, n: g.n, density: e.density, seed: spec.seed });
  mkdirSync(join(dir, e.label), { recursive: true });
  writeFileAtomic(join(dir, e.label, "tp-auto.json"), JSON.stringify(r, null, 2) + "\n");
  say?.(`${e.label}: G∞ = ${r.gInfinity.toPrecision(4)} ± ${r.gInfinityError.toPrecision(2)} → T_p = ${r.tp.toPrecision(4)}`);
  return r.tp;
}
