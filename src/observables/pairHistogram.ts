/**
 * The pair pass of g(r) (structure.ts, SPEC §4.5): histograms of r and of x = r/λ_ij over every
 * unordered pair closer than rMax, found on the cell grid of src/neighbors instead of an all-pairs
 * loop, so the cost is N times the neighbors within rMax (at the default rMax of half the box
 * width that is still ~all pairs: the sphere fills half the box in 3D).
 *
 * The grid only proposes candidates (pair, image) with |x_J − x_I + h·m| < rMax (+ rounding
 * margin). Each accepted pair's separation is then computed exactly as the minimum image of
 * the pair (i < j in the caller's order): on the wrapped positions with one ±L correction per
 * axis in an orthorhombic box, by Box.minimumImage otherwise. A candidate counts only when it is
 * that image (the two vectors differ by less than half the smallest box width, while distinct
 * images differ by a lattice vector at least that width long), so every pair is binned once, with
 * the very r of a brute-force minimum-image pass: the histograms are exact, independent of the
 * grid.
 */
import type { Configuration } from "../core/configuration.js";
import { combinedLambda } from "../models/combiningRule.js";
import { CellGrid } from "../neighbors/cellGrid.js";

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
  const { d, n, box, types } = config;
  const sizes = config.sizes;
  const { nt, invLambda, nonadditivity, rMax, w, nb, xw, nx } = bins;
  const bySizes = nonadditivity !== null;
  const na = nonadditivity ?? 0;
  const ortho = box.shape === "orthorhombic";
  // The brute-force pass's positions: wrapped into the cell when orthorhombic, so every difference
  // is in (−L, L) and one conditional per axis gives the minimum image.
  const X = Float64Array.from(config.positions);
  if (ortho) box.wrap(X);
  const Ls = new Float64Array(d);
  const half = new Float64Array(d);
  for (let a = 0; a < d; a++) {
    Ls[a] = box.h[a * d + a];
    half[a] = 0.5 * Ls[a];
  }
  const widths = box.perpendicularWidths();
  let wmin = Infinity;
  for (let a = 0; a < d; a++) wmin = Math.min(wmin, widths[a]);
  const same2 = 0.25 * wmin * wmin;
  // Candidates are filtered with a margin far above rounding and far below any bin width.
  const lim = rMax * (1 + 1e-9) + 1e-12 * wmin;
  const lim2 = lim * lim;
  const rMax2 = rMax * rMax;
  const invW = 1 / w;
  const invXW = 1 / xw;
  const xMax = nx * xw;

  const grid = new CellGrid(d);
  grid.setup(box, n, lim, CELLS_PER_RMAX);
  const order = new Int32Array(n);
  const xg = new Float64Array(n * d);
  grid.bin(box, config.positions, n, order, new Int32Array(n), xg, new Float64Array(n * d));
  const { cellStart, cellSeg, bSegStart, segFirst, segEnd, segImg, tmplFirst, tmplEnd, tmplImg, shiftTable } = grid;
  const nT = grid.nTemplate;
  const cand = new Float64Array(d);
  const dv = new Float64Array(d);

  for (let c = 0; c < grid.ncells; c++) {
    const I0 = cellStart[c];
    const I1 = cellStart[c + 1];
    if (I0 === I1) continue;
    // Interior cells use the template shifted by c; boundary cells their own segments (cellGrid.ts).
    const b = cellSeg[c];
    const interior = b < 0;
    const q0 = interior ? 0 : bSegStart[b];
    const q1 = interior ? nT : bSegStart[b + 1];
    const off = interior ? c : 0;
    const sF = interior ? tmplFirst : segFirst;
    const sE = interior ? tmplEnd : segEnd;
    const sIm = interior ? tmplImg : segImg;
    for (let I = I0; I < I1; I++) {
      const io = I * d;
      for (let q = q0; q < q1; q++) {
        const so = sIm[q] * d;
        const J1 = cellStart[sE[q] + off];
        // The first segment is the self row with zero image: J > I only.
        for (let J = q === q0 ? I + 1 : cellStart[sF[q] + off]; J < J1; J++) {
          const jo = J * d;
          let rc2 = 0;
          for (let a = 0; a < d; a++) {
            const t = xg[jo + a] - xg[io + a] + shiftTable[so + a];
            cand[a] = t;
            rc2 += t * t;
          }
          if (rc2 >= lim2) continue;
          // The pair in the caller's order, i < j, and the candidate's sign in that orientation.
          const oI = order[I];
          const oJ = order[J];
          const i = oI < oJ ? oI : oJ;
          const j = oI < oJ ? oJ : oI;
          const sign = oI < oJ ? 1 : -1;
          let r2 = 0;
          let gap2 = 0;
          if (ortho) {
            for (let a = 0; a < d; a++) {
              let v = X[j * d + a] - X[i * d + a];
              if (v > half[a]) v -= Ls[a];
              else if (v < -half[a]) v += Ls[a];
              r2 += v * v;
              const g = v - sign * cand[a];
              gap2 += g * g;
            }
          } else {
            for (let a = 0; a < d; a++) dv[a] = X[j * d + a] - X[i * d + a];
            box.minimumImage(dv);
            for (let a = 0; a < d; a++) {
              r2 += dv[a] * dv[a];
              const g = dv[a] - sign * cand[a];
              gap2 += g * g;
            }
          }
          if (gap2 >= same2 || r2 >= rMax2) continue;
          const rr = Math.sqrt(r2);
          const tp = bySizes ? 0 : types[i] * nt + types[j];
          const k = Math.floor(rr * invW);
          if (k < nb) hist[tp * nb + k]++;
          const xx = bySizes ? rr / combinedLambda(sizes![i], sizes![j], na) : rr * invLambda[tp];
          if (xx < xMax) {
            const kx = Math.floor(xx * invXW);
            if (kx < nx) histX[tp * nx + kx]++;
          }
        }
      }
    }
  }
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
