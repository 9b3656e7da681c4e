/**
 * The pair pass of g(r) (structure.ts, SPEC §4.5): histograms of r and of x = r/λ_ij over every
 * unordered pair closer than rMax, found on the cell grid of src/neighbors instead of an all-pairs
 * loop, so the cost is N times the neighbors within rMax (at the default rMax of half the box
 * width that is still ~all pairs: the sphere fills half the box in 3D).
 *
 * The grid only proposes candidates (pair, image) with |x_J − x_I + h·m| < rMax (+ rounding
 * margin); the generated pass (compileHistogram.ts) then computes each pair's separation exactly
 * as the minimum image of the pair (i < j in the caller's order), as a brute-force pass does, and
 * counts the candidate only when it is that image (the two vectors differ by less than half the
 * smallest box width, while distinct images differ by a lattice vector at least that width long).
 * So every pair is binned once, with the very r of a brute-force minimum-image pass: the
 * histograms are exact and independent of the grid.
 */
import type { Configuration } from "../core/configuration.js";
import { combinedLambda } from "../models/combiningRule.js";
import { CellGrid } from "../neighbors/cellGrid.js";
import { compileHistogram } from "./compileHistogram.js";

/** The grid, bins and pair scales of one pass. */
export interface PairBins {
  /** Number of types (1 for a "sizes" model: one "all" histogram). */
  readonly nt: number;
  /** 1/λ_ab per type pair (row-major nt×nt); unused for sizes. */
  readonly invLambda: Float64Array;
  /** Non-additivity of the sizes rule (models/combiningRule.ts), or null for type tables. */
  readonly nonadditivity: number | null;
  readonly rMax: number;
  /** Bin width and count in r. */
  readonly w: number;
  readonly nb: number;
  /** Bin width and count in x = r/λ_ij. */
  readonly xw: number;
  readonly nx: number;
}

/**
 * Cells about rMax/4 wide: a finer grid trims the stencil's overhang beyond the sphere of radius
 * rMax (stencil width 2 rMax + one cell) at more per-cell overhead.
 */
const CELLS_PER_RMAX = 4;

/**
 * Fills hist[(t_i·nt + t_j)·nb + bin] (r) and histX[(t_i·nt + t_j)·nx + bin] (x = r/λ_ij), counting
 * each unordered pair i < j with minimum-image distance r < rMax once, types oriented as (i, j).
 */
export function histogramPairs(config: Configuration, bins: PairBins, hist: Float64Array, histX: Float64Array): void {
  const { d, n, box } = config;
  const { nt, nonadditivity, rMax, w, nb, xw, nx } = bins;
  const ortho = box.shape === "orthorhombic";
  // The brute-force pass's positions: wrapped into the cell when orthorhombic, so every difference
  // is in (−L, L) and one conditional per axis gives the minimum image.
  const X = Float64Array.from(config.positions);
  if (ortho) box.wrap(X);
  const widths = box.perpendicularWidths();
  let wmin = Infinity;
  for (let a = 0; a < d; a++) wmin = Math.min(wmin, widths[a]);
  // Candidates are filtered with a margin far above rounding and far below any bin width.
  const lim = rMax * (1 + 1e-9) + 1e-12 * wmin;
  const P = new Float64Array(8 + 2 * d);
  P.set([lim * lim, rMax * rMax, 0.25 * wmin * wmin, 1 / w, 1 / xw, nx * xw, nb, nx]);
  if (ortho)
    for (let a = 0; a < d; a++) {
      const L = box.h[a * d + a];
      P[8 + 2 * a] = L;
      P[9 + 2 * a] = 0.5 * L;
    }
  const grid = new CellGrid(d);
  grid.setup(box, n, lim, CELLS_PER_RMAX);
  const order = new Int32Array(n);
  const xg = new Float64Array(n * d);
  grid.bin(box, config.positions, n, order, new Int32Array(n), xg, new Float64Array(n * d));
  const pass = compileHistogram(d, ortho, nonadditivity === null ? { kind: "types", nt } : { kind: "sizes", na: nonadditivity });
  pass(grid, xg, order, X, config.types, config.sizes, bins.invLambda, hist, histX, P, box, new Float64Array(d));
}

/**
 * Σ_{i<j} λ_ij^d, the ideal-gas normalization of a polydisperse g(x) (structure.ts). Summed over
 * all pairs in the order i < j: a closed form through sorted sizes would be O(N log N) but round
 * differently, and this loop touches sizes only (no positions).
 */
export function sizePairSum(sizes: Float64Array, na: number, d: number): number {
  const n = sizes.length;
  let sum = 0;
  for (let i = 0; i < n - 1; i++) {
    const si = sizes[i];
    for (let j = i + 1; j < n; j++) {
      const lam = combinedLambda(si, sizes[j], na);
      sum += d === 3 ? lam * lam * lam : Math.pow(lam, d);
    }
  }
  return sum;
}
