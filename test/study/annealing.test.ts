import { test } from "node:test";
import assert from "node:assert/strict";
import { annealingAnalysis } from "../../src/study/annealing.js";
import type { StudySummary } from "../../src/study/runner.js";
import { GlassmechError } from "../../src/core/errors.js";

/** A study summary with planted crossover temperatures: G/K has a kink at T_co, u collapses. */
function planted(tcos: number[]): StudySummary {
  const ensembles: StudySummary["ensembles"] = [];
  tcos.forEach((tco, m) => {
    for (const x of [0.4, 0.55, 0.7, 0.85, 1.3, 1.7, 2.2]) {
      const tp = x * tco;
      const GK = 0.3 + (x < 1 ? 0.2 * (1 - x) : 0); // rises linearly below T_co, plateau above
      const K = 60 - m;
      const G = GK * K;
      const u = -5 + m + tco * Math.exp(-1 / x) * 2; // a smooth curve of T_p/T_co
      const means: Record<string, { mean: number; stdError: number; n: number }> = {};
      const put = (k: string, v: number) => (means[k] = { mean: v, stdError: 0, n: 8 });
      put("shearModulus", G);
      put("bulkModulus", K);
      put("shearModulusNonaffine", 0.4 * G);
      put("poissonRatio", 0.35 - 0.1 * GK);
      put("energyPerParticle", u);
      put("density", 0.6);
      ensembles.push({ label: `m${m}-x${x}`, tp, glasses: 8, planned: 8, statistics: { model: `model=pss rc=${1.1 + m / 10}`, N: 100, d: 3, samples: 8, means } as never });
    }
  });
  return { name: "planted", ensembles };
}

test("annealing analysis recovers planted T_co by both schemes and normalizes by the plateau", () => {
  const a = annealingAnalysis(planted([1.0, 2.0]));
  assert.equal(a.models.length, 2);
  for (const [k, tco] of [[0, 1.0], [1, 2.0]] as const) {
    const m = a.models[k];
    assert.ok(Math.abs(m.tcoGK.Tco / tco - 1) < 1e-6, `G/K scheme ${m.tcoGK.Tco} vs ${tco}`);
    assert.ok(Math.abs(m.tcoCollapse / tco - 1) < 0.05, `collapse ${m.tcoCollapse} vs ${tco}`);
    const hot = m.points[m.points.length - 1];
    assert.ok(Math.abs(hot.GOverGInf - 1) < 1e-12 && Math.abs(hot.KOverKInf - 1) < 1e-12);
    assert.ok(m.points[0].GOverGInf > 1.2, "annealed glasses are stiffer");
    assert.ok(Math.abs(m.points[0].GnaOverG - 0.4) < 1e-12);
  }
});

test("annealing analysis refuses a study without enough parent temperatures", () => {
  const s = planted([1.0]);
  s.ensembles.splice(3);
  assert.throws(() => annealingAnalysis(s), GlassmechError);
});
