/**
 * Rectangular block-sparse (BSR) matrices with br×bc blocks, for the multigrid hierarchy
 * (amg.ts): prolongators (d×nb blocks), restrictions (nb×d) and coarse operators (nb×nb).
 * The fine Hessian (blockMatrix.ts) is the square case br = bc = d and is read in place.
 *
 * Layout as BlockMatrix: block row i lists its block columns colIdx[rowPtr[i] .. rowPtr[i+1]),
 * ascending; block p occupies values[p·br·bc ..), row-major. Multi-vectors are interleaved
 * (k columns): X[(j·bc + c)·k + r] is scalar (j, c) of column r — the layout of
 * blockMatMulVectors, so one pass over a matrix serves all k columns.
 */
import { GlassmechError } from "../core/errors.js";
import { mulVectors33 } from "./amgKernels.js";
import type { BlockMatrix } from "./blockMatrix.js";

export interface Bsr {
  /** Block rows and block columns. */
  readonly nr: number;
  readonly nc: number;
  /** Block shape br×bc. */
  readonly br: number;
  readonly bc: number;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly values: Float64Array;
}

/** The square block matrix as a Bsr view (no copy). */
export function bsrOf(M: BlockMatrix): Bsr {
  return { nr: M.n, nc: M.n, br: M.d, bc: M.d, rowPtr: M.rowPtr, colIdx: M.colIdx, values: M.values };
}

/** Bytes held by a Bsr's arrays. */
export function bsrBytes(A: Bsr): number {
  return A.rowPtr.byteLength + A.colIdx.byteLength + A.values.byteLength;
}

/**
 * Y = A·X for k interleaved columns (X has nc·bc·k entries, Y nr·br·k). No allocation: `acc`
 * is a scratch of at least br·k entries (the block row's sums, so Y is written once).
 */
export function bsrMulVectors(A: Bsr, k: number, X: Float64Array, Y: Float64Array, acc: Float64Array): void {
  const { nr, br, bc, rowPtr, colIdx, values } = A;
  if (br === 3 && bc === 3) {
    mulVectors33(A, k, X, Y, acc);
    return;
  }
  const bb = br * bc;
  const w = br * k;
  for (let i = 0; i < nr; i++) {
    for (let t = 0; t < w; t++) acc[t] = 0;
    const pe = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < pe; p++) {
      const xo = colIdx[p] * bc * k;
      const vo = p * bb;
      for (let a = 0; a < br; a++) {
        const ao = a * k;
        for (let c = 0; c < bc; c++) {
          const v = values[vo + a * bc + c];
          if (v === 0) continue;
          const xc = xo + c * k;
          for (let r = 0; r < k; r++) acc[ao + r] += v * X[xc + r];
        }
      }
    }
    const yo = i * w;
    for (let t = 0; t < w; t++) Y[yo + t] = acc[t];
  }
}

/** Aᵀ as a new Bsr (blocks transposed), columns ascending in every row. */
export function bsrTranspose(A: Bsr): Bsr {
  const { nr, nc, br, bc, rowPtr, colIdx, values } = A;
  const bb = br * bc;
  const nnz = rowPtr[nr];
  const ptr = new Int32Array(nc + 1);
  for (let p = 0; p < nnz; p++) ptr[colIdx[p] + 1]++;
  for (let j = 0; j < nc; j++) ptr[j + 1] += ptr[j];
  const next = ptr.slice(0, nc);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz * bb);
  // Rows are visited in ascending order, so each transposed row fills ascending.
  for (let i = 0; i < nr; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const q = next[colIdx[p]]++;
      col[q] = i;
      const so = p * bb;
      const to = q * bb;
      for (let a = 0; a < br; a++) for (let c = 0; c < bc; c++) val[to + c * br + a] = values[so + a * bc + c];
    }
  return { nr: nc, nc: nr, br: bc, bc: br, rowPtr: ptr, colIdx: col, values: val };
}

/**
 * C = A·B (Gustavson's row-by-row product, Gustavson 1978: a dense accumulator indexed by block
 * column, reset through the list of touched columns). A.bc must equal B.br.
 */
export function bsrMultiply(A: Bsr, B: Bsr): Bsr {
  if (A.nc !== B.nr || A.bc !== B.br) throw new GlassmechError(`bsrMultiply: shapes ${A.nr}×${A.nc} (${A.br}×${A.bc}) and ${B.nr}×${B.nc} (${B.br}×${B.bc}) do not match`);
  const { nr, br, bc: bk } = A;
  const bc = B.bc;
  const ab = br * bk;
  const bb = bk * bc;
  const cb = br * bc;
  const slot = new Int32Array(B.nc).fill(-1);
  let touched = new Int32Array(64);
  let acc = new Float64Array(64 * cb);
  const ptr = new Int32Array(nr + 1);
  let col = new Int32Array(Math.max(16, A.rowPtr[nr] * 2));
  let val = new Float64Array(col.length * cb);
  let nnz = 0;
  for (let i = 0; i < nr; i++) {
    let m = 0;
    for (let p = A.rowPtr[i]; p < A.rowPtr[i + 1]; p++) {
      const j = A.colIdx[p];
      const ao = p * ab;
      for (let q = B.rowPtr[j]; q < B.rowPtr[j + 1]; q++) {
        const l = B.colIdx[q];
        let s = slot[l];
        if (s < 0) {
          if (m === touched.length) {
            const t2 = new Int32Array(2 * m);
            t2.set(touched);
            touched = t2;
            const a2 = new Float64Array(2 * m * cb);
            a2.set(acc);
            acc = a2;
          }
          s = m++;
          slot[l] = s;
          touched[s] = l;
          for (let t = 0; t < cb; t++) acc[s * cb + t] = 0;
        }
        const bo = q * bb;
        const co = s * cb;
        for (let a = 0; a < br; a++)
          for (let c = 0; c < bk; c++) {
            const v = A.values[ao + a * bk + c];
            if (v === 0) continue;
            const bro = bo + c * bc;
            const cro = co + a * bc;
            for (let e = 0; e < bc; e++) acc[cro + e] += v * B.values[bro + e];
          }
      }
    }
    if (nnz + m > col.length) {
      const cap = Math.max(2 * col.length, nnz + m);
      const c2 = new Int32Array(cap);
      c2.set(col.subarray(0, nnz));
      col = c2;
      const v2 = new Float64Array(cap * cb);
      v2.set(val.subarray(0, nnz * cb));
      val = v2;
    }
    // Ascending block columns: sort the touched list, then copy each accumulator.
    const list = touched.subarray(0, m);
    list.sort();
    for (let t = 0; t < m; t++) {
      const l = list[t];
      const s = slot[l];
      col[nnz] = l;
      val.set(acc.subarray(s * cb, (s + 1) * cb), nnz * cb);
      nnz++;
    }
    // Reset only the touched slots (the accumulator order was by first touch; after the sort
    // list[t] no longer matches slot t, so clear through the columns).
    for (let t = 0; t < m; t++) slot[list[t]] = -1;
    ptr[i + 1] = nnz;
  }
  return { nr, nc: B.nc, br, bc, rowPtr: ptr, colIdx: col.slice(0, nnz), values: val.slice(0, nnz * cb) };
}

/**
 * Makes a square Bsr exactly symmetric in place: block (I, J) and block (J, I)ᵀ are replaced by
 * their mean (a Galerkin product RAP is symmetric only up to rounding; the symmetric V-cycle
 * needs exact symmetry to be a symmetric preconditioner). The pattern must be symmetric.
 */
export function symmetrizeInPlace(A: Bsr): void {
  const { nr, br, rowPtr, colIdx, values } = A;
  if (A.br !== A.bc || A.nr !== A.nc) throw new GlassmechError("symmetrizeInPlace: matrix is not square");
  const bb = br * br;
  for (let i = 0; i < nr; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const j = colIdx[p];
      if (j < i) continue;
      const q = j === i ? p : findBlock(rowPtr, colIdx, j, i);
      if (q < 0) throw new GlassmechError("symmetrizeInPlace: pattern is not symmetric");
      const po = p * bb;
      const qo = q * bb;
      for (let a = 0; a < br; a++)
        for (let c = j === i ? a : 0; c < br; c++) {
          const m = 0.5 * (values[po + a * br + c] + values[qo + c * br + a]);
          values[po + a * br + c] = m;
          values[qo + c * br + a] = m;
        }
    }
}

/** Position of block (i, j) in a Bsr with sorted rows, or −1 (binary search). */
export function findBlock(rowPtr: Int32Array, colIdx: Int32Array, i: number, j: number): number {
  let lo = rowPtr[i];
  let hi = rowPtr[i + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = colIdx[mid];
    if (c === j) return mid;
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
