/**
 * `glassmech qlm` as a child process on the minimized fixture glass (3D PSS, N = 200): the JSON
 * keys of every mode, `--out` as an extended-XYZ column read back by our readers (and by Debian's
 * python3-ase when installed), and one-line refusals of bad input.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { readConfiguration } from "../../src/io/readConfiguration.js";
import { fileField } from "../../src/view/fields.js";
import { cliRunner, GLASS } from "./cliRunner.js";

const { dir, run } = cliRunner("qlm");

test("qlm --json prints modes with every key; --out writes the softest as column qlm:R:3", () => {
  const r = run("qlm", GLASS, "--starts", "dipoles:20", "--k", "3", "--json", "--out", "mode.xyz", "--quiet");
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.equal(res.N, 200);
  assert.equal(res.outcomes.length, 20);
  assert.ok(res.modes.length >= 1 && res.modes.length <= 3);
  for (const m of res.modes) {
    for (const key of ["frequency", "cost", "quartic", "participation", "corePair", "residual", "iterations", "dilationShear", "vector"]) assert.ok(key in m, key);
    assert.equal(m.vector.length, 600);
    assert.ok(m.residual < 1e-8 && m.quartic > 0 && m.frequency > 0);
    assert.ok(Math.abs(m.cost - m.frequency ** 4 / m.quartic) <= 1e-9 * m.cost, "𝒢 = ω_π⁴/U''''::ππππ for |π| = 1");
  }
  for (let l = 1; l < res.modes.length; l++) assert.ok(res.modes[l].frequency >= res.modes[l - 1].frequency);
  // The column reads back exactly, with the glass unchanged.
  const glass = readConfiguration(GLASS);
  const back = readConfiguration(join(dir, "mode.xyz"));
  assert.deepEqual(back.positions, glass.positions);
  const field = fileField(join(dir, "mode.xyz"), 200, 3, "qlm", "qlm");
  assert.deepEqual(Array.from(field.vector), res.modes[0].vector);
  const ase = spawnSync("/usr/bin/python3", ["-c", "import ase.io"], { encoding: "utf8" });
  if (ase.status !== 0) {
    console.log("python3-ase not installed: ASE read-back skipped");
    return;
  }
  // ASE wants element symbols as species (A is none): substitute Ar/Kr, keep the rest of the file.
  const lines = readFileSync(join(dir, "mode.xyz"), "utf8").split("\n");
  for (let i = 2; i < lines.length; i++) lines[i] = lines[i].replace(/^A /, "Ar ").replace(/^B /, "Kr ");
  writeFileSync(join(dir, "ase.xyz"), lines.join("\n"));
  const py = spawnSync(
    "/usr/bin/python3",
    ["-c", "import ase.io, json, sys; a = ase.io.read(sys.argv[1]); print(json.dumps(a.arrays['qlm'].reshape(-1).tolist()))", join(dir, "ase.xyz")],
    { encoding: "utf8" },
  );
  assert.equal(py.status, 0, py.stderr);
  assert.deepEqual(JSON.parse(py.stdout), res.modes[0].vector);
});

test("qlm prints a table; the default shear starts are d(d−1) = 6 in 3D", () => {
  const r = run("qlm", GLASS, "--quiet");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /distinct quartic modes from 6 shear starts/);
  assert.match(r.stdout, /omega_pi/);
});

test("qlm refuses a non-minimum, a glass without interacting pairs and bad options with one line", () => {
  assert.equal(run("md", GLASS, "hot.xyz", "--t", "0.5", "--steps", "100", "--quiet").status, 0);
  writeFileSync(
    join(dir, "dilute.xyz"),
    '3\nLattice="30 0 0 0 30 0 0 0 30" Properties=species:S:1:pos:R:3:type:I:1 pbc="T T T" model=pss rc=1.2\nA 1 1 1 0\nB 10 10 10 1\nA 20 20 20 0\n',
  );
  const cases: [string[], RegExp][] = [
    [["hot.xyz"], /not a minimum/],
    [["dilute.xyz"], /no two particles interact/],
    [[GLASS, "--starts", "phonons"], /expected 'shear' or 'dipoles:M'/],
    [[GLASS, "--k", "0"], /--k must be at least 1/],
  ];
  for (const [args, message] of cases) {
    const r = run("qlm", ...args, "--quiet", "--out", "never.xyz");
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /^glassmech: /);
    assert.match(r.stderr, message);
  }
  assert.ok(!existsSync(join(dir, "never.xyz")));
});
