import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/core/rng.js";
import { tcoFromGK, tcoFromCollapse } from "../../src/statistics/crossover.js";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

test("T_co from G/K: a planted line–plateau intersection, automatic and explicit regimes", () => {
  const rng = Rng.fromSeed(3);
  const Tco = 1.2, plateau = 0.3, slope = -0.2;
  const Tp = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.3, 1.5, 1.8, 2.2, 2.6, 3.0, 4.0];
  const y = Tp.map((t) => (t < Tco ? plateau + slope * (t - Tco) : plateau) + 0.002 * rng.normal());
  const a = tcoFromGK(Tp, y);
  assert.equal(a.automatic, true);
  assert.equal(a.lowPoints, 7);
  assert.deepEqual(a.lowRange, [0.5, 1.1]);
  assert.deepEqual(a.highRange, [1.3, 4.0]);
  assert.ok(Math.abs(a.Tco - Tco) < 4 * a.stdError, `T_co = ${a.Tco} ± ${a.stdError}`);
  assert.ok(a.stdError < 0.03);
  close(a.plateau, plateau, 0.003, "plateau");
  close(a.line.slope, slope, 0.01, "slope");
  // Explicit ranges (e.g. to skip a rounded knee) give the same answer here.
  const b = tcoFromGK(Tp, y, { lowRange: [0.5, 1.0], highRange: [1.5, 4.0] });
  assert.equal(b.automatic, false);
  assert.equal(b.lowPoints, 6);
  assert.equal(b.highPoints, 6);
  assert.ok(Math.abs(b.Tco - Tco) < 4 * b.stdError, `T_co = ${b.Tco} ± ${b.stdError}`);
  // Noise-free: exact.
  const exact = Tp.map((t) => (t < Tco ? plateau + slope * (t - Tco) : plateau));
  close(tcoFromGK(Tp, exact).Tco, Tco, 1e-12, "exact data");
  // Unsorted input is fine.
  const perm = [5, 0, 13, 2, 7, 1, 12, 3, 9, 4, 11, 6, 10, 8];
  close(tcoFromGK(perm.map((i) => Tp[i]), perm.map((i) => exact[i])).Tco, Tco, 1e-12, "permuted");
  assert.throws(() => tcoFromGK(Tp, y, { lowRange: [0.5, 1.5], highRange: [1.5, 4] }), /both lowRange and highRange/);
});

/**
 * Synthetic energies that collapse: u_m(T) = u0_m + T_m F(T/T_m) with the smooth master curve
 * F(x) = −0.8 w ln(1 + e^{(1−x)/w}), w = 0.3: linear with slope 0.8 well below x = 1, flat well
 * above. F must be curved where the data are (a straight F would make T_co unidentifiable:
 * (u(T) − u(T'))/T' vs T/T' is then the same line for every T') and smooth (u(T_co) is
 * linearly interpolated, which a kink at x = 1 would bias).
 */
const W = 0.3;
const F = (x: number) => -0.8 * W * Math.log1p(Math.exp((1 - x) / W));
function energies(seed: number, Tco: number, u0: number, grid: number[], noise: number) {
  const rng = Rng.fromSeed(seed);
  const Tp = grid.map((g) => g * Tco);
  return { Tp, u: Tp.map((t) => u0 + Tco * F(t / Tco) + noise * rng.normal()) };
}

test("T_co from the collapse of u(T_p): planted per-model T_co are recovered given one reference", () => {
  const planted = [0.6, 1.0, 1.5, 0.8];
  const u0 = [-5, -3.2, -7, -4];
  // Different, non-aligned grids per model (no data point exactly at T_co).
  const grids = [
    [0.43, 0.5, 0.58, 0.66, 0.74, 0.83, 0.93, 1.07, 1.3, 1.7, 2.4, 3.1],
    [0.47, 0.55, 0.62, 0.71, 0.79, 0.88, 0.97, 1.12, 1.4, 1.9, 2.6],
    [0.52, 0.6, 0.69, 0.77, 0.86, 0.95, 1.04, 1.2, 1.6, 2.1, 2.9],
    [0.45, 0.53, 0.64, 0.72, 0.81, 0.9, 1.02, 1.25, 1.5, 2.0, 2.8],
  ];
  const models = planted.map((t, m) => energies(10 + m, t, u0[m], grids[m], 2e-4));
  const r = tcoFromCollapse(models, { reference: { index: 0, Tco: 0.6 } });
  assert.equal(r.Tco[0], 0.6);
  for (let m = 1; m < 4; m++) assert.ok(Math.abs(r.Tco[m] / planted[m] - 1) < 0.02, `model ${m}: ${r.Tco[m]} vs ${planted[m]}`);
  for (let m = 0; m < 4; m++) close(r.uAtTco[m], u0[m] + planted[m] * F(1), 0.01 * planted[m], `u(T_co) of model ${m}`);
  assert.ok(r.comparisons > 50);
  assert.ok(r.objective < 1e-4, `objective ${r.objective}`);
  // The collapsed curves lie on the master curve F.
  for (const c of r.collapsed)
    for (let i = 0; i < c.x.length; i++) close(c.y[i], F(c.x[i]) - F(1), 0.01, "on the master curve");
  // A wrong reference scale shifts all T_co together (the collapse fixes ratios only).
  const s = tcoFromCollapse(models, { reference: { index: 1, Tco: 1.0 } });
  for (let m = 0; m < 4; m++) if (m !== 1) assert.ok(Math.abs(s.Tco[m] / planted[m] - 1) < 0.02, `ref 1, model ${m}: ${s.Tco[m]}`);
});

test("T_co collapse rejects bad input", () => {
  const m = { Tp: [0.5, 0.7, 0.9, 1.2], u: [-5.2, -5.1, -5.0, -5.0] };
  assert.throws(() => tcoFromCollapse([m], { reference: { index: 0, Tco: 0.9 } }), /≥ 2 models/);
  assert.throws(() => tcoFromCollapse([m, m], { reference: { index: 2, Tco: 0.9 } }), /reference.index/);
  assert.throws(() => tcoFromCollapse([m, m], { reference: { index: 0, Tco: 5 } }), /must lie inside/);
  assert.throws(() => tcoFromCollapse([m, { Tp: [0.5, 0.5, 0.9], u: [1, 2, 3] }], { reference: { index: 0, Tco: 0.9 } }), /repeats/);
});
