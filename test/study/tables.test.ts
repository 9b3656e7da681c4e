import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { columnsOf, formatCsv } from "../../src/io/csv.js";
import { runStudy } from "../../src/study/runner.js";
import { parseStudySpec } from "../../src/study/spec.js";
import { samplePaths } from "../../src/study/store.js";

/** Debian's python3 (python3-pandas lives there, not in a pyenv on PATH). */
const PYTHON = "/usr/bin/python3";
const REQUIRE = process.env.GLASSMECH_REQUIRE_TOOLS === "1";
const CLI = new URL("../../src/cli/main.js", import.meta.url).pathname;

test("CSV cells: quoting, round-trip floats, empty cells for missing and non-finite values", () => {
  const rows = [{ a: 1, b: 'x,"y"' }, { a: 0.1 + 0.2, c: true, b: null }, { a: Number.NaN, b: "line\nbreak" }];
  assert.deepEqual(columnsOf(rows, ["z"]), ["z", "a", "b", "c"]);
  assert.equal(formatCsv(["a", "b", "c"], rows), `a,b,c\n1,"x,""y""",\n0.30000000000000004,,true\n,"line\nbreak",\n`);
});

test("glasses.csv and ensembles.csv load in pandas with numeric dtypes and one row per glass / ensemble; measure/ensemble --csv print the same columns", async (t) => {
  const hasPandas = spawnSync(PYTHON, ["-c", "import pandas"]).status === 0;
  if (!hasPandas && !REQUIRE) return t.skip("python3-pandas is not installed (apt-get install python3-pandas; npm run test:cluster installs it)");
  assert.ok(hasPandas, `GLASSMECH_REQUIRE_TOOLS=1 but ${PYTHON} cannot import pandas`);
  const dir = mkdtempSync(join(tmpdir(), "gm-tables-"));
  try {
    const spec = parseStudySpec({
      name: "tables",
      seed: 3,
      glass: { d: 2, n: 64, time: 1 },
      measure: { modes: 4, dipoles: 10 },
      ensembles: [
        { label: "soft", model: "model=pss rc=1.5", density: 0.7, tp: 1.5, samples: 3 },
        { label: "pss", model: "model=pss rc=1.3", density: 0.7, tp: 1.5, samples: 2 },
      ],
    });
    await runStudy(spec, dir, { threads: 0 });
    const script = `
import json, sys, pandas as pd
g = pd.read_csv(sys.argv[1] + "/glasses.csv"); e = pd.read_csv(sys.argv[1] + "/ensembles.csv")
print(json.dumps({"g": [len(g), {c: str(t) for c, t in g.dtypes.items()}], "e": [len(e), {c: str(t) for c, t in e.dtypes.items()}],
  "G": g["shearModulus"].tolist(), "eG": e["shearModulus"].tolist(), "labels": e["ensemble"].tolist()}))`;
    const r = spawnSync(PYTHON, ["-c", script, dir], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { g: [number, Record<string, string>]; e: [number, Record<string, string>]; G: number[]; eG: number[]; labels: string[] };
    assert.equal(out.g[0], 5);
    assert.equal(out.e[0], 2);
    assert.deepEqual(out.labels, ["soft", "pss"]);
    for (const [c, dtype] of [["sample", "int64"], ["seed", "int64"], ["stream", "int64"], ["N", "int64"], ["shearModulus", "float64"], ["bulkModulus", "float64"], ["omegaPh", "float64"], ["ensemble", "object"], ["make.minimization.converged", "bool"]])
      assert.equal(out.g[1][c], dtype, `glasses.csv ${c}`);
    for (const [c, dtype] of [["glasses", "int64"], ["shearModulus", "float64"], ["shearModulus_se", "float64"], ["chiG", "float64"], ["chiG_se", "float64"], ["Ag", "float64"], ["omegaG", "float64"], ["model", "object"]])
      assert.equal(out.e[1][c], dtype, `ensembles.csv ${c}`);
    // the numbers are the results' numbers, bit for bit
    const G = [0, 1, 2].map((k) => (JSON.parse(readFileSync(samplePaths(dir, "soft", k).result, "utf8")) as { shearModulus: number }).shearModulus);
    assert.deepEqual(out.G.slice(0, 3), G);
    // measure --csv and ensemble --csv: the same column names
    const header = (text: string): string[] => text.split("\n")[0].split(",");
    const glassCols = header(readFileSync(join(dir, "glasses.csv"), "utf8"));
    const m = spawnSync(process.execPath, [CLI, "measure", samplePaths(dir, "pss", 0).glass, "--csv", "--modes", "4", "--dipoles", "10"], { encoding: "utf8" });
    assert.equal(m.status, 0, m.stderr);
    const measured = header(m.stdout);
    for (const c of ["ensemble", "sample", "N", "shearModulus", "bulkModulus", "omegaPh", "kappaMean"]) assert.ok(measured.includes(c) && glassCols.includes(c), c);
    const en = spawnSync(process.execPath, [CLI, "ensemble", "--csv", ...[0, 1].map((k) => samplePaths(dir, "pss", k).result)], { encoding: "utf8" });
    assert.equal(en.status, 0, en.stderr);
    const ensembleText = readFileSync(join(dir, "ensembles.csv"), "utf8").split("\n");
    const studyCols = new Set(header(ensembleText[0]));
    for (const c of header(en.stdout)) assert.ok(studyCols.has(c), `ensemble --csv column ${c} is a column of ensembles.csv`);
    for (const c of ["shearModulus", "shearModulus_se", "chiG", "omegaG"]) assert.ok(header(en.stdout).includes(c), c);
    assert.equal(en.stdout.split("\n")[1].split(",")[0], "pss");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an ensemble whose statistics are undefined is named in the summary's errors, and its glasses still are rows of glasses.csv", async () => {
  const { writeFileSync } = await import("node:fs");
  const { summarizeStudy } = await import("../../src/study/summary.js");
  const dir = mkdtempSync(join(tmpdir(), "gm-tables-err-"));
  try {
    const spec = parseStudySpec({
      name: "err", seed: 5, glass: { d: 2, n: 64, time: 1 },
      ensembles: [{ label: "good", model: "model=pss rc=1.3", density: 0.7, tp: 1.5, samples: 2 }, { label: "bad", model: "model=pss rc=1.5", density: 0.7, tp: 1.5, samples: 2 }],
    });
    await runStudy(spec, dir, { threads: 0 });
    // a mean shear modulus ≤ 0 makes χ_G undefined (as an unstable small glass can)
    for (const k of [0, 1]) {
      const path = samplePaths(dir, "bad", k).result;
      const r = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
      writeFileSync(path, JSON.stringify({ ...r, shearModulus: -1 - k }));
    }
    const s = summarizeStudy(spec, dir);
    assert.deepEqual(s.ensembles.map((e) => e.label), ["good"]);
    assert.equal(s.errors![0].label, "bad");
    assert.match(s.errors![0].error, /mean/);
    const rows = readFileSync(join(dir, "glasses.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(",")[0]);
    assert.deepEqual(rows, ["good", "good", "bad", "bad"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
