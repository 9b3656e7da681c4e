import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { linearFit, polyFit, polyEval } from "../../src/statistics/leastSquares.js";
import { meanWithError, ratioOfMeans } from "../../src/statistics/moments.js";
import { fitBoltzmann } from "../../src/statistics/boltzmann.js";
import { GlassmechError } from "../../src/core/errors.js";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

test("meanWithError: mean and s/√n", () => {
  const r = meanWithError([1, 2, 3, 4]);
  assert.equal(r.mean, 2.5);
  close(r.stdError, Math.sqrt(5 / 3 / 4), 1e-15, "stdError");
  assert.ok(Number.isNaN(meanWithError([3]).stdError));
  assert.throws(() => meanWithError([]), GlassmechError);
});

test("ratioOfMeans: delta-method and jackknife errors agree with the spread over repeated ensembles", () => {
  const rng = Rng.fromSeed(5);
  const draw = (n: number) => {
    const G: number[] = [], K: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = 20 + 2 * rng.normal();
      K.push(k);
      G.push(0.3 * k + 0.5 * rng.normal()); // correlated, as G and K of one glass are
    }
    return { G, K };
  };
  const reps: number[] = [];
  for (let t = 0; t < 300; t++) { const { G, K } = draw(100); reps.push(ratioOfMeans(G, K).value); }
  const m = reps.reduce((a, b) => a + b) / reps.length;
  const sd = Math.sqrt(reps.reduce((a, v) => a + (v - m) ** 2, 0) / (reps.length - 1));
  const { G, K } = draw(100);
  const r = ratioOfMeans(G, K);
  close(m, 0.3, 0.002, "ratio");
  close(r.stdError / sd, 1, 0.25, "delta-method error vs spread");
  close(r.jackknifeStdError / r.stdError, 1, 0.05, "jackknife vs delta");
});

test("linearFit: exact line, and textbook standard errors for unweighted data", () => {
  const f = linearFit([0, 1, 2], [1, 3, 5]);
  close(f.slope, 2, 1e-14, "slope");
  close(f.intercept, 1, 1e-14, "intercept");
  close(f.slopeStdError, 0, 1e-12, "zero error on exact data");
  // y = [0, 1, 1, 3] at x = [0, 1, 2, 3]: slope 0.9, intercept −0.1, residuals 0.1, 0.2, −0.7, 0.4.
  const g = linearFit([0, 1, 2, 3], [0, 1, 1, 3]);
  close(g.slope, 0.9, 1e-14, "slope");
  close(g.intercept, -0.1, 1e-14, "intercept");
  const s2 = (0.01 + 0.04 + 0.49 + 0.16) / 2; // RSS/(n − 2) = 0.35
  close(g.slopeStdError, Math.sqrt(s2 / 5), 1e-14, "σ_slope = s/√Sxx"); // Sxx = 5
  close(g.interceptStdError, Math.sqrt(s2 * (1 / 4 + 1.5 ** 2 / 5)), 1e-14, "σ_intercept");
  close(g.covariance, (-s2 * 1.5) / 5, 1e-14, "cov");
  // Absolute weights: σ_slope = 1/sqrt(Σw(x − x̄_w)²).
  const h = linearFit([0, 1, 2, 3], [0, 1, 1, 3], { weights: [4, 4, 4, 4], absoluteSigma: true });
  close(h.slopeStdError, Math.sqrt(1 / (4 * 5)), 1e-14, "absolute σ_slope");
  assert.throws(() => linearFit([1, 1, 1], [1, 2, 3]), /rank deficient/);
});

test("polyFit recovers an exact cubic far from the origin (scaling keeps it well conditioned)", () => {
  const c = [5, -3, 0.25, -0.002];
  const x = Array.from({ length: 21 }, (_, i) => 1000 + 0.5 * i);
  const y = x.map((v) => polyEval(c, v - 1000)); // cubic in (x − 1000)
  const f = polyFit(x, y, 3);
  for (let i = 0; i < x.length; i++) close(polyEval(f.coefficients, x[i]), y[i], 1e-4 * (1 + Math.abs(y[i])), `fit at ${x[i]}`);
  // Scaled-variable coefficients reproduce the data to rounding.
  for (let i = 0; i < x.length; i++) close(polyEval(f.scaledCoefficients, (x[i] - f.center) / f.scale), y[i], 1e-10, `scaled at ${x[i]}`);
  close(f.chi2, 0, 1e-16, "residual");
});

test("Boltzmann fit recovers a planted E with its error", () => {
  const rng = Rng.fromSeed(31);
  const Tp = [0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1];
  const E = 1.5, P = 2;
  const rel = 0.03;
  const Ncal = Tp.map((t) => P * Math.exp(-E / t) * (1 + rel * rng.normal()));
  const err = Ncal.map((v) => rel * v);
  const f = fitBoltzmann(Tp, Ncal, err);
  assert.ok(Math.abs(f.E - E) < 3 * f.stdError, `E = ${f.E} ± ${f.stdError}`);
  assert.ok(f.stdError < 0.05);
  assert.ok(Math.abs(Math.log(f.prefactor / P)) < 3 * f.prefactorRelError);
  // In units of T_onset = 0.5: E/T_onset = 3.
  const g = fitBoltzmann(Tp, Ncal, err, { temperatureUnit: 0.5 });
  close(g.E, f.E / 0.5, 1e-12, "E in T_onset units");
  // Unweighted.
  const h = fitBoltzmann(Tp, Ncal);
  assert.ok(Math.abs(h.E - E) < 4 * h.stdError + 1e-9);
  assert.throws(() => fitBoltzmann([0.5, 0.6], [0.1, 0]), /densities must be > 0/);
});
