/**
 * Issue 16, item 6: every solve and eigensolve of a measurement reports its method, iterations,
 * residual and tolerance (GlassMeasurement.solves), the numbers are the solvers' own (a looser
 * CG tolerance takes fewer iterations and leaves a larger residual), and `ensemble` refuses
 * results marked unconverged.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { readConfiguration } from "../../src/io/readConfiguration.js";
import { createModel } from "../../src/models/index.js";
import { measured } from "./measured.js";
import { ensembleStatistics } from "../../src/registry/ensemble.js";
import type { GlassResult } from "../../src/registry/types.js";

const GLASS = fileURLToPath(new URL("../../../test/fixtures/pss3d_n200.xyz", import.meta.url));

test("solves: moduli, modes and dipoles each report iterations, residual ≤ tolerance and converged", () => {
  const c = readConfiguration(GLASS);
  const m = measured(c, createModel(c.model), { modes: 3, dipoles: 4, solver: "cg" });
  assert.deepEqual(m.solves.map((s) => s.what), ["moduli", "modes", "dipoles"]);
  for (const s of m.solves) {
    assert.ok(s.iterations > 0, `${s.what}: ${s.iterations} iterations`);
    assert.ok(s.residual > 0 && s.residual <= s.tolerance, `${s.what}: residual ${s.residual} vs ${s.tolerance}`);
    assert.equal(s.converged, true);
  }
  assert.equal(m.converged, true);
  assert.equal(m.solves[0]!.iterations, m.cgIterations);
  assert.equal(m.solves[2]!.method, "CG+SSOR");
  const chol = measured(c, createModel(c.model), { dipoles: 4, solver: "cholesky" });
  assert.deepEqual(chol.solves.map((s) => [s.what, s.method, s.iterations]), [["moduli", "block CG", chol.cgIterations], ["dipoles", "Cholesky", 0]]);
});

test("solves: a looser CG tolerance shows in the report (fewer iterations, larger residual)", () => {
  const c = readConfiguration(GLASS);
  const tight = measured(c, createModel(c.model), { cgTol: 1e-10 }).solves[0]!;
  const loose = measured(c, createModel(c.model), { cgTol: 1e-3 }).solves[0]!;
  assert.equal(loose.tolerance, 1e-3);
  assert.ok(loose.iterations < tight.iterations, `${loose.iterations} vs ${tight.iterations}`);
  assert.ok(loose.residual > tight.residual && loose.residual <= 1e-3);
});

test("ensemble refuses results marked unconverged, naming them", () => {
  const c = readConfiguration(GLASS);
  const m = measured(c, createModel(c.model)) as unknown as GlassResult;
  const ok = ensembleStatistics([m, { ...m, sample: 1 }]);
  assert.equal(ok.samples, 2);
  assert.throws(
    () => ensembleStatistics([m, { ...m, sample: 7, converged: false }]),
    /ensemble: 1 of 2 results are marked unconverged \(converged: false: sample 7\)/,
  );
  assert.throws(() => ensembleStatistics([m], { decayFrom: [{ ...m, converged: false }] }), /decayFrom results are marked unconverged/);
});
