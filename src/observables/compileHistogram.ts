/**
 * The inner pass of g(r) (pairHistogram.ts), generated per (d, box shape, pair scales) with d
 * unrolled and, for a "sizes" model, the combining rule of models/combiningRule.ts spliced in:
 * g(r) is not a hot path of dynamics, but at the default rMax (half the box) it visits ~N²/2
 * pairs, and the generic-d loop with array temporaries was 1.5–2× slower (the same reasons as
 * forces/compileLoop.ts and neighbors/compileScan.ts).
 *
 * For every cell of the grid (its segments from CellGrid.segments, the first being the self row
 * scanned from J = I + 1)
 * and every candidate (I, J, segment image): the candidate separation c = xg_J − xg_I + h·m
 * (rounded any way: it only pre-filters, against lim²) and then the pair's exact minimum image
 * v for i < j in the caller's order, exactly as a brute-force pass computes it: on the wrapped
 * positions X with one ±L correction per axis (orthorhombic), by Box.minimumImage otherwise.
 * The candidate is that image when |v − sign·c|² < same2 (pairHistogram.ts); then r = |v| is
 * binned in r and in x = r/λ_ij.
 *
 * Numeric parameters P: lim², rMax², same2, 1/w, 1/xw, xMax, nb, nx, then (orthorhombic) L_a and
 * L_a/2 per axis.
 */
import type { Box } from "../core/box.js";
import { combinedLambdaSource } from "../models/combiningRule.js";
import { literal } from "../models/powerKernel.js";
import type { CellGrid } from "../neighbors/cellGrid.js";

export type HistogramCells = (
  grid: CellGrid,
  xg: Float64Array,
  order: Int32Array,
  X: Float64Array,
  types: Int32Array,
  sizes: Float64Array | null,
  invLambda: Float64Array,
  hist: Float64Array,
  histX: Float64Array,
  P: Float64Array,
  box: Box,
  dv: Float64Array,
) => void;

/** How pair scales are found: the type table (nt types) or the sizes rule with non-additivity na. */
export type HistogramScales = { readonly kind: "types"; readonly nt: number } | { readonly kind: "sizes"; readonly na: number };

const cache = new Map<string, HistogramCells>();

export function compileHistogram(d: number, ortho: boolean, scales: HistogramScales): HistogramCells {
  const key = `${d}|${ortho}|${scales.kind}|${scales.kind === "types" ? scales.nt : scales.na}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const A = Array.from({ length: d }, (_, a) => a);
  const D = String(d);
  const each = (f: (a: number) => string, sep = " ") => A.map(f).join(sep);
  const sum = (f: (a: number) => string) => A.map(f).join(" + ");
  const separation = ortho
    ? each(
        (a) =>
          `let v${a} = X[jb + ${a}] - X[ib + ${a}]; if (v${a} > H${a}) v${a} -= L${a}; else if (v${a} < -H${a}) v${a} += L${a};`,
        "\n            ",
      )
    : `${each((a) => `dv[${a}] = X[jb + ${a}] - X[ib + ${a}];`)} box.minimumImage(dv); ${each((a) => `const v${a} = dv[${a}];`)}`;
  const scale =
    scales.kind === "types"
      ? `const tp = types[i] * ${scales.nt} + types[j]; const xx = rr * invLambda[tp];`
      : `const tp = 0; const si = sizes[i]; const sj = sizes[j]; const xx = rr / (${combinedLambdaSource("si", "sj", literal(scales.na))});`;
  const src = `// glassmech g(r) pass d=${d} ortho=${ortho} scales=${key} #${cache.size}
"use strict";
return function histogramCells(grid, xg, order, X, types, sizes, invLambda, hist, histX, P, box, dv) {
  const lim2 = P[0]; const rMax2 = P[1]; const same2 = P[2]; const invW = P[3]; const invXW = P[4]; const xMax = P[5]; const nb = P[6]; const nx = P[7];
  ${ortho ? each((a) => `const L${a} = P[${8 + 2 * a}]; const H${a} = P[${9 + 2 * a}];`) : ""}
  const { cellStart, shiftTable } = grid;
  for (let c = 0, nc = grid.ncells; c < nc; c++) {
    const I0 = cellStart[c];
    const I1 = cellStart[c + 1];
    if (I0 === I1) continue;
    const seg = grid.segments(c);
    const q0 = seg.q0; const q1 = seg.q1; const off = seg.off; const sF = seg.first; const sE = seg.end; const sIm = seg.img;
    for (let I = I0; I < I1; I++) {
      const io = I * ${D}; const oI = order[I];
      ${each((a) => `const x${a} = xg[io + ${a}];`)}
      for (let q = q0; q < q1; q++) {
        const so = sIm[q] * ${D};
        ${each((a) => `const s${a} = shiftTable[so + ${a}] - x${a};`)}
        const J1 = cellStart[sE[q] + off];
        for (let J = q === q0 ? I + 1 : cellStart[sF[q] + off]; J < J1; J++) {
          const jo = J * ${D};
          ${each((a) => `const c${a} = xg[jo + ${a}] + s${a};`)}
          if (${sum((a) => `c${a} * c${a}`)} >= lim2) continue;
          const oJ = order[J];
          const i = oI < oJ ? oI : oJ;
          const j = oI < oJ ? oJ : oI;
          const sg = oI < oJ ? 1 : -1;
          const ib = i * ${D}; const jb = j * ${D};
          ${separation}
          const r2 = ${sum((a) => `v${a} * v${a}`)};
          if (r2 >= rMax2) continue;
          ${each((a) => `const g${a} = v${a} - sg * c${a};`)}
          if (${sum((a) => `g${a} * g${a}`)} >= same2) continue;
          const rr = Math.sqrt(r2);
          ${scale}
          const k = Math.floor(rr * invW);
          if (k < nb) hist[tp * nb + k]++;
          if (xx < xMax) {
            const kx = Math.floor(xx * invXW);
            if (kx < nx) histX[tp * nx + kx]++;
          }
        }
      }
    }
  }
};
`;
  const fn = new Function(src)() as HistogramCells;
  cache.set(key, fn);
  return fn;
}
