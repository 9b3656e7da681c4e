/**
 * Third- and fourth-order contractions (src/hessian/contractions.ts, SPEC §6.4) against finite
 * differences of the energy and of the forces of the pair loop along random directions z, for
 * every model in d = 2, 3, 4: with E(s) = U(x + s z) and F(s) the forces there,
 *   z·M·z = E'',  U'''::zzz = E''',  U''''::zzzz = E'''',
 *   M·z = −F',    U'''::zz = −F'',   U''''::zzz = −F'''  (all at s = 0),
 * by 9-point central stencils (Fornberg weights). Particles of pairs within the stencil's reach of
 * a join of the potential (the cutoff, PSS's x_min) are held still, since the derivatives jump there.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Configuration } from "../../src/core/configuration.js";
import { Rng } from "../../src/core/rng.js";
import { GlassmechError } from "../../src/core/errors.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { PairJets } from "../../src/hessian/contractions.js";
import { assembleHessian } from "../../src/hessian/assemble.js";
import { blockMatVec } from "../../src/linalg/blockMatrix.js";
import { PSS_XMIN } from "../../src/models/pss.js";
import type { Model } from "../../src/models/types.js";
import { bruteForcePairs } from "../../src/neighbors/bruteForce.js";
import { lambdaOf, modelByName, randomConfig } from "../forces/helpers.js";

/** Fornberg weights of the m-th derivative at 0 on nodes k·h, k = −K..K (unit h). */
function stencil(K: number, m: number): Float64Array {
  const nodes = Array.from({ length: 2 * K + 1 }, (_, t) => t - K);
  const N = nodes.length;
  const c = Array.from({ length: N }, () => new Float64Array(m + 1));
  let c1 = 1;
  let c4 = nodes[0];
  c[0][0] = 1;
  for (let i = 1; i < N; i++) {
    const mn = Math.min(i, m);
    let c2 = 1;
    const c5 = c4;
    c4 = nodes[i];
    for (let j = 0; j < i; j++) {
      const c3 = nodes[i] - nodes[j];
      c2 *= c3;
      if (j === i - 1) {
        for (let k = mn; k >= 1; k--) c[i][k] = (c1 * (k * c[i - 1][k - 1] - c5 * c[i - 1][k])) / c2;
        c[i][0] = (-c1 * c5 * c[i - 1][0]) / c2;
      }
      for (let k = mn; k >= 1; k--) c[j][k] = (c4 * c[j][k] - k * c[j][k - 1]) / c3;
      c[j][0] = (c4 * c[j][0]) / c3;
    }
    c1 = c2;
  }
  return Float64Array.from(c, (row) => row[m]);
}

const K = 4;

/** Particles of pairs within `margin` (length units) of a join of the potential. */
function frozenParticles(model: Model, c: Configuration, margin: number): Set<number> {
  const xc = model.reduced.xc;
  const joins = [xc, ...(model.name === "pss" ? [PSS_XMIN] : [])];
  const pairs = bruteForcePairs(c.positions, c.box, (i, j) => xc * lambdaOf(model, c, i, j) + margin);
  const frozen = new Set<number>();
  for (let p = 0; p < pairs.count; p++) {
    const i = pairs.i[p], j = pairs.j[p];
    const lam = lambdaOf(model, c, i, j);
    let r2 = 0;
    for (let a = 0; a < c.d; a++) r2 += pairs.delta[p * c.d + a] ** 2;
    const r = Math.sqrt(r2);
    if (joins.some((x) => Math.abs(r - x * lam) < margin)) {
      frozen.add(i);
      frozen.add(j);
    }
  }
  return frozen;
}

function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0, s = 0;
  for (let k = 0; k < b.length; k++) {
    m = Math.max(m, Math.abs(a[k] - b[k]));
    s = Math.max(s, Math.abs(b[k]));
  }
  return m / s;
}

function checkModel(name: string, params: Record<string, number>, d: number, n: number, density: number, seed: number): void {
  const model = modelByName(name, params);
  const config = randomConfig(model, { d, n, density, seed, minDist: 0.85 });
  const h = 1e-3; // displacement step; |z_i| ≤ 1 per particle
  // Hertzian φ ∝ (1 − x)^(5/2) has φ'''' ∝ (1 − x)^(−3/2): its Taylor radius is the distance to
  // contact, so pairs near it are held over a wider margin.
  const frozen = frozenParticles(model, config, name === "hrz" ? 0.05 : 2 * K * h * 1.5);
  const rng = Rng.fromSeed(seed + 1000);
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    if (frozen.has(i)) continue;
    for (let a = 0; a < d; a++) z[i * d + a] = rng.uniform() * 2 - 1;
  }
  assert.ok(frozen.size <= (7 * n) / 8, `${name} d=${d}: most particles free (${frozen.size} frozen)`);
  const sys = new PairSystem(config, model);
  const jets = PairJets.fromRecords(sys.records(config.positions), config, model);
  const nd = n * d;
  // Energies and forces on the stencil.
  const E: number[] = [];
  const F: Float64Array[] = [];
  for (let k = -K; k <= K; k++) {
    const x = Float64Array.from(config.positions, (v, t) => v + k * h * z[t]);
    const f = new Float64Array(nd);
    E.push(sys.energyForces(x, f));
    F.push(f);
  }
  const deriv = (m: number) => stencil(K, m).map((w) => w / h ** m);
  const eFD = (m: number) => deriv(m).reduce((s, w, t) => s + w * E[t], 0);
  const fFD = (m: number) => {
    const w = deriv(m);
    const out = new Float64Array(nd);
    for (let t = 0; t < w.length; t++) for (let q = 0; q < nd; q++) out[q] -= w[t] * F[t][q];
    return out;
  };
  const mz = new Float64Array(nd), u3 = new Float64Array(nd), u4 = new Float64Array(nd);
  const A = jets.hessianVector(z, mz);
  const B3 = jets.cubicVector(z, u3);
  const B4 = jets.quarticVector(z, u4);
  const label = `${name} d=${d} (${jets.count} pairs, ${frozen.size} held)`;
  const scalar = (got: number, fd: number, what: string, tol: number) => {
    const rel = Math.abs(got - fd) / Math.abs(fd);
    if (process.env.GLASSMECH_VERBOSE) console.log(`${label} ${what}: ${got} vs FD ${fd}, rel ${rel.toExponential(2)}`);
    assert.ok(rel < tol, `${label} ${what}: ${got} vs FD ${fd} (rel ${rel.toExponential(2)})`);
  };
  const vector = (got: Float64Array, fd: Float64Array, what: string, tol: number) => {
    const rel = relDiff(got, fd);
    if (process.env.GLASSMECH_VERBOSE) console.log(`${label} ${what}: rel ${rel.toExponential(2)}`);
    assert.ok(rel < tol, `${label} ${what}: max-norm relative difference ${rel.toExponential(2)}`);
  };
  scalar(A, eFD(2), "z·M·z vs E''", 1e-6);
  scalar(B3, eFD(3), "U'''::zzz vs E'''", 1e-6);
  // E'''' by a 9-point stencil is limited by the rounding of U itself: each E_k carries ~4ε per
  // pair term (|φ| ≲ max(1, |U|/P)), amplified by Σ|w_k|/h⁴ ≈ 34/h⁴, which reaches 1e-4 of
  // U''''::zzzz in the dense 4D glasses. So: 1e-6 plus that rounding bound against the energy,
  // and 1e-6 against −z·F''' (forces are summed without the large constant part of U).
  const w4 = deriv(4);
  const noise = 4 * 2.2e-16 * jets.count * Math.max(1, Math.abs(E[K]) / jets.count) * w4.reduce((s, w) => s + Math.abs(w), 0);
  scalar(B4, eFD(4), "U''''::zzzz vs E''''", 1e-6 + noise / Math.abs(B4));
  const f3 = fFD(3);
  scalar(B4, z.reduce((s, v, t) => s + v * f3[t], 0), "U''''::zzzz vs −z·F'''", 1e-6);
  vector(mz, fFD(1), "M·z vs −F'", 1e-6);
  vector(u3, fFD(2), "U'''::zz vs −F''", 1e-6);
  vector(u4, f3, "U''''::zzz vs −F'''", 1e-6);
  // Fused and line-search passes agree with the single contractions; M·z with the assembled Hessian.
  const res = new Float64Array(2), mz2 = new Float64Array(nd), t2 = new Float64Array(nd);
  jets.evaluate(z, mz2, t2, res);
  assert.ok(relDiff(mz2, mz) < 1e-14 && relDiff(t2, u4) < 1e-14 && Math.abs(res[0] - A) <= 1e-12 * Math.abs(A) && Math.abs(res[1] - B4) <= 1e-12 * Math.abs(B4));
  assert.ok(Math.abs(jets.quartic(z) - B4) <= 1e-12 * Math.abs(B4));
  const mzH = new Float64Array(nd);
  blockMatVec(assembleHessian(sys.records(config.positions), n), z, mzH);
  assert.ok(relDiff(mz, mzH) < 1e-12, `${label}: M·z from the jets equals the assembled Hessian's`);
  const p = Float64Array.from(z, () => rng.normal());
  const mp = new Float64Array(nd), coeffs = new Float64Array(5), mp2 = new Float64Array(nd);
  jets.lineQuartic(z, p, mp, coeffs);
  jets.hessianVector(p, mp2);
  assert.ok(relDiff(mp, mp2) < 1e-14);
  for (const [c, s] of [[1, 0], [0, 1], [0.6, 0.8], [-0.3, 1.7]]) {
    const w = Float64Array.from(z, (v, t) => c * v + s * p[t]);
    const poly = coeffs[0] * c ** 4 + coeffs[1] * c ** 3 * s + coeffs[2] * c * c * s * s + coeffs[3] * c * s ** 3 + coeffs[4] * s ** 4;
    const direct = jets.quartic(w);
    assert.ok(Math.abs(poly - direct) <= 1e-11 * Math.abs(direct), `${label}: line quartic at (${c}, ${s}): ${poly} vs ${direct}`);
  }
}

test("contractions U''::zz, U'''::zzz, U''''::zzzz and their vectors equal finite differences of energy and forces (every model, d = 2, 3, 4)", () => {
  const cases: [string, Record<string, number>, number, number, number][] = [
    ["pss", { rc: 1.2 }, 2, 40, 0.6],
    ["pss", { rc: 1.5 }, 3, 40, 0.6],
    ["pss", { rc: 1.2 }, 4, 80, 0.6],
    ["qss", { q: 12, xc: 2.0 }, 2, 40, 0.6],
    ["qss", { q: 20, xc: 1.8 }, 3, 40, 0.6],
    ["ipl", {}, 2, 40, 0.7],
    ["ipl", {}, 3, 40, 0.7],
    ["ipl", {}, 4, 80, 0.7],
    ["kablj", {}, 3, 40, 0.9],
    ["poly", {}, 3, 40, 0.7],
    ["poly", {}, 2, 40, 0.7],
    ["hrz", {}, 3, 80, 0.8],
  ];
  let seed = 300;
  for (const [name, params, d, n, density] of cases) checkModel(name, params, d, n, density, seed++);
});

test("contractions refuse a configuration without interacting pairs", () => {
  const model = modelByName("pss", { rc: 1.2 });
  const config = randomConfig(model, { d: 3, n: 4, density: 0.001, seed: 1 });
  const sys = new PairSystem(config, model);
  assert.throws(() => PairJets.fromRecords(sys.records(config.positions), config, model), (e: unknown) => e instanceof GlassmechError && /no interacting pairs/.test(e.message));
});

test("contractions refuse a model without φ'''' (eval4) with one clear error", () => {
  const model = modelByName("pss", { rc: 1.2 });
  const config = randomConfig(model, { d: 3, n: 30, density: 0.6, seed: 2, minDist: 0.85 });
  const records = new PairSystem(config, model).records(config.positions);
  const noFourth = { ...model, reduced: { xc: model.reduced.xc, eval2: model.reduced.eval2 } } as unknown as Model;
  assert.throws(() => PairJets.fromRecords(records, config, noFourth), (e: unknown) => e instanceof GlassmechError && /no fourth derivative/.test(e.message));
});
