/**
 * The report's pages beyond the tables (issue 14): the physics plots with their fits and marks,
 * the per-ensemble viewer pages, the table of contents, spec, machine, timings, warnings and
 * print CSS, on a real tiny study; and what the report says when pieces are missing.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { writeVectorMarket } from "../../src/io/matrixMarket.js";
import { Rng } from "../../src/core/rng.js";
import { boltzmannPlot, decayPlot, pKappaPlot } from "../../src/report/microPlots.js";
import { logBinnedHistogram, lowTailExponent } from "../../src/statistics/index.js";
import { writeReport } from "../../src/report/report.js";
import type { EnsembleRow, StudyData } from "../../src/report/studyData.js";
import { writeSyntheticStudy } from "./synthetic.js";
import { xmlProblem } from "./xml.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "glassmech-report-pages-"));
const study = join(dir, "study");
after(() => rmSync(dir, { recursive: true, force: true }));

before(() => {
  const spec = join(dir, "tiny.json");
  writeFileSync(spec, JSON.stringify({
    name: "tiny", seed: 5, glass: { d: 3, n: 200, time: 2 }, measure: { modes: 12, dipoles: 30, decay: true },
    ensembles: [
      { label: "pss-rc1.2", model: "model=pss rc=1.2", density: 0.6, tp: 2.0, samples: 2 },
      { label: "pss-rc1.5", model: "model=pss rc=1.5", density: 0.6, tp: 2.0, samples: 2 },
    ],
  }));
  const r = spawnSync(process.execPath, [MAIN, "study", spec, "-o", study], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});

test("a real small study: D(ω)/ω⁴, p(κ) and r^(2d)c(r) with fits and marks, one linked view per ensemble, TOC, spec, machine, timings, print CSS", () => {
  // A quartic mode supplied for one ensemble is shown "when present".
  writeVectorMarket(join(study, "pss-rc1.5", "qlm-0000.mtx"), Float64Array.from({ length: 600 }, (_, k) => Math.sin(k)));
  const r = writeReport(study, { date: "2000-01-01 00:00:00" });
  const html = readFileSync(r.html, "utf8"), md = readFileSync(r.markdown, "utf8");
  assert.equal(xmlProblem(html), null);
  for (const h of ["Views of the glasses", "Plots not drawn", "Warnings", "Study spec, machine and timings"]) {
    assert.ok(html.includes(`<h2 id="s-`) && html.includes(`>${h}</h2>`), h);
    assert.ok(md.includes(`## ${h}`), h);
  }
  assert.match(html, /<nav class="toc"><ol><li><a href="#s-at-a-glance-the-paper-s-trends-on-our-data">/);
  assert.ok(html.includes("@media print{"), "print CSS");
  assert.ok(html.includes("&quot;name&quot;: &quot;tiny&quot;"), "the study spec");
  assert.match(html, /report written on: \d+ × /);
  const svg = (name: string): string => readFileSync(join(r.plotDir, `${name}.svg`), "utf8");
  const vdos = svg("css-vdos");
  assert.match(vdos, /D\(ω\)\/ω⁴ · ω0⁵ \(dimensionless\)/);
  assert.match(vdos, /ω_ph = 2πc_s\/L, r_c = 1\.2/);
  assert.match(vdos, /paper A_g ω0⁵ ≈ 0\.004 at r_c = 1\.1/);
  assert.match(svg("css-pkappa"), /κ\/ω0² \(dipole stiffness, dimensionless\)/);
  assert.match(svg("css-decay"), /\(r\/a0\)\^6 c\(r\)/);
  assert.match(svg("gk-stickiness"), /paper: DSS plateau G\/K ≈ 0\.15/);
  // The fits are drawn or the report says why not, per ensemble.
  for (const [plot, fit, why] of [["css-vdos", "fit A_g ω0⁵ = ", "D(ω) fit (pss-rc"], ["css-pkappa", "fit κ^η, η = ", "η fit (pss-rc"], ["css-decay", "ξ_g = ", "ξ_g (pss-rc"]] as const)
    for (const label of ["pss-rc1.2", "pss-rc1.5"]) {
      const drawn = (svg(plot).match(new RegExp(fit.replace(/[()^]/g, "\\$&"), "g")) ?? []).length;
      const said = r.content.blocks.some((b) => b.kind === "list" && b.items.some((i) => i.startsWith(why) && i.includes(label.slice(-3))));
      assert.ok(drawn >= 1 || said, `${plot}: ${label} has neither a fit nor a reason`);
    }
  assert.ok(html.includes("𝒩(T_p) with the Boltzmann fit: needs 𝒩"), "the T_p plot says why it is missing");
  // Views.
  assert.equal(r.views?.length, 2);
  for (const label of ["pss-rc1.2", "pss-rc1.5"]) {
    const page = join(study, label, "view.html");
    assert.ok(existsSync(page), page);
    assert.ok(html.includes(`<a href="${label}/view.html">${label}: view</a>`));
    assert.ok(md.includes(`- [${label}: view](${label}/view.html)`));
    const data = JSON.parse(/id="view-data">(.*?)<\/script>/s.exec(readFileSync(page, "utf8"))![1]);
    const names = data.fields.map((f: { name: string }) => f.name);
    assert.equal(names[0], "softest mode");
    assert.match(names[1], /^dipole response \(\d+, \d+\), softest of 8$/);
    assert.equal(names.includes("quartic mode (QLM)"), label === "pss-rc1.5");
  }
  assert.match(html, /pss-rc1\.2: view<\/a> — softest mode: ω = .*missing: quartic mode: none in the study/);
  // Timings from the results' make and microscopic seconds.
  assert.match(md, /\| pss-rc1\.2 \| 2 \| \d+\.\d+ \| \d+\.\d+ \| \d+\.\d+ \|/);
});

test("a study without glasses or modes: every missing plot and view says why; --no-views writes none", () => {
  const syn = join(dir, "synthetic");
  writeSyntheticStudy(syn, 4);
  const r = writeReport(syn, { date: "2000-01-01 00:00:00" });
  const md = readFileSync(r.markdown, "utf8");
  assert.match(md, /D\(ω\)\/ω⁴ \(DSS\): no mode frequencies in the results \(study measure\.modes = 0\)/);
  assert.match(md, /r\^\(2d\) c\(r\) \(CSS\): no c\(r\) in the results/);
  assert.match(md, /qss-q6: no view: no glass file in /);
  assert.ok(r.views!.every((v) => v.path === null));
  const n = writeReport(syn, { output: join(syn, "plain.html"), views: false });
  assert.equal(n.views, undefined);
  assert.match(readFileSync(n.markdown, "utf8"), /No viewer pages: the report was made without them/);
});

test("𝒩(T_p): the Boltzmann fit recovers E_QLM from exact data; one T_p per model is not enough", () => {
  const row = (tp: number, model = "model=pss rc=1.2"): EnsembleRow => ({
    label: `t${tp}`, model, modelName: "pss", params: {}, density: 0.6, tp, samples: 4, planned: 4, N: 1000, d: 3, families: [],
    statistics: {} as EnsembleRow["statistics"], values: { qlmDensity: { value: 2 * Math.exp(-3 / tp), stdError: 0.01 * 2 * Math.exp(-3 / tp) } }, frequencies: [], timings: null,
  });
  const data = (rows: EnsembleRow[]): StudyData => ({ dir: "x", name: "x", complete: true, glasses: { done: 0, planned: 0 }, measure: { modes: 0, dipoles: 0 }, ensembles: rows, warnings: [], spec: {}, lattice: null });
  const p = boltzmannPlot(data([row(0.5), row(0.7), row(1.0), row(2.0)]));
  assert.equal(p.plots.length, 1);
  assert.match(p.plots[0].svg, /fit E_QLM = 3 ± [0-9.e-]+ ε, P = 2</);
  assert.match(p.plots[0].svg, /1\/T_p \(k_B\/ε\)/);
  const one = boltzmannPlot(data([row(0.5), row(0.7, "model=pss rc=1.5")]));
  assert.equal(one.plots.length, 0);
  assert.match(one.missing[0], /needs 𝒩 .* in ≥ 2 ensembles of one model at different T_p/);
});

test("p(κ) draws the η fit over its range and seed 004's slope; r^(2d)c(r) marks ξ_g", () => {
  const rng = Rng.fromSeed(8);
  // p(κ) ∝ κ^0.8 on (0, 1]: κ = u^(1/1.8).
  const kappa = Array.from({ length: 20000 }, () => rng.uniform() ** (1 / 1.8));
  const eta = lowTailExponent(kappa);
  const statistics = {
    means: { omega0: { mean: 1, stdError: 0 }, a0: { mean: 1, stdError: 0 } }, pKappa: logBinnedHistogram(kappa), eta: { ...eta, value: eta.eta },
    decay: { binWidth: 0.5, dipoles: 10, r: [0.5, 1, 1.5, 2, 2.5], c: [1, 0.1, 0.01, 0.001, 1e-4], cStdError: [0.1, 0.01, 0.001, 1e-4, 1e-5], r2dC: [0.015625, 0.1, 0.1139, 0.064, 0.0244], dipolesPerBin: [10, 10, 10, 10, 10] },
    xiG: { value: 1.5, stdError: 0.1, window: [1, 2], omegaG: 1, omegaGStdError: 0.1, glasses: 2, N: 1000 },
  } as unknown as EnsembleRow["statistics"];
  const row: EnsembleRow = { label: "x", model: "model=pss rc=1.2", modelName: "pss", params: {}, density: 0.6, tp: 2, samples: 2, planned: 2, N: 1000, d: 3, families: [], statistics, values: {}, frequencies: [], timings: null };
  const p = pKappaPlot("CSS", [{ control: 1.2, row }]);
  assert.deepEqual(p.missing, []);
  const m = /fit κ\^η, η = ([0-9.]+) ± ([0-9.]+) on \[/.exec(p.plots[0].svg);
  assert.ok(m !== null, "the η fit is in the legend");
  assert.ok(Math.abs(Number(m[1]) - 0.8) < 4 * Number(m[2]) + 0.02, `η = ${m[1]} ± ${m[2]}, drawn from 0.8`);
  assert.match(p.plots[0].svg, /paper slope η = 0\.8 \(seed 004, 3D\)/);
  const d = decayPlot("CSS", [{ control: 1.2, row }]);
  assert.match(d.plots[0].svg, /ξ_g = 1\.5 a0 \(r_c = 1\.2\)/);
  // ξ_g from other (larger) glasses is not marked on this curve, and the report says so.
  const other = decayPlot("CSS", [{ control: 1.2, row: { ...row, statistics: { ...statistics, xiG: { ...statistics.xiG!, N: 100000 } } } }]);
  assert.match(other.missing[0], /ξ_g comes from the c\(r\) of N = 100000 glasses \(decayFrom\)/);
});
