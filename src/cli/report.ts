import type { Command } from "commander";
import { writeReport } from "../report/report.js";

/**
 * `glassmech report STUDY_DIR [-o FILE.html]`: compares a study's ensembles with the papers
 * (src/report/): writes FILE.html (self-contained), FILE.md and FILE-plots/*.svg, default
 * STUDY_DIR/report.html. Works on a partial study (reports the glasses done so far).
 */
export function registerReport(program: Command): void {
  program
    .command("report")
    .description("compare a study with the papers' values and trends: report.html (self-contained), report.md and SVG plots")
    .argument("<study>", "study folder (written by `glassmech study`)")
    .option("-o, --output <file>", "HTML report path (default <study>/report.html; the .md and the plots go next to it)")
    .option("--json", "print the checks (trends, values, notes) as JSON")
    .action((dir: string, o: { output?: string; json?: boolean }) => {
      const r = writeReport(dir, { output: o.output });
      const c = r.content;
      if (o.json === true) {
        const trends = c.trends.map((t) => ({ id: t.trend.id, statement: t.trend.statement, verdict: t.result.verdict, detail: t.result.detail, ratio: t.ratio }));
        const values = c.values.map((v) => ({ label: v.label, quantity: v.paper.quantity, paper: v.paper.value, ours: v.ours, verdict: v.verdict }));
        process.stdout.write(JSON.stringify({ html: r.html, markdown: r.markdown, trends, values, notes: c.notes }, null, 2) + "\n");
        return;
      }
      process.stdout.write(`report: ${r.html}\n        ${r.markdown} (plots in ${r.plotDir}/)\n`);
      for (const t of c.trends) process.stdout.write(`  ${t.result.verdict.padEnd(12)} ${t.trend.family} ${t.trend.statement} (${t.result.detail})\n`);
      for (const v of c.values) process.stdout.write(`  ${v.verdict.padEnd(12)} ${v.label}: ${v.paper.quantity} ours ${v.ours.value.toPrecision(3)} ± ${v.ours.stdError.toPrecision(2)}, paper ≈ ${v.paper.value}\n`);
      for (const n of c.notes) process.stdout.write(`  ${n.verdict.padEnd(12)} ${n.statement}: ${n.ours}\n`);
    });
}
