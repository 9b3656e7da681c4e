/**
 * The compiled CLI (dist/src/cli/main.js) run as a child process on the fixtures: info, convert,
 * export-lammps, and the error contract (one line `glassmech: …` on stderr, exit status 2).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { readConfiguration } from "../../src/io/readConfiguration.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/", import.meta.url));
const GLASS = join(FIXTURES, "pss3d_n200.xyz");
const dir = mkdtempSync(join(tmpdir(), "glassmech-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", cwd: dir });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SPEC_KEYS = ["N", "d", "density", "boxLengths", "model", "energyPerParticle", "pressure", "pressurePlus", "pressureMinus", "stickiness", "coordination", "maxForce"];

test("cli: info --json prints every SPEC §10 key with the glass's values", () => {
  const r = run("info", GLASS, "--json");
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as Record<string, unknown>;
  for (const k of SPEC_KEYS) assert.ok(k in j, `missing key ${k}`);
  assert.equal(j.N, 200);
  assert.equal(j.d, 3);
  assert.equal(j.model, "model=pss rc=1.2");
  assert.ok(Math.abs((j.density as number) - 0.6) < 1e-12);
  assert.equal((j.boxLengths as number[]).length, 3);
  // A minimized glass reloads as a minimum (SPEC §2: 17-digit positions).
  assert.ok((j.maxForce as number) < 1e-10, `maxForce ${j.maxForce}`);
  assert.ok((j.energyPerParticle as number) < 0);
  assert.ok(Math.abs((j.pressure as number) - ((j.pressurePlus as number) - (j.pressureMinus as number))) < 1e-12);
  assert.ok((j.stickiness as number) > 0 && (j.coordination as number) > 0);
});

test("cli: info overrides the model with flags (--rc, --param, --model)", () => {
  const a = JSON.parse(run("info", GLASS, "--json", "--rc", "1.5").stdout) as { model: string; energyPerParticle: number };
  assert.equal(a.model, "model=pss rc=1.5");
  const b = JSON.parse(run("info", GLASS, "--json", "--param", "rc=1.5").stdout) as { model: string; energyPerParticle: number };
  assert.equal(b.energyPerParticle, a.energyPerParticle);
  const c = JSON.parse(run("info", GLASS, "--json", "--model", "qss", "--q", "20", "--xc", "1.8").stdout) as { model: string };
  assert.equal(c.model, "model=qss q=20 xc=1.8");
  const text = run("info", GLASS);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^file +.*pss3d_n200\.xyz\nN +200\nd +3\n/);
});

test("cli: convert round-trips through LAMMPS data and dump bit for bit", () => {
  const data = join(dir, "g.data");
  const dump = join(dir, "g.lammpstrj");
  const back = join(dir, "back.xyz");
  for (const [a, b] of [[GLASS, data], [data, dump]] as const) {
    const c = run("convert", a, b);
    assert.equal(c.status, 0, c.stderr);
  }
  const r = run("convert", dump, back, "--format", "extxyz");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /wrote .*back\.xyz \(extxyz, N=200, d=3\)/);
  // The fixture predates element symbols as species (type 0 → H, 1 → He); all else is identical.
  assert.equal(readFileSync(back, "utf8"), readFileSync(GLASS, "utf8").replace(/^A /gm, "H ").replace(/^B /gm, "He "));
  const c = readConfiguration(dump);
  assert.equal(c.model.name, "pss");
});

test("cli: convert --spatial-order renumbers the particles, keeping every particle and the energy", () => {
  const out = join(dir, "ordered.xyz");
  const r = run("convert", GLASS, out, "--spatial-order");
  assert.equal(r.status, 0, r.stderr);
  const a = readConfiguration(GLASS);
  const b = readConfiguration(out);
  const rows = (c: typeof a): string[] => Array.from({ length: c.n }, (_, i) => `${c.positions.subarray(3 * i, 3 * i + 3).join(" ")} ${c.types[i]}`).sort();
  assert.deepEqual(rows(b), rows(a));
  assert.notDeepEqual(Array.from(b.positions), Array.from(a.positions), "the fixture was not in Morton order");
  const energy = (f: string): number => (JSON.parse(run("info", f, "--json").stdout) as { energyPerParticle: number }).energyPerParticle;
  assert.ok(Math.abs(energy(out) - energy(GLASS)) < 1e-12, `${energy(out)} vs ${energy(GLASS)}`);
});

test("cli: export-lammps writes the data file, the pair include file and the table beside it", () => {
  const sub = join(dir, "lmp");
  const r = run("export-lammps", GLASS, "--data", join(sub + "-glass.data"), "--pair", join(dir, "pair.lmp"), "--points", "1000");
  assert.equal(r.status, 0, r.stderr);
  const pair = readFileSync(join(dir, "pair.lmp"), "utf8");
  assert.match(pair, /\npair_style table spline 1000\n/);
  const coeff = pair.split("\n").filter((l) => l.startsWith("pair_coeff"));
  assert.equal(coeff.length, 3);
  const table = coeff[0]!.split(" ")[3]!;
  assert.ok(isAbsolute(table) && table === join(dir, "pair.table"));
  assert.ok(existsSync(table));
  assert.match(readFileSync(table, "utf8"), /\nAA\nN 1000 RSQ /);
  assert.match(readFileSync(sub + "-glass.data", "utf8"), /^# glassmech model=pss rc=1\.2\n\n200 atoms\n2 atom types\n/);
});

test("cli: export-lammps refuses POLY before writing anything", () => {
  const poly = join(dir, "poly.xyz");
  writeFileSync(
    poly,
    '2\nLattice="4 0 0 0 4 0 0 0 4" Properties=species:S:1:pos:R:3:type:I:1:radius:R:1 model=poly\nA 1 1 1 0 0.5\nA 3 3 3 0 0.6\n',
  );
  const r = run("export-lammps", poly, "--data", join(dir, "poly.data"), "--pair", join(dir, "poly.pair"));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^glassmech: export-lammps: model poly has per-particle sizes/);
  assert.ok(!existsSync(join(dir, "poly.data")) && !existsSync(join(dir, "poly.pair")));
});

test("cli: a bad file exits 2 with one line naming file and line, no stack trace", () => {
  const bad = join(dir, "bad.xyz");
  writeFileSync(bad, '2\nLattice="4 0 0 0 4 0 0 0 4" Properties=species:S:1:pos:R:3 model=pss\nA 1 1 1\nB 1 x 1\n');
  for (const args of [["info", bad], ["convert", bad, join(dir, "o.data")], ["export-lammps", bad, "--data", "d", "--pair", "p"]]) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args[0]}: ${r.stderr}`);
    assert.equal(r.stderr, `glassmech: ${bad}:4: pos component 2 'x' is not a number\n`);
    assert.equal(r.stdout, "");
  }
  assert.ok(!existsSync(join(dir, "o.data")));
});

test("cli: usage errors exit 2; --help exits 0", () => {
  const r = run("info", GLASS, "--rc", "abc");
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^glassmech: --rc: argument 'abc' is invalid: 'abc' is not a finite number\n$/);
  for (const args of [["frobnicate"], ["info"]]) {
    const e = run(...args);
    assert.equal(e.status, 2, e.stderr);
  }
  const h = run("--help");
  assert.equal(h.status, 0, h.stderr);
  assert.match(h.stdout, /info \[options\] <file>/);
  const u = run("info", GLASS, "--model", "nope");
  assert.equal(u.status, 2, u.stderr);
  assert.match(u.stderr, /^glassmech: .*pss3d_n200\.xyz: unknown model 'nope'/);
  assert.equal(u.stderr.split("\n").length, 2);
});
