/**
 * The report's "machine and timings" section: what machine wrote the report (the study may have
 * been run elsewhere: the per-glass seconds come from the results themselves) and the mean time
 * per glass of each ensemble.
 */
import { cpus, totalmem, type as osType, release } from "node:os";
import type { StudyData } from "./studyData.js";

/** One line each: CPU, memory, OS, Node. */
export function machineLines(): string[] {
  const c = cpus();
  return [
    `report written on: ${c.length} × ${c[0]?.model.trim() ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${osType()} ${release()}, Node ${process.version}`,
    "times below are wall seconds per glass as the study recorded them (make: overlap removal + MD + minimization; microscopic: factorization, modes, dipoles, c(r)), on the machine that ran the study, possibly shared",
  ];
}

const s2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : "–");

/** Rows: ensemble, glasses timed, make s, microscopic s, view s. */
export function timingRows(data: StudyData, views?: readonly { label: string; seconds: number }[]): string[][] {
  return data.ensembles
    .filter((r) => r.timings !== null || views?.some((v) => v.label === r.label))
    .map((r) => {
      const v = views?.find((x) => x.label === r.label);
      return [r.label, String(r.timings?.glasses ?? 0), s2(r.timings?.make ?? NaN), s2(r.timings?.measure ?? NaN), v ? s2(v.seconds) : "–"];
    });
}
