/**
 * The malformed-input battery (issue 16, item 4): several hundred bad inputs over every command
 * (batteryCases.ts), each run as the built CLI with a time limit (batteryRun.ts). Every case must
 * end in one line `glassmech: where: what` with exit status 2, without a stack trace or a hang,
 * leaving its working folder exactly as it was; the shared input files are never modified.
 * Prints the case count and the totals per class; GLASSMECH_BATTERY_LOG=file writes every case's
 * error line there.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { batteryCases, writeInputs } from "./batteryCases.js";
import { runAll, snapshot, type CaseResult } from "./batteryRun.js";

const root = mkdtempSync(join(tmpdir(), "glassmech-battery-"));
after(() => rmSync(root, { recursive: true, force: true }));

let results: CaseResult[] = [];
after(() => {
  const classes = new Map<string, { n: number; failed: number }>();
  for (const r of results) {
    const c = classes.get(r.c.cls) ?? { n: 0, failed: 0 };
    c.n++;
    if (r.problem !== null) c.failed++;
    classes.set(r.c.cls, c);
  }
  // GLASSMECH_BATTERY_LOG=file: every case with its one line, to read what the errors say.
  const log = process.env.GLASSMECH_BATTERY_LOG;
  if (log !== undefined) writeFileSync(log, results.map((r) => `[${r.c.cls}] ${r.c.name} → ${r.status} ${r.stderr.trim()}`).join("\n") + "\n");
  const slowest = [...results].sort((a, b) => b.ms - a.ms)[0];
  console.log(`battery: ${results.length} cases, ${results.filter((r) => r.problem === null).length} clean; slowest ${slowest?.ms} ms (${slowest?.c.name})`);
  for (const [cls, c] of classes) console.log(`  ${cls.padEnd(24)} ${String(c.n).padStart(4)} cases${c.failed ? `, ${c.failed} FAILED` : ""}`);
});

test("battery: every malformed input ends in one line 'glassmech: where: what', exit 2, nothing written or damaged", async () => {
  const inputs = writeInputs(join(root, "inputs"));
  const cases = batteryCases(inputs);
  assert.ok(cases.length >= 200, `only ${cases.length} cases`);
  const before = snapshot(inputs.dir);
  results = await runAll(cases, join(root, "work"), { xyz: inputs.glass, json: inputs.result }, 3);
  const failed = results.filter((r) => r.problem !== null);
  assert.deepEqual(snapshot(inputs.dir), before, "the battery modified its input files");
  assert.equal(
    failed.length,
    0,
    `${failed.length} of ${results.length} cases failed:\n` +
      failed.map((r) => `  [${r.c.cls}] ${r.c.name}: ${r.problem} (glassmech ${r.c.args.join(" ")}; stderr ${JSON.stringify(r.stderr.slice(0, 200))})`).join("\n"),
  );
});
