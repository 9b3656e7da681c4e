import type { Command } from "commander";
import { relative, sep } from "node:path";
import { writeReport } from "../report/report.js";
import { serveStudy } from "../report/serve.js";
import { integerArg } from "./options.js";

/**
 * `glassmech report STUDY_DIR [-o FILE.html]`: compares a study's ensembles with the papers
 * (src/report/): writes FILE.html (self-contained), FILE.md and FILE-plots/*.svg, default
 * STUDY_DIR/report.html, and one viewer page per ensemble (STUDY_DIR/<label>/view.html). Works
 * on a partial study (reports the glasses done so far). `--serve` then serves STUDY_DIR on
 * 127.0.0.1 (src/report/serve.ts) until interrupted.
 */
export function registerReport(program: Command): void {
  program
    .command("report")
    .description("compare a study with the papers' values and trends: report.html (self-contained), report.md, SVG plots and a viewer page per ensemble")
    .argument("<study>", "study folder (written by `glassmech study`)")
    .option("-o, --output <file>", "HTML report path (default <study>/report.html; the .md and the plots go next to it)")
    .option("--json", "print the checks (trends, values, notes) as JSON")
    .option("--no-views", "do not write the per-ensemble viewer pages (<study>/<label>/view.html)")
    .option("--serve", "then serve the study folder on 127.0.0.1 (nothing outside it) and print the URL")
    .option("--port <port>", "port of --serve (0: a free one)", integerArg, 0)
    .action(async (dir: string, o: { output?: string; json?: boolean; views: boolean; serve?: boolean; port: number }) => {
      const r = writeReport(dir, { output: o.output, views: o.views });
      const c = r.content;
      if (o.json === true) {
        const trends = c.trends.map((t) => ({ id: t.trend.id, statement: t.trend.statement, verdict: t.result.verdict, detail: t.result.detail, ratio: t.ratio }));
        const values = c.values.map((v) => ({ label: v.label, quantity: v.paper.quantity, paper: v.paper.value, ours: v.ours, verdict: v.verdict }));
        process.stdout.write(JSON.stringify({ html: r.html, markdown: r.markdown, trends, values, notes: c.notes }, null, 2) + "\n");
      } else {
        process.stdout.write(`report: ${r.html}\n        ${r.markdown} (plots in ${r.plotDir}/)\n`);
        for (const t of c.trends) process.stdout.write(`  ${t.result.verdict.padEnd(12)} ${t.trend.family} ${t.trend.statement} (${t.result.detail})\n`);
        for (const v of c.values) process.stdout.write(`  ${v.verdict.padEnd(12)} ${v.label}: ${v.paper.quantity} ours ${v.ours.value.toPrecision(3)} ± ${v.ours.stdError.toPrecision(2)}, paper ≈ ${v.paper.value}\n`);
        for (const n of c.notes) process.stdout.write(`  ${n.verdict.padEnd(12)} ${n.statement}: ${n.ours}\n`);
        for (const v of r.views ?? []) process.stdout.write(`  view         ${v.label}: ${v.path ?? `none (${v.missing.join("; ")})`}\n`);
      }
      if (o.serve === true) {
        const s = await serveStudy(dir, o.port);
        const page = relative(dir, r.html).split(sep).join("/");
        process.stdout.write(`serving ${dir} at ${s.url}${page.startsWith("..") ? "" : encodeURI(page)} (127.0.0.1 only; Ctrl-C to stop)\n`);
        await new Promise<void>((done) => {
          const stop = (): void => { void s.close().then(done); };
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
      }
    });
}
