/**
 * Per-mode analysis of quartic modes: deformation coupling with the sign rule of seed 001 Eq. A16
 * (src/observables/qlmCoupling.ts, SPEC §6.5), the core pair and ξ_QLM from the mode's own c(r)
 * (src/observables/qlmCore.ts, SPEC §6.6), on a small minimized 2D PSS r_c = 1.5 glass.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { PairJets } from "../../src/hessian/contractions.js";
import { strainCoupling } from "../../src/hessian/strain.js";
import { symmetricEigenvalues } from "../../src/linalg/dense.js";
import { removeTranslations } from "../../src/linalg/projection.js";
import { prepareGlass } from "../../src/observables/prepare.js";
import { qlmCoupling } from "../../src/observables/qlmCoupling.js";
import { corePair, qlmDecay } from "../../src/observables/qlmCore.js";
import { shearStarts } from "../../src/observables/qlmStarts.js";
import { quarticModeSearch } from "../../src/observables/quarticModes.js";
import { smallGlass } from "./glasses.js";

function softMode(d = 2) {
  const { config, model } = smallGlass(
    d === 2 ? { name: "pss", params: { rc: 1.5 }, d: 2, n: 400, density: 0.6, seed: 3 } : { name: "pss", params: { rc: 1.5 }, d: 3, n: 500, density: 0.6, seed: 2 },
  );
  const g = prepareGlass(config, model);
  const jets = PairJets.fromRecords(g.records, g.config, g.model);
  const res = quarticModeSearch(jets, shearStarts(g.hessian, g.records)[0].vector);
  assert.equal(res.status, "converged");
  return { g, pi: res.vector };
}

test("dilation/shear: symmetrized F, deviatoric eigenvalue of largest magnitude made positive (3D; Tr F ≥ 0 in 2D), invariant under π → −π", () => {
  for (const dim of [3, 2]) {
    const { g, pi } = softMode(dim);
    const { n, d } = g.config;
    const c = qlmCoupling(g.records, n, pi);
    const neg = qlmCoupling(g.records, n, pi.map((v) => -v));
    assert.equal(c.flipped, !neg.flipped);
    assert.ok(c.deviatoricMax > 0 && neg.deviatoricMax > 0);
    assert.ok(Math.abs(c.dilationShear - neg.dilationShear) <= 1e-12 * Math.abs(c.dilationShear));
    // Independent: from strainCoupling of the sign-fixed mode.
    const s = c.flipped ? -1 : 1;
    const F = strainCoupling(g.records, n, pi.map((v) => s * v));
    let tr = 0;
    for (let a = 0; a < d; a++) tr += F[a * d + a];
    const dev = new Float64Array(d * d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) dev[a * d + b] = 0.5 * (F[a * d + b] + F[b * d + a]) - (a === b ? tr / d : 0);
    const ev = symmetricEigenvalues(d, dev);
    const ext = Math.abs(ev[0]) > Math.abs(ev[d - 1]) ? ev[0] : ev[d - 1];
    if (d === 3) assert.ok(ext > 0, "after the sign rule the extreme deviatoric eigenvalue is positive");
    else assert.ok(tr >= 0 && Math.abs(ev[0] + ev[1]) < 1e-9 * ev[1], "2D: eigenvalues ±λ, sign by Tr F ≥ 0");
    assert.ok(Math.abs(c.isotropic - tr / d) <= 1e-12 * Math.abs(tr));
    assert.ok(Math.abs(c.dilationShear - tr / d / Math.abs(ext)) <= 1e-12 * Math.abs(c.dilationShear));
  }
});

test("core pair maximizes |π_i − π_j|²; the mode's c(r) decays from it, a random field's does not", () => {
  const { g, pi } = softMode();
  const { d, n } = g.config;
  const core = corePair(g.records, pi);
  let best = 0;
  for (let p = 0; p < g.records.count; p++) {
    let v = 0;
    for (let a = 0; a < d; a++) v += (pi[g.records.j[p] * d + a] - pi[g.records.i[p] * d + a]) ** 2;
    best = Math.max(best, v);
  }
  let got = 0;
  for (let a = 0; a < d; a++) got += (pi[core.j * d + a] - pi[core.i * d + a]) ** 2;
  assert.equal(got, best);
  const near = (rep: ReturnType<typeof qlmDecay>) => {
    const c = rep.c.filter((v): v is number => v !== null);
    const third = Math.floor(c.length / 3);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    return mean(c.slice(0, third)) / mean(c.slice(c.length - third));
  };
  const mode = qlmDecay(g.records, g.config.positions, g.config.box, pi, core.record);
  const rng = Rng.fromSeed(9);
  const noise = Float64Array.from(pi, () => rng.normal());
  removeTranslations(d, noise);
  const flat = qlmDecay(g.records, g.config.positions, g.config.box, noise, core.record);
  assert.ok(near(mode) > 30, `c(r) of the mode falls by ${near(mode)} from near to far`);
  assert.ok(near(flat) < 3, `c(r) of a random field is flat (${near(flat)})`);
  const a0 = Math.sqrt(g.config.box.volume / n);
  assert.ok(mode.xi !== null, mode.xiError);
  assert.ok(mode.xi! > a0 && mode.xi! < g.config.box.h[0] / 2, `ξ_QLM = ${mode.xi} between a0 and L/2`);
});
