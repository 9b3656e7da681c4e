import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { removeStaleTemporaries } from "../io/text.js";

/**
 * The files of one sample in a study folder (`<dir>/<label>/`, k zero-padded to 4 digits):
 *   glass-000k.xyz        the glass
 *   result-000k.json      its measurements, written last and atomically: the sample is done
 *   .checkpoint-000k.json where a half-made glass resumes (make's checkpoint)
 *   .claim-000k.json      a run is making it (owner pid/host, see lock.ts)
 *   failed-000k.json      the last attempt failed: the error, where and when (removed on success)
 *   <name>-000k.mtx       vectors an observable keeps (measure.qlm: qlm-000k.mtx, the softest quartic mode; Matrix Market, N·d)
 */
export interface SamplePaths {
  folder: string;
  glass: string;
  result: string;
  checkpoint: string;
  claim: string;
  failed: string;
  /** The vector `name` an observable keeps beside the glass (registry MeasureContext.vectors). */
  vector: (name: string) => string;
}

export function sampleTag(sample: number): string {
  return String(sample).padStart(4, "0");
}

export function samplePaths(dir: string, label: string, sample: number): SamplePaths {
  const folder = join(dir, label);
  const tag = sampleTag(sample);
  return {
    folder,
    glass: join(folder, `glass-${tag}.xyz`),
    result: join(folder, `result-${tag}.json`),
    checkpoint: join(folder, `.checkpoint-${tag}.json`),
    claim: join(folder, `.claim-${tag}.json`),
    failed: join(folder, `failed-${tag}.json`),
    vector: (name) => join(folder, `${name}-${tag}.mtx`),
  };
}

/** What a failed sample leaves behind (failed-000k.json). */
export interface FailureRecord {
  label: string;
  sample: number;
  error: string;
  shard: string;
  host: string;
  pid: number;
  time: string;
}

/** Which sample files exist in one ensemble folder, from a single directory listing. */
export interface EnsembleFiles {
  results: Set<number>;
  claims: Set<number>;
  failures: Set<number>;
  checkpoints: Set<number>;
}

const FILE_RE = /^(result|\.claim|failed|\.checkpoint)-(\d+)\.json$/;

export function listEnsembleFiles(dir: string, label: string): EnsembleFiles {
  const out: EnsembleFiles = { results: new Set(), claims: new Set(), failures: new Set(), checkpoints: new Set() };
  let names: string[];
  try {
    names = readdirSync(join(dir, label));
  } catch {
    return out; // not started yet
  }
  for (const name of names) {
    const m = FILE_RE.exec(name);
    if (m === null) continue;
    const k = Number(m[2]);
    if (m[1] === "result") out.results.add(k);
    else if (m[1] === ".claim") out.claims.add(k);
    else if (m[1] === "failed") out.failures.add(k);
    else out.checkpoints.add(k);
  }
  return out;
}

/** The T_p = auto of an ensemble (`<label>/tp-auto.json`) if it has been computed, else null. */
export function readAutoTp(dir: string, label: string): number | null {
  const path = join(dir, label, "tp-auto.json");
  if (!existsSync(path)) return null;
  return (JSON.parse(readFileSync(path, "utf8")) as { tp: number }).tp;
}

/**
 * Removes what a killed run left of sample `sample`'s files: temporaries of interrupted atomic
 * writes (`.result-000k.json.tmp-…`, src/io/text.ts). Only the holder of the sample's claim calls
 * it, and only the claim holder writes a sample's files, so nothing here is anyone's live write.
 */
export function removeSampleLeftovers(dir: string, label: string, sample: number): void {
  const tag = sampleTag(sample);
  const re = new RegExp(`^\\.(?:glass-${tag}\\.xyz|result-${tag}\\.json|failed-${tag}\\.json|[A-Za-z]+-${tag}\\.mtx|\\.checkpoint-${tag}\\.json)\\.tmp-`);
  const folder = join(dir, label);
  for (const name of readdirSync(folder)) if (re.test(name)) rmSync(join(folder, name), { force: true });
}

/**
 * Removes leftovers of killed atomic writes of the study-wide files (study.json, the summary and
 * tables, each ensemble's tp-auto.json); see removeStaleTemporaries for what counts as a leftover.
 */
export function sweepStudyTemporaries(dir: string, labels: readonly string[]): void {
  for (const f of ["study.json", "summary.json", "glasses.csv", "ensembles.csv"]) removeStaleTemporaries(join(dir, f));
  for (const label of labels) removeStaleTemporaries(join(dir, label, "tp-auto.json"));
}
