import assert from "node:assert/strict";
import { test } from "node:test";
import { readConfiguration } from "../../src/io/readConfiguration.js";
import { createModel } from "../../src/models/index.js";
import { GLASS } from "../cli/cliRunner.js";
import { measured } from "../observables/measured.js";

// Issue 15: the measurement's modes and dipole solves go the direct way (one factor) or the
// factorization-free way (LOBPCG+AMG, CG), and the result says which and why.
test("solvePath iterative reproduces the direct modes and dipole stiffnesses and says which path ran", () => {
  const c = readConfiguration(GLASS);
  const model = createModel(c.model);
  const direct = measured(c, model, { modes: 6, dipoles: 6, solvePath: "direct" });
  const iterative = measured(c, model, { modes: 6, dipoles: 6, solvePath: "iterative" });
  const auto = measured(c, model, { modes: 6, dipoles: 6 });
  direct.frequencies!.forEach((w: number, l: number) => assert.ok(Math.abs(iterative.frequencies![l] - w) <= 1e-8 * w, `mode ${l}: ${iterative.frequencies![l]} vs ${w}`));
  direct.dipoles!.forEach((x, t) => assert.ok(Math.abs(iterative.dipoles![t].kappa - x.kappa) <= 1e-8 * x.kappa, `dipole ${t}`));
  assert.deepEqual(direct.solves.slice(1).map((s) => s.method), ["shift-invert block Lanczos", "Cholesky"]);
  assert.deepEqual(iterative.solves.slice(1).map((s) => s.method), ["LOBPCG+AMG", "CG+SSOR"]);
  assert.match(iterative.solves[1].path!, /iterative path requested/);
  assert.match(auto.solves[1].path!, /small system/, "N = 200 goes direct, saying why");
  assert.equal(JSON.stringify(auto.frequencies), JSON.stringify(direct.frequencies));
});
