import { test } from "node:test";
import assert from "node:assert/strict";
import { Box } from "../../src/core/box.js";
import type { Configuration } from "../../src/core/configuration.js";
import { GlassmechError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import {
  HybridSwapMd,
  MolecularDynamics,
  SwapMonteCarlo,
  conservedEnergy,
  hybridStatistics,
  initHybridSwapMd,
  initMd,
  initSwapMc,
  maxSwapMcDelta,
  resetSwapMcStatistics,
  swapMcConfiguration,
  swapMcStatistics,
  type HybridSwapMdState,
  type SwapMcState,
} from "../../src/dynamics/index.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { deserializeState, minimize, serializeState } from "../../src/minimize/index.js";
import { createModel, type Model } from "../../src/models/index.js";
import { randomConfiguration } from "../../src/protocols/randomStart.js";
import { bruteForcePairs } from "../../src/neighbors/bruteForce.js";
import { FullNeighborList } from "../../src/neighbors/fullList.js";
import { randomConfig } from "../forces/helpers.js";

const SKIP_SLOW = !process.env.GLASSMECH_SLOW;

const models = new Map<string, Model>();
function model(name: string, params: Record<string, number> = {}): Model {
  const key = `${name} ${JSON.stringify(params)}`;
  let m = models.get(key);
  if (m === undefined) models.set(key, (m = createModel({ name, params })));
  return m;
}

/** A random start with overlaps removed (FIRE to max force 1e-2). */
function liquidStart(name: string, d: number, n: number, seed: number, density?: number): Configuration {
  const m = model(name);
  const c = randomConfiguration(m, Rng.fromSeed(seed), { d, n, density });
  const sys = new PairSystem(c, m);
  const r = minimize(sys.energyForcesFn, c.positions, { d, method: "fire", fTol: 1e-2, maxIterations: 50000 });
  c.positions.set(r.x);
  return c;
}

/** U of a configuration with the given positions and per-particle data (fresh PairSystem). */
function fullEnergy(c: Configuration, m: Model, x: Float64Array, types: Int32Array, sizes: Float64Array | null): number {
  return new PairSystem({ ...c, positions: x, types, sizes }, m).energy(x);
}

/** Mean and standard error from `blocks` consecutive block means (blocks ≫ correlation time). */
function blocked(series: ArrayLike<number>, blocks = 20): { mean: number; se: number } {
  const m = Math.floor(series.length / blocks);
  const means: number[] = [];
  for (let b = 0; b < blocks; b++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += series[b * m + k];
    means.push(s / m);
  }
  const mean = means.reduce((a, b) => a + b, 0) / blocks;
  const v = means.reduce((a, b) => a + (b - mean) ** 2, 0) / (blocks - 1);
  return { mean, se: Math.sqrt(v / blocks) };
}

/** Histogram of all minimum-image pair distances below rMax (counts per bin), added to `h`. */
function pairHistogram(box: Box, x: Float64Array, d: number, rMax: number, h: Float64Array): void {
  const n = x.length / d;
  const bw = rMax / h.length;
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      for (let a = 0; a < d; a++) v[a] = x[j * d + a] - x[i * d + a];
      box.minimumImage(v);
      let r2 = 0;
      for (let a = 0; a < d; a++) r2 += v[a] * v[a];
      const r = Math.sqrt(r2);
      if (r < rMax) h[Math.floor(r / bw)]++;
    }
}

/** Per-block g(r) shapes (histograms normalized per snapshot): blocks × bins. */
class GofR {
  readonly bins: number;
  readonly per: Float64Array[] = [];
  private current: Float64Array;
  private snaps = 0;
  constructor(
    readonly box: Box,
    readonly d: number,
    readonly rMax: number,
    bins: number,
    readonly snapsPerBlock: number,
  ) {
    this.bins = bins;
    this.current = new Float64Array(bins);
  }
  add(x: Float64Array): void {
    pairHistogram(this.box, x, this.d, this.rMax, this.current);
    if (++this.snaps === this.snapsPerBlock) {
      for (let b = 0; b < this.bins; b++) this.current[b] /= this.snapsPerBlock;
      this.per.push(this.current);
      this.current = new Float64Array(this.bins);
      this.snaps = 0;
    }
  }
  stats(): { mean: Float64Array; se: Float64Array } {
    const nb = this.per.length;
    const mean = new Float64Array(this.bins);
    const se = new Float64Array(this.bins);
    for (let b = 0; b < this.bins; b++) {
      let s = 0;
      for (const h of this.per) s += h[b];
      mean[b] = s / nb;
      let v = 0;
      for (const h of this.per) v += (h[b] - mean[b]) ** 2;
      se[b] = Math.sqrt(v / (nb - 1) / nb);
    }
    return { mean, se };
  }
}

/** χ²/bin and max |z| of two g(r) estimates over bins where both have an error bar. */
function compareGofR(a: GofR, b: GofR): { chi2PerBin: number; maxZ: number; bins: number } {
  const A = a.stats();
  const B = b.stats();
  let chi2 = 0;
  let maxZ = 0;
  let bins = 0;
  for (let k = 0; k < a.bins; k++) {
    const s2 = A.se[k] ** 2 + B.se[k] ** 2;
    if (!(A.se[k] > 0 && B.se[k] > 0)) continue;
    const z = (A.mean[k] - B.mean[k]) / Math.sqrt(s2);
    chi2 += z * z;
    maxZ = Math.max(maxZ, Math.abs(z));
    bins++;
  }
  return { chi2PerBin: chi2 / bins, maxZ, bins };
}

// ---------------------------------------------------------------------------------------------
// The full neighbor list

/** Rows of a list as sorted strings "i j r_ij" (r from the reference positions and the shifts). */
function listRows(L: FullNeighborList, ref: Float64Array, d: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < L.n; i++)
    for (let p = i * L.cap; p < i * L.cap + L.len[i]; p++) {
      const j = L.nbr[p];
      const r = Array.from({ length: d }, (_, a) => (ref[j * d + a] - ref[i * d + a] + L.shift[p * d + a]).toFixed(9));
      out.push(`${i} ${j} ${r.join(" ")}`);
    }
  return out.sort();
}

test("full neighbor list: matches a brute-force all-images search, rows stay sorted and symmetric, updates equal a fresh build bit for bit", () => {
  const cases = [
    { d: 2, n: 80, density: 1.0, radius: 2.6 },
    { d: 2, n: 6, density: 1.0, radius: 2.6, shear: 0.4 },
    { d: 3, n: 70, density: 1.0, radius: 2.6 },
    { d: 3, n: 200, density: 1.0, radius: 1.9, shear: 0.3, unwrapped: true },
    { d: 4, n: 60, density: 1.0, radius: 2.2 },
  ];
  for (const cs of cases) {
    const what = JSON.stringify(cs);
    const { d, n } = cs;
    const c = randomConfig(model("poly"), { d, n, density: cs.density, seed: 3, shear: cs.shear, unwrapped: cs.unwrapped });
    const ref = Float64Array.from(c.positions);
    const L = new FullNeighborList(n, d);
    L.build(c.box, ref, cs.radius);
    const brute = bruteForcePairs(ref, c.box, () => cs.radius);
    const expected: string[] = [];
    for (let p = 0; p < brute.count; p++) {
      const i = brute.i[p];
      const j = brute.j[p];
      const v = brute.delta.slice(p * d, p * d + d);
      expected.push(`${i} ${j} ${v.map((t) => t.toFixed(9)).join(" ")}`);
      expected.push(`${j} ${i} ${v.map((t) => (-t).toFixed(9)).join(" ")}`);
    }
    expected.sort();
    assert.deepEqual(listRows(L, ref, d), expected, `${what}: list ≠ brute force`);
    // Random single-particle reference moves (some across the box), then compare with a fresh build.
    const rng = Rng.fromSeed(4);
    const p = new Float64Array(d);
    for (let t = 0; t < 300; t++) {
      const i = rng.int(n);
      const far = t % 25 === 0;
      for (let a = 0; a < d; a++) p[a] = ref[i * d + a] + (far ? 3 : 0.3) * (rng.uniform() - 0.5);
      L.update(i, p, 0);
    }
    const fresh = new FullNeighborList(n, d);
    fresh.build(c.box, Float64Array.from(ref), cs.radius);
    for (let i = 0; i < n; i++) {
      assert.equal(L.len[i], fresh.len[i], `${what}: row ${i} length`);
      for (let k = 0; k < L.len[i]; k++) {
        const e = i * L.cap + k;
        const f = i * fresh.cap + k;
        assert.equal(L.nbr[e], fresh.nbr[f], `${what}: row ${i} entry ${k}`);
        for (let a = 0; a < d; a++) assert.ok(Object.is(L.shift[e * d + a] + 0, fresh.shift[f * d + a] + 0), `${what}: row ${i} shift`);
        if (k > 0) assert.ok(L.nbr[e - 1] <= L.nbr[e], `${what}: row ${i} not sorted`);
      }
    }
    assert.deepEqual(listRows(L, ref, d), listRows(fresh, ref, d));
    assert.ok(L.updates === 300 && L.entries > 0);
  }
});

// ---------------------------------------------------------------------------------------------
// Energy changes of single moves against full evaluations

const moveCases: { name: string; d: number; n: number; density: number; shear?: number; unwrapped?: boolean; what: string }[] = [
  { name: "poly", d: 2, n: 60, density: 1.0, what: "POLY 2D" },
  { name: "poly", d: 3, n: 60, density: 1.0, what: "POLY 3D (box narrower than 2·list radius)" },
  { name: "poly", d: 4, n: 70, density: 1.0, what: "POLY 4D (tiny box)" },
  { name: "poly", d: 2, n: 5, density: 1.0, what: "POLY 2D, 5 particles (self images)" },
  { name: "poly", d: 2, n: 50, density: 1.0, shear: 0.3, unwrapped: true, what: "POLY 2D sheared box, unwrapped positions" },
  { name: "ipl", d: 2, n: 40, density: 0.86, what: "IPL 2D (type swaps)" },
  { name: "ipl", d: 3, n: 6, density: 0.82, what: "IPL 3D, 6 particles (self images)" },
  { name: "kablj", d: 3, n: 50, density: 1.2, what: "KABLJ 3D (ε_ab differ)" },
  { name: "hrz", d: 3, n: 40, density: 1.0, what: "HRZ 3D" },
];

test("ΔU of displacement and swap moves equals the difference of full PairSystem evaluations (d = 2, 3, 4; sizes and types; tiny and sheared boxes)", () => {
  for (const cs of moveCases) {
    const m = model(cs.name);
    const c = randomConfig(m, { d: cs.d, n: cs.n, density: cs.density, seed: 11, minDist: 0.75, shear: cs.shear, unwrapped: cs.unwrapped });
    const s = initSwapMc(c, m, { temperature: 1, seed: 1 });
    const mc = new SwapMonteCarlo(m);
    const U0 = fullEnergy(c, m, c.positions, c.types, c.sizes);
    const tol = 1e-11 * (1 + Math.abs(U0));
    assert.ok(Math.abs(s.energy - U0) <= tol, `${cs.what}: initial U ${s.energy} vs ${U0}`);
    assert.ok(U0 > 0 || cs.name === "kablj", `${cs.what}: the configuration must have interacting pairs`);
    const rng = Rng.fromSeed(5);
    const { d, n } = cs;
    let nonzero = 0;
    for (let t = 0; t < 15; t++) {
      const i = rng.int(n);
      const y = new Float64Array(d);
      for (let a = 0; a < d; a++) y[a] = c.positions[i * d + a] + 0.4 * (rng.uniform() - 0.5);
      const dE = mc.displacementChange(s, i, y);
      const x1 = Float64Array.from(c.positions);
      x1.set(y, i * d);
      const dFull = fullEnergy(c, m, x1, c.types, c.sizes) - U0;
      assert.ok(Math.abs(dE - dFull) <= tol, `${cs.what}: displacement of ${i}: ΔU ${dE} vs ${dFull}`);
      if (Math.abs(dFull) > 1e-6) nonzero++;
    }
    for (let t = 0; t < 15; t++) {
      const i = rng.int(n);
      const k = rng.int(n);
      const dE = mc.swapChange(s, i, k);
      const types = Int32Array.from(c.types);
      const sizes = c.sizes === null ? null : Float64Array.from(c.sizes);
      if (sizes !== null) [sizes[i], sizes[k]] = [sizes[k], sizes[i]];
      else [types[i], types[k]] = [types[k], types[i]];
      const dFull = fullEnergy(c, m, c.positions, types, sizes) - U0;
      assert.ok(Math.abs(dE - dFull) <= tol, `${cs.what}: swap of ${i} and ${k}: ΔU ${dE} vs ${dFull}`);
      if (Math.abs(dFull) > 1e-6) nonzero++;
    }
    assert.ok(nonzero >= 10, `${cs.what}: only ${nonzero} of the trial moves changed the energy`);
    // The state is untouched by these queries.
    assert.deepEqual(s.positions, Float64Array.from(c.positions));
  }
});

test("the running energy equals a fresh full evaluation after many moves and list updates (1e-9 relative)", () => {
  const cases = [
    { name: "poly", d: 2, n: 150, T: 0.8, sweeps: 300 },
    { name: "ipl", d: 3, n: 100, T: 1.0, sweeps: 100 },
    { name: "poly", d: 4, n: 80, T: 1.0, sweeps: 40 },
  ];
  for (const cs of cases) {
    const m = model(cs.name);
    const c = liquidStart(cs.name, cs.d, cs.n, 2);
    const s = initSwapMc(c, m, { temperature: cs.T, seed: 3, energyRefreshSweeps: 0 });
    new SwapMonteCarlo(m).run(s, cs.sweeps, { tune: { every: 5 } });
    const U = fullEnergy(c, m, s.positions, s.types, s.sizes);
    assert.ok(s.listUpdates > 20, `${cs.name} ${cs.d}D: the list should have been updated (updates ${s.listUpdates})`);
    // (Type swaps of the binary IPL mixture are rarely accepted: λ_BB/λ_AA = 1.4.)
    assert.ok(s.displacementAccepts > 0 && (cs.name === "ipl" ? s.swapAttempts > 0 : s.swapAccepts > 0));
    assert.ok(Math.abs(s.energy - U) <= 1e-9 * Math.abs(U), `${cs.name} ${cs.d}D: running U ${s.energy} vs fresh ${U}`);
    // The list-based fresh evaluation agrees too.
    assert.ok(Math.abs(new SwapMonteCarlo(m).freshEnergy(s) - U) <= 1e-10 * Math.abs(U));
  }
});

// ---------------------------------------------------------------------------------------------
// Exact detailed-balance checks on tiny systems

/** Total-variation distance between two distributions over the same keys. */
function tvDistance(p: Map<string, number>, q: Map<string, number>): number {
  let s = 0;
  for (const k of new Set([...p.keys(), ...q.keys()])) s += Math.abs((p.get(k) ?? 0) - (q.get(k) ?? 0));
  return s / 2;
}

test("swap moves alone sample the Boltzmann distribution over size (type) permutations exactly", () => {
  const cases = [
    { name: "poly", sizes: [0.8, 1.0, 1.25, 1.5], types: [0, 0, 0, 0], T: 1.0, scale: 1 },
    { name: "ipl", sizes: null, types: [0, 0, 1, 1, 1], T: 1.0, scale: 1.25 },
  ];
  for (const cs of cases) {
    const m = model(cs.name);
    const n = cs.types.length;
    const d = 2;
    const box = Box.cubic(d, 3.2 * cs.scale);
    // Fixed positions with several overlapping neighborhoods (and images).
    const positions = Float64Array.from([0.2, 0.3, 1.25, 0.5, 0.6, 1.4, 1.55, 1.6, 2.7, 2.2].slice(0, n * d).map((v) => v * cs.scale));
    const c: Configuration = {
      d,
      n,
      box,
      positions,
      types: Int32Array.from(cs.types),
      sizes: cs.sizes === null ? null : Float64Array.from(cs.sizes),
      model: { name: m.name, params: { ...m.params } },
    };
    const key = (s: { types: Int32Array; sizes: Float64Array | null }) => (s.sizes !== null ? Array.from(s.sizes) : Array.from(s.types)).join(",");
    // Exact weights over all distinct arrangements.
    const exact = (T: number): Map<string, number> => {
      const items = cs.sizes !== null ? [...cs.sizes] : [...cs.types];
      const seen = new Map<string, number>();
      const perm = (a: number[], k: number): void => {
        if (k === a.length) {
          const sz = cs.sizes !== null ? Float64Array.from(a) : null;
          const ty = cs.sizes !== null ? c.types : Int32Array.from(a);
          const kk = a.join(",");
          if (!seen.has(kk)) seen.set(kk, Math.exp(-fullEnergy(c, m, positions, ty, sz) / T));
          return;
        }
        for (let i = k; i < a.length; i++) {
          [a[k], a[i]] = [a[i], a[k]];
          perm(a, k + 1);
          [a[k], a[i]] = [a[i], a[k]];
        }
      };
      perm(items, 0);
      let Z = 0;
      for (const w of seen.values()) Z += w;
      for (const [k, w] of seen) seen.set(k, w / Z);
      return seen;
    };
    const p = exact(cs.T);
    assert.ok(p.size >= 10, `${cs.name}: ${p.size} arrangements`);
    let pmax = 0;
    for (const v of p.values()) pmax = Math.max(pmax, v);
    assert.ok(pmax < 0.6, `${cs.name}: the test needs a spread-out distribution (max p = ${pmax})`);
    const s = initSwapMc(c, m, { temperature: cs.T, seed: 4, swapFraction: 1 });
    const counts = new Map<string, number>();
    let total = 0;
    new SwapMonteCarlo(m).run(s, 60000, {
      onSweep: (st) => {
        const k = key(st);
        counts.set(k, (counts.get(k) ?? 0) + 1);
        total++;
      },
    });
    for (const [k, v] of counts) counts.set(k, v / total);
    const tv = tvDistance(counts, p);
    assert.ok(tv < 0.01, `${cs.name}: total-variation distance to the Boltzmann distribution ${tv}`);
    // The check has power: the distribution at 1.25 T is far away.
    assert.ok(tvDistance(counts, exact(1.25 * cs.T)) > 0.03, `${cs.name}: a 25% temperature error must be visible`);
    assert.ok(s.swapAccepts > 0.05 * s.swapAttempts && s.displacementAttempts === 0);
    assert.deepEqual(s.positions, positions);
  }
});

test("displacement moves sample the exact two-particle distance distribution ∝ r e^{−φ(r)/T} (2D)", () => {
  const m = model("poly");
  const d = 2;
  const L = 4;
  const T = 0.5;
  const sizes = Float64Array.from([1.0, 1.3]);
  const lam = 0.5 * (1 + 1.3) * (1 - 0.2 * 0.3);
  const c: Configuration = {
    d,
    n: 2,
    box: Box.cubic(d, L),
    positions: Float64Array.from([0, 0, 1.5, 0.2]),
    types: new Int32Array(2),
    sizes,
    model: { name: m.name, params: { ...m.params } },
  };
  const s = initSwapMc(c, m, { temperature: T, seed: 9, delta: 1.0, skin: 2.0 });
  // The range where φ ≠ 0 (x_c λ = 1.35) and a little beyond.
  const r0 = 0.9;
  const r1 = 1.5;
  const nb = 15;
  const bw = (r1 - r0) / nb;
  const hist = new Float64Array(nb);
  let total = 0;
  new SwapMonteCarlo(m).run(s, 200000, {
    onSweep: (st) => {
      let dx = st.positions[2] - st.positions[0];
      let dy = st.positions[3] - st.positions[1];
      dx -= L * Math.round(dx / L);
      dy -= L * Math.round(dy / L);
      const r = Math.hypot(dx, dy);
      if (r >= r0 && r < r1) {
        hist[Math.floor((r - r0) / bw)]++;
        total++;
      }
    },
  });
  // Exact: the separation is uniform in the box with weight e^{−φ/T}; for r < L/2 the shell of
  // radius r lies inside the minimum-image cell, so p(r) ∝ r e^{−φ(r)/T}.
  const out = new Float64Array(3);
  const weight = (r: number, temp: number) => {
    const x = r / lam;
    let u = 0;
    if (x < m.reduced.xc) {
      m.reduced.eval2(x, out);
      u = out[0];
    }
    return r * Math.exp(-u / temp);
  };
  const exact = (temp: number) => {
    const P = new Map<string, number>();
    let Z = 0;
    for (let b = 0; b < nb; b++) {
      let w = 0;
      for (let k = 0; k < 100; k++) w += weight(r0 + (b + (k + 0.5) / 100) * bw, temp);
      P.set(String(b), w);
      Z += w;
    }
    for (const [k, w] of P) P.set(k, w / Z);
    return P;
  };
  const obs = new Map<string, number>();
  for (let b = 0; b < nb; b++) obs.set(String(b), hist[b] / total);
  assert.ok(total > 30000, `${total} samples in range`);
  const tv = tvDistance(obs, exact(T));
  const tvHot = tvDistance(obs, exact(1.25 * T));
  assert.ok(tv < 0.01, `total-variation distance ${tv}`);
  assert.ok(tvHot > 3 * tv && tvHot > 0.02, `a 25% temperature error must be visible (${tvHot})`);
});

// ---------------------------------------------------------------------------------------------
// Equilibrium averages: swap MC against MD with a canonical thermostat

interface Sampled {
  energy: { mean: number; se: number };
  g: GofR;
}

/** MD (Bussi thermostat) at T from `c`: U/N every 10 steps, g(r) every 50 steps. */
function sampleMd(c: Configuration, m: Model, T: number, steps: number, seed: number, dt = 0.005): Sampled {
  const sys = new PairSystem(c, m);
  const md = new MolecularDynamics(sys.energyForcesFn);
  const s = initMd(sys.energyForcesFn, c.positions, { d: c.d, temperature: T, thermostat: "bussi", tau: 0.5, seed, dt });
  md.run(s, 2000);
  const e: number[] = [];
  const g = new GofR(c.box, c.d, 3, 60, steps / 50 / 20);
  for (let k = 0; k < steps / 10; k++) {
    md.run(s, 10);
    e.push(s.potentialEnergy / c.n);
    if (k % 5 === 4) g.add(s.x);
  }
  return { energy: blocked(e), g };
}

/** Swap MC at T from `c` (δ tuned for `warmup` sweeps, then frozen): U/N every sweep, g(r) every 5 sweeps. */
function sampleMc(c: Configuration, m: Model, T: number, sweeps: number, seed: number, warmup = 200): Sampled & { state: SwapMcState } {
  const s = initSwapMc(c, m, { temperature: T, seed });
  const mc = new SwapMonteCarlo(m);
  mc.run(s, warmup, { tune: true });
  resetSwapMcStatistics(s);
  const e: number[] = [];
  const g = new GofR(c.box, c.d, 3, 60, sweeps / 5 / 20);
  mc.run(s, sweeps, {
    onSweep: (st) => {
      e.push(st.energy / st.n);
      if (st.sweeps % 5 === 0) g.add(st.positions);
    },
  });
  return { energy: blocked(e), g, state: s };
}

// One size realization for every POLY comparison: U/N depends strongly on the drawn sizes
// (N = 128: the mean size fluctuates by ~2%, U ∝ λ^10), so chains are compared on the same sizes.
const polyStart = (() => {
  let cached: Configuration | null = null;
  return () => (cached ??= liquidStart("poly", 2, 128, 21));
})();
const polyMd = (() => {
  let cached: Sampled | null = null;
  return () => (cached ??= sampleMd(polyStart(), model("poly"), 1.0, 50000, 22));
})();

test("detailed balance: POLY 2D swap MC matches MD (Bussi) at T = 1 in U/N and g(r); a 10% hotter chain is told apart", () => {
  const m = model("poly");
  const c = polyStart();
  const md = polyMd();
  const mc = sampleMc(c, m, 1.0, 5000, 24);
  const st = swapMcStatistics(mc.state);
  assert.ok(st.swapAcceptance > 0.1 && st.displacementAcceptance > 0.2, `acceptances ${JSON.stringify(st)}`);
  const z = (mc.energy.mean - md.energy.mean) / Math.hypot(mc.energy.se, md.energy.se);
  assert.ok(Math.abs(z) < 3.5, `U/N: MC ${mc.energy.mean} ± ${mc.energy.se}, MD ${md.energy.mean} ± ${md.energy.se} (z = ${z})`);
  assert.ok(Math.hypot(mc.energy.se, md.energy.se) < 0.01, "error bars too wide for the check to mean anything");
  const gc = compareGofR(mc.g, md.g);
  assert.ok(gc.bins > 30 && gc.chi2PerBin < 2.5 && gc.maxZ < 5, `g(r): ${JSON.stringify(gc)}`);
  // Power: the same comparison rejects a chain at 1.1 T.
  const hot = sampleMc(c, m, 1.1, 2500, 25);
  const zHot = (hot.energy.mean - md.energy.mean) / Math.hypot(hot.energy.se, md.energy.se);
  assert.ok(zHot > 4, `a 10% hotter chain must differ: z = ${zHot}`);
});

// The binary IPL liquid needs a high T here: type swaps are almost never accepted (λ_BB/λ_AA =
// 1.4), so composition patterns relax only by displacements, and at T ≲ 2 a few thousand sweeps
// move particles by about one diameter: independent chains then disagree on g(r) by more than
// their blocked error bars (MC against MC as much as MC against MD). At T = 4 they relax.
test("detailed balance: binary IPL 2D swap MC (type swaps) matches MD (Bussi) at T = 4 in U/N and g(r)", () => {
  const m = model("ipl");
  const T = 4.0;
  const c = liquidStart("ipl", 2, 128, 31);
  const md = sampleMd(c, m, T, 40000, 32, 0.0025);
  const mc = sampleMc(c, m, T, 4000, 34, 1000);
  assert.ok(mc.state.swapAccepts >= 20, `type swaps accepted: ${mc.state.swapAccepts} of ${mc.state.swapAttempts}`);
  const z = (mc.energy.mean - md.energy.mean) / Math.hypot(mc.energy.se, md.energy.se);
  assert.ok(Math.abs(z) < 3.5, `U/N: MC ${mc.energy.mean} ± ${mc.energy.se}, MD ${md.energy.mean} ± ${md.energy.se} (z = ${z})`);
  assert.ok(Math.hypot(mc.energy.se, md.energy.se) < 0.006 * md.energy.mean, `error bars ${mc.energy.se}, ${md.energy.se} too wide`);
  const gc = compareGofR(mc.g, md.g);
  assert.ok(gc.bins > 30 && gc.chi2PerBin < 2.5 && gc.maxZ < 5, `g(r): ${JSON.stringify(gc)}`);
});

test("swap moves help: at T = 0.2 POLY 2D relaxes to a lower energy with swaps than without, in the same sweeps", () => {
  const m = model("poly");
  const mc = new SwapMonteCarlo(m);
  const hot = initSwapMc(liquidStart("poly", 2, 200, 41), m, { temperature: 1.0, seed: 42 });
  mc.run(hot, 200, { tune: true });
  const start = swapMcConfiguration(hot);
  const late = (swapFraction: number) => {
    const s = initSwapMc(start, m, { temperature: 0.2, seed: 43, swapFraction });
    const e: number[] = [];
    mc.run(s, 1000, { tune: true, onSweep: (st) => void (st.sweeps > 500 && e.push(st.energy / st.n)) });
    return blocked(e, 10);
  };
  const withSwaps = late(0.2);
  const without = late(0);
  const gap = without.mean - withSwaps.mean;
  assert.ok(gap > 5 * Math.hypot(withSwaps.se, without.se) && gap > 0.01, `U/N with swaps ${withSwaps.mean} ± ${withSwaps.se}, without ${without.mean} ± ${without.se}`);
});

// ---------------------------------------------------------------------------------------------
// Determinism, checkpoints, tuning

test("same seed → identical trajectory; checkpoint/resume (mid-tuning, any chunking) → bit-identical", () => {
  for (const [name, d] of [
    ["poly", 2],
    ["ipl", 3],
  ] as const) {
    const m = model(name);
    const c = liquidStart(name, d, 64, 51);
    const a = initSwapMc(c, m, { temperature: 0.8, seed: 52 });
    const mcA = new SwapMonteCarlo(m);
    mcA.run(a, 40, { tune: { every: 7 } });
    mcA.run(a, 60);

    const b = initSwapMc(c, m, { temperature: 0.8, seed: 52 });
    new SwapMonteCarlo(m).run(b, 17, { tune: { every: 7 } });
    const saved = serializeState(b);
    const b2 = deserializeState<SwapMcState>(saved);
    const mcB = new SwapMonteCarlo(m);
    mcB.run(b2, 23, { tune: { every: 7 } });
    mcB.run(b2, 25);
    mcB.run(b2, 35);
    assert.ok(a.listUpdates > 3 && a.swapAttempts > 0 && a.displacementAccepts > 0);
    assert.equal(serializeState(b2), serializeState(a), `${name}: resumed run differs`);

    const other = initSwapMc(c, m, { temperature: 0.8, seed: 53 });
    new SwapMonteCarlo(m).run(other, 10);
    const same = initSwapMc(c, m, { temperature: 0.8, seed: 52 });
    new SwapMonteCarlo(m).run(same, 10);
    assert.notDeepEqual(other.positions, same.positions);
  }
});

test("step-size tuning brings the displacement acceptance into the target window; production keeps δ frozen", () => {
  const m = model("poly");
  const c = liquidStart("poly", 2, 100, 61);
  const s = initSwapMc(c, m, { temperature: 0.4, seed: 62, delta: 0.01 });
  const mc = new SwapMonteCarlo(m);
  mc.run(s, 300, { tune: { every: 10, target: [0.3, 0.4] } });
  assert.ok(s.delta > 0.05, `δ should have grown from 0.01, got ${s.delta}`);
  const delta = s.delta;
  resetSwapMcStatistics(s);
  mc.run(s, 300);
  assert.equal(s.delta, delta);
  const acc = swapMcStatistics(s).displacementAcceptance;
  assert.ok(acc > 0.27 && acc < 0.43, `production acceptance ${acc}`);
  // At a high T the cap skin/√d binds.
  const hotS = initSwapMc(c, m, { temperature: 5, seed: 63 });
  mc.run(hotS, 100, { tune: true });
  assert.equal(hotS.delta, maxSwapMcDelta(2, hotS.skin));
  assert.ok(swapMcStatistics(hotS).displacementAcceptance > 0.4);
});

// ---------------------------------------------------------------------------------------------
// Hybrid swap/MD

test("hybrid swap/MD: MD forces see the swapped sizes, H is kept by booking swaps as heat, U/N matches MD, resume is bit-identical", () => {
  const m = model("poly");
  const c = polyStart();
  const runner = new HybridSwapMd(m);
  const s = initHybridSwapMd(c, m, { temperature: 1.0, seed: 72, tau: 0.5, mdSteps: 10 });
  runner.run(s, 200);
  const H0 = conservedEnergy(s.md);
  const e: number[] = [];
  runner.run(s, 4000, { onBlock: (st) => e.push(st.md.potentialEnergy / st.n) });
  const st = hybridStatistics(s);
  assert.ok(st.swapAcceptance > 0.1, `swap acceptance ${st.swapAcceptance}`);
  assert.ok(s.swapEnergy !== 0);
  assert.ok(Math.abs(conservedEnergy(s.md) - H0) / s.n < 0.02, `H drift ${(conservedEnergy(s.md) - H0) / s.n}`);
  // Forces and U of the state are those of the current (swapped) sizes.
  const f = new Float64Array(s.md.f.length);
  const fresh = new PairSystem({ ...c, positions: s.md.x, sizes: Float64Array.from(s.sizes!) }, m).energyForces(s.md.x, f);
  assert.ok(Math.abs(fresh - s.md.potentialEnergy) < 1e-10 * Math.abs(fresh));
  let df = 0;
  for (let k = 0; k < f.length; k++) df = Math.max(df, Math.abs(f[k] - s.md.f[k]));
  assert.ok(df < 1e-9, `force mismatch ${df}`);
  assert.notDeepEqual(s.sizes, c.sizes, "sizes must have been swapped");
  // Equilibrium U/N equals that of plain MD at the same T.
  const hy = blocked(e);
  const md = polyMd();
  const z = (hy.mean - md.energy.mean) / Math.hypot(hy.se, md.energy.se);
  assert.ok(Math.abs(z) < 3.5, `U/N: hybrid ${hy.mean} ± ${hy.se}, MD ${md.energy.mean} ± ${md.energy.se}`);

  // Checkpoint between run calls → identical to the uninterrupted sequence of calls.
  const a = initHybridSwapMd(c, m, { temperature: 1.0, seed: 73, mdSteps: 5 });
  const ra = new HybridSwapMd(m);
  ra.run(a, 30);
  ra.run(a, 30);
  const b = initHybridSwapMd(c, m, { temperature: 1.0, seed: 73, mdSteps: 5 });
  new HybridSwapMd(m).run(b, 30);
  const b2 = deserializeState<HybridSwapMdState>(serializeState(b));
  new HybridSwapMd(m).run(b2, 30);
  assert.equal(serializeState(b2), serializeState(a));
});

test("bad input gets one clear GlassmechError", () => {
  const m = model("poly");
  const c = liquidStart("poly", 2, 20, 81);
  const bad = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof GlassmechError && re.test(e.message));
  bad(() => initSwapMc(c, m, { temperature: 1, seed: 1, delta: 1 }), /delta = 1 must be in \(0, skin\/√\(2d\)/);
  bad(() => initSwapMc(c, m, { temperature: 1, seed: 1, swapFraction: 1.5 }), /swapFraction/);
  bad(() => initSwapMc(c, m, { temperature: 0, seed: 1 }), /temperature/);
  bad(() => initSwapMc(c, m, { temperature: 1 }), /seed/);
  bad(() => initSwapMc(c, model("ipl"), { temperature: 1, seed: 1 }), /model poly, got model ipl/);
  const ipl = model("ipl");
  const one = { ...liquidStart("ipl", 2, 20, 82) };
  one.types.fill(0);
  bad(() => initSwapMc(one, ipl, { temperature: 1, seed: 1 }), /at least two types/);
  assert.doesNotThrow(() => initSwapMc(one, ipl, { temperature: 1, seed: 1, swapFraction: 0 }));
  const s = initSwapMc(c, m, { temperature: 1, seed: 1 });
  s.delta = 10;
  bad(() => new SwapMonteCarlo(m).run(s, 1), /delta/);
  bad(() => new SwapMonteCarlo(m).run(initSwapMc(c, m, { temperature: 1, seed: 1 }), 1.5), /sweeps/);
});

test("slow: POLY 3D swap MC matches MD at T = 0.8 (U/N, g(r))", { skip: SKIP_SLOW }, () => {
  const m = model("poly");
  const c = liquidStart("poly", 3, 216, 91); // one size realization for both
  const md = sampleMd(c, m, 0.8, 100000, 92);
  const mc = sampleMc(c, m, 0.8, 10000, 94);
  const z = (mc.energy.mean - md.energy.mean) / Math.hypot(mc.energy.se, md.energy.se);
  assert.ok(Math.abs(z) < 3.5, `U/N: MC ${mc.energy.mean} ± ${mc.energy.se}, MD ${md.energy.mean} ± ${md.energy.se}`);
  const gc = compareGofR(mc.g, md.g);
  assert.ok(gc.chi2PerBin < 2.5 && gc.maxZ < 5, `g(r): ${JSON.stringify(gc)}`);
});
