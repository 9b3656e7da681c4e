import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GlassmechError } from "../core/errors.js";
import type { EnsembleResult } from "../registry/ensemble.js";
import type { GlassResult } from "../registry/types.js";
import { readAutoTp } from "./store.js";
import { readCompleteResults } from "./summary.js";

/**
 * Everything a study folder holds for its readers (the report), read once: study.json as
 * written, the per-sample results present of each ensemble (in sample order; a study still
 * running or killed half-way is fine), the T_p = auto values, summary.json when there is one, and
 * the lattice-model reports saved as `lattice/*.json`. Nothing here interprets them.
 */
export interface StudyFolder {
  dir: string;
  specPath: string;
  /** study.json as parsed (a spec written by this or an earlier version). */
  spec: { name?: string; measure?: Record<string, unknown>; ensembles: RawEnsemble[] };
  /** Per-sample results present, by ensemble label. */
  results: Map<string, GlassResult[]>;
  /** T_p of the ensembles with tp = "auto" whose tp-auto.json exists. */
  tpAuto: Map<string, number>;
  summary: { ensembles?: { label: string; tp: number; statistics: EnsembleResult }[] } | null;
  /** `lattice/*.json`, each parsed or with the reason it could not be (null: no lattice folder). */
  lattice: { name: string; report?: unknown; error?: string }[] | null;
}

/** An ensemble of study.json as written (model as a descriptor string or object). */
export interface RawEnsemble {
  label: string;
  model: { name: string; params: Record<string, number> } | string;
  density?: number;
  tp: number | "auto";
  samples: number;
  n?: number;
  d?: number;
  decayFrom?: string;
  measure?: Record<string, unknown>;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new GlassmechError(`cannot read JSON: ${(e as Error).message}`, { file: path });
  }
}

/** Reads a study folder. Throws a GlassmechError if it is not one. */
export function readStudyFolder(dir: string): StudyFolder {
  const specPath = join(dir, "study.json");
  if (!existsSync(specPath)) throw new GlassmechError(`${dir} is not a study folder (no study.json; run 'glassmech study' first)`);
  const spec = readJson(specPath) as StudyFolder["spec"];
  if (!Array.isArray(spec.ensembles)) throw new GlassmechError("study.json has no ensembles", { file: specPath });
  const results = new Map<string, GlassResult[]>();
  const tpAuto = new Map<string, number>();
  const labels = new Set([...spec.ensembles.map((e) => e.label), ...spec.ensembles.flatMap((e) => (e.decayFrom === undefined ? [] : [e.decayFrom]))]);
  for (const label of labels) results.set(label, readCompleteResults(dir, label, Infinity).map((x) => x.result));
  for (const e of spec.ensembles) {
    const tp = e.tp === "auto" ? readAutoTp(dir, e.label) : null;
    if (tp !== null) tpAuto.set(e.label, tp);
  }
  const summaryPath = join(dir, "summary.json");
  const summary = existsSync(summaryPath) ? (readJson(summaryPath) as StudyFolder["summary"]) : null;
  const latticeDir = join(dir, "lattice");
  const lattice = existsSync(latticeDir)
    ? readdirSync(latticeDir).filter((n) => n.endsWith(".json")).sort().map((name) => {
        try {
          return { name, report: JSON.parse(readFileSync(join(latticeDir, name), "utf8")) as unknown };
        } catch (e) {
          return { name, error: (e as Error).message };
        }
      })
    : null;
  return { dir, specPath, spec, results, tpAuto, summary, lattice };
}
