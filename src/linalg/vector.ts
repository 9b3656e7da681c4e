/**
 * BLAS-1 kernels on flat Float64Arrays for the iterative solvers (no allocation).
 */

/** Σ_k a_k b_k. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

/** Euclidean norm |a|. */
export function norm2(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** y ← y + α x. */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let k = 0; k < y.length; k++) y[k] += alpha * x[k];
}

/** y ← x + β y (the CG direction update p ← z + β p). */
export function xpby(x: Float64Array, beta: number, y: Float64Array): void {
  for (let k = 0; k < y.length; k++) y[k] = x[k] + beta * y[k];
}

/**
 * Column dots of two interleaved multi-vectors (k columns, X[s*k + r] is entry s of column r):
 * out[r] = Σ_s X[s*k + r] Y[s*k + r].
 */
export function dotColumns(k: number, X: Float64Array, Y: Float64Array, out: Float64Array): void {
  for (let r = 0; r < k; r++) out[r] = 0;
  for (let o = 0; o < X.length; o += k) for (let r = 0; r < k; r++) out[r] += X[o + r] * Y[o + r];
}

/** Column r of an interleaved k-column multi-vector, as a new array. */
export function getColumn(k: number, X: Float64Array, r: number): Float64Array {
  const m = X.length / k;
  const out = new Float64Array(m);
  for (let s = 0; s < m; s++) out[s] = X[s * k + r];
  return out;
}

/** Writes v into column r of an interleaved k-column multi-vector. */
export function setColumn(k: number, X: Float64Array, r: number, v: Float64Array): void {
  for (let s = 0; s < v.length; s++) X[s * k + r] = v[s];
}
