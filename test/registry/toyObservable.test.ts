import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Command } from "commander";
import { registerMeasure } from "../../src/cli/measure.js";
import { registerObservable } from "../../src/registry/index.js";
import { writeReport } from "../../src/report/report.js";
import { runStudy } from "../../src/study/runner.js";
import { parseStudySpec } from "../../src/study/spec.js";
import { GLASS } from "../cli/cliRunner.js";
import { toy } from "./toyObservable.js";

// Issue 10: a new per-glass scalar with a study key, an ensemble mean and a report row is one file
// (./toyObservable.ts) plus this one registry line.
registerObservable(toy);

const dir = mkdtempSync(join(tmpdir(), "glassmech-toy-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `glassmech measure ARGS` in this process (the registry line above is in effect) and returns stdout. */
async function measureCli(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerMeasure(program);
  let out = "";
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(["node", "glassmech", "measure", ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

test("a toy observable registered by one line appears in measure --json, its flags and help", async () => {
  const r = JSON.parse(await measureCli(GLASS, "--toy", "--toy-scale", "2", "--json")) as Record<string, number>;
  assert.ok(Math.abs(r.toyRatio - (2 * r.bulkModulus) / r.shearModulus) < 1e-12 * r.toyRatio);
  const plain = JSON.parse(await measureCli(GLASS, "--json")) as Record<string, unknown>;
  assert.equal(plain.toyRatio, undefined, "not asked for, not measured");
  await assert.rejects(measureCli(GLASS, "--toy-scale", "-1"), /not a positive number/);
  const text = await measureCli(GLASS, "--toy");
  assert.match(text, /^toyRatio\s+\d/m);
});

test("the toy observable is a study key, an ensemble mean in the summary and CSV, and a report row", async () => {
  const spec = parseStudySpec({
    name: "toy",
    seed: 3,
    glass: { d: 2, n: 100, time: 2 },
    measure: { toy: true, toyScale: 3 },
    ensembles: [{ label: "pss", model: "model=pss rc=1.2", tp: 1, samples: 2 }],
  });
  assert.throws(() => parseStudySpec({ ...spec, ensembles: [{ label: "x", model: "model=pss", tp: 1, samples: 1 }], measure: { toyScale: "big" } }), /study\.measure\.toyScale must be a positive number/);
  const run = await runStudy(spec, dir, { threads: 0 });
  const stats = run.summary!.ensembles[0].statistics as unknown as Record<string, { value: number; stdError: number }>;
  assert.ok(stats.toyMean.value > 3, `toyMean ${stats.toyMean.value}: K/G > 1 in glasses, times 3`);
  assert.ok((stats.means as unknown as Record<string, unknown>).toyRatio !== undefined, "the generic means include the new key");
  assert.match(readFileSync(join(dir, "glasses.csv"), "utf8").split("\n")[0], /(^|,)toyRatio(,|$)/);
  assert.match(readFileSync(join(dir, "ensembles.csv"), "utf8").split("\n")[0], /(^|,)toyMean(,|$)/);
  const rep = writeReport(dir, { views: false });
  const md = readFileSync(rep.markdown, "utf8");
  assert.match(md, /toy ratio K\/G × scale \(test only\)/);
  assert.match(md, /\| pss \| \d+(\.\d+)? ± \d/);
});
