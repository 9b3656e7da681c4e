import { test } from "node:test";
import assert from "node:assert/strict";
import { annealingAnalysis } from "../../src/study/annealing.js";
import { formatAnnealing } from "../../src/cli/anneal.js";
import type { StudySummary } from "../../src/study/summary.js";
import { GlassmechError } from "../../src/core/errors.js";
import { planted, plantMicro } from "./plantedAnnealing.js";

test("annealing analysis recovers planted T_co by both schemes and normalizes by the plateau", () => {
  const a = annealingAnalysis(planted([1.0, 2.0]));
  assert.equal(a.models.length, 2);
  for (const [k, tco] of [[0, 1.0], [1, 2.0]] as const) {
    const m = a.models[k];
    assert.ok(Math.abs(m.tcoGK!.Tco / tco - 1) < 1e-6, `G/K scheme ${m.tcoGK!.Tco} vs ${tco}`);
    assert.ok(Math.abs(m.tcoCollapse / tco - 1) < 0.05, `collapse ${m.tcoCollapse} vs ${tco}`);
    const hot = m.points[m.points.length - 1];
    assert.ok(Math.abs(hot.GOverGInf - 1) < 1e-12 && Math.abs(hot.KOverKInf - 1) < 1e-12);
    assert.ok(m.points[0].GOverGInf > 1.2, "annealed glasses are stiffer");
    assert.ok(Math.abs(m.points[0].GnaOverG - 0.4) < 1e-12);
  }
});

test("annealing analysis with too few parent temperatures or no crossover reports what it can and says why", () => {
  const s = planted([1.0]);
  s.ensembles.splice(3);
  const a = annealingAnalysis(s);
  assert.equal(a.models.length, 1);
  assert.equal(a.models[0].tcoGK, null);
  assert.ok(Number.isNaN(a.models[0].points[0].tpOverTco));
  assert.equal(a.models[0].points.length, 3);
  assert.match(a.models[0].problems.join("\n"), /≥ 5 parent temperatures .*, has 3/);
  assert.match(a.problems.join("\n"), /energy collapse: needs ≥ 2 models with a T_co, has 0/);
  const text = formatAnnealing(a);
  assert.match(text, /T_co: –/);
  assert.match(text, /missing: .*≥ 5 parent temperatures/);
  // G/K flat in T_p (no low-T_p line): the model is kept, the crossover is reported missing
  const flat = planted([1.0]);
  for (const e of flat.ensembles) (e.statistics.means.shearModulus as { mean: number }).mean = 0.3 * e.statistics.means.bulkModulus.mean * (1 + 1e-3 * Math.sin(7 * e.tp));
  const b = annealingAnalysis(flat);
  assert.equal(b.models.length, 1);
  if (b.models[0].tcoGK === null) assert.match(b.models[0].problems.join("\n"), /G\/K scheme/);
  assert.throws(() => annealingAnalysis({ name: "empty", ensembles: [] }), GlassmechError);
});

test("microscopic series against T_p, the Boltzmann law and the relations recover planted values", () => {
  const s = planted([1.0, 2.0]);
  const E = 2.5;
  plantMicro(s, E);
  const a = annealingAnalysis(s);
  for (const [k, tco] of [[0, 1.0], [1, 2.0]] as const) {
    const m = a.models[k];
    const b = m.boltzmann.dipole!;
    assert.ok(b.inTco && Math.abs(b.E - E) < 1e-6, `E = ${b.E} T_co vs ${E} (T_co = ${tco})`);
    assert.ok(b.window[1] < tco, "fitted below T_co");
    const hot = m.points[m.points.length - 1];
    assert.ok(Math.abs(hot.micro.omegaGRatio.dipole!.value - 1) < 1e-9);
    assert.ok(m.points[0].micro.omegaGRatio.dipole!.value > 1.2, "ω_g grows as T_p falls");
    assert.ok(Math.abs(m.points[0].micro.kappaGRatio!.value - m.points[0].micro.omegaGRatio.dipole!.value ** 2) < 1e-9);
  }
  const rel = Object.fromEntries(a.relations.map((r) => [r.name, r]));
  assert.ok(Math.abs(rel["Ne0 ~ (ω_g/ω0)^−3"].exponent + 3) < 1e-9);
  assert.ok(Math.abs(rel["ξ_g/a0 ~ χ_G^(2/3)"].exponent - 2 / 3) < 1e-9);
  assert.equal(rel["ξ_g/a0 ~ χ_G^(2/3)"].verdict, "consistent");
  // A_g ω0⁵ = 𝒩/ω_g⁵ with 𝒩 varying too: not a pure −5 law on these planted data
  assert.ok(rel["A_g ω0⁵ ~ (ω_g/ω0)^−5"].exponent < -5);
  const text = formatAnnealing(a);
  assert.match(text, /Boltzmann 𝒩 \(ω_g = ⟨√κ⟩\) .*E = 2\.50.* T_co; seed 003: E_QLM ≈ 3\.3 T_onset/);
  assert.match(text, /Ne0 ~ \(ω_g\/ω0\)\^−3: exponent -3\.00/);
});
