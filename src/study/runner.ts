import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GlassmechError } from "../core/errors.js";
import { writeFileAtomic } from "../io/text.js";
import { createModel } from "../models/index.js";
import { autoParentTemperature } from "../protocols/autoTemperature.js";
import { ensembleStatistics, type EnsembleStatistics, type GlassResult } from "./ensemble.js";
import { runPool } from "./pool.js";
import { runSample, samplePaths, type SampleSummary, type SampleTask } from "./sample.js";
import type { StudySpec } from "./spec.js";

/**
 * Runs a study: every sample of every ensemble, over worker threads, resumable.
 *
 * Layout of the study folder: `study.json` (the spec it was started with; a spec that only changes
 * `samples` or appends ensembles extends the study — see extendsSpec — any other change is
 * refused), `<label>/tp-auto.json` (T_p = auto, computed once per ensemble),
 * `<label>/glass-000k.xyz` and `<label>/result-000k.json` per sample, `summary.json` at the end.
 * Completed samples (result file present) are skipped on a rerun; so a study can be killed at any
 * moment and resumed without losing or duplicating a sample.
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
  onProgress?: (p: StudyProgress) => void;
  onMessage?: (line: string) => void;
}

export interface StudySummary {
  name: string;
  ensembles: { label: string; tp: number; statistics: EnsembleStatistics }[];
}

export async function runStudy(spec: StudySpec, dir: string, o: StudyRunOptions): Promise<StudySummary> {
  mkdirSync(dir, { recursive: true });
  const specPath = join(dir, "study.json");
  const specText = JSON.stringify(spec, null, 2) + "\n";
  if (existsSync(specPath)) {
    const oldText = readFileSync(specPath, "utf8");
    if (oldText !== specText) {
      if (!extendsSpec(JSON.parse(oldText) as StudySpec, spec))
        throw new GlassmechError(`${dir} holds a study with a different spec (only "samples" may change and ensembles may be appended); use another output folder or delete it`, { file: specPath });
      writeFileAtomic(specPath, specText);
    }
  } else writeFileAtomic(specPath, specText);

  const tps = spec.ensembles.map((_, k) => resolveTp(spec, dir, k, o.onMessage));
  const tasks: SampleTask[] = [];
  let skipped = 0;
  spec.ensembles.forEach((e, k) => {
    for (let s = 0; s < e.samples; s++) {
      if (existsSync(samplePaths(dir, e.label, s).result)) skipped++;
      else tasks.push({ ensemble: k, sample: s, tp: tps[k] });
    }
  });
  const total = skipped + tasks.length;
  const t0 = Date.now();
  let done = 0;
  o.onProgress?.({ done: skipped, total, skipped, last: null, etaSeconds: NaN });
  await runPool(tasks, {
    threads: o.threads,
    workerUrl: new URL("./studyWorker.js", import.meta.url),
    workerData: { spec, dir },
    runInline: (task) => runSample(spec, dir, task),
    onResult: (_task, r) => {
      done++;
      const elapsed = (Date.now() - t0) / 1000;
      o.onProgress?.({ done: skipped + done, total, skipped, last: r, etaSeconds: (elapsed / done) * (tasks.length - done) });
    },
  });

  const summary: StudySummary = {
    name: spec.name,
    ensembles: spec.ensembles.map((e, k) => {
      const decaySpec = e.decayFrom === undefined ? undefined : spec.ensembles.find((x) => x.label === e.decayFrom)!;
      const decayFrom = decaySpec === undefined ? undefined : readResults(dir, decaySpec.label, decaySpec.samples);
      return { label: e.label, tp: tps[k], statistics: ensembleStatistics(readResults(dir, e.label, e.samples), { decayFrom }) };
    }),
  };
  writeFileAtomic(join(dir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  return summary;
}

/**
 * True when `next` only changes the sample counts and `decayFrom` (analysis only) of `prev`'s
 * ensembles and/or appends ensembles: every sample's random stream depends only on (seed,
 * ensemble index, sample index), so the glasses already made are exactly those a fresh run of
 * `next` would make, and the study can be grown (or a summary taken over fewer samples) without
 * redoing anything.
 */
export function extendsSpec(prev: StudySpec, next: StudySpec): boolean {
  const withoutSamples = (s: StudySpec, n: number): string =>
    JSON.stringify({ ...s, ensembles: s.ensembles.slice(0, n).map((e) => ({ ...e, samples: 0, decayFrom: undefined })) });
  const n = prev.ensembles.length;
  return next.ensembles.length >= n && withoutSamples(prev, n) === withoutSamples(next, n);
}

export function readResults(dir: string, label: string, samples: number): GlassResult[] {
  const out: GlassResult[] = [];
  for (let s = 0; s < samples; s++) {
    const path = samplePaths(dir, label, s).result;
    try {
      out.push(JSON.parse(readFileSync(path, "utf8")) as GlassResult);
    } catch (e) {
      throw new GlassmechError(`cannot read a sample result: ${(e as Error).message}`, { file: path });
    }
  }
  return out;
}

/** T_p of ensemble k: its number, or 4 G∞ a0^d/30 computed once and kept in `tp-auto.json`. */
function resolveTp(spec: StudySpec, dir: string, k: number, say?: (line: string) => void): number {
  const e = spec.ensembles[k];
  if (e.tp !== "auto") return e.tp;
  const path = join(dir, e.label, "tp-auto.json");
  if (existsSync(path)) return (JSON.parse(readFileSync(path, "utf8")) as { tp: number }).tp;
  const g = { ...spec.glass, ...e };
  say?.(`${e.label}: T_p = auto, quenching random states for G∞ …`);
  const r = autoParentTemperature(createModel(e.model), { d: g.d, n: g.n, density: e.density, seed: spec.seed });
  mkdirSync(join(dir, e.label), { recursive: true });
  writeFileAtomic(path, JSON.stringify(r, null, 2) + "\n");
  say?.(`${e.label}: G∞ = ${r.gInfinity.toPrecision(4)} ± ${r.gInfinityError.toPrecision(2)} → T_p = ${r.tp.toPrecision(4)}`);
  return r.tp;
}
