import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { xiFromDecay, omegaFromLength, qlmDensity, qlmDensityWithError } from "../../src/statistics/decayLength.js";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

/**
 * Synthetic c(r) = r^{−2d} g(r) with g(r) = 1 + B exp(−ln²(r/ξ)/(2w²)): r^{2d} c rises to a
 * bump at exactly r = ξ and levels off at 1 beyond it (seed 001 Fig. 19's shape), times
 * multiplicative noise (1 + σ ε).
 */
function planted(seed: number, d: number, xi: number, sigma: number, r: number[]): number[] {
  const rng = Rng.fromSeed(seed);
  return r.map((x) => Math.pow(x, -2 * d) * (1 + 1.5 * Math.exp(-(Math.log(x / xi) ** 2) / (2 * 0.35 ** 2))) * (1 + sigma * rng.normal()));
}

test("ξ_g recovers a planted bump maximum (3D and 2D, noisy, linear r bins)", () => {
  const r = Array.from({ length: 70 }, (_, i) => 0.9 + 0.2 * i); // 0.9 … 14.7
  for (const [seed, d, xi] of [[1, 3, 4.0], [2, 3, 6.5], [3, 2, 3.2]] as const) {
    const c = planted(seed, d, xi, 0.01, r);
    const res = xiFromDecay(r, c, d);
    assert.ok(res.interior);
    // Over 200 draws the rms error is 0.7–1.2 % (see xiFromDecay's doc): 3.5 % is ≈ 3–4σ.
    assert.ok(Math.abs(res.xi / xi - 1) < 0.035, `d = ${d}: ξ = ${res.xi} vs ${xi} (±${res.xiStdError})`);
    assert.ok(Math.abs(res.xi - xi) < 4 * res.xiStdError, `error estimate ${res.xiStdError}`);
    assert.ok(res.xiStdError < 0.02 * xi);
    // Default window: ln r within ±0.3 of the centre.
    assert.ok(res.window[0] < xi && res.window[1] > xi, `window ${res.window}`);
    assert.ok(Math.log(res.window[1] / res.window[0]) < 0.6 + 0.2 / res.window[0] + 0.2 / res.window[1] + 1e-9);
  }
});

test("ξ_g without noise is exact to the cubic's accuracy; explicit window and errors work", () => {
  const r = Array.from({ length: 40 }, (_, i) => 1 + 0.25 * i);
  const c = planted(0, 3, 5.0, 0, r);
  const res = xiFromDecay(r, c, 3, { halfWidth: 2 });
  close(res.xi, 5.0, 0.01, "ξ");
  const w = xiFromDecay(r, c, 3, { window: [4, 6.5] });
  close(w.xi, 5.0, 0.02, "ξ with explicit window");
  assert.deepEqual(w.window, [4, 6.5]);
  const e = xiFromDecay(r, c.map((v) => v * (1 + 1e-9)), 3, { errors: c.map((v) => 0.01 * v), abscissa: "linear" });
  close(e.xi, 5.0, 0.02, "ξ with a linear-r cubic and weights");
  assert.ok(e.xiStdError > 0 && e.xiStdError < 0.5);
  assert.throws(() => xiFromDecay(r, c, 3, { window: [4, 4.5] }), /need ≥ 5/);
});

test("a monotone signal has no interior maximum and says so", () => {
  const r = Array.from({ length: 20 }, (_, i) => 1 + i);
  const c = r.map((x) => Math.pow(x, -6) * x); // r^6 c = r, increasing
  const res = xiFromDecay(r, c, 3);
  assert.equal(res.interior, false);
});

test("ω_g = 2π c_s/ξ_g and 𝒩 = A_g ω_g⁵", () => {
  close(omegaFromLength(2, 4), Math.PI, 1e-15, "ω_g");
  close(qlmDensity(3, 0.5), 3 / 32, 1e-15, "𝒩");
  const q = qlmDensityWithError(3, 0.3, 0.5, 0.01);
  close(q.stdError, (3 / 32) * Math.hypot(0.1, 0.1), 1e-15, "error propagation");
});
