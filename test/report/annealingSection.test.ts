import { test } from "node:test";
import assert from "node:assert/strict";
import { annealingSection } from "../../src/report/annealingSection.js";
import type { EnsembleRow, StudyData } from "../../src/report/studyData.js";
import type { StudySummary } from "../../src/study/summary.js";
import { planted, plantMicro } from "../study/plantedAnnealing.js";

const asData = (s: StudySummary): StudyData => ({
  dir: "x", name: s.name, complete: true, glasses: { done: 0, planned: 0 }, measure: { modes: 1, dipoles: 1 }, warnings: [], spec: {}, lattice: null,
  ensembles: s.ensembles.map((e): EnsembleRow => ({
    label: e.label, model: e.statistics.model, modelName: "pss", params: {}, density: 0.6, tp: e.tp, samples: 8, planned: 8, N: 100, d: 3, families: [],
    statistics: e.statistics, values: {}, frequencies: [], timings: null,
  })),
});

test("report annealing section: T_co per model, series against T_p/T_co, E_QLM in units of T_co beside seed 003, the relations with verdicts", () => {
  const s = planted([1.0, 2.0]);
  plantMicro(s, 2.5);
  const r = annealingSection(asData(s));
  const tables = r.blocks.filter((b) => b.kind === "table") as { header: string[]; rows: string[][] }[];
  const fits = tables[0];
  assert.equal(fits.rows.length, 2);
  assert.match(fits.rows[0][3], /^1 ± /); // T_co (G/K) of the first model
  assert.match(fits.rows[0][6], /^2\.5 ± .* over T_p ∈ \[0\.4, 0\.85\]$/);
  assert.ok(r.blocks.some((b) => b.kind === "p" && /E_QLM ≈ 3\.3 in units of k_B T_onset/.test(b.text)));
  const relations = tables.find((t) => t.header[0] === "relation (SPEC §7)")!;
  assert.deepEqual(relations.rows.find((x) => x[0].startsWith("Ne0"))!.slice(1, 3).map((c) => c.split(" ")[0]), ["-3", "-3"]);
  for (const name of ["anneal-g", "anneal-ag", "anneal-omegag", "anneal-omegag-xi", "anneal-qlm", "anneal-ne0", "anneal-kappa", "anneal-qlm-softest"]) assert.ok(r.plots.some((p) => p.name === name), name);
  assert.ok(r.plots.filter((p) => !p.name.endsWith("-vs-g") && !p.name.startsWith("anneal-collapse")).every((p) => p.svg.includes("T_p/T_co (dimensionless)")));
  const vsG = r.plots.filter((p) => p.name.endsWith("-vs-g"));
  assert.ok(vsG.some((p) => p.name === "anneal-omegag-vs-g") && vsG.every((p) => p.svg.includes("G/G∞ (dimensionless)")));
  assert.deepEqual(r.missing.filter((m) => !/energy collapse/.test(m)), [], "everything planted is drawn");
  // seed 003 Fig. 6 and Fig. S2b: lengths against T_p/T_co and the collapse, per model, once each
  for (const name of ["anneal-lengths-0", "anneal-lengths-1", "anneal-collapse-0", "anneal-collapse-1"]) assert.equal(r.plots.filter((p) => p.name === name).length, 1, name);
  const plotBlocks = r.blocks.filter((b) => b.kind === "plots") as { plots: { name: string }[] }[];
  assert.equal(new Set(plotBlocks.flatMap((b) => b.plots.map((p) => p.name))).size, plotBlocks.flatMap((b) => b.plots).length, "no plot drawn twice");
  assert.ok(r.plots.find((p) => p.name === "anneal-collapse-0")!.svg.includes("r/ξ_co"));
  const lengths = tables.find((t) => t.header.includes("ξ_co/a0"))!;
  assert.deepEqual(lengths.header.slice(2), ["ξ_g/a0", "ξ_co/a0", "ξ_QLM/a0", "A₁", "ξ_co/ξ_g", "ξ_QLM/ξ_g", "ξ_QLM/ξ_co"]);
  assert.equal(lengths.rows.length, 7);
  assert.match(lengths.rows[6][6], /^1 ± /); // ξ_co/ξ_g of the hottest ensemble
  assert.ok(r.blocks.some((b) => b.kind === "p" && /agree within O\(1\) factors .*: consistent \(consistent when every ratio lies in \[1\/3, 3\]/.test(b.text)));
});

test("report annealing section: one T_p per model gives no section but a reason", () => {
  const s = planted([1.0]);
  s.ensembles.splice(1);
  const r = annealingSection(asData(s));
  assert.deepEqual(r.blocks, []);
  assert.match(r.missing[0], /no model has ensembles at ≥ 2 parent temperatures/);
});

test("report lattice section: η(d) from lattice/*.json beside seed 004, with the fit range and the local-slope spread", async () => {
  const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { latticeSection } = await import("../../src/report/latticeSection.js");
  const { readStudyFolder } = await import("../../src/study/folder.js");
  const { runLattice } = await import("../../src/cli/lattice.js");
  const dir = mkdtempSync(join(tmpdir(), "gm-lattice-report-"));
  try {
    writeFileSync(join(dir, "study.json"), JSON.stringify({ name: "l", ensembles: [] }));
    assert.match(latticeSection(readStudyFolder(dir).lattice).missing[0], /no lattice\/\*\.json/);
    mkdirSync(join(dir, "lattice"));
    writeFileSync(join(dir, "lattice", "d3.json"), JSON.stringify(await runLattice({ d: 3, L: 7, samples: 50_000, seed: 2, threads: 0 })));
    writeFileSync(join(dir, "lattice", "junk.json"), "{}");
    const r = latticeSection(readStudyFolder(dir).lattice);
    const table = r.blocks.find((b) => b.kind === "table") as { rows: string[][] };
    assert.equal(table.rows.length, 1);
    assert.equal(table.rows[0][0], "3");
    assert.match(table.rows[0][3], /^0?\.\d+ ± |^1\.\d+ ± /);
    assert.equal(table.rows[0][6], "0.8");
    assert.match(r.warnings[0], /junk\.json: not a glassmech lattice --json report/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
