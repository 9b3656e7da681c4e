/**
 * The study store at scale (src/study): a study of 10⁴ tiny glasses (2D PSS, N = 16, 10³ with
 * --quick) made on 2 worker threads, then the steps that read the whole folder: `study status`
 * (one directory listing per ensemble), `study merge` (reads every result, ensemble statistics,
 * summary.json + glasses.csv + ensembles.csv) and `report`. Wall times; the making time includes
 * the per-sample claim and result files.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeReport } from "../src/report/report.js";
import { runStudy } from "../src/study/runner.js";
import { parseStudySpec } from "../src/study/spec.js";
import { studyStatus } from "../src/study/status.js";
import { summarizeStudy } from "../src/study/summary.js";
import type { BenchContext, BenchReport, Benchmark } from "./types.js";

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

export const bench: Benchmark = {
  name: "study",
  description: "a study of 10⁴ tiny glasses: making (2 threads), status, merge (summary + CSV tables), report",
  async run(ctx: BenchContext): Promise<BenchReport> {
    const perEnsemble = ctx.quick ? 500 : 5000;
    const spec = parseStudySpec({
      name: "store",
      seed: 1,
      glass: { d: 2, n: 16, time: 0.2 },
      ensembles: [
        { label: "soft", model: "model=pss rc=1.5", density: 0.7, tp: 1.5, samples: perEnsemble },
        { label: "sticky", model: "model=pss rc=1.2", density: 0.7, tp: 1.5, samples: perEnsemble },
      ],
    });
    const dir = mkdtempSync(join(tmpdir(), "gm-bench-study-"));
    try {
      ctx.log(`making ${2 * perEnsemble} glasses …`);
      let t = process.hrtime.bigint();
      await runStudy(spec, dir, { threads: 2 });
      const make = seconds(t);
      t = process.hrtime.bigint();
      const st = studyStatus(dir);
      const status = seconds(t);
      if (st.total.done !== 2 * perEnsemble) throw new Error(`status counts ${st.total.done} done`);
      t = process.hrtime.bigint();
      summarizeStudy(spec, dir);
      const merge = seconds(t);
      t = process.hrtime.bigint();
      writeReport(dir);
      const report = seconds(t);
      const csvMB = statSync(join(dir, "glasses.csv")).size / 2 ** 20;
      return {
        columns: ["glasses", "makeSeconds", "msPerGlass", "statusSeconds", "mergeSeconds", "reportSeconds", "glassesCsvMB"],
        rows: [{ glasses: 2 * perEnsemble, makeSeconds: make, msPerGlass: (1000 * make) / (2 * perEnsemble), statusSeconds: status, mergeSeconds: merge, reportSeconds: report, glassesCsvMB: csvMB }],
        notes: ["merge = read every result-*.json, ensemble statistics (means, χ with outlier removal), write summary.json, glasses.csv, ensembles.csv"],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
