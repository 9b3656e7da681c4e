import { columnsOf, formatCsv, type Cell, type Row } from "../io/csv.js";
import type { EnsembleResult } from "../registry/ensemble.js";
import type { GlassResult } from "../registry/types.js";

/**
 * The study's tables for pandas and friends: glasses.csv (one row per glass) and ensembles.csv
 * (one row per ensemble). Column names are the JSON keys of the per-glass results (SPEC §10) and
 * of the ensemble statistics, nested keys joined by dots (`make.minimization.iterations`); an
 * ensemble value with an error gives `key` and `key_se`. Arrays (frequencies, dipoles, histograms)
 * stay in the JSON files.
 */
export const GLASS_LEADING_COLUMNS = ["ensemble", "sample", "seed", "stream", "glass"] as const;
export const ENSEMBLE_LEADING_COLUMNS = ["ensemble", "model", "d", "N", "density", "tp", "planned", "glasses"] as const;

/** Keys of a per-glass result that are bookkeeping with a better column elsewhere. */
const GLASS_SKIP = new Set(["label", "sample", "glassFile", "file", "N", "d"]);

function flatten(prefix: string, v: unknown, out: Row, depth: number): void {
  if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean") {
    out[prefix] = v as Cell;
    return;
  }
  if (typeof v !== "object" || Array.isArray(v) || depth > 3) return;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(prefix === "" ? k : `${prefix}.${k}`, x, out, depth + 1);
}

export interface GlassContext {
  ensemble?: string;
  sample?: number;
  seed?: number;
  /** Path of the glass file, relative to the study folder. */
  glass?: string;
}

/** One row of glasses.csv (also `measure --csv`): the context, N and d, then every scalar key. */
export function glassRow(r: GlassResult, c: GlassContext): Row {
  const make = r.make as { sample?: number } | undefined;
  const row: Row = { ensemble: c.ensemble, sample: c.sample, seed: c.seed, stream: make?.sample, glass: c.glass, N: r.N, d: r.d };
  for (const [k, v] of Object.entries(r)) if (!GLASS_SKIP.has(k)) flatten(k, v, row, 0);
  return row;
}

export function glassesCsv(rows: readonly Row[]): string {
  return formatCsv(columnsOf(rows, [...GLASS_LEADING_COLUMNS, "N", "d"]), rows);
}

export interface EnsembleContext {
  ensemble?: string;
  density?: number;
  tp?: number;
  planned?: number;
}

/** Flattens an ensemble value: {value, stdError, …} → key, key_se, key.field for the rest. */
function flattenStatistic(key: string, v: unknown, out: Row, depth: number): void {
  if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean") {
    out[key] = v as Cell;
    return;
  }
  if (typeof v !== "object" || Array.isArray(v) || depth > 3) return;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k === "value") out[key] = x as Cell;
    else if (k === "stdError") out[`${key}_se`] = x as Cell;
    else if (k !== "removedIndices") flattenStatistic(`${key}.${k}`, x, out, depth + 1);
  }
}

/** One row of ensembles.csv (also `ensemble --csv`): parameters, means with `_se`, χ, fits. */
export function ensembleRow(s: EnsembleResult, c: EnsembleContext): Row {
  const row: Row = { ensemble: c.ensemble, model: s.model, d: s.d, N: s.N, density: c.density ?? s.means.density?.mean, tp: c.tp, planned: c.planned, glasses: s.samples };
  for (const [k, m] of Object.entries(s.means)) {
    if (k === "density" || k === "tp") continue;
    row[k] = m.mean;
    row[`${k}_se`] = m.stdError;
  }
  for (const [k, v] of Object.entries(s)) {
    if (k === "means" || k === "samples" || k === "model" || k === "N" || k === "d") continue;
    if (k === "microWarnings") row.warnings = Array.isArray(v) && v.length > 0 ? v.join("; ") : undefined;
    else flattenStatistic(k, v, row, 0);
  }
  return row;
}

export function ensemblesCsv(rows: readonly Row[]): string {
  return formatCsv(columnsOf(rows, ENSEMBLE_LEADING_COLUMNS), rows);
}
