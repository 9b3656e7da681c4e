/**
 * The inner loop of a Verlet-list build, generated per (d, cutoff kind) with d unrolled: for the
 * particles I of one cell and the cell's half-stencil targets (see cellGrid.ts), test every
 * candidate J of the cell's segments (cellGrid.ts) and append accepted pairs. Written as generated code for the same reason as the
 * force loop (forces/compileLoop.ts): builds run every few MD steps and their cost matters.
 *
 * Semantics (tested against a brute-force all-images search): the separation in wrapped coordinates is Δ = xw_J − xw_I + h·img_q (img_q of segment q);
 * a pair is kept when |Δ|² < (list cutoff)²; its raw-coordinate lattice offset is
 * m = img_q + k_I − k_J: m = 0 goes to the CSR list (nbr), otherwise to the shifted list with
 * shift h·m.
 *
 * Cutoff kinds: "types" (table rl2[t_I·nt + t_J] of squared list cutoffs), "sizes" (POLY rule:
 * (x_c λ_IJ + skin)², constants XC, NA, SKIN), "max" (one constant RMAX2).
 */
export type ScanCell = (
  I0: number,
  I1: number,
  q0: number,
  q1: number,
  segFirst: Int32Array,
  segEnd: Int32Array,
  segImg: Int32Array,
  cellStart: Int32Array,
  imgTable: Float64Array,
  shiftTable: Float64Array,
  xw: Float64Array,
  kOff: Float64Array,
  tI: Int32Array,
  sI: Float64Array,
  rl2: Float64Array,
  h: Float64Array,
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
  const limit =
    kind === "types"
      ? `if (r2 >= rl2[ti + tI[J]]) continue;`
      : kind === "sizes"
        ? `const lj = sI[J]; const rc = ${lit(c.xc)} * 0.5 * (li + lj) * (1 - ${lit(c.na)} * Math.abs(li - lj)) + ${lit(c.skin)}; if (r2 >= rc * rc) continue;`
        : `if (r2 >= ${lit(c.rmax2)}) continue;`;
  const src = `// glassmech verlet scan d=${d} kind=${kind} #${cache.size}
"use strict";
return function scanCell(I0, I1, q0, q1, segFirst, segEnd, segImg, cellStart, imgTable, shiftTable, xw, kOff, tI, sI, rl2, h, start, nbr, si, sj, sv, counts) {
  let count = counts[0];
  let scount = counts[1];
  ${A.map((a) => A.map((b) => `const h${a}${b} = h[${a * d + b}];`).join(" ")).join("\n  ")}
  for (let I = I0; I < I1; I++) {
    start[I] = count;
    const io = I * ${D};
    ${perI}
    ${A.map((a) => `const x${a} = xw[io + ${a}]; const k${a} = kOff[io + ${a}];`).join(" ")}
    for (let q = q0; q < q1; q++) {
      const qo = segImg[q] * ${D};
      ${A.map((a) => `const s${a} = shiftTable[qo + ${a}] - x${a};`).join(" ")}
      const J1 = cellStart[segEnd[q]];
      // the first segment is the self row: J > I only
      for (let J = q === q0 ? I + 1 : cellStart[segFirst[q]]; J < J1; J++) {
        const jo = J * ${D};
        ${A.map((a) => `const d${a} = xw[jo + ${a}] + s${a};`).join(" ")}
        const r2 = ${A.map((a) => `d${a} * d${a}`).join(" + ")};
        ${limit}
        ${A.map((a) => `const m${a} = imgTable[qo + ${a}] + k${a} - kOff[jo + ${a}];`).join(" ")}
        if (${A.map((a) => `m${a} === 0`).join(" && ")}) {
          nbr[count++] = J;
        } else {
          si[scount] = I;
          sj[scount] = J;
          const so = scount * ${D};
          ${A.map((a) => `sv[so + ${a}] = ${A.map((b) => `h${a}${b} * m${b}`).join(" + ")};`).join("\n          ")}
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
