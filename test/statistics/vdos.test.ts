import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { vdosPrefactor, omegaCutFromPhonon, logBinnedDensity, fitOmega4, ne0, agOmega0_5, phononFrequency } from "../../src/statistics/vdos.js";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

/** Poisson deviate (Knuth), fine for small means. */
function poisson(rng: Rng, mean: number): number {
  const L = Math.exp(-mean);
  let k = 0, p = 1;
  for (;;) { p *= rng.uniform(); if (p <= L) return k; k++; }
}

/**
 * n_s samples of N particles whose modes below ω_max follow D(ω) = A ω⁴ exactly: per sample a
 * Poisson number of modes with mean N A ω_max⁵/5, each at ω = ω_max u^{1/5} (inverse CDF of ∝ ω⁴),
 * plus a few "phonons" above ω_max so every sample lists modes past the cut.
 */
function plantedSpectra(seed: number, ns: number, N: number, A: number, omegaMax: number): number[][] {
  const rng = Rng.fromSeed(seed);
  const mean = (N * A * omegaMax ** 5) / 5;
  const out: number[][] = [];
  for (let s = 0; s < ns; s++) {
    const f: number[] = [];
    const k = poisson(rng, mean);
    for (let i = 0; i < k; i++) f.push(omegaMax * Math.pow(rng.uniform(), 0.2));
    for (let i = 0; i < 6; i++) f.push(omegaMax * (1.05 + 0.5 * rng.uniform()));
    out.push(f.sort((a, b) => a - b));
  }
  return out;
}

test("A_g estimator recovers a planted ω⁴ law within its Poisson error", () => {
  const N = 1000, A = 2.0, omegaMax = 0.5;
  const spectra = plantedSpectra(11, 200, N, A, omegaMax);
  const r = vdosPrefactor(spectra, N, 0.4);
  assert.equal(r.samples, 200);
  // Expected n_c = 200 · N A 0.4⁵/5 ≈ 819 → relative error ≈ 3.5 %.
  assert.ok(r.nBelow > 700 && r.nBelow < 950, `n_c = ${r.nBelow}`);
  close(r.error, r.Ag / Math.sqrt(r.nBelow), 1e-15, "Poisson error");
  assert.ok(Math.abs(r.Ag - A) < 3 * r.error, `A_g = ${r.Ag} ± ${r.error}`);
  // A different seed and cut: still within 3σ (the check is not tuned to one draw).
  const r2 = vdosPrefactor(plantedSpectra(12, 300, N, A, omegaMax), N, 0.45);
  assert.ok(Math.abs(r2.Ag - A) < 3 * r2.error, `A_g = ${r2.Ag} ± ${r2.error}`);
  // Frequencies in other units: A_g ω0⁵ is invariant under ω → λω (A_g → A_g/λ⁵, ω0 → λω0).
  const lam = 3;
  const r3 = vdosPrefactor(spectra.map((f) => f.map((w) => lam * w)), N, 0.4 * lam);
  close(agOmega0_5(r3.Ag, 0.7 * lam), agOmega0_5(r.Ag, 0.7), 1e-12 * agOmega0_5(r.Ag, 0.7), "A_g ω0⁵ scale invariance");
});

test("A_g: incomplete spectra are refused; no modes gives a one-count error", () => {
  assert.throws(() => vdosPrefactor([[0.1, 0.2], [0.1]], 100, 0.15), /sample 1 lists modes only up to/);
  const r = vdosPrefactor([[0.3], [0.4]], 100, 0.2);
  assert.equal(r.Ag, 0);
  close(r.error, 5 / (100 * 2 * 0.2 ** 5), 1e-12, "one-count scale");
  assert.equal(vdosPrefactor([[0.1]], 100, 0.15, { assumeComplete: true }).nBelow, 1);
});

test("ω_c from the phonon frequency", () => {
  close(phononFrequency(2, 10), (2 * Math.PI * 2) / 10, 1e-15, "ω_ph");
  const c = omegaCutFromPhonon(2, 10);
  close(c.omegaCut, 0.75 * c.omegaPh, 1e-15, "default fraction");
  assert.equal(omegaCutFromPhonon(2, 10, 0.5).fraction, 0.5);
  assert.throws(() => omegaCutFromPhonon(2, 10, 1.5));
});

test("log-binned D(ω) and the ω⁴ fit cross-check the estimator", () => {
  const N = 1000, A = 2.0, omegaMax = 0.5;
  const spectra = plantedSpectra(13, 2000, N, A, omegaMax);
  const h = logBinnedDensity(spectra, N, { binsPerDecade: 10, min: 0.1, max: 0.5 });
  // Σ D Δω = (modes below 0.5)/(N n_s)
  let integral = 0, below = 0;
  for (let k = 0; k < h.counts.length; k++) integral += h.density[k] * (h.edges[k + 1] - h.edges[k]);
  for (const f of spectra) for (const w of f) if (w >= 0.1 && w <= 0.5) below++;
  close(integral, below / (N * 2000), 1e-12, "normalization");
  const fit = fitOmega4(h, { omegaMax: 0.5 });
  // Bins are modelled as bin averages of A ω⁴ (the geometric centre alone reads 5.4 % low here).
  assert.ok(Math.abs(fit.A / A - 1) < 3 * fit.relError, `A = ${fit.A} (±${fit.relError})`);
  assert.ok(Math.abs(fit.freeExponent - 4) < 3 * fit.freeExponentStdError, `exponent ${fit.freeExponent} ± ${fit.freeExponentStdError}`);
  assert.ok(fit.relError < 0.01 && fit.freeExponentStdError < 0.05);
});

test("Ne0 averages N·e over the modes below the threshold", () => {
  const w = [0.1, 0.2, 0.3, 0.9, 1.2];
  const e = [0.01, 0.02, 0.03, 0.5, 0.6];
  const r = ne0(w, e, 1000, 0.5);
  assert.equal(r.nModes, 3);
  close(r.value, 20, 1e-12, "mean of 10, 20, 30");
  close(r.stdError, 10 / Math.sqrt(3), 1e-12, "s/√n with s = 10");
  assert.throws(() => ne0(w, e, 1000, 0.05), /no modes/);
  assert.throws(() => ne0([0.1], [2], 1000, 0.5), /participation ratio/);
});
