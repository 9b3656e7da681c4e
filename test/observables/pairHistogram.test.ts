import { test } from "node:test";
import assert from "node:assert/strict";
import { Box } from "../../src/core/box.js";
import type { Configuration } from "../../src/core/configuration.js";
import { Rng } from "../../src/core/rng.js";
import { createModel, type Model } from "../../src/models/index.js";
import { histogramPairs, type PairBins } from "../../src/observables/pairHistogram.js";

/**
 * The g(r) pass on the cell grid against the all-pairs minimum-image pass it replaced (kept here,
 * verbatim in its arithmetic, as the reference): the histograms must be equal count for count,
 * and the normalization of structure.ts is unchanged, so g(r) is bit-identical.
 */
function bruteForce(config: Configuration, bins: PairBins): { hist: Float64Array; histX: Float64Array } {
  const { d, n, box, types, sizes } = config;
  const { nt, invLambda, nonadditivity, rMax, w, nb, xw, nx } = bins;
  const hist = new Float64Array(nt * nt * nb);
  const histX = new Float64Array(nt * nt * nx);
  const ortho = box.shape === "orthorhombic";
  const X = Float64Array.from(config.positions);
  if (ortho) box.wrap(X);
  const dv = new Float64Array(d);
  for (let i = 0; i < n - 1; i++)
    for (let j = i + 1; j < n; j++) {
      let r2 = 0;
      for (let a = 0; a < d; a++) dv[a] = X[j * d + a] - X[i * d + a];
      if (ortho)
        for (let a = 0; a < d; a++) {
          const L = box.h[a * d + a];
          if (dv[a] > 0.5 * L) dv[a] -= L;
          else if (dv[a] < -0.5 * L) dv[a] += L;
        }
      else box.minimumImage(dv);
      for (let a = 0; a < d; a++) r2 += dv[a] * dv[a];
      if (r2 >= rMax * rMax) continue;
      const rr = Math.sqrt(r2);
      const tp = nonadditivity !== null ? 0 : types[i] * nt + types[j];
      const k = Math.floor(rr * (1 / w));
      if (k < nb) hist[tp * nb + k]++;
      const si = sizes?.[i] ?? 0;
      const sj = sizes?.[j] ?? 0;
      const xx = nonadditivity !== null ? rr / (0.5 * (si + sj) * (1 - nonadditivity * Math.abs(si - sj))) : rr * invLambda[tp];
      if (xx < nx * xw) {
        const kx = Math.floor(xx * (1 / xw));
        if (kx < nx) histX[tp * nx + kx]++;
      }
    }
  return { hist, histX };
}

function binsOf(model: Model, box: Box, rMax: number, w: number, xw: number): PairBins {
  const s = model.scales;
  const nt = s.kind === "types" ? s.ntypes : 1;
  const invLambda = s.kind === "types" ? s.lambda.map((l) => 1 / l) : new Float64Array(1);
  return { nt, invLambda, nonadditivity: s.kind === "sizes" ? s.nonadditivity : null, rMax, w, nb: Math.floor(rMax / w), xw, nx: Math.floor(rMax / xw) };
}

/** Random positions (some outside the box), or a simple cubic lattice (many equal distances). */
function configuration(model: Model, d: number, n: number, seed: number, shear: number, lattice: boolean): Configuration {
  const rng = Rng.fromSeed(seed);
  let box = Box.forDensity(d, n, 0.9);
  const L = box.h[0];
  const side = Math.round(Math.pow(n, 1 / d));
  const positions = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let rem = i;
    for (let a = 0; a < d; a++) {
      positions[i * d + a] = lattice ? ((rem % side) * L) / side : (rng.uniform() * 3 - 1) * L;
      rem = Math.floor(rem / side);
    }
  }
  if (shear !== 0) box = box.sheared(shear, 0, 1);
  const sizes = model.scales.kind === "sizes" ? model.sampleSizes!(n, () => rng.uniform()) : null;
  const types = new Int32Array(n).map(() => (sizes === null && rng.uniform() < 0.5 ? 1 : 0));
  return { d, n, box, positions, types, sizes, model: { name: model.name, params: model.params } };
}

for (const name of ["pss", "poly", "kablj"])
  for (const d of [2, 3, 4])
    for (const shear of [0, 0.27])
      test(`g(r) pass on the cell grid equals the all-pairs pass: ${name}, d=${d}, shear ${shear}`, () => {
        const model = createModel({ name, params: {} });
        const n = d === 4 ? 256 : d === 3 ? 343 : 400;
        let counted = 0;
        for (const lattice of [false, true])
          for (const [seed, fraction, w] of [
            [1, 0.5, 0.02],
            [2, 0.21, 0.011],
            [3, 0.07, 0.05],
          ] as const) {
            const c = configuration(model, d, lattice ? Math.round(Math.pow(n, 1 / d)) ** d : n, seed, shear, lattice);
            const widths = c.box.perpendicularWidths();
            // The largest allowed rMax is half the smallest width: the default of pairCorrelation.
            const rMax = fraction * Math.min(...widths);
            const bins = binsOf(model, c.box, rMax, w, 1.3 * w);
            const hist = new Float64Array(bins.nt * bins.nt * bins.nb);
            const histX = new Float64Array(bins.nt * bins.nt * bins.nx);
            histogramPairs(c, bins, hist, histX);
            const ref = bruteForce(c, bins);
            assert.deepEqual(hist, ref.hist, `r histogram, lattice ${lattice}, rMax ${rMax}`);
            assert.deepEqual(histX, ref.histX, `x histogram, lattice ${lattice}, rMax ${rMax}`);
            counted += hist.reduce((s, v) => s + v, 0);
          }
        assert.ok(counted > 1000, `${counted} pairs binned`);
      });
