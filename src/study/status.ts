import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GlassmechError } from "../core/errors.js";
import { claimAlive, type ClaimRecord } from "./lock.js";
import { shardOf } from "./shard.js";
import type { StudySpec } from "./spec.js";
import { listEnsembleFiles, samplePaths, type FailureRecord } from "./store.js";

/**
 * What a study folder holds right now (`glassmech study status DIR`), from the files alone, so it
 * works while shards run anywhere on a shared filesystem: per ensemble the samples done, running
 * (claimed by a live run), failed (last attempt failed, see failed-000k.json) and missing (never
 * started, or interrupted: a stale claim or a checkpoint to resume from), with an ETA.
 */
export interface EnsembleStatus {
  label: string;
  planned: number;
  done: number;
  running: number;
  failed: number;
  missing: number;
  /** Of the missing: started once and killed (a checkpoint or a stale claim remains). */
  interrupted: number;
}

export interface RunningSample {
  label: string;
  sample: number;
  shard: string;
  host: string;
  pid: number;
  since: string;
}

export interface StudyStatus {
  name: string;
  dir: string;
  ensembles: EnsembleStatus[];
  total: Omit<EnsembleStatus, "label">;
  running: RunningSample[];
  failures: FailureRecord[];
  /** Mean wall time of a finished sample (from its result's timing), null before the first. */
  meanSeconds: number | null;
  /** (running + missing) × meanSeconds / running; null when nothing runs or nothing is known. */
  etaSeconds: number | null;
  /** With a shard count: the shards that still have samples nobody is making, and those with failures. */
  shards: { count: number; withWork: number[]; withFailures: number[] } | null;
  summaryWritten: boolean;
}

export function readStudyFolderSpec(dir: string): StudySpec {
  const path = join(dir, "study.json");
  if (!existsSync(path)) throw new GlassmechError(`not a study folder (no study.json)`, { file: dir });
  try {
    return JSON.parse(readFileSync(path, "utf8")) as StudySpec;
  } catch (e) {
    throw new GlassmechError(`cannot read the study's spec: ${(e as Error).message}`, { file: path });
  }
}

/** Mean timing.seconds over the last `limit` finished samples of the study. */
function meanSampleSeconds(dir: string, spec: StudySpec, done: Set<number>[], limit = 50): number | null {
  const secs: number[] = [];
  for (let k = spec.ensembles.length - 1; k >= 0 && secs.length < limit; k--) {
    const ks = [...done[k]].sort((a, b) => b - a);
    for (const s of ks) {
      if (secs.length >= limit) break;
      try {
        const r = JSON.parse(readFileSync(samplePaths(dir, spec.ensembles[k].label, s).result, "utf8")) as { timing?: { seconds?: number } };
        if (typeof r.timing?.seconds === "number") secs.push(r.timing.seconds);
      } catch {
        /* a result being replaced this instant: skip it */
      }
    }
  }
  return secs.length === 0 ? null : secs.reduce((a, b) => a + b, 0) / secs.length;
}

export function studyStatus(dir: string, o: { shards?: number } = {}): StudyStatus {
  const spec = readStudyFolderSpec(dir);
  const total = { planned: 0, done: 0, running: 0, failed: 0, missing: 0, interrupted: 0 };
  const running: RunningSample[] = [];
  const failures: FailureRecord[] = [];
  const doneSets: Set<number>[] = [];
  const withWork = new Set<number>(), withFailures = new Set<number>();
  const ensembles = spec.ensembles.map((e, k): EnsembleStatus => {
    const files = listEnsembleFiles(dir, e.label);
    doneSets.push(files.results);
    const st: EnsembleStatus = { label: e.label, planned: e.samples, done: 0, running: 0, failed: 0, missing: 0, interrupted: 0 };
    for (let s = 0; s < e.samples; s++) {
      const paths = samplePaths(dir, e.label, s);
      if (files.results.has(s)) {
        st.done++;
        continue;
      }
      let live: ClaimRecord | null = null, stale = false;
      if (files.claims.has(s)) {
        const c = claimAlive(dir, paths.claim);
        if (c.alive && c.record !== null) live = c.record;
        else stale = !c.alive;
      }
      if (live !== null) {
        st.running++;
        running.push({ label: e.label, sample: s, shard: live.shard, host: live.owner.host, pid: live.owner.pid, since: live.started });
        continue;
      }
      const shard = o.shards === undefined ? -1 : shardOf(k, s, o.shards);
      if (files.failures.has(s)) {
        st.failed++;
        if (shard >= 0) withFailures.add(shard);
        try {
          failures.push(JSON.parse(readFileSync(paths.failed, "utf8")) as FailureRecord);
        } catch {
          failures.push({ label: e.label, sample: s, error: "(unreadable failure record)", shard: "?", host: "?", pid: 0, time: "" });
        }
      } else {
        st.missing++;
        if (stale || files.checkpoints.has(s)) st.interrupted++;
      }
      if (shard >= 0) withWork.add(shard);
    }
    for (const key of ["planned", "done", "running", "failed", "missing", "interrupted"] as const) total[key] += st[key];
    return st;
  });
  const meanSeconds = meanSampleSeconds(dir, spec, doneSets);
  const etaSeconds = meanSeconds !== null && total.running > 0 ? ((total.running + total.missing) * meanSeconds) / total.running : null;
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  return {
    name: spec.name,
    dir,
    ensembles,
    total,
    running,
    failures,
    meanSeconds,
    etaSeconds,
    shards: o.shards === undefined ? null : { count: o.shards, withWork: sorted(withWork), withFailures: sorted(withFailures) },
    summaryWritten: existsSync(join(dir, "summary.json")),
  };
}
