/**
 * Small dense linear algebra: reference solutions for tests and for small systems
 * (SPEC §4.3, §6.1 "dense reference solutions on small systems").
 *
 * Every matrix is a row-major n×n Float64Array (A[r*n + c]). Nothing here is meant for the
 * production path of large glasses; everything is O(n³) and exact to rounding.
 */
import { GlassmechError } from "../core/errors.js";
import type { BlockMatrix } from "./blockMatrix.js";

/** Result of a dense symmetric eigendecomposition A = V Λ Vᵀ. */
export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  readonly values: Float64Array;
  /** Eigenvectors: column k (vectors[r*n + k], r = 0..n−1) is the unit eigenvector of values[k]. */
  readonly vectors: Float64Array;
}

/**
 * Eigenvalues and eigenvectors of a dense symmetric matrix (only its lower triangle is read).
 *
 * Algorithm: Householder reduction to tridiagonal form followed by the implicit QL method with
 * Wilkinson-like shifts (EISPACK tred2/tql2 as in JAMA, Golub & Van Loan §8.3). Backward stable:
 * |A V − V Λ| ≈ n·ε·|A|. Internally the transformations are accumulated in Vᵀ so every inner
 * loop runs over contiguous memory (n = 1500 takes a few seconds).
 */
export function symmetricEigen(n: number, A: Float64Array): SymmetricEigen {
  checkSquare(n, A, "symmetricEigen");
  const { values, rows } = eigenRows(n, A, true);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let r = 0; r < n; r++) vectors[r * n + k] = rows[k * n + r];
  return { values, vectors };
}

/** Eigenvalues only (ascending) of a dense symmetric matrix; same algorithm as symmetricEigen. */
export function symmetricEigenvalues(n: number, A: Float64Array): Float64Array {
  checkSquare(n, A, "symmetricEigenvalues");
  return eigenRows(n, A, false).values;
}

/**
 * Core of symmetricEigen. W holds Vᵀ (W[j*n + k] = V[k][j] of the JAMA code). Returns the
 * eigenvalues ascending and, in `rows`, eigenvector k as row k (rows[k*n + r]).
 */
function eigenRows(n: number, A: Float64Array, wantVectors: boolean): { values: Float64Array; rows: Float64Array } {
  const W = new Float64Array(n * n);
  // Symmetrize from the lower triangle: W = A (symmetric, so also Aᵀ).
  for (let r = 0; r < n; r++)
    for (let c = 0; c <= r; c++) {
      const v = A[r * n + c];
      W[r * n + c] = v;
      W[c * n + r] = v;
    }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, rows: W };
  tred2(n, W, d, e);
  tql2(n, W, d, e, wantVectors);
  // Sort ascending with a permutation (stable for ties), then gather rows.
  const order = Array.from({ length: n }, (_, k) => k).sort((p, q) => d[p] - d[q] || p - q);
  const values = new Float64Array(n);
  const rows = wantVectors ? new Float64Array(n * n) : W;
  for (let k = 0; k < n; k++) {
    values[k] = d[order[k]];
    if (wantVectors) rows.set(W.subarray(order[k] * n, order[k] * n + n), k * n);
  }
  return { values, rows };
}

/** Householder tridiagonalization; W = Vᵀ in, accumulated transform out (JAMA tred2 transposed). */
function tred2(n: number, W: Float64Array, d: Float64Array, e: Float64Array): void {
  // V[k][j] ≡ W[j*n + k].
  for (let j = 0; j < n; j++) d[j] = W[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = W[j * n + i - 1];
        W[j * n + i] = 0;
        W[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        W[i * n + j] = f; // V[j][i] = f
        const wj = j * n;
        g = e[j] + W[wj + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const v = W[wj + k];
          g += v * d[k];
          e[k] += v * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const wj = j * n;
        for (let k = j; k <= i - 1; k++) W[wj + k] -= f * e[k] + g * d[k];
        d[j] = W[wj + i - 1];
        W[wj + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate transformations.
  for (let i = 0; i < n - 1; i++) {
    W[i * n + n - 1] = W[i * n + i];
    W[i * n + i] = 1;
    const h = d[i + 1];
    const wi1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = W[wi1 + k] / h;
      for (let j = 0; j <= i; j++) {
        const wj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += W[wi1 + k] * W[wj + k];
        for (let k = 0; k <= i; k++) W[wj + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) W[wi1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = W[j * n + n - 1];
    W[j * n + n - 1] = 0;
  }
  W[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iteration on the tridiagonal (d, e); rotations applied to rows of W (JAMA tql2). */
function tql2(n: number, W: Float64Array, d: Float64Array, e: Float64Array, wantVectors: boolean): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 100) throw new GlassmechError(`symmetricEigen: QL iteration did not converge for eigenvalue ${l} of ${n}`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (wantVectors) {
            const wi = i * n;
            const wi1 = wi + n;
            for (let k = 0; k < n; k++) {
              const t = W[wi1 + k];
              W[wi1 + k] = s * W[wi + k] + c * t;
              W[wi + k] = c * W[wi + k] - s * t;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** Expands a block matrix into a dense row-major (n·d)×(n·d) array (scalar index i*d + a). */
export function blockToDense(M: BlockMatrix): Float64Array {
  const { d, n, rowPtr, colIdx, values } = M;
  const N = n * d;
  const out = new Float64Array(N * N);
  const dd = d * d;
  for (let i = 0; i < n; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const j = colIdx[p];
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++) out[(i * d + a) * N + j * d + b] += values[p * dd + a * d + b];
    }
  return out;
}

/** y = A x for a dense row-major n×n A. */
export function denseMatVec(n: number, A: Float64Array, x: Float64Array, y: Float64Array): void {
  for (let r = 0; r < n; r++) {
    let s = 0;
    const o = r * n;
    for (let c = 0; c < n; c++) s += A[o + c] * x[c];
    y[r] = s;
  }
}

/**
 * Cholesky factor L (lower, row-major, A = L Lᵀ) of a symmetric positive-definite matrix (lower
 * triangle read). Throws GlassmechError when A is not positive definite.
 */
export function choleskyFactor(n: number, A: Float64Array): Float64Array {
  checkSquare(n, A, "choleskyFactor");
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j];
    for (let k = 0; k < j; k++) s -= L[j * n + k] * L[j * n + k];
    if (!(s > 0)) throw new GlassmechError(`choleskyFactor: matrix is not positive definite (pivot ${j} = ${s})`);
    const ljj = Math.sqrt(s);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j];
      for (let k = 0; k < j; k++) t -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = t / ljj;
    }
  }
  return L;
}

/** Solves L Lᵀ x = b given the Cholesky factor L; returns x (new array). */
export function choleskySolveFactored(n: number, L: Float64Array, b: Float64Array): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * x[k];
    x[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** Solves A x = b for symmetric positive-definite A by Cholesky; returns x. */
export function choleskySolve(n: number, A: Float64Array, b: Float64Array): Float64Array {
  return choleskySolveFactored(n, choleskyFactor(n, A), b);
}

/**
 * Solves A x = b for a general square A by LU with partial pivoting; returns x. Throws on an
 * exactly singular pivot.
 */
export function denseSolve(n: number, A: Float64Array, b: Float64Array): Float64Array {
  checkSquare(n, A, "denseSolve");
  if (b.length !== n) throw new GlassmechError(`denseSolve: right-hand side has length ${b.length}, expected ${n}`);
  const M = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[p * n + c])) p = r;
    const piv = M[p * n + c];
    if (piv === 0 || !Number.isFinite(piv)) throw new GlassmechError(`denseSolve: matrix is singular (column ${c})`);
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const t = M[p * n + k];
        M[p * n + k] = M[c * n + k];
        M[c * n + k] = t;
      }
      const t = x[p];
      x[p] = x[c];
      x[c] = t;
    }
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / piv;
      if (f === 0) continue;
      for (let k = c; k < n; k++) M[r * n + k] -= f * M[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let k = r + 1; k < n; k++) s -= M[r * n + k] * x[k];
    x[r] = s / M[r * n + r];
  }
  return x;
}

/**
 * Pseudo-inverse solve x = A⁺ b through the eigendecomposition: eigenvalues with
 * |λ| ≤ relTol·max|λ| are treated as zero modes (their components of b are dropped and x has
 * none). For the Hessian this is M⁺ on the translation-free space (SPEC §4.2). Returns x and the
 * number of modes treated as zero.
 */
export function pseudoInverseSolve(
  eig: SymmetricEigen,
  b: Float64Array,
  relTol = 1e-10,
): { x: Float64Array; nullity: number } {
  const n = eig.values.length;
  const { values, vectors } = eig;
  let maxAbs = 0;
  for (let k = 0; k < n; k++) maxAbs = Math.max(maxAbs, Math.abs(values[k]));
  const x = new Float64Array(n);
  let nullity = 0;
  for (let k = 0; k < n; k++) {
    if (Math.abs(values[k]) <= relTol * maxAbs) {
      nullity++;
      continue;
    }
    let c = 0;
    for (let r = 0; r < n; r++) c += vectors[r * n + k] * b[r];
    c /= values[k];
    for (let r = 0; r < n; r++) x[r] += c * vectors[r * n + k];
  }
  return { x, nullity };
}

function checkSquare(n: number, A: Float64Array, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new GlassmechError(`${what}: order must be a non-negative integer, got ${n}`);
  if (A.length !== n * n) throw new GlassmechError(`${what}: expected ${n}×${n} = ${n * n} entries, got ${A.length}`);
}
