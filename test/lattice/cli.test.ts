import { test } from "node:test";
import assert from "node:assert/strict";
import { Command } from "commander";
import { formatLatticeReport, registerLattice, runLattice } from "../../src/cli/lattice.js";
import { GlassmechError } from "../../src/core/errors.js";

async function runCli(args: string[]): Promise<string> {
  const program = new Command().name("glassmech").exitOverride();
  registerLattice(program);
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (chunks.push(s), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(["node", "glassmech", "lattice", ...args]);
  } finally {
    process.stdout.write = write;
  }
  return chunks.join("");
}

test("glassmech lattice --json: eta with fit range, the 7 quantiles, log-binned p(κ)", async () => {
  const out = JSON.parse(await runCli(["--d", "2", "--L", "11", "--samples", "2e4", "--seed", "3", "--threads", "0", "--json", "--no-progress"]));
  assert.equal(out.d, 2);
  assert.equal(out.L, 11);
  assert.equal(out.samples, 20000);
  assert.equal(out.method, "fast");
  assert.deepEqual(Object.keys(out.quantiles), ["0.001", "0.01", "0.05", "0.25", "0.5", "0.75", "0.95"]);
  assert.ok(out.eta === null || (out.eta.fitMax <= 0.1 + 1e-12 && out.eta.etaStderr > 0));
  const total = out.histogram.reduce((s: number, b: { count: number }) => s + b.count, 0);
  assert.equal(total, 20000);
  const integral = out.histogram.reduce((s: number, b: { density: number; lo: number; hi: number }) => s + b.density * (b.hi - b.lo), 0);
  assert.ok(Math.abs(integral - 1) < 1e-9);
});

test("text report: eta line, quantiles line in JSON-like form, histogram rows; --exact switches method", async () => {
  const r = await runLattice({ d: 3, L: 5, samples: 20000, seed: 1, threads: 0, exact: true });
  assert.equal(r.method, "exact");
  const text = formatLatticeReport(r);
  assert.match(text, /^eta: /m);
  const q = /^quantiles: (\{.*\})$/m.exec(text);
  assert.ok(q !== null);
  assert.deepEqual(Object.keys(JSON.parse(q[1]!)), ["0.001", "0.01", "0.05", "0.25", "0.5", "0.75", "0.95"]);
  assert.ok(text.split("\n").filter((l) => /^ {2}\d/.test(l)).length === r.histogram.length);
  assert.match(text, /^published eta \(seed 004.*\): 0\.80 .*open discrepancy/m);
  assert.equal(text.split("\n").filter((l) => /^ {2}at kappa /.test(l)).length, r.localSlopes.length);
  assert.ok(r.localSlopes.length > 0);
  assert.equal(r.published.eta, 0.8);
});

test("bad CLI input is a GlassmechError", async () => {
  await assert.rejects(runCli(["--d", "3", "--samples", "1.5", "--no-progress"]), GlassmechError);
  await assert.rejects(runCli(["--d", "3", "--L", "10", "--samples", "10", "--no-progress"]), GlassmechError);
  await assert.rejects(runCli(["--d", "7", "--samples", "10", "--no-progress"]), GlassmechError);
});
