/**
 * The inner loop of a Verlet-list build, generated per (d, cutoff kind) with d unrolled: for the
 * particles I of one cell and the cell's half-stencil segments (cellGrid.ts), test every
 * candidate J and append accepted pairs. Generated for the same reason as the force loop
 * (forces/compileLoop.ts): builds run every few MD steps and their cost matters.
 *
 * Semantics (tested against a brute-force all-images search): with xw the wrapped internal
 * positions, the separation is Δ = xw_J − xw_I + h·img (img of the segment); a pair is kept when
 * |Δ|² is below its squared list cutoff. Segments with zero image feed the CSR list `nbr`;
 * the others feed the shifted list with shift h·img.
 * In zero-image segments every candidate is written to nbr[count] and count advances by the
 * comparison's 0/1 value: V8 compiles `count += +(r2 < lim)` without a branch, which avoids a
 * mispredicted branch per accepted pair (the caller reserves room for every candidate).
 *
 * Cutoff kinds: "types" (table rl2[t_I·nt + t_J] of squared list cutoffs), "sizes" ((x_c λ_IJ +
 * skin)² with the POLY rule spliced from models/combiningRule.ts, constants xc, na, skin), "max"
 * (one constant rmax²).
 */
import { combinedLambdaSource } from "../models/combiningRule.js";

export type ScanCell = (
  I0: number,
  I1: number,
  q0: number,
  q1: number,
  off: number,
  zero: number,
  segFirst: Int32Array,
  segEnd: Int32Array,
  segImg: Int32Array,
  cellStart: Int32Array,
  shiftTable: Float64Array,
  xw: Float64Array,
  tI: Int32Array,
  sI: Float64Array,
  rl2: Float64Array,
  start: Int32Array,
  nbr: Int32Array,
  si: Int32Array,
  sj: Int32Array,
  sv: Float64Array,
  counts: Int32Array,
) => void;

export type ScanKind = "types" | "sizes" | "max";

const cache = new Map<string, ScanCell>();

/** The scan kernel for d and a cutoff kind (constants: nt, or xc/na/skin, or rmax²). */
export function compileScan(d: number, kind: ScanKind, c: { nt?: number; xc?: number; na?: number; skin?: number; rmax2?: number }): ScanCell {
  const key = `${d}|${kind}|${c.nt}|${c.xc}|${c.na}|${c.skin}|${c.rmax2}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const A = Array.from({ length: d }, (_, a) => a);
  const D = String(d);
  const lit = (v: number | undefined) => `(${String(v)})`;
  const perI = kind === "types" ? `const ti = tI[I] * ${c.nt};` : kind === "sizes" ? `const li = sI[I];` : "";
  // Squared list cutoff of pair (I, J) as an expression.
  const lim =
    kind === "types"
      ? `rl2[ti + tI[J]]`
      : kind === "sizes"
        ? `sizeLim(li, sI[J])`
        : lit(c.rmax2);
  const helper =
    kind === "sizes"
      ? `function sizeLim(li, lj) { const rc = ${lit(c.xc)} * (${combinedLambdaSource("li", "lj", lit(c.na))}) + ${lit(c.skin)}; return rc * rc; }`
      : "";
  const sep = (s: string) => A.map((a) => `const d${a} = xw[jo + ${a}] ${s}${a};`).join(" ") + ` const r2 = ${A.map((a) => `d${a} * d${a}`).join(" + ")};`;
  const src = `// glassmech verlet scan d=${d} kind=${kind} #${cache.size}
"use strict";
${helper}
return function scanCell(I0, I1, q0, q1, off, zero, segFirst, segEnd, segImg, cellStart, shiftTable, xw, tI, sI, rl2, start, nbr, si, sj, sv, counts) {
  let count = counts[0];
  let scount = counts[1];
  for (let I = I0; I < I1; I++) {
    start[I] = count;
    const io = I * ${D};
    ${perI}
    ${A.map((a) => `const x${a} = xw[io + ${a}];`).join(" ")}
    for (let q = q0; q < q1; q++) {
      const code = segImg[q];
      const J1 = cellStart[segEnd[q] + off];
      if (code === zero) {
        // the first segment is the self row: J > I only
        for (let J = q === q0 ? I + 1 : cellStart[segFirst[q] + off]; J < J1; J++) {
          const jo = J * ${D};
          ${sep("- x")}
          nbr[count] = J;
          count += +(r2 < ${lim});
        }
      } else {
        const qo = code * ${D};
        ${A.map((a) => `const s${a} = shiftTable[qo + ${a}] - x${a};`).join(" ")}
        for (let J = cellStart[segFirst[q] + off]; J < J1; J++) {
          const jo = J * ${D};
          ${sep("+ s")}
          if (r2 >= ${lim}) continue;
          si[scount] = I;
          sj[scount] = J;
          const so = scount * ${D};
          ${A.map((a) => `sv[so + ${a}] = shiftTable[qo + ${a}];`).join(" ")}
          scount++;
        }
      }
    }
  }
  counts[0] = count;
  counts[1] = scount;
};
`;
  const fn = new Function(src)() as ScanCell;
  cache.set(key, fn);
  return fn;
}
