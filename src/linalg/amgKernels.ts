/**
 * Unrolled 3×3-block kernels of the multigrid cycle (amg.ts, bsr.ts) for k interleaved columns:
 * the block's nine entries live in locals and the column loop is innermost, as in
 * blockMatVecJs.ts (the generic loops over block entries run ~3× slower in V8).
 * 3D with the translations as near-null space has 3×3 blocks on every level.
 */
import type { Bsr } from "./bsr.js";

/** Y = A·X, A with 3×3 blocks (square or not), k columns; acc: ≥ 3k scratch. */
export function mulVectors33(A: Bsr, k: number, X: Float64Array, Y: Float64Array, acc: Float64Array): void {
  const { nr, rowPtr, colIdx, values: v } = A;
  const k2 = 2 * k;
  for (let i = 0; i < nr; i++) {
    for (let t = 0; t < 3 * k; t++) acc[t] = 0;
    const pe = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < pe; p++) {
      const xo = colIdx[p] * 3 * k;
      const o = p * 9;
      const m0 = v[o], m1 = v[o + 1], m2 = v[o + 2];
      const m3 = v[o + 3], m4 = v[o + 4], m5 = v[o + 5];
      const m6 = v[o + 6], m7 = v[o + 7], m8 = v[o + 8];
      for (let r = 0; r < k; r++) {
        const x0 = X[xo + r];
        const x1 = X[xo + k + r];
        const x2 = X[xo + k2 + r];
        acc[r] += m0 * x0 + m1 * x1 + m2 * x2;
        acc[k + r] += m3 * x0 + m4 * x1 + m5 * x2;
        acc[k2 + r] += m6 * x0 + m7 * x1 + m8 * x2;
      }
    }
    const yo = i * 3 * k;
    for (let t = 0; t < 3 * k; t++) Y[yo + t] = acc[t];
  }
}

/** One block Gauss–Seidel sweep (forward or backward) with 3×3 blocks; see amg.ts gaussSeidel. */
export function gaussSeidel33(A: Bsr, dinv: Float64Array, k: number, b: Float64Array, x: Float64Array, acc: Float64Array, forward: boolean): void {
  const { nr, rowPtr, colIdx, values: v } = A;
  const k2 = 2 * k;
  const w = 3 * k;
  for (let step = 0; step < nr; step++) {
    const i = forward ? step : nr - 1 - step;
    const io = i * w;
    for (let t = 0; t < w; t++) acc[t] = b[io + t];
    const pe = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < pe; p++) {
      const j = colIdx[p];
      if (j === i) continue;
      const xo = j * w;
      const o = p * 9;
      const m0 = v[o], m1 = v[o + 1], m2 = v[o + 2];
      const m3 = v[o + 3], m4 = v[o + 4], m5 = v[o + 5];
      const m6 = v[o + 6], m7 = v[o + 7], m8 = v[o + 8];
      for (let r = 0; r < k; r++) {
        const x0 = x[xo + r];
        const x1 = x[xo + k + r];
        const x2 = x[xo + k2 + r];
        acc[r] -= m0 * x0 + m1 * x1 + m2 * x2;
        acc[k + r] -= m3 * x0 + m4 * x1 + m5 * x2;
        acc[k2 + r] -= m6 * x0 + m7 * x1 + m8 * x2;
      }
    }
    const o = i * 9;
    const m0 = dinv[o], m1 = dinv[o + 1], m2 = dinv[o + 2];
    const m3 = dinv[o + 3], m4 = dinv[o + 4], m5 = dinv[o + 5];
    const m6 = dinv[o + 6], m7 = dinv[o + 7], m8 = dinv[o + 8];
    for (let r = 0; r < k; r++) {
      const s0 = acc[r];
      const s1 = acc[k + r];
      const s2 = acc[k2 + r];
      x[io + r] = m0 * s0 + m1 * s1 + m2 * s2;
      x[io + k + r] = m3 * s0 + m4 * s1 + m5 * s2;
      x[io + k2 + r] = m6 * s0 + m7 * s1 + m8 * s2;
    }
  }
}
