/**
 * `glassmech measure` as a child process on the fixture glasses. Runs dist/src/cli/main.js when it
 * registers the command, otherwise a two-line driver that registers it on a bare commander
 * program with main.ts's error contract (`glassmech: <message>` on stderr, status 2).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { readConfiguration, writeConfiguration } from "../../src/io/readConfiguration.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const MEASURE = new URL("../../src/cli/measure.js", import.meta.url).href;
const ERRORS = new URL("../../src/core/errors.js", import.meta.url).href;
const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/", import.meta.url));
const GLASS3D = join(FIXTURES, "pss3d_n200.xyz");
const GLASS2D = join(FIXTURES, "ipl2d_n100.xyz");
const dir = mkdtempSync(join(tmpdir(), "glassmech-measure-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const mainHasMeasure = readFileSync(MAIN, "utf8").includes("registerMeasure");
const DRIVER = `
import { Command, CommanderError } from ${JSON.stringify(import.meta.resolve("commander"))};
import { registerMeasure } from ${JSON.stringify(MEASURE)};
import { GlassmechError } from ${JSON.stringify(ERRORS)};
const p = new Command().exitOverride();
registerMeasure(p);
try { await p.parseAsync(process.argv.slice(1), { from: "user" }); }
catch (e) {
  if (e instanceof GlassmechError) { process.stderr.write("glassmech: " + e.message + "\\n"); process.exitCode = 2; }
  else if (e instanceof CommanderError) process.exitCode = 2; else throw e;
}`;

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const argv = mainHasMeasure ? [MAIN, ...args] : ["--input-type=module", "-e", DRIVER, "--", ...args];
  const r = spawnSync(process.execPath, argv, { encoding: "utf8", cwd: dir });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SPEC_KEYS = ["N", "d", "density", "boxLengths", "model", "energyPerParticle", "pressure", "pressurePlus", "pressureMinus",
  "shearModulus", "shearModulusNonaffine", "bulkModulus", "poissonRatio", "stickiness", "coordination", "maxForce"];
const EXTRA_KEYS = ["p0", "pOverP0", "pOverK", "GOverK", "a0", "cs", "omega0", "cgIterations"];

test(`cli measure --json --tensor --gr: SPEC §10 keys and the extras (${mainHasMeasure ? "main.js" : "driver; main.ts does not register measure yet"})`, () => {
  const r = run("measure", GLASS3D, "--json", "--tensor", "--gr");
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as Record<string, any>;
  for (const k of [...SPEC_KEYS, ...EXTRA_KEYS, "elasticTensor", "gr"]) assert.ok(k in j, `missing key ${k}`);
  assert.equal(j.N, 200);
  assert.equal(j.model, "model=pss rc=1.2");
  assert.ok(j.shearModulus > 0 && j.bulkModulus > j.shearModulus && j.shearModulusNonaffine > 0);
  assert.ok(j.poissonRatio > 0 && j.poissonRatio < 0.5);
  assert.ok(j.stickiness > 0);
  assert.deepEqual(j.elasticTensor.labels, ["xx", "yy", "zz", "yz", "xz", "xy"]);
  assert.equal(j.elasticTensor.voigt.length, 6);
  assert.equal(j.elasticTensor.full.length, 81);
  const AA = j.gr.partials.find((p: { label: string }) => p.label === "AA");
  assert.equal(AA.g.length, j.gr.r.length);
  assert.ok(j.gr.negativeStiffness.length === 3);
  // The same numbers as the library (G from the tensor's own solve equals the direct one).
  const plain = JSON.parse(run("measure", GLASS3D, "--json").stdout);
  assert.ok(Math.abs(plain.shearModulus - j.shearModulus) < 1e-9 * j.shearModulus);
  assert.ok(Math.abs(plain.bulkModulus - j.bulkModulus) < 1e-9 * j.bulkModulus);
  assert.equal(plain.elasticTensor, undefined);
});

test("cli measure: text output of a 2D glass", () => {
  const r = run("measure", GLASS2D);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^shearModulus\s+\d/m);
  assert.match(r.stdout, /^poissonRatio\s+/m);
  assert.match(r.stdout, /^d\s+2$/m);
});

test("cli measure: a configuration that is not a minimum is refused; --force-tolerance overrides", () => {
  const c = readConfiguration(GLASS2D);
  const x = Float64Array.from(c.positions);
  x[0] += 0.02;
  const hot = join(dir, "hot.xyz");
  writeConfiguration(hot, { ...c, positions: x });
  const r = run("measure", hot);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^glassmech: .*hot\.xyz: max per-particle force .* not a minimum — relax it first \(glassmech relax\)/);
  assert.equal(r.stderr.trim().split("\n").length, 1);
  const ok = run("measure", hot, "--json", "--force-tolerance", "100");
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(JSON.parse(ok.stdout).maxForce > 1e-3);
});
