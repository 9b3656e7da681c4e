/**
 * Plain-JavaScript block matrix–vector kernels, unrolled for d = 2, 3, 4 (V8 keeps the block
 * entries and accumulators in registers; the generic loops are ~2–3× slower). Every kernel sums
 * in blockMatVec's order — per block row a: s = ((m_a0 x_0 + m_a1 x_1) + m_a2 x_2) …, then
 * y_a += s — so results are bit-for-bit those of the reference loop, for any k.
 *
 * Also the block-Jacobi preconditioner (inverse diagonal blocks) and the fused PCG vector passes
 * of the JavaScript CG workspace (blockMatVecOperator.ts), mirroring the wasm ones.
 */
import type { BlockMatrix } from "./blockMatrix.js";

/** y = A·x (one vector). No allocation. */
export function matVecJs(A: BlockMatrix, x: Float64Array, y: Float64Array): void {
  const { d } = A;
  if (d === 3) matVec3(A, x, y);
  else if (d === 2) matVec2(A, x, y);
  else if (d === 4) matVec4(A, x, y);
  else matMulGeneric(A, 1, x, y);
}

/**
 * Y = A·X for k interleaved vectors: X[(i*d + b)*k + r] is component b of particle i of vector r.
 * One pass over the matrix serves all k vectors. No allocation.
 */
export function matMulVectorsJs(A: BlockMatrix, k: number, X: Float64Array, Y: Float64Array): void {
  if (k === 1) matVecJs(A, X, Y);
  else if (A.d === 3) {
    if (k === 2) matMul3k2(A, X, Y);
    else matMul3(A, k, X, Y);
  } else matMulGeneric(A, k, X, Y);
}

function matVec3(A: BlockMatrix, x: Float64Array, y: Float64Array): void {
  const { n, rowPtr, colIdx, values: v } = A;
  for (let i = 0; i < n; i++) {
    let y0 = 0;
    let y1 = 0;
    let y2 = 0;
    const pe = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < pe; p++) {
      const xo = colIdx[p] * 3;
      const x0 = x[xo];
      const x1 = x[xo + 1];
      const x2 = x[xo + 2];
      const o = p * 9;
      y0 += v[o] * x0 + v[o + 1] * x1 + v[o + 2] * x2;
      y1 += v[o + 3] * x0 + v[o + 4] * x1 + v[o + 5] * x2;
      y2 += v[o + 6] * x0 + v[o + 7] * x1 + v[o + 8] * x2;
    }
    y[i * 3] = y0;
    y[i * 3 + 1] = y1;
    y[i * 3 + 2] = y2;
  }
}

function matVec2(A: BlockMatrix, x: Float64Array, y: Float64Array): void {
  const { n, rowPtr, colIdx, values: v } = A;
  for (let i = 0; i < n; i++) {
    let y0 = 0;
    let y1 = 0;
    const pe = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < pe; p++) {
      const xo = colIdx[p] * 2;
      const x0 = x[xo];
      const x1 = x[xo + 1];
      const o = p * 4;
      y0 += v[o] * x0 + v[o + 1] * x1;
      y1 += v[o + 2] * x0 + v[o + 3] * x1;
    }
    y[i * 2] = y0;
    y[i * 2 + 1] = y1;
  }
}

function matVec4(A: BlockMatrix, x: Float64Array, y: Float64Array): void {
  const { n, rowPtr, colIdx, values: v } = A;
  for (let i = 0; i < n; i++) {
    let y0 = 0;
    let y1 = 0;
    let y2 = 0;
    let y3 = 0;
    const pe = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < pe; p++) {
      const xo = colIdx[p] * 4;
      const x0 = x[xo];
      const x1 = x[xo + 1];
      const x2 = x[xo + 2];
      const x3 = x[xo + 3];
      const o = p * 16;
      y0 += v[o] * x0 + v[o + 1] * x1 + v[o + 2] * x2 + v[o + 3] * x3;
      y1 += v[o + 4] * x0 + v[o + 5] * x1 + v[o + 6] * x2 + v[o + 7] * x3;
      y2 += v[o + 8] * x0 + v[o + 9] * x1 + v[o + 10] * x2 + v[o + 11] * x3;
      y3 += v[o + 12] * x0 + v[o + 13] * x1 + v[o + 14] * x2 + v[o + 15] * x3;
    }
    y[i * 4] = y0;
    y[i * 4 + 1] = y1;
    y[i * 4 + 2] = y2;
    y[i * 4 + 3] = y3;
  }
}

/** d = 3, k = 2: six accumulators in registers. */
function matMul3k2(A: BlockMatrix, X: Float64Array, Y: Float64Array): void {
  const { n, rowPtr, colIdx, values: v } = A;
  for (let i = 0; i < n; i++) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    const pe = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < pe; p++) {
      const xo = colIdx[p] * 6;
      const x0 = X[xo];
      const w0 = X[xo + 1];
      const x1 = X[xo + 2];
      const w1 = X[xo + 3];
      const x2 = X[xo + 4];
      const w2 = X[xo + 5];
      const o = p * 9;
      const m0 = v[o];
      const m1 = v[o + 1];
      const m2 = v[o + 2];
      const m3 = v[o + 3];
      const m4 = v[o + 4];
      const m5 = v[o + 5];
      const m6 = v[o + 6];
      const m7 = v[o + 7];
      const m8 = v[o + 8];
      a0 += m0 * x0 + m1 * x1 + m2 * x2;
      b0 += m0 * w0 + m1 * w1 + m2 * w2;
      a1 += m3 * x0 + m4 * x1 + m5 * x2;
      b1 += m3 * w0 + m4 * w1 + m5 * w2;
      a2 += m6 * x0 + m7 * x1 + m8 * x2;
      b2 += m6 * w0 + m7 * w1 + m8 * w2;
    }
    const yo = i * 6;
    Y[yo] = a0;
    Y[yo + 1] = b0;
    Y[yo + 2] = a1;
    Y[yo + 3] = b1;
    Y[yo + 4] = a2;
    Y[yo + 5] = b2;
  }
}

/** d = 3, any k: the block in registers, the k accumulators in Y (L1-resident row). */
function matMul3(A: BlockMatrix, k: number, X: Float64Array, Y: Float64Array): void {
  const { n, rowPtr, colIdx, values: v } = A;
  const dk = 3 * k;
  Y.fill(0, 0, n * dk);
  for (let i = 0; i < n; i++) {
    const y0 = i * dk;
    const y1 = y0 + k;
    const y2 = y1 + k;
    const pe = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < pe; p++) {
      const x0 = colIdx[p] * dk;
      const x1 = x0 + k;
      const x2 = x1 + k;
      const o = p * 9;
      const m0 = v[o];
      const m1 = v[o + 1];
      const m2 = v[o + 2];
      const m3 = v[o + 3];
      const m4 = v[o + 4];
      const m5 = v[o + 5];
      const m6 = v[o + 6];
      const m7 = v[o + 7];
      const m8 = v[o + 8];
      for (let r = 0; r < k; r++) {
        const u0 = X[x0 + r];
        const u1 = X[x1 + r];
        const u2 = X[x2 + r];
        Y[y0 + r] += m0 * u0 + m1 * u1 + m2 * u2;
        Y[y1 + r] += m3 * u0 + m4 * u1 + m5 * u2;
        Y[y2 + r] += m6 * u0 + m7 * u1 + m8 * u2;
      }
    }
  }
}

/** Any d, any k. */
function matMulGeneric(A: BlockMatrix, k: number, X: Float64Array, Y: Float64Array): void {
  const { d, n, rowPtr, colIdx, values: v } = A;
  const dd = d * d;
  const dk = d * k;
  Y.fill(0, 0, n * dk);
  for (let i = 0; i < n; i++) {
    const yo = i * dk;
    const pe = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < pe; p++) {
      const xo = colIdx[p] * dk;
      const vo = p * dd;
      for (let a = 0; a < d; a++) {
        const ya = yo + a * k;
        const va = vo + a * d;
        for (let r = 0; r < k; r++) {
          let s = 0;
          for (let b = 0; b < d; b++) s += v[va + b] * X[xo + b * k + r];
          Y[ya + r] += s;
        }
      }
    }
  }
}

/**
 * The block-Jacobi preconditioner: inverses of the d×d diagonal blocks (n·d² values). A block
 * that is not positive definite (possible with attractive pairs) or is zero (a particle without
 * interactions) is replaced by (|tr|/d)⁻¹·I, or I when the trace vanishes, so the preconditioner
 * is always symmetric positive definite.
 */
export function blockJacobiInverse(A: BlockMatrix): Float64Array {
  return jacobiBlocks(A, null);
}

/**
 * blockJacobiInverse that also writes, into dtil (n·d², when given), the blocks D̃ it inverted:
 * the diagonal block itself, or the SPD replacement (|tr|/d)·I (I when the trace vanishes).
 */
export function jacobiBlocks(A: BlockMatrix, dtil: Float64Array | null): Float64Array {
  const { d, n, rowPtr, colIdx, values } = A;
  const dd = d * d;
  const inv = new Float64Array(n * dd);
  const L = new Float64Array(dd);
  const blk = new Float64Array(dd);
  for (let i = 0; i < n; i++) {
    blk.fill(0);
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++)
      if (colIdx[p] === i) for (let w = 0; w < dd; w++) blk[w] = values[p * dd + w];
    const o = i * dd;
    if (!invertSPD(d, blk, L, inv, o)) {
      let tr = 0;
      for (let a = 0; a < d; a++) tr += blk[a * d + a];
      const s = tr !== 0 && Number.isFinite(tr) ? d / Math.abs(tr) : 1;
      for (let w = 0; w < dd; w++) inv[o + w] = 0;
      for (let a = 0; a < d; a++) inv[o + a * d + a] = s;
      if (dtil !== null) {
        for (let w = 0; w < dd; w++) dtil[o + w] = 0;
        for (let a = 0; a < d; a++) dtil[o + a * d + a] = 1 / s;
      }
    } else if (dtil !== null) for (let w = 0; w < dd; w++) dtil[o + w] = blk[w];
  }
  return inv;
}

/** Inverse of a small SPD block via Cholesky into out[o..o+d²); false when not positive definite. */
function invertSPD(d: number, B: Float64Array, L: Float64Array, out: Float64Array, o: number): boolean {
  L.fill(0);
  for (let j = 0; j < d; j++) {
    let s = B[j * d + j];
    for (let k = 0; k < j; k++) s -= L[j * d + k] * L[j * d + k];
    if (!(s > 1e-300)) return false;
    const ljj = Math.sqrt(s);
    L[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = 0.5 * (B[i * d + j] + B[j * d + i]);
      for (let k = 0; k < j; k++) t -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = t / ljj;
    }
  }
  // Columns of B⁻¹: solve L Lᵀ x = e_c.
  for (let c = 0; c < d; c++) {
    for (let i = 0; i < d; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i * d + k] * out[o + k * d + c];
      out[o + i * d + c] = s / L[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = out[o + i * d + c];
      for (let k = i + 1; k < d; k++) s -= L[k * d + i] * out[o + k * d + c];
      out[o + i * d + c] = s / L[i * d + i];
    }
  }
  return true;
}

/** dots[c] = Σ_s X[s*k + c] Y[s*k + c] for c < k. */
export function columnDotsJs(k: number, X: Float64Array, Y: Float64Array, dots: Float64Array): void {
  for (let c = 0; c < k; c++) dots[c] = 0;
  if (k === 1) {
    let s = 0;
    for (let t = 0; t < X.length; t++) s += X[t] * Y[t];
    dots[0] = s;
    return;
  }
  for (let o = 0; o < X.length; o += k) for (let c = 0; c < k; c++) dots[c] += X[o + c] * Y[o + c];
}

/**
 * PCG pass A on k interleaved columns (see blockMatVecWasm.ts cg_update): x += αp, r −= αq,
 * z = B⁻¹r (when inv is not null; else z is r and Z is not written), and per column
 * sums[c*(2+2d) + …] = [r·r, r·z, Σ_i z_i0 … z_i(d−1), Σ_i r_i0 … r_i(d−1)].
 */
export function cgUpdateJs(
  d: number,
  k: number,
  X: Float64Array,
  P: Float64Array,
  R: Float64Array,
  Q: Float64Array,
  Z: Float64Array,
  inv: Float64Array | null,
  alpha: Float64Array,
  sums: Float64Array,
): void {
  const w = 2 + 2 * d;
  sums.fill(0, 0, k * w);
  const dk = d * k;
  const n = X.length / dk;
  const dd = d * d;
  for (let i = 0; i < n; i++) {
    const o = i * dk;
    for (let a = 0; a < d; a++)
      for (let c = 0; c < k; c++) {
        const s = o + a * k + c;
        const al = alpha[c];
        X[s] += al * P[s];
        const r = R[s] - al * Q[s];
        R[s] = r;
        sums[c * w] += r * r;
        sums[c * w + 2 + d + a] += r;
      }
    if (inv === null) continue;
    const vo = i * dd;
    for (let a = 0; a < d; a++)
      for (let c = 0; c < k; c++) {
        let z = 0;
        for (let b = 0; b < d; b++) z += inv[vo + a * d + b] * R[o + b * k + c];
        Z[o + a * k + c] = z;
        sums[c * w + 1] += R[o + a * k + c] * z;
        sums[c * w + 2 + a] += z;
      }
  }
  if (inv === null)
    for (let c = 0; c < k; c++) {
      sums[c * w + 1] = sums[c * w];
      for (let a = 0; a < d; a++) sums[c * w + 2 + a] = sums[c * w + 2 + d + a];
    }
}

/** PCG pass B: p = (z − z̄) + βp for active columns, 0 for frozen ones (zmean[c*d + a]). */
export function cgDirectionJs(d: number, k: number, P: Float64Array, Z: Float64Array, beta: Float64Array, active: Uint8Array, zmean: Float64Array): void {
  const dk = d * k;
  for (let o = 0; o < P.length; o += dk)
    for (let a = 0; a < d; a++)
      for (let c = 0; c < k; c++) {
        const s = o + a * k + c;
        P[s] = active[c] === 1 ? Z[s] - zmean[c * d + a] + beta[c] * P[s] : 0;
      }
}
