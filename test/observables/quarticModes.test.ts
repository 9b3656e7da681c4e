/**
 * Quartic-mode search (src/observables/quarticModes.ts, qlm.ts; SPEC §6.4) on small minimized
 * PSS r_c = 1.5 glasses in 2D and 3D (fixed seeds): the gradient against finite differences of 𝒢,
 * the stationarity residual of the converged π recomputed independently (assembled Hessian and
 * the single contractions), a monotonically decreasing cost, overlap with a quasilocalized
 * harmonic mode started from, merging of duplicates, and flagged starts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { PairJets } from "../../src/hessian/contractions.js";
import { assembleHessian } from "../../src/hessian/assemble.js";
import { blockMatVec } from "../../src/linalg/blockMatrix.js";
import { Rng } from "../../src/core/rng.js";
import { prepareGlass } from "../../src/observables/prepare.js";
import { glassModes } from "../../src/observables/modes.js";
import { quasilocalizedModes } from "../../src/observables/qlm.js";
import { shearStarts } from "../../src/observables/qlmStarts.js";
import { costGradient, quarticModeSearch } from "../../src/observables/quarticModes.js";
import { smallGlass } from "./glasses.js";

const glass2 = () => {
  const { config, model } = smallGlass({ name: "pss", params: { rc: 1.5 }, d: 2, n: 400, density: 0.6, seed: 3 });
  return prepareGlass(config, model);
};
const glass3 = () => {
  const { config, model } = smallGlass({ name: "pss", params: { rc: 1.5 }, d: 3, n: 500, density: 0.6, seed: 2 });
  return prepareGlass(config, model);
};

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
};

test("∇𝒢 = 4(A/B)[M·z − (A/B) U''''::zzz] equals finite differences of 𝒢 (2D and 3D)", () => {
  for (const g of [glass2(), glass3()]) {
    const jets = PairJets.fromRecords(g.records, g.config, g.model);
    const nd = g.config.n * g.config.d;
    const rng = Rng.fromSeed(5);
    const z = shearStarts(g.hessian, g.records)[0].vector;
    const mz = new Float64Array(nd), t = new Float64Array(nd), grad = new Float64Array(nd), res = new Float64Array(2);
    jets.evaluate(z, mz, t, res);
    costGradient(res[0], res[1], mz, t, grad);
    const cost = (v: Float64Array) => {
      const m = new Float64Array(nd);
      const A = jets.hessianVector(v, m);
      return (A * A) / jets.quartic(v);
    };
    const e = Float64Array.from(z, () => rng.normal());
    const h = 1e-5 * Math.sqrt(dot(z, z) / dot(e, e));
    const at = (s: number) => cost(Float64Array.from(z, (v, k) => v + s * e[k]));
    const fd = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
    const an = dot(grad, e);
    assert.ok(Math.abs(fd - an) <= 1e-6 * Math.abs(an), `d=${g.config.d}: FD ${fd} vs analytic ${an}`);
    // Scale-free: ∇𝒢 ⟂ z (Euler), and 𝒢(3z) = 𝒢(z).
    assert.ok(Math.abs(dot(grad, z)) <= 1e-10 * Math.sqrt(dot(grad, grad) * dot(z, z)));
    assert.ok(Math.abs(at(0) - cost(Float64Array.from(z, (v) => 3 * v))) <= 1e-12 * at(0));
  }
});

test("a shear start converges to a stationary π with a monotonically decreasing cost (2D and 3D)", () => {
  for (const g of [glass2(), glass3()]) {
    const { n, d } = g.config;
    const jets = PairJets.fromRecords(g.records, g.config, g.model);
    const costs: number[] = [];
    const res = quarticModeSearch(jets, shearStarts(g.hessian, g.records)[0].vector, { onIteration: (_it, c) => costs.push(c) });
    assert.equal(res.status, "converged", res.message);
    assert.ok(res.residual < 1e-8);
    assert.equal(costs.length, res.iterations);
    for (let k = 1; k < costs.length; k++) assert.ok(costs[k] <= costs[k - 1] * (1 + 1e-13), `cost rose at iteration ${k + 1}: ${costs[k - 1]} → ${costs[k]}`);
    // Independent residual: assembled Hessian, single contractions.
    const pi = res.vector;
    assert.ok(Math.abs(dot(pi, pi) - 1) < 1e-12);
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += pi[i * d + a];
      assert.ok(Math.abs(s) < 1e-10, "translation-free");
    }
    const M = assembleHessian(g.records, n);
    const mpi = new Float64Array(n * d), u4 = new Float64Array(n * d);
    blockMatVec(M, pi, mpi);
    const B = jets.quarticVector(pi, u4);
    const lam = dot(pi, mpi) / B;
    const r = Math.sqrt(mpi.reduce((s, v, k) => s + (v - lam * u4[k]) ** 2, 0) / dot(mpi, mpi));
    assert.ok(r < 1.0001e-8, `recomputed residual ${r}`);
    assert.ok(Math.abs(res.cost - dot(pi, mpi) ** 2 / B) <= 1e-12 * res.cost);
  }
});

test("from a quasilocalized harmonic mode the quartic mode overlaps it strongly (3D)", () => {
  const g = glass3();
  const { n, d } = g.config;
  const modes = glassModes(g.hessian, 10);
  // The most localized of the 10 softest harmonic modes: a soft spot, not a phonon.
  let l = 0;
  for (let m = 1; m < 10; m++) if (modes.participationRatios[m] < modes.participationRatios[l]) l = m;
  assert.ok(modes.participationRatios[l] < 0.1, `mode ${l} is quasilocalized (e = ${modes.participationRatios[l]})`);
  const psi = modes.vectors.slice(l * n * d, (l + 1) * n * d);
  const jets = PairJets.fromRecords(g.records, g.config, g.model);
  const res = quarticModeSearch(jets, psi);
  assert.equal(res.status, "converged", res.message);
  const overlap = Math.abs(dot(res.vector, psi)) / Math.sqrt(dot(psi, psi));
  if (process.env.GLASSMECH_VERBOSE) console.log(`harmonic mode ${l}: ω = ${modes.frequencies[l]}, e = ${modes.participationRatios[l]}; quartic ω_π = ${Math.sqrt(res.stiffness)}, overlap ${overlap}`);
  assert.ok(overlap > 0.9, `overlap |π·ψ| = ${overlap}`);
  assert.ok(Math.sqrt(res.stiffness) >= modes.frequencies[0] * (1 - 1e-9), "ω_π is not below the lowest harmonic frequency (Rayleigh quotient)");
});

test("duplicates from different starts merge; early merging finds the same modes", () => {
  const g = glass2();
  const full = quasilocalizedModes(g, { starts: { kind: "dipoles", count: 12, seed: 2 }, earlyMergeOverlap: false, coreSize: false, k: 50 });
  assert.equal(full.flagged, 0);
  const dups = full.outcomes.filter((o) => o.status === "duplicate");
  assert.ok(dups.length >= 1, "12 dipole starts in a 400-particle glass find some mode twice");
  for (const o of dups) assert.match(o.message, /converged onto mode/);
  // Distinct modes are distinct, and every duplicate is listed on its mode.
  for (let a = 0; a < full.modes.length; a++)
    for (let b = 0; b < a; b++) assert.ok(Math.abs(dot(full.modes[a].vector, full.modes[b].vector)) <= 0.99);
  assert.equal(full.modes.reduce((s, m) => s + m.duplicates.length, 0), dups.length);
  assert.equal(full.distinctModes + dups.length, 12);
  for (const o of full.outcomes) {
    const m = full.modes[o.mode!];
    assert.ok(o.status === "converged" ? m.start === o.label : m.duplicates.includes(o.label), `${o.label} → mode ${o.mode}`);
  }
  const early = quasilocalizedModes(g, { starts: { kind: "dipoles", count: 12, seed: 2 }, coreSize: false, k: 50 });
  assert.ok(early.iterations < full.iterations, `early merging saves iterations (${early.iterations} vs ${full.iterations})`);
  assert.equal(early.distinctModes, full.distinctModes);
  for (const m of early.modes) assert.ok(full.modes.some((f) => Math.abs(dot(f.vector, m.vector)) > 0.99 && Math.abs(f.frequency - m.frequency) < 1e-6 * m.frequency));
  // Modes come softest first, each with its report keys.
  for (let a = 1; a < full.modes.length; a++) assert.ok(full.modes[a].frequency >= full.modes[a - 1].frequency);
  const m0 = full.modes[0];
  assert.ok(m0.residual < 1e-8 && m0.participation > 0 && m0.participation < 1 && m0.vector.length === 800 && Number.isFinite(m0.dilationShear));
});

test("starts that go nowhere are flagged, never kept", () => {
  const g = glass2();
  const jets = PairJets.fromRecords(g.records, g.config, g.model);
  const nd = g.config.n * g.config.d;
  // A uniform translation is zero once translations are projected out.
  const tr = new Float64Array(nd);
  for (let k = 0; k < nd; k += 2) tr[k] = 1;
  assert.equal(quarticModeSearch(jets, tr).status, "zero");
  const capped = quasilocalizedModes(g, { starts: { kind: "shear" }, maxIterations: 3, coreSize: false });
  assert.equal(capped.modes.length, 0);
  assert.equal(capped.flagged, 2);
  for (const o of capped.outcomes) {
    assert.equal(o.status, "maxIterations");
    assert.match(o.message, /no convergence in 3 iterations/);
  }
});
