import { readFileSync } from "node:fs";

/**
 * A per-glass result without what legitimately differs between two runs of the same sample:
 * wall times (timing, make.seconds, microSeconds) and the study folder's path (glassFile).
 * Everything else must be identical, number for number.
 */
export function comparableResult(path: string): string {
  const r = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown> & { make?: Record<string, unknown> };
  delete r.timing;
  delete r.microSeconds;
  delete r.glassFile;
  if (r.make !== undefined) delete r.make.seconds;
  return JSON.stringify(r);
}

/** A CSV table's rows without its wall-time columns (`…seconds…`, `…Seconds…`). */
export function comparableCsv(path: string): string[] {
  const rows = readFileSync(path, "utf8").trim().split("\n").map((r) => r.split(","));
  const keep = rows[0].map((c, i) => (/seconds|Seconds/.test(c) ? -1 : i)).filter((i) => i >= 0);
  return rows.map((r) => keep.map((i) => r[i]).join(","));
}
