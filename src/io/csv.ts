import { formatFloat } from "./text.js";

/**
 * CSV as pandas.read_csv, R and spreadsheets read it (RFC 4180): a header row, comma-separated
 * cells, fields with commas, quotes or line breaks quoted with doubled quotes. Numbers are written
 * as the shortest strings that read back to the same float64; non-finite numbers and missing
 * values are empty cells (NaN in pandas); booleans are true/false.
 */
export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;

function formatCell(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? formatFloat(v) : "";
  if (typeof v === "boolean") return v ? "true" : "false";
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The columns of `rows` in order of first appearance, after `leading` (which always come first). */
export function columnsOf(rows: readonly Row[], leading: readonly string[] = []): string[] {
  const seen = new Set<string>(leading);
  const out = [...leading];
  for (const r of rows)
    for (const k of Object.keys(r))
      if (!seen.has(k)) {
        seen.add(k);
        out.push(k);
      }
  return out;
}

export function formatCsv(columns: readonly string[], rows: readonly Row[]): string {
  const lines = [columns.map(formatCell).join(",")];
  for (const r of rows) lines.push(columns.map((c) => formatCell(r[c])).join(","));
  return lines.join("\n") + "\n";
}
