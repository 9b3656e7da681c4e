/**
 * The glass-making and Hessian commands of the compiled CLI, run as child processes: make (and
 * its resume), relax, md, hessian, modes, study, ensemble.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cliRunner, GLASS } from "./cliRunner.js";

const { dir, run } = cliRunner("cmd");

test("make writes a minimized glass with its report; same seed, same file", () => {
  const args = ["--model", "ipl", "--d", "2", "--n", "64", "--tp", "1", "--time", "2", "--seed", "3", "--quiet"];
  const a = run("make", ...args, "-o", "a.xyz", "--json");
  assert.equal(a.status, 0, a.stderr);
  const report = JSON.parse(a.stdout);
  assert.ok(report.minimization.maxForce < 1e-10);
  assert.equal(run("make", ...args, "-o", "b.xyz").status, 0);
  assert.equal(readFileSync(join(dir, "a.xyz"), "utf8"), readFileSync(join(dir, "b.xyz"), "utf8"));
  assert.ok(!existsSync(join(dir, "a.xyz.checkpoint.json")), "the checkpoint is removed on success");
  const info = JSON.parse(run("info", "a.xyz", "--json").stdout);
  assert.ok(info.maxForce < 1e-10 && info.d === 2 && info.N === 64);
});

test("make refuses bad input with one line and status 2", () => {
  for (const bad of [["--model", "nope"], ["--rc", "0.9"], ["--d", "5"], ["--tp", "-1"]]) {
    const r = run("make", "--n", "20", "--time", "1", ...bad, "-o", "x.xyz", "--quiet");
    assert.equal(r.status, 2, `${bad.join(" ")}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /^glassmech: /);
  }
});

test("md then relax brings a glass back to a minimum", () => {
  assert.equal(run("md", GLASS, "hot.xyz", "--t", "0.5", "--steps", "200", "--quiet").status, 0);
  const hot = JSON.parse(run("info", "hot.xyz", "--json").stdout);
  assert.ok(hot.maxForce > 1e-3);
  const r = run("relax", "hot.xyz", "cold.xyz", "--json", "--quiet");
  assert.equal(r.status, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).maxForce < 1e-10);
});

test("hessian exports Matrix Market; modes prints frequencies and participation ratios", () => {
  const h = run("hessian", GLASS, "--export", "h.mtx", "--json");
  assert.equal(h.status, 0, h.stderr);
  const text = readFileSync(join(dir, "h.mtx"), "utf8");
  assert.match(text, /^%%MatrixMarket matrix coordinate real symmetric/);
  assert.equal(JSON.parse(h.stdout).order, 600);
  const m = run("modes", GLASS, "--k", "5", "--json");
  assert.equal(m.status, 0, m.stderr);
  const j = JSON.parse(m.stdout);
  assert.equal(j.frequencies.length, 5);
  assert.ok(j.frequencies[0] > 0 && j.frequencies.every((w: number, l: number) => l === 0 || w >= j.frequencies[l - 1]));
  assert.ok(j.participationRatios.every((e: number) => e > 0 && e <= 1));
  const hot = run("modes", "hot.xyz", "--k", "5");
  assert.equal(hot.status, 2, "a configuration that is not a minimum is refused");
  assert.match(hot.stderr, /not a minimum/);
});

test("study then ensemble on its results", () => {
  writeFileSync(
    join(dir, "s.json"),
    JSON.stringify({ name: "s", seed: 2, glass: { d: 2, n: 50, time: 1 }, ensembles: [{ label: "ipl", model: "model=ipl", tp: 1, samples: 3 }] }),
  );
  const s = run("study", "s.json", "-o", "out", "--threads", "0", "--quiet");
  assert.equal(s.status, 0, s.stderr);
  const files = [0, 1, 2].map((k) => join("out", "ipl", `result-000${k}.json`));
  const e = run("ensemble", ...files, "--json");
  assert.equal(e.status, 0, e.stderr);
  const j = JSON.parse(e.stdout);
  assert.equal(j.samples, 3);
  assert.ok(j.means.shearModulus.mean > 0);
});
