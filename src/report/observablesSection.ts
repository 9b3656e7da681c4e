/**
 * The report's per-ensemble tables of the registry's observables: one table per observable that
 * declares report rows (Observable.reportRows), one row per ensemble that measured it. A new
 * observable shows up here by declaring its rows; the report names none of them.
 */
import { OBSERVABLES } from "../registry/index.js";
import type { Observable } from "../registry/types.js";
import type { Block } from "./render.js";
import type { StudyData } from "./studyData.js";

export function observablesSection(data: StudyData, registry: readonly Observable[] = OBSERVABLES): { blocks: Block[]; missing: string[] } {
  const blocks: Block[] = [];
  const missing: string[] = [];
  for (const entry of registry) {
    if (entry.reportRows === undefined) continue;
    const rows = data.ensembles.map((r) => ({ label: r.label, cells: entry.reportRows!(r.statistics as unknown as Record<string, unknown>) })).filter((r) => r.cells.length > 0);
    if (rows.length === 0) {
      missing.push(`${entry.summary} (${entry.spec}): not measured in this study`);
      continue;
    }
    blocks.push({ kind: "h", level: 3, text: `${entry.summary} (${entry.spec})` });
    blocks.push({ kind: "table", header: ["ensemble", ...rows[0].cells.map(([q]) => q)], rows: rows.map((r) => [r.label, ...r.cells.map(([, v]) => v)]) });
  }
  if (blocks.length > 0) blocks.unshift({ kind: "h", level: 2, text: "Observables per ensemble" });
  return { blocks, missing };
}
