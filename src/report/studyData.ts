/**
 * Reads a study folder (src/study/runner.ts layout: study.json, <label>/result-*.json,
 * <label>/tp-auto.json, summary.json) into the rows the report needs: one per ensemble, with its
 * paper family/families (QSS, DSS, CSS; SPEC §1) and the report quantities with errors.
 *
 * Statistics are recomputed from the per-sample results present (ensembleStatistics), so a study
 * still running or killed half-way can be reported on (marked partial); summary.json is used only
 * when an ensemble has no per-sample results in the folder.
 */
import { GlassmechError } from "../core/errors.js";
import { formatDescriptor, parseDescriptor, type ModelDescriptor } from "../core/descriptor.js";
import { ensembleStatistics, type EnsembleResult } from "../registry/ensemble.js";
import { OBSERVABLES } from "../registry/index.js";
import type { GlassResult } from "../registry/types.js";
import { readStudyFolder, type StudyFolder } from "../study/folder.js";
import { analysisOptions } from "../study/summary.js";
import type { Family, Quantity } from "./paperValues.js";

import type { ValueWithError } from "../registry/reduce.js";
export type { ValueWithError };

export interface EnsembleRow {
  label: string;
  /** Descriptor string, e.g. "model=pss rc=1.2". */
  model: string;
  modelName: string;
  params: Record<string, number>;
  density: number;
  /** Parent temperature (NaN if unknown). */
  tp: number;
  /** Glasses found / planned by the spec. */
  samples: number;
  planned: number;
  N: number;
  d: number;
  /** Paper families this point belongs to, with its control-parameter value in each. */
  families: { family: Family; control: number }[];
  statistics: EnsembleResult;
  values: Partial<Record<Quantity, ValueWithError>>;
  /** How ω_g (and 𝒩) was defined here: "length" (2π c_s/ξ_g, seed 001) or "dipole" (⟨√κ⟩, seed 003). */
  omegaGDefinition?: "length" | "dipole";
  /** The lowest mode frequencies of each glass that has them (for D(ω)); [] without modes. */
  frequencies: number[][];
  /** Mean wall seconds per glass of making it (MD + minimization) and of the microscopic measurements, over the glasses that record them. */
  timings: { glasses: number; make: number; measure: number } | null;
}

export interface StudyData {
  dir: string;
  name: string;
  /** Every planned glass has a result. */
  complete: boolean;
  /** Glasses with a result / planned by the spec, over all ensembles (also the skipped ones). */
  glasses: { done: number; planned: number };
  measure: { modes: number; dipoles: number };
  ensembles: EnsembleRow[];
  warnings: string[];
  /** study.json as read (printed in the report). */
  spec: unknown;
  /** The lattice-model reports saved in the folder (null: none). */
  lattice: StudyFolder["lattice"];
}

const close = (a: number | undefined, b: number): boolean => a !== undefined && Math.abs(a - b) < 1e-9;

/**
 * Families of a model at a density (SPEC §1): QSS = any qss model (control q); DSS = pss with
 * r_c = 1.2 (control ρ); CSS = pss at ρ = 0.60 (control r_c). The DSS ρ = 0.60 point is also the
 * CSS r_c = 1.2 point, so one ensemble serves both.
 */
export function classifyEnsemble(model: ModelDescriptor, density: number): { family: Family; control: number }[] {
  const out: { family: Family; control: number }[] = [];
  if (model.name === "qss" && model.params.q !== undefined) out.push({ family: "QSS", control: model.params.q });
  if (model.name === "pss") {
    if (close(model.params.rc, 1.2)) out.push({ family: "DSS", control: density });
    if (close(density, 0.6) && model.params.rc !== undefined) out.push({ family: "CSS", control: model.params.rc });
  }
  return out;
}

/** Report quantities of one ensemble (absent when not measured), from the registry's `quantities`. */
export function ensembleValues(s: EnsembleResult): { values: Partial<Record<Quantity, ValueWithError>>; omegaGDefinition?: "length" | "dipole" } {
  const merged: Record<string, ValueWithError | string> = {};
  for (const entry of OBSERVABLES) Object.assign(merged, entry.quantities?.(s as unknown as Record<string, unknown>) ?? {});
  const { omegaGDefinition, ...values } = merged;
  return { values: values as Partial<Record<Quantity, ValueWithError>>, omegaGDefinition: omegaGDefinition as "length" | "dipole" | undefined };
}

/** Sum of the numbers of a { step: seconds } record (the runner's make.seconds, microSeconds). */
const secondsOf = (v: unknown): number | null =>
  v !== null && typeof v === "object" ? Object.values(v as Record<string, unknown>).reduce<number>((a, x) => a + (typeof x === "number" ? x : 0), 0) : typeof v === "number" ? v : null;

function timingsOf(results: readonly GlassResult[]): EnsembleRow["timings"] {
  const make: number[] = [], measure: number[] = [];
  for (const r of results) {
    const m = secondsOf((r.make as { seconds?: unknown } | undefined)?.seconds);
    if (m === null) continue;
    make.push(m);
    measure.push(secondsOf(r.microSeconds) ?? 0);
  }
  if (make.length === 0) return null;
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  return { glasses: make.length, make: mean(make), measure: mean(measure) };
}

/** Loads a study folder for the report (study/folder.ts reads it). Throws a GlassmechError if it is not one. */
export function loadStudy(dir: string): StudyData {
  return studyData(readStudyFolder(dir));
}

/** The report's rows of a study folder: a pure function of what it holds. */
export function studyData(folder: StudyFolder): StudyData {
  const { dir, specPath, spec, summary } = folder;
  const warnings: string[] = [];
  const rows: EnsembleRow[] = [];
  let complete = true;
  let done = 0, planned = 0;
  const guarded: string[] = [];
  for (const e of spec.ensembles) {
    const model = typeof e.model === "string" ? parseDescriptor(e.model, { file: specPath }) : e.model;
    const results = folder.results.get(e.label) ?? [];
    if (results.length < e.samples) complete = false;
    done += results.length;
    planned += e.samples;
    let stats: EnsembleResult | null = null;
    let samples = results.length;
    if (results.length >= 2) {
      try {
        const decayFrom = e.decayFrom === undefined ? undefined : folder.results.get(e.decayFrom);
        stats = ensembleStatistics(results, { decayFrom: decayFrom !== undefined && decayFrom.length > 0 ? decayFrom : undefined, ...analysisOptions(spec.measure, e.measure) });
      } catch (err) {
        if (!(err instanceof GlassmechError)) throw err;
        warnings.push(`${e.label}: ${err.message}`);
      }
    } else {
      const fromSummary = summary?.ensembles?.find((x) => x.label === e.label);
      if (fromSummary) { stats = fromSummary.statistics; samples = stats.samples; }
      else warnings.push(`${e.label}: ${results.length} of ${e.samples} glasses done; need ≥ 2 for statistics`);
    }
    if (stats === null) continue;
    const tp = typeof e.tp === "number" ? e.tp : (folder.tpAuto.get(e.label) ?? NaN);
    const density = e.density ?? stats.means.density?.mean ?? NaN;
    const { values, omegaGDefinition } = ensembleValues(stats);
    if (stats.chiG && stats.chiG.stoppedBy !== "delta") guarded.push(e.label);
    rows.push({
      label: e.label, model: formatDescriptor(model), modelName: model.name, params: { ...model.params }, density, tp,
      samples, planned: e.samples, N: stats.N, d: stats.d, families: classifyEnsemble(model, density), statistics: stats, values, omegaGDefinition,
      frequencies: results.map((r) => r.frequencies).filter((f): f is number[] => Array.isArray(f) && f.length > 0 && f.every((x) => typeof x === "number" && x >= 0)),
      timings: timingsOf(results),
    });
  }
  if (guarded.length)
    warnings.push(`χ_G: the outlier removal of seed 001 App. A1c was stopped by its small-ensemble guard in ${guarded.length} of ${rows.length} ensembles (statistics/chi.ts: δ = 1% needs hundreds of glasses); their χ_G is the raw value or close to it`);
  const count = (k: string): number => (typeof spec.measure?.[k] === "number" ? (spec.measure[k] as number) : 0);
  return { dir, name: spec.name ?? "study", complete, glasses: { done, planned }, measure: { modes: count("modes"), dipoles: count("dipoles") }, ensembles: rows, warnings, spec, lattice: folder.lattice };
}
