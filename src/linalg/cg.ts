/**
 * Preconditioned conjugate gradients for the Hessian on the translation-free subspace
 * (SPEC §4.2: M has d zero modes, so every solve lives in their orthogonal complement).
 *
 * The right-hand side is projected (removeTranslations); M maps the complement into itself, and
 * the block-Jacobi preconditioner is applied as P·B⁻¹·P (P the projector), which is symmetric
 * positive definite on the complement, so plain PCG applies and every iterate stays
 * translation-free. The solution is the minimum-norm (pseudo-inverse) solution x = M⁺ b of
 * SPEC §4.3 when M is positive on the complement.
 *
 * Never silently wrong (DESIGN principle 6): results carry `converged`, the iteration count and
 * the *true* relative residual |P b − M x| / |P b| recomputed at the end; pᵀMp ≤ 0 (negative
 * curvature on the complement: the configuration is not a minimum, or it has extra zero modes
 * such as rattlers hit by the right-hand side) stops the solve with a message.
 * `solveCGOrThrow` / `solveCGMultiOrThrow` turn a flagged result into a GlassmechError.
 */
import { GlassmechError } from "../core/errors.js";
import { blockMatVec, type BlockMatrix } from "./blockMatrix.js";
import { removeTranslations, removeTranslationsMulti } from "./projection.js";
import { axpy, dot, dotColumns, xpby } from "./vector.js";

export interface CGOptions {
  /** Relative residual tolerance |P b − M x| / |P b| (default 1e-10). */
  tol?: number;
  /** Iteration limit (default max(1000, 4·n·d)). */
  maxIterations?: number;
  /** "blockJacobi" (default): d×d diagonal blocks inverted; "none": plain CG. */
  preconditioner?: "blockJacobi" | "none";
  /** Initial guess (projected before use); default 0. Single right-hand side only. */
  x0?: Float64Array;
}

export interface CGResult {
  /** Solution, translation-free, length n·d. */
  readonly x: Float64Array;
  readonly converged: boolean;
  readonly iterations: number;
  /** True relative residual |P b − M x| / |P b| of the returned x (0 when P b = 0). */
  readonly residual: number;
  /** Set when the solve stopped on pᵀMp ≤ 0. */
  readonly negativeCurvature: boolean;
  /** Why the solve is flagged (empty when converged). */
  readonly message: string;
}

export interface CGMultiResult {
  /** Solutions, interleaved like the right-hand sides: x[s*k + r] is entry s of solution r. */
  readonly x: Float64Array;
  readonly k: number;
  /** True when every column converged. */
  readonly converged: boolean;
  /** Iterations (passes over the matrix) of the slowest column. */
  readonly iterations: number;
  readonly columns: readonly Omit<CGResult, "x">[];
}

const NOT_POSITIVE = "Hessian is not positive on the translation-free subspace (not a minimum?)";

/**
 * Y = A·X for k vectors stored interleaved: X[(i*d + b)*k + r] is component b of particle i of
 * vector r. One pass over the matrix serves all k vectors (the matrix is memory-bound).
 */
export function blockMatMulVectors(A: BlockMatrix, k: number, X: Float64Array, Y: Float64Array): void {
  const { d, n, rowPtr, colIdx, values } = A;
  const dd = d * d;
  const dk = d * k;
  Y.fill(0, 0, n * dk);
  if (d === 3) {
    // The common case unrolled over the block columns: one read-modify-write of Y per row entry.
    for (let i = 0; i < n; i++) {
      const yo = i * dk;
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
        const x0 = colIdx[p] * dk;
        const x1 = x0 + k;
        const x2 = x1 + k;
        const vo = p * 9;
        for (let a = 0; a < 3; a++) {
          const m0 = values[vo + 3 * a];
          const m1 = values[vo + 3 * a + 1];
          const m2 = values[vo + 3 * a + 2];
          const ya = yo + a * k;
          for (let r = 0; r < k; r++) Y[ya + r] += m0 * X[x0 + r] + m1 * X[x1 + r] + m2 * X[x2 + r];
        }
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const yo = i * dk;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const xo = colIdx[p] * dk;
      const vo = p * dd;
      for (let a = 0; a < d; a++) {
        const ya = yo + a * k;
        for (let b = 0; b < d; b++) {
          const m = values[vo + a * d + b];
          const xb = xo + b * k;
          for (let r = 0; r < k; r++) Y[ya + r] += m * X[xb + r];
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
    }
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

/** z = B⁻¹ r blockwise for k interleaved vectors (k = 1 for a single vector). */
function applyBlockInverse(d: number, k: number, inv: Float64Array, R: Float64Array, Z: Float64Array): void {
  const dd = d * d;
  const dk = d * k;
  const n = inv.length / dd;
  for (let i = 0; i < n; i++) {
    const vo = i * dd;
    const o = i * dk;
    for (let a = 0; a < d; a++)
      for (let r = 0; r < k; r++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += inv[vo + a * d + b] * R[o + b * k + r];
        Z[o + a * k + r] = s;
      }
  }
}

/**
 * Preconditioned CG for M x = P b on the translation-free subspace; see the module comment.
 *
 * @example
 *   const { x, converged, iterations, residual } = solveCG(M, xi, { tol: 1e-10 });
 *   // x = M⁺ Ξ (translation-free); check `converged`, or use solveCGOrThrow
 */
export function solveCG(M: BlockMatrix, b: Float64Array, options: CGOptions = {}): CGResult {
  const { d, n } = M;
  const N = n * d;
  if (b.length !== N) throw new GlassmechError(`solveCG: right-hand side has length ${b.length}, expected n·d = ${N}`);
  const tol = options.tol ?? 1e-10;
  const maxIt = options.maxIterations ?? Math.max(1000, 4 * N);
  const inv = options.preconditioner === "none" ? null : blockJacobiInverse(M);

  const rhs = Float64Array.from(b);
  removeTranslations(d, rhs);
  const bnorm = Math.sqrt(dot(rhs, rhs));
  const x = new Float64Array(N);
  if (options.x0 !== undefined) {
    if (options.x0.length !== N) throw new GlassmechError(`solveCG: initial guess has length ${options.x0.length}, expected ${N}`);
    x.set(options.x0);
    removeTranslations(d, x);
  }
  if (bnorm === 0) return { x: new Float64Array(N), converged: true, iterations: 0, residual: 0, negativeCurvature: false, message: "" };
  if (!Number.isFinite(bnorm)) throw new GlassmechError("solveCG: right-hand side is not finite");

  const r = new Float64Array(N);
  const z = new Float64Array(N);
  const p = new Float64Array(N);
  const q = new Float64Array(N);
  const trueResidual = (): number => {
    blockMatVec(M, x, q);
    for (let s = 0; s < N; s++) r[s] = rhs[s] - q[s];
    removeTranslations(d, r);
    return Math.sqrt(dot(r, r)) / bnorm;
  };
  const precondition = (): void => {
    if (inv === null) z.set(r);
    else {
      applyBlockInverse(d, 1, inv, r, z);
      removeTranslations(d, z);
    }
  };

  let it = 0;
  let restarts = 0;
  let rel = trueResidual();
  let negativeCurvature = false;
  // Outer loop: restart from the true residual when the recursive one claims convergence but
  // the true one disagrees (rounding drift), a few times at most.
  while (rel > tol && it < maxIt && restarts < 5 && !negativeCurvature) {
    precondition();
    p.set(z);
    let rz = dot(r, z);
    while (it < maxIt) {
      blockMatVec(M, p, q);
      const pq = dot(p, q);
      it++;
      if (!(pq > 0)) {
        negativeCurvature = true;
        break;
      }
      const alpha = rz / pq;
      axpy(alpha, p, x);
      axpy(-alpha, q, r);
      if (Math.sqrt(dot(r, r)) / bnorm <= tol) break;
      precondition();
      const rzNew = dot(r, z);
      xpby(z, rzNew / rz, p);
      rz = rzNew;
    }
    removeTranslations(d, x);
    rel = trueResidual();
    restarts++;
  }
  const converged = rel <= tol && !negativeCurvature;
  const message = converged
    ? ""
    : negativeCurvature
      ? `${NOT_POSITIVE}: pᵀMp ≤ 0 at CG iteration ${it} (relative residual ${rel.toExponential(2)})`
      : `CG did not converge: relative residual ${rel.toExponential(2)} > ${tol} after ${it} iterations`;
  return { x, converged, iterations: it, residual: rel, negativeCurvature, message };
}

/** solveCG that throws a GlassmechError (with the solver's message) unless it converged. */
export function solveCGOrThrow(M: BlockMatrix, b: Float64Array, options: CGOptions = {}, what = "Hessian solve"): CGResult {
  const res = solveCG(M, b, options);
  if (!res.converged) throw new GlassmechError(`${what}: ${res.message}`);
  return res;
}

/**
 * Block PCG: k independent PCG recurrences sharing one pass over M per iteration
 * (blockMatMulVectors). B and the result are interleaved: B[(i*d + a)*k + r] is component a of
 * particle i of right-hand side r. Each column stops on its own criterion; results equal k calls
 * of solveCG up to rounding.
 */
export function solveCGMulti(M: BlockMatrix, k: number, B: Float64Array, options: Omit<CGOptions, "x0"> = {}): CGMultiResult {
  const { d, n } = M;
  const N = n * d;
  if (!Number.isInteger(k) || k < 1) throw new GlassmechError(`solveCGMulti: number of right-hand sides must be a positive integer, got ${k}`);
  if (B.length !== N * k) throw new GlassmechError(`solveCGMulti: right-hand sides have length ${B.length}, expected n·d·k = ${N * k}`);
  const tol = options.tol ?? 1e-10;
  const maxIt = options.maxIterations ?? Math.max(1000, 4 * N);
  const inv = options.preconditioner === "none" ? null : blockJacobiInverse(M);
  const L = N * k;

  const rhs = Float64Array.from(B);
  removeTranslationsMulti(d, k, rhs);
  const bnorm = new Float64Array(k);
  dotColumns(k, rhs, rhs, bnorm);
  for (let c = 0; c < k; c++) {
    if (!Number.isFinite(bnorm[c])) throw new GlassmechError(`solveCGMulti: right-hand side ${c} is not finite`);
    bnorm[c] = Math.sqrt(bnorm[c]);
  }
  const X = new Float64Array(L);
  const R = new Float64Array(L);
  const Z = new Float64Array(L);
  const P = new Float64Array(L);
  const Q = new Float64Array(L);
  const rz = new Float64Array(k);
  const tmp = new Float64Array(k);
  const tmp2 = new Float64Array(k);
  // Column state: 0 active, 1 converged (recursive), 2 negative curvature.
  const state = new Uint8Array(k);
  const its = new Int32Array(k);
  const rel = new Float64Array(k);

  const trueResiduals = (): void => {
    blockMatMulVectors(M, k, X, Q);
    for (let s = 0; s < L; s++) R[s] = rhs[s] - Q[s];
    removeTranslationsMulti(d, k, R);
    dotColumns(k, R, R, tmp);
    for (let c = 0; c < k; c++) rel[c] = bnorm[c] === 0 ? 0 : Math.sqrt(tmp[c]) / bnorm[c];
  };
  const precondition = (): void => {
    if (inv === null) Z.set(R);
    else {
      applyBlockInverse(d, k, inv, R, Z);
      removeTranslationsMulti(d, k, Z);
    }
  };

  let it = 0;
  trueResiduals();
  for (let restart = 0; restart < 5; restart++) {
    let active = 0;
    for (let c = 0; c < k; c++) {
      if (state[c] === 2) continue;
      state[c] = rel[c] > tol ? 0 : 1;
      if (state[c] === 0) active++;
    }
    if (active === 0 || it >= maxIt) break;
    precondition();
    // Inactive columns keep P = 0 so they do not move.
    for (let o = 0; o < L; o += k) for (let c = 0; c < k; c++) P[o + c] = state[c] === 0 ? Z[o + c] : 0;
    dotColumns(k, R, Z, rz);
    while (active > 0 && it < maxIt) {
      blockMatMulVectors(M, k, P, Q);
      it++;
      dotColumns(k, P, Q, tmp);
      for (let c = 0; c < k; c++) {
        if (state[c] !== 0) {
          tmp[c] = 0;
          continue;
        }
        its[c]++;
        if (!(tmp[c] > 0)) {
          state[c] = 2;
          active--;
          tmp[c] = 0;
        } else tmp[c] = rz[c] / tmp[c]; // α
      }
      for (let o = 0; o < L; o += k)
        for (let c = 0; c < k; c++) {
          const a = tmp[c];
          X[o + c] += a * P[o + c];
          R[o + c] -= a * Q[o + c];
        }
      dotColumns(k, R, R, tmp2);
      for (let c = 0; c < k; c++)
        if (state[c] === 0 && Math.sqrt(tmp2[c]) <= tol * bnorm[c]) {
          state[c] = 1;
          active--;
        }
      if (active === 0) break;
      precondition();
      dotColumns(k, R, Z, tmp2);
      for (let c = 0; c < k; c++) {
        if (state[c] !== 0) {
          tmp[c] = NaN; // marks "freeze P"
          continue;
        }
        tmp[c] = tmp2[c] / rz[c]; // β
        rz[c] = tmp2[c];
      }
      for (let o = 0; o < L; o += k)
        for (let c = 0; c < k; c++) {
          const beta = tmp[c];
          P[o + c] = beta === beta ? Z[o + c] + beta * P[o + c] : 0;
        }
    }
    removeTranslationsMulti(d, k, X);
    trueResiduals();
  }
  const columns: Omit<CGResult, "x">[] = [];
  let all = true;
  for (let c = 0; c < k; c++) {
    const neg = state[c] === 2;
    const conv = rel[c] <= tol && !neg;
    all &&= conv;
    columns.push({
      converged: conv,
      iterations: its[c],
      residual: rel[c],
      negativeCurvature: neg,
      message: conv
        ? ""
        : neg
          ? `${NOT_POSITIVE}: pᵀMp ≤ 0 at CG iteration ${its[c]} of right-hand side ${c} (relative residual ${rel[c].toExponential(2)})`
          : `CG did not converge for right-hand side ${c}: relative residual ${rel[c].toExponential(2)} > ${tol} after ${its[c]} iterations`,
    });
  }
  return { x: X, k, converged: all, iterations: it, columns };
}

/** solveCGMulti that throws a GlassmechError naming the first failed column unless all converged. */
export function solveCGMultiOrThrow(
  M: BlockMatrix,
  k: number,
  B: Float64Array,
  options: Omit<CGOptions, "x0"> = {},
  what = "Hessian solve",
): CGMultiResult {
  const res = solveCGMulti(M, k, B, options);
  if (!res.converged) throw new GlassmechError(`${what}: ${res.columns.find((c) => !c.converged)!.message}`);
  return res;
}

