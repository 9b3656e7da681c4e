/**
 * Benchmark runner: `npm run bench [-- filter…] [--quick]`.
 *
 * Finds every `*.bench.js` next to this file (compiled from bench/*.bench.ts), keeps those whose
 * name contains one of the filter arguments (all when none), runs them one after the other,
 * prints each report as a table and writes it with the date, machine and load to
 * `bench/results/<name>.json` in the repository.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchReport, BenchValue, Benchmark } from "./types.js";

const here = path.dirname(fileURLToPath(import.meta.url));
// dist/bench → repository root
const root = path.resolve(here, "..", "..");
const resultsDir = path.join(root, "bench", "results");

function format(v: BenchValue): string {
  if (v === null) return "–";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a >= 1e5 || a < 1e-3 ? v.toExponential(3) : v.toPrecision(4);
  }
  return String(v);
}

export function formatTable(report: BenchReport): string {
  const cols = report.columns;
  const cells = report.rows.map((r) => cols.map((c) => format(r[c] ?? null)));
  const width = cols.map((c, k) => Math.max(c.length, ...cells.map((row) => row[k].length)));
  const line = (vals: readonly string[]) => vals.map((v, k) => v.padStart(width[k])).join("  ");
  return [line(cols), line(width.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick") || process.env.GLASSMECH_BENCH_QUICK === "1";
  const filters = args.filter((a) => !a.startsWith("--"));
  const files = readdirSync(here)
    .filter((f) => f.endsWith(".bench.js"))
    .filter((f) => filters.length === 0 || filters.some((q) => f.includes(q)))
    .sort();
  if (files.length === 0) {
    console.error(`no benchmark matches ${filters.join(", ") || "(none found)"} in ${here}`);
    process.exitCode = 2;
    return;
  }
  mkdirSync(resultsDir, { recursive: true });
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { bench?: Benchmark };
    const bench = mod.bench;
    if (bench === undefined) {
      console.error(`${file}: exports no 'bench'`);
      continue;
    }
    console.log(`\n## ${bench.name}: ${bench.description}${quick ? " (quick)" : ""}`);
    const t0 = performance.now();
    const report = await bench.run({ quick, log: (m) => console.error(`  [${bench.name}] ${m}`) });
    const seconds = (performance.now() - t0) / 1000;
    console.log(formatTable(report));
    for (const note of report.notes) console.log(`- ${note}`);
    const out = {
      name: bench.name,
      description: bench.description,
      date: new Date().toISOString(),
      quick,
      seconds,
      machine: {
        cpu: os.cpus()[0]?.model ?? "unknown",
        cores: os.cpus().length,
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        loadAverage: os.loadavg(),
      },
      columns: report.columns,
      rows: report.rows,
      notes: report.notes,
    };
    const file_ = path.join(resultsDir, `${bench.name}.json`);
    writeFileSync(file_, JSON.stringify(out, null, 2) + "\n");
    console.log(`(${seconds.toFixed(1)} s; saved ${path.relative(root, file_)})`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
