import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { GlassmechError } from "../core/errors.js";
import { writeFileAtomic } from "../io/text.js";
import { ensembleStatistics, type EnsembleResult } from "../registry/ensemble.js";
import { analysisOptions as analysisDeclarations } from "../registry/index.js";
import type { GlassResult } from "../registry/types.js";
import type { MeasureSettings, StudySpec } from "./spec.js";
import { listEnsembleFiles, readAutoTp, samplePaths, sweepStudyTemporaries } from "./store.js";
import { ensembleRow, ensemblesCsv, glassesCsv, glassRow } from "./tables.js";
import type { Row } from "../io/csv.js";

/**
 * The summary step (`study merge`, and the end of a whole-study run): ensemble statistics over
 * whatever samples are complete, written as summary.json, glasses.csv and ensembles.csv. It reads
 * only finished result files, so it can run while shards are still working, and running it again
 * later gives the summary of the larger set.
 */
export interface EnsembleSummary {
  label: string;
  tp: number;
  /** Glasses the statistics are over, and how many the spec asks for. */
  glasses: number;
  planned: number;
  statistics: EnsembleResult;
}

export interface StudySummary {
  name: string;
  ensembles: EnsembleSummary[];
  /** Ensembles with fewer glasses than planned (those with none have no entry in `ensembles`). */
  incomplete?: { label: string; glasses: number; planned: number }[];
  /** Ensembles whose statistics could not be taken (e.g. χ of moduli with a non-positive mean). */
  errors?: { label: string; error: string }[];
}

/** Completed results of one ensemble, in sample order (missing samples are left out). */
export function readCompleteResults(dir: string, label: string, planned: number): { sample: number; result: GlassResult }[] {
  const done = [...listEnsembleFiles(dir, label).results].filter((k) => k < planned).sort((a, b) => a - b);
  return done.map((sample) => {
    const path = samplePaths(dir, label, sample).result;
    try {
      return { sample, result: JSON.parse(readFileSync(path, "utf8")) as GlassResult };
    } catch (e) {
      throw new GlassmechError(`cannot read a sample result (delete it to have the sample made again): ${(e as Error).message}`, { file: path });
    }
  });
}

export function summarizeStudy(spec: StudySpec, dir: string): StudySummary {
  const results = spec.ensembles.map((e) => readCompleteResults(dir, e.label, e.samples));
  const incomplete: NonNullable<StudySummary["incomplete"]> = [];
  const errors: NonNullable<StudySummary["errors"]> = [];
  const summary: StudySummary = { name: spec.name, ensembles: [], incomplete, errors };
  const glassRows: Row[] = [];
  const ensembleRows: Row[] = [];
  spec.ensembles.forEach((e, k) => {
    const done = results[k];
    if (done.length < e.samples) incomplete.push({ label: e.label, glasses: done.length, planned: e.samples });
    if (done.length === 0) return;
    const tp = e.tp === "auto" ? readAutoTp(dir, e.label) ?? Number.NaN : e.tp;
    const src = e.decayFrom === undefined ? -1 : spec.ensembles.findIndex((x) => x.label === e.decayFrom);
    const decayFrom = src >= 0 && results[src].length > 0 ? results[src].map((x) => x.result) : undefined;
    // Every finished glass is a row of glasses.csv, also where the ensemble's statistics fail.
    for (const { sample, result } of done)
      glassRows.push(glassRow(result, { ensemble: e.label, sample, seed: spec.seed, glass: relative(dir, samplePaths(dir, e.label, sample).glass) }));
    let statistics: EnsembleResult;
    try {
      statistics = ensembleStatistics(done.map((x) => x.result), { decayFrom, ...analysisOptions(spec.measure, e.measure) });
    } catch (err) {
      // One ensemble whose statistics are undefined must not cost the summary of the others.
      if (!(err instanceof GlassmechError)) throw err;
      errors.push({ label: e.label, error: err.message });
      return;
    }
    summary.ensembles.push({ label: e.label, tp, glasses: done.length, planned: e.samples, statistics });
    ensembleRows.push(ensembleRow(statistics, { ensemble: e.label, density: e.density, tp, planned: e.samples }));
  });
  sweepStudyTemporaries(dir, []);
  writeFileAtomic(join(dir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  writeFileAtomic(join(dir, "glasses.csv"), glassesCsv(glassRows));
  writeFileAtomic(join(dir, "ensembles.csv"), ensemblesCsv(ensembleRows));
  return summary;
}

/** The ensemble-analysis settings (the registry's analysisOnly options) of an ensemble: its own `measure` block over the study's. */
export function analysisOptions(study: MeasureSettings | undefined, ensemble: MeasureSettings | undefined): Record<string, unknown> {
  const m: MeasureSettings = { ...study, ...ensemble };
  return Object.fromEntries(analysisDeclarations().map((s) => [s.key, m[s.key]]));
}
