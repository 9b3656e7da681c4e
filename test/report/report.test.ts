import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { registerReport } from "../../src/cli/report.js";
import { parseDescriptor } from "../../src/core/descriptor.js";
import { formatWithError, writeReport } from "../../src/report/report.js";
import { classifyEnsemble, loadStudy } from "../../src/report/studyData.js";
import { writeSyntheticStudy } from "./synthetic.js";
import { xmlProblem } from "./xml.js";

const withDir = async (f: (dir: string) => void | Promise<void>): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), "gm-report-"));
  try {
    await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test("ensembles are sorted into the paper families; the DSS ρ = 0.6 point is also the CSS r_c = 1.2 point", () => {
  assert.deepEqual(classifyEnsemble(parseDescriptor("model=qss q=20 xc=1.8"), 0.677), [{ family: "QSS", control: 20 }]);
  assert.deepEqual(classifyEnsemble(parseDescriptor("model=pss rc=1.2"), 0.6), [{ family: "DSS", control: 0.6 }, { family: "CSS", control: 1.2 }]);
  assert.deepEqual(classifyEnsemble(parseDescriptor("model=pss rc=1.2"), 0.95), [{ family: "DSS", control: 0.95 }]);
  assert.deepEqual(classifyEnsemble(parseDescriptor("model=pss rc=1.5"), 0.6), [{ family: "CSS", control: 1.5 }]);
  assert.deepEqual(classifyEnsemble(parseDescriptor("model=pss rc=1.5"), 0.7), []);
  assert.deepEqual(classifyEnsemble(parseDescriptor("model=ipl"), 0.82), []);
});

test("values are printed with their error to two significant digits", () => {
  assert.equal(formatWithError({ value: 0.34215, stdError: 0.0043 }), "0.3422 ± 0.0043");
  assert.equal(formatWithError({ value: 12.3456, stdError: 0.26 }), "12.35 ± 0.26");
  assert.equal(formatWithError({ value: 0.05, stdError: NaN }), "0.05000");
  assert.equal(formatWithError({ value: 4e-4, stdError: 1e-4 }), "4.00e-4 ± 1.0e-4");
  assert.equal(formatWithError(undefined), "–");
});

test("a synthetic study gives report.md, a self-contained report.html and well-formed SVG plots, with the verdicts its data imply", () =>
  withDir((dir) => {
    writeSyntheticStudy(dir, 8);
    const r = writeReport(dir, { date: "2000-01-01 00:00:00" });
    assert.equal(r.html, join(dir, "report.html"));
    assert.ok(existsSync(r.html) && existsSync(r.markdown) && existsSync(r.plotDir));
    const html = readFileSync(r.html, "utf8"), md = readFileSync(r.markdown, "utf8");
    assert.equal(xmlProblem(html), null);
    assert.ok(!/<script|<link|<img|src=/.test(html), "self-contained: no scripts, links or external images");
    const svgs = readdirSync(r.plotDir);
    for (const f of ["dss-gk.svg", "dss-stickiness.svg", "css-stickiness.svg", "qss-pp0.svg", "dss-chi.svg", "qss-nu.svg", "css-wg.svg", "css-pkappa.svg"]) assert.ok(svgs.includes(f), `plot ${f}`);
    for (const f of svgs) assert.equal(xmlProblem(readFileSync(join(r.plotDir, f), "utf8")), null, f);
    assert.equal((html.match(/<svg /g) ?? []).length, svgs.length, "every plot inlined once");
    assert.ok(md.includes("![G/K vs ρ (DSS)](report-plots/dss-gk.svg)"));
    assert.ok(md.includes("| verdict | paper says |"));
    assert.ok(md.includes("seed 001 §IV A, Fig. 4b"));

    const verdict = (id: string) => r.content.trends.find((t) => t.trend.id === id)!.result.verdict;
    assert.equal(verdict("dss-gk"), "yes");
    assert.equal(verdict("dss-s"), "yes");
    assert.equal(verdict("css-s"), "no", "the synthetic CSS stickiness rises with r_c, against the paper");
    assert.equal(verdict("qss-gk"), "yes", "flat G/K");
    assert.equal(verdict("dss-chig"), "yes", "χ_G rises with ρ (relative G noise 0.01 … 0.05)");
    assert.equal(verdict("css-wg"), "yes", "ω_g/ω0 from κ = 90, 60, 30 falls with r_c");
    const ratio = r.content.trends.find((t) => t.trend.id === "dss-gk")!.ratio!;
    assert.ok(Math.abs(ratio.ours - 0.45 / (0.15 + 0.3 * Math.exp(-0.65 / 0.15))) < 0.1 && ratio.verdict === "yes");
    assert.ok(!r.content.trends.some((t) => t.trend.id === "dss-ag"), "no A_g in the results: its statements are omitted");
    const pp = r.content.values.filter((v) => v.paper.quantity === "pOverP0");
    assert.equal(pp.length, 4);
    assert.ok(pp.every((v) => v.verdict === "yes"));
    const plateau = r.content.values.find((v) => v.paper.quantity === "GOverK" && v.control === 1.2)!;
    assert.equal(plateau.verdict, "yes");
    assert.equal(r.content.notes.find((n) => /χ_K stays/.test(n.statement))!.verdict, "yes");
    assert.ok(!html.includes("PARTIAL"));
  }));

test("a partial study is reported as such; an ensemble with < 2 glasses is skipped with a warning", () =>
  withDir((dir) => {
    writeSyntheticStudy(dir, 3, { planned: 8 });
    for (const k of [1, 2]) unlinkSync(join(dir, "pss-rc1.5-rho0.6", `result-000${k}.json`));
    const data = loadStudy(dir);
    assert.equal(data.complete, false);
    assert.ok(!data.ensembles.some((e) => e.label === "pss-rc1.5-rho0.6"));
    assert.ok(data.warnings.some((w) => w.startsWith("pss-rc1.5-rho0.6: 1 of 8 glasses")));
    const r = writeReport(dir, { output: join(dir, "out", "papers.html") });
    assert.ok(existsSync(join(dir, "out", "papers.md")) && existsSync(join(dir, "out", "papers-plots", "dss-gk.svg")));
    assert.ok(readFileSync(r.html, "utf8").includes("PARTIAL: 28 of 80 planned glasses"));
    assert.throws(() => loadStudy(join(dir, "nope")), /not a study folder/);
  }));

test("the report command writes the files and prints the checks", () =>
  withDir(async (dir) => {
    writeSyntheticStudy(dir, 4);
    const program = new Command().exitOverride();
    registerReport(program);
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => { out.push(s); return true; }) as typeof process.stdout.write;
    try {
      await program.parseAsync(["node", "glassmech", "report", dir, "--json"]);
    } finally {
      process.stdout.write = write;
    }
    const j = JSON.parse(out.join(""));
    assert.equal(j.html, join(dir, "report.html"));
    assert.ok(existsSync(j.html));
    assert.equal(j.trends.find((t: { id: string }) => t.id === "dss-gk").verdict, "yes");
  }));
