/**
 * Assembly of the Hessian M = ∂²U/∂x∂x from per-pair records (SPEC §4.2).
 *
 * For a pair with separation Δ = r_ij = x_j − x_i, r = |Δ|, n = Δ/r, the pair stiffness block is
 *   k = φ'' n⊗n + (φ'/r)(I − n⊗n) = c₁ Δ⊗Δ + c₂ I,   c₁ = (φ'' − φ'/r)/r²,  c₂ = φ'/r,
 * the off-diagonal blocks are M_ij = M_ji = −k, and each diagonal block is minus the sum of the
 * off-diagonal blocks of its row: M_ii = Σ_j k_ij. Records of the same (i, j) (several periodic
 * images in a tiny box) simply add. A self-image record (i = j: particle i interacting with its
 * own periodic image) contributes the constant φ(|L|) to U, independent of x, so it adds
 * nothing to M (its −k off-diagonal and +2k diagonal contributions would cancel) and is skipped.
 *
 * The sparsity pattern is built with two counting sorts (by column, then stably by row), O(n +
 * records), without per-pair allocation. Every row stores its diagonal block (zero for a
 * particle without interactions), so consumers can rely on it.
 */
import { GlassmechError } from "../core/errors.js";
import type { PairRecords } from "../forces/types.js";
import type { BlockMatrix } from "../linalg/blockMatrix.js";

/**
 * The Hessian of U = Σ_records φ(r) as a block-CSR matrix with n block rows (SPEC §4.2); exactly
 * symmetric in floating point.
 *
 * @example
 *   const M = assembleHessian(new PairSystem(config, model).records(config.positions), config.n);
 *   blockMatVec(M, u, Mu);
 */
export function assembleHessian(records: PairRecords, n: number): BlockMatrix {
  const { d, count, i: ri, j: rj, delta, r, dphi, d2phi } = records;
  if (!Number.isInteger(n) || n < 1) throw new GlassmechError(`assembleHessian: particle count must be a positive integer, got ${n}`);
  if (!(d >= 1)) throw new GlassmechError(`assembleHessian: records have invalid dimension ${d}`);
  for (let p = 0; p < count; p++) {
    const a = ri[p];
    const b = rj[p];
    if (!(a >= 0 && a < n && b >= 0 && b < n))
      throw new GlassmechError(`assembleHessian: pair record ${p} has particle indices (${a}, ${b}) outside 0..${n - 1}`);
  }

  // Entries: for each non-self record p, (row i, col j) tagged 2p and (row j, col i) tagged 2p+1;
  // plus one diagonal entry per row tagged −1. Tags locate where each record's block goes.
  let m = 0;
  for (let p = 0; p < count; p++) if (ri[p] !== rj[p]) m++;
  const E = 2 * m + n;
  const eRow = new Int32Array(E);
  const eCol = new Int32Array(E);
  const eTag = new Int32Array(E);
  let e = 0;
  for (let p = 0; p < count; p++) {
    const a = ri[p];
    const b = rj[p];
    if (a === b) continue;
    eRow[e] = a;
    eCol[e] = b;
    eTag[e++] = 2 * p;
    eRow[e] = b;
    eCol[e] = a;
    eTag[e++] = 2 * p + 1;
  }
  for (let q = 0; q < n; q++) {
    eRow[e] = q;
    eCol[e] = q;
    eTag[e++] = -1;
  }

  // Counting sort by column, then stable counting sort by row: entries ordered by (row, col).
  const byCol = countingOrder(eCol, n, null);
  const order = countingOrder(eRow, n, byCol);

  // Walk the sorted entries: unique (row, col) → block index; remember each entry's block.
  const rowPtr = new Int32Array(n + 1);
  const colBuf = new Int32Array(E);
  const blockOfEntry = new Int32Array(E);
  let nb = -1;
  let lastRow = -1;
  let lastCol = -1;
  for (let s = 0; s < E; s++) {
    const q = order[s];
    const row = eRow[q];
    const col = eCol[q];
    if (row !== lastRow || col !== lastCol) {
      nb++;
      colBuf[nb] = col;
      if (row !== lastRow) for (let t = lastRow + 1; t <= row; t++) rowPtr[t] = nb;
      lastRow = row;
      lastCol = col;
    }
    blockOfEntry[q] = nb;
  }
  const nnzb = nb + 1;
  for (let t = lastRow + 1; t <= n; t++) rowPtr[t] = nnzb;
  const colIdx = colBuf.slice(0, nnzb);

  // Block positions per record and per diagonal (in the entry arrays' own order: entries 2k and
  // 2k+1 belong to the k-th non-self record, entry 2m + q is diagonal q).
  const dd = d * d;
  const values = new Float64Array(nnzb * dd);
  let k = 0;
  for (let p = 0; p < count; p++) {
    const a = ri[p];
    const b = rj[p];
    if (a === b) continue;
    const oij = blockOfEntry[2 * k] * dd;
    const oji = blockOfEntry[2 * k + 1] * dd;
    const oii = blockOfEntry[2 * m + a] * dd;
    const ojj = blockOfEntry[2 * m + b] * dd;
    k++;
    const rr = r[p];
    const c2 = dphi[p] / rr; // φ'/r
    const c1 = (d2phi[p] - c2) / (rr * rr); // (φ'' − φ'/r)/r²
    const o = p * d;
    // Upper triangle of k computed once and mirrored, so M is exactly symmetric in floating
    // point; k is symmetric, so block (j,i) = block (i,j)ᵀ = −k too.
    for (let x = 0; x < d; x++) {
      const cx = c1 * delta[o + x];
      for (let y = x; y < d; y++) {
        let kxy = cx * delta[o + y];
        if (x === y) kxy += c2;
        const w = x * d + y;
        values[oij + w] -= kxy;
        values[oji + w] -= kxy;
        values[oii + w] += kxy;
        values[ojj + w] += kxy;
        if (x === y) continue;
        const wt = y * d + x;
        values[oij + wt] -= kxy;
        values[oji + wt] -= kxy;
        values[oii + wt] += kxy;
        values[ojj + wt] += kxy;
      }
    }
  }
  return { d, n, rowPtr, colIdx, values };
}

/**
 * Stable counting sort of entry indices by key ∈ [0, n): returns the permutation. When `within`
 * is given, sorts that permutation (so ties keep its order); otherwise sorts 0..len−1.
 */
function countingOrder(key: Int32Array, n: number, within: Int32Array | null): Int32Array {
  const len = key.length;
  const start = new Int32Array(n + 1);
  for (let q = 0; q < len; q++) start[key[q] + 1]++;
  for (let t = 0; t < n; t++) start[t + 1] += start[t];
  const out = new Int32Array(len);
  for (let s = 0; s < len; s++) {
    const q = within === null ? s : within[s];
    out[start[key[q]]++] = q;
  }
  return out;
}
