import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { ensembleStatistics } from "../../src/registry/ensemble.js";
import type { GlassResult } from "../../src/registry/types.js";
import { extendsSpec } from "../../src/study/runner.js";
import { parseStudySpec } from "../../src/study/spec.js";

/**
 * Planted glasses whose lowest modes follow D(ω) = A ω⁴ below ω_c exactly: 3 modes per glass drawn
 * from the ω⁴ law on [0, ω_c] (so A = 3·5/(N ω_c⁵)), plus one mode above the cut.
 */
function planted(glasses: number, seed = 4): GlassResult[] {
  const rng = Rng.fromSeed(seed);
  const N = 1000, L = 10, cs = 10;
  const omegaCut = 0.75 * (2 * Math.PI * cs) / L;
  return Array.from({ length: glasses }, (_, s) => {
    const low = [0, 1, 2].map(() => omegaCut * Math.pow(rng.uniform(), 1 / 5)).sort((a, b) => a - b);
    const frequencies = [...low, 1.5 * omegaCut];
    return {
      N, d: 3, model: "model=pss rc=1.2", sample: s, shearModulus: cs * cs, bulkModulus: 3 * cs * cs + s * 1e-3, pressure: 1, p0: 2, cs, omega0: 2, boxLengths: [L, L, L],
      frequencies, participationRatios: frequencies.map(() => 0.1),
      energyDecomposition: { kPlus: frequencies.map((w) => 2 + w), kMinus: frequencies.map(() => -1.5), fPlus: frequencies.map(() => 0.1), fMinus: frequencies.map((w) => -0.5 - w) },
    } as GlassResult;
  });
}

test("ensemble D(ω): log-binned vDOS and its ω⁴ fit below ω_c recover a planted A; the energy decomposition of the soft modes", () => {
  const results = planted(400);
  const s = ensembleStatistics(results);
  const omegaCut = 0.75 * Math.PI * 2;
  const A = (3 * 5) / (1000 * omegaCut ** 5);
  const v = s.vdos!;
  assert.ok(v.fit !== null);
  assert.ok(Math.abs(v.fit!.A / A - 1) < 4 * v.fit!.relError + 0.1, `fit A = ${v.fit!.A} vs planted ${A} (±${v.fit!.relError})`);
  assert.ok(Math.abs(v.fit!.AOmega0_5 - v.fit!.A * 32) < 1e-12 * v.fit!.AOmega0_5);
  assert.ok(Math.abs(s.Ag!.value / A - 1) < 4 * (s.Ag!.stdError / s.Ag!.value), `counting A_g ${s.Ag!.value} vs ${A}`);
  assert.ok(Math.abs(v.fit!.freeExponent - 4) < 4 * v.fit!.freeExponentStdError + 0.3, `free exponent ${v.fit!.freeExponent}`);
  // the bins stop below the lowest largest-computed frequency; per particle per glass
  assert.ok(v.edges[v.edges.length - 1] <= 1.5 * omegaCut * (1 + 1e-12));
  assert.equal(v.edges.length, v.centers.length + 1);
  const listed = v.counts.reduce((a, b) => a + b, 0);
  assert.ok(listed >= 3 * 400 && listed <= 4 * 400);
  // energy decomposition: means over the modes below ω_c only (the planted mode above has other values)
  const e = s.energyDecomposition!;
  assert.equal(e.modes, 1200);
  assert.equal(e.below, "omegaCut");
  assert.ok(Math.abs(e.kMinus.value + 1.5) < 1e-12 && Math.abs(e.fPlus.value - 0.1) < 1e-12);
  const meanLow = results.flatMap((r) => (r.frequencies as number[]).slice(0, 3)).reduce((a, b) => a + b, 0) / 1200;
  assert.ok(Math.abs(e.kPlus.value - (2 + meanLow)) < 1e-12);
  // a smaller ω_c (analysis option) moves the fit range and the counted modes
  const t = ensembleStatistics(results, { omegaCutFraction: 0.5 });
  assert.ok(t.Ag!.nBelow < s.Ag!.nBelow);
  assert.ok(t.vdos!.fit!.range[1] <= t.Ag!.omegaCut);
});

test("study specs: measure.gr, energyDecomposition, forceFilter, omegaCutFraction, ne0Threshold; only the analysis settings may change in a study", () => {
  const base = { name: "s", seed: 1, ensembles: [{ label: "a", model: "model=pss rc=1.2", tp: 1, samples: 2 }] };
  const s = parseStudySpec({ ...base, measure: { modes: 5, gr: true, energyDecomposition: true, forceFilter: 0.5, omegaCutFraction: 0.6, ne0Threshold: 1.2 } });
  assert.deepEqual(
    { gr: s.measure.gr, e: s.measure.energyDecomposition, f: s.measure.forceFilter, c: s.measure.omegaCutFraction, t: s.measure.ne0Threshold },
    { gr: true, e: true, f: 0.5, c: 0.6, t: 1.2 },
  );
  for (const [k, v] of [["omegaCutFraction", 0], ["omegaCutFraction", 1.5], ["ne0Threshold", -1], ["forceFilter", "x"], ["gr", 1], ["energyDecomposition", "yes"]] as const)
    assert.throws(() => parseStudySpec({ ...base, measure: { [k]: v } }), new RegExp(`study\\.measure\\.${k}`), `${k} = ${v}`);
  const plain = parseStudySpec({ ...base, measure: { modes: 5 } });
  assert.ok(extendsSpec(plain, parseStudySpec({ ...base, measure: { modes: 5, omegaCutFraction: 0.5, ne0Threshold: 2 } })), "analysis settings only");
  assert.ok(!extendsSpec(plain, parseStudySpec({ ...base, measure: { modes: 5, gr: true } })), "g(r) changes every result");
  // an old study.json (written before these keys existed) is still the same study
  assert.equal(JSON.stringify(plain), JSON.stringify(parseStudySpec(JSON.parse(JSON.stringify({ ...base, measure: { modes: 5 } })))));
});

test("a study measuring quartic modes: per-glass qlm keys, the ensemble's softest ω_π, dilation/shear, and the anneal series", async () => {
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { runStudy } = await import("../../src/study/runner.js");
  const { annealingAnalysis } = await import("../../src/study/annealing.js");
  const dir = mkdtempSync(join(tmpdir(), "gm-qlm-study-"));
  try {
    const spec = parseStudySpec({
      name: "q", seed: 6, glass: { d: 2, n: 100, time: 1 }, measure: { qlm: { starts: "dipoles:6", k: 2 } },
      ensembles: [1.5, 1.0].map((tp) => ({ label: `t${tp}`, model: "model=pss rc=1.5", density: 0.7, tp, samples: 2 })),
    });
    assert.throws(() => parseStudySpec({ ...spec, ensembles: [{ label: "x", model: "model=pss", tp: 1, samples: 1 }], measure: { qlm: { starts: "random" } } }), /study\.measure\.qlm\.starts/);
    const run = await runStudy(spec, dir, { threads: 0 });
    const e = run.summary!.ensembles[0].statistics;
    const qm = e.quarticModes!;
    assert.ok(qm.glasses >= 1 && qm.softest.value > 0 && Number.isFinite(qm.dilationShear.value), JSON.stringify(qm));
    assert.ok(Math.abs(qm.softestOverOmega0.value * e.means.omega0.mean - qm.softest.value) < 0.5 * qm.softest.value);
    // the softest quartic mode of each glass is kept for the report's views
    const { readVectorMarket } = await import("../../src/io/matrixMarket.js");
    const { writeEnsembleView } = await import("../../src/view/ensembleViews.js");
    const v = readVectorMarket(join(dir, "t1.5", "qlm-0000.mtx"));
    assert.equal(v.length, 100 * 2);
    assert.ok(Math.abs(v.reduce((a, x) => a + x * x, 0) - 1) < 1e-9, "unit vector");
    const view = writeEnsembleView(dir, "t1.5");
    assert.ok(view.shows.some((x) => /quartic/i.test(x)), view.shows.join("; "));
    const a = annealingAnalysis(run.summary!);
    assert.ok(a.models[0].points.every((p) => p.micro.qlmSoftest === undefined || p.micro.qlmSoftest.value > 0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
