/**
 * The k lowest eigenpairs of the Hessian on the translation-free subspace by LOBPCG (Knyazev,
 * "Toward the optimal preconditioned eigensolver: LOBPCG", SIAM J. Sci. Comput. 23 (2001)),
 * preconditioned by a smoothed-aggregation V-cycle (amg.ts): no factorization, memory O(N·m).
 *
 * Basis selection follows Hetmaniuk & Lehoucq, "Basis selection in LOBPCG", J. Comput. Phys.
 * 218 (2006), and Duersch, Shao, Yang & Gu, "A robust and efficient implementation of LOBPCG",
 * SIAM J. Sci. Comput. 40 (2018): every iteration the trial space [X, W, P] is made orthonormal
 * (W = C·R against X, then P against X and W; each by two projection passes and SVQB,
 * Stathopoulos & Wu 2002, dropping directions that are numerically dependent), so the
 * Rayleigh–Ritz step is a standard symmetric eigenproblem of order ≤ 3m and never needs the
 * ill-conditioned Gram matrix of SciPy's generalized form. Soft locking (SciPy's activeMask):
 * columns whose residual is below the tolerance contribute no W and P directions but stay in
 * X, so they keep improving through the other columns' directions and stay orthogonal to them.
 *
 * Translations: every vector is projected (removeTranslationsMulti) after the preconditioner;
 * M maps the complement into itself, so X, W, P and the Ritz vectors stay translation-free.
 * Block size m > k (default k + max(4, ⌈k/2⌉)): the convergence rate of pair j is governed by
 * λ_j/λ_{m+1}, so extra columns speed up the wanted ones, and clusters at the k-th mode
 * (near-degenerate plane waves) are resolved whole.
 *
 * Multi-vectors are interleaved (X[s·m + j] is entry s of column j), the layout the block
 * mat-vec and the V-cycle read in one pass.
 */
import { GlassmechError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import type { AmgHierarchy } from "./amg.js";
import type { BlockMatrix } from "./blockMatrix.js";
import { matMulVectorsJs } from "./blockMatVecJs.js";
import { symmetricEigen } from "./dense.js";
import { removeTranslationsMulti } from "./projection.js";

export interface LobpcgOptions {
  /** Converged when ‖Mv − λv‖ ≤ tol·normM for each of the k wanted pairs (default 1e-10). */
  readonly tol?: number;
  /** Columns of the iterate (default k + max(4, ⌈k/2⌉), at most the subspace dimension / 3). */
  readonly blockSize?: number;
  /** Iteration limit (default 500). */
  readonly maxIterations?: number;
  /** Seed of the random start block (default 1). */
  readonly seed?: number;
}

export interface LobpcgResult {
  /** λ ascending (k). */
  readonly values: Float64Array;
  /** Mode l at vectors[l·n·d ..), unit, translation-free. */
  readonly vectors: Float64Array;
  /** ‖Mv − λv‖/normM per wanted pair, from the final iterate. */
  readonly residuals: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** Block size m used. */
  readonly blockSize: number;
}

/** The k lowest eigenpairs of M on the complement of the translations; see the module comment. */
export function lobpcgLowest(M: BlockMatrix, k: number, amg: AmgHierarchy, normM: number, opts: LobpcgOptions = {}): LobpcgResult {
  const { d, n } = M;
  const N = n * d;
  const dim = N - d;
  const tol = opts.tol ?? 1e-10;
  const maxIt = opts.maxIterations ?? 500;
  let m = opts.blockSize ?? k + Math.max(4, Math.ceil(k / 2));
  m = Math.max(k, Math.min(m, Math.floor(dim / 3)));
  if (m < k || 3 * m > dim) throw new GlassmechError(`LOBPCG: ${k} modes need a subspace larger than ${dim}; use the dense or Lanczos solver`);
  if (amg.n !== n || amg.d !== d) throw new GlassmechError(`LOBPCG: the AMG hierarchy is for ${amg.n} particles in ${amg.d}D, M has ${n} in ${d}D`);

  const X = new Float64Array(N * m);
  const AX = new Float64Array(N * m);
  const R = new Float64Array(N * m);
  const W = new Float64Array(N * m);
  const AW = new Float64Array(N * m);
  const P = new Float64Array(N * m);
  const AP = new Float64Array(N * m);
  const tmp = new Float64Array(N * m);
  const tmp2 = new Float64Array(N * m);
  const lambda = new Float64Array(m);
  const res = new Float64Array(m);
  const active = new Int32Array(m);
  const cmax = 3 * m;
  const coef = new Float64Array(cmax * cmax);

  // Start: random block, smoothed by one V-cycle (which damps the stiff components), projected.
  const rng = Rng.fromSeed(opts.seed ?? 1);
  for (let s = 0; s < N * m; s++) tmp[s] = rng.uniform() - 0.5;
  removeTranslationsMulti(d, m, tmp);
  amg.apply(m, tmp, X);
  removeTranslationsMulti(d, m, X);
  let nx = orthonormalize(N, m, X, null, null, 0, null, null, tmp, coef);
  if (nx < m) throw new GlassmechError("LOBPCG: the start block is rank-deficient");
  matMulVectorsJs(M, m, X, AX);
  rayleighRitzX(N, m, X, AX, lambda, tmp, coef);

  let np = 0;
  let it = 0;
  let converged = false;
  for (; it < maxIt; it++) {
    // Residuals R = AX − XΛ and their norms.
    for (let s = 0; s < N; s++) {
      const o = s * m;
      for (let j = 0; j < m; j++) R[o + j] = AX[o + j] - lambda[j] * X[o + j];
    }
    columnNorms(N, m, R, res);
    let wantedDone = true;
    let ma = 0;
    for (let j = 0; j < m; j++) {
      res[j] /= normM;
      if (res[j] > tol) {
        active[ma++] = j;
        if (j < k) wantedDone = false;
      }
    }
    if (wantedDone) {
      converged = true;
      break;
    }
    // W = C·R_active, projected, orthonormalized against X.
    gatherColumns(N, m, R, active, ma, tmp);
    amg.apply(ma, tmp, W);
    removeTranslationsMulti(d, ma, W.subarray(0, N * ma));
    const nw = orthonormalize(N, ma, W, null, X, m, null, null, tmp, coef);
    if (nw === 0) throw new GlassmechError(`LOBPCG: no new search directions at iteration ${it} (preconditioned residuals lie in the iterate)`);
    matMulVectorsJs(M, nw, W.subarray(0, N * nw), AW.subarray(0, N * nw));
    // P: its active columns, orthonormalized against X and W (with AP transformed alike).
    let npa = 0;
    if (np > 0) {
      gatherColumns(N, np, P, active, ma, tmp);
      gatherColumns(N, np, AP, active, ma, tmp2);
      P.set(tmp.subarray(0, N * ma));
      AP.set(tmp2.subarray(0, N * ma));
      npa = orthonormalize(N, ma, P, AP, X, m, AX, { B: W, AB: AW, nb: nw }, tmp, coef);
    }
    // Rayleigh–Ritz on S = [X W P] (orthonormal): H = Sᵀ A S.
    const ns = m + nw + npa;
    const H = new Float64Array(ns * ns);
    const blocks: [Float64Array, Float64Array, number, number][] = [
      [X, AX, m, 0],
      [W, AW, nw, m],
      [P, AP, npa, m + nw],
    ];
    for (const [U, , nu, ou] of blocks) {
      if (nu === 0) continue;
      for (const [, AV, nv, ov] of blocks) {
        if (nv === 0 || ov < ou) continue;
        gram(N, nu, U, nv, AV, coef);
        for (let i = 0; i < nu; i++)
          for (let j = 0; j < nv; j++) {
            H[(ou + i) * ns + ov + j] = coef[i * nv + j];
            H[(ov + j) * ns + ou + i] = coef[i * nv + j];
          }
      }
    }
    for (let i = 0; i < ns; i++) for (let j = i + 1; j < ns; j++) H[i * ns + j] = H[j * ns + i] = 0.5 * (H[i * ns + j] + H[j * ns + i]);
    const eig = symmetricEigen(ns, H);
    for (let j = 0; j < m; j++) lambda[j] = eig.values[j];
    // New P = [W P]·C_{WP}, new X = X·C_X + P_new (and the A-images alike).
    const cWP = new Float64Array((nw + npa) * m);
    const cX = new Float64Array(m * m);
    for (let i = 0; i < ns; i++)
      for (let j = 0; j < m; j++) {
        const c = eig.vectors[i * ns + j];
        if (i < m) cX[i * m + j] = c;
        else cWP[(i - m) * m + j] = c;
      }
    combine2(N, W, nw, P, npa, cWP, m, tmp);
    combine2(N, AW, nw, AP, npa, cWP, m, tmp2);
    P.set(tmp.subarray(0, N * m));
    AP.set(tmp2.subarray(0, N * m));
    np = m;
    combine2(N, X, m, X, 0, cX, m, tmp);
    for (let s = 0; s < N * m; s++) X[s] = tmp[s] + P[s];
    combine2(N, AX, m, AX, 0, cX, m, tmp);
    for (let s = 0; s < N * m; s++) AX[s] = tmp[s] + AP[s];
    // Every 10 iterations: re-orthonormalize X and recompute AX (rounding drift of the updates).
    if ((it + 1) % 10 === 0) {
      nx = orthonormalize(N, m, X, null, null, 0, null, null, tmp, coef);
      if (nx < m) throw new GlassmechError("LOBPCG: the iterate lost rank");
      matMulVectorsJs(M, m, X, AX);
      rayleighRitzX(N, m, X, AX, lambda, tmp, coef);
    }
  }
  // Final: explicit AX for the residuals reported.
  matMulVectorsJs(M, m, X, AX);
  rayleighRitzX(N, m, X, AX, lambda, tmp, coef);
  const values = lambda.slice(0, k);
  const vectors = new Float64Array(k * N);
  const residuals = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s2 = 0;
    for (let s = 0; s < N; s++) {
      const v = X[s * m + j];
      vectors[j * N + s] = v;
      const r = AX[s * m + j] - lambda[j] * v;
      s2 += r * r;
    }
    residuals[j] = Math.sqrt(s2) / normM;
  }
  return { values, vectors, residuals, iterations: it, converged, blockSize: m };
}

/** out[i·nb + j] = Σ_s A[s·na + i] B[s·nb + j] (Aᵀ B of two interleaved blocks). */
function gram(N: number, na: number, A: Float64Array, nb: number, B: Float64Array, out: Float64Array): void {
  out.fill(0, 0, na * nb);
  for (let s = 0; s < N; s++) {
    const ao = s * na;
    const bo = s * nb;
    for (let i = 0; i < na; i++) {
      const a = A[ao + i];
      if (a === 0) continue;
      const oo = i * nb;
      for (let j = 0; j < nb; j++) out[oo + j] += a * B[bo + j];
    }
  }
}

/** Y (N × my) = A (N × na)·C[0:na] + B (N × nb)·C[na:na+nb], C row-major (na+nb) × my. */
function combine2(N: number, A: Float64Array, na: number, B: Float64Array, nb: number, C: Float64Array, my: number, Y: Float64Array): void {
  Y.fill(0, 0, N * my);
  for (let s = 0; s < N; s++) {
    const yo = s * my;
    for (let i = 0; i < na; i++) {
      const a = A[s * na + i];
      if (a === 0) continue;
      const co = i * my;
      for (let j = 0; j < my; j++) Y[yo + j] += a * C[co + j];
    }
    for (let i = 0; i < nb; i++) {
      const a = B[s * nb + i];
      if (a === 0) continue;
      const co = (na + i) * my;
      for (let j = 0; j < my; j++) Y[yo + j] += a * C[co + j];
    }
  }
}

function columnNorms(N: number, m: number, V: Float64Array, out: Float64Array): void {
  out.fill(0, 0, m);
  for (let s = 0; s < N; s++) for (let j = 0; j < m; j++) out[j] += V[s * m + j] * V[s * m + j];
  for (let j = 0; j < m; j++) out[j] = Math.sqrt(out[j]);
}

/** dst (N × cnt) = columns idx[0..cnt) of src (N × m). */
function gatherColumns(N: number, m: number, src: Float64Array, idx: Int32Array, cnt: number, dst: Float64Array): void {
  for (let s = 0; s < N; s++) for (let j = 0; j < cnt; j++) dst[s * cnt + j] = src[s * m + idx[j]];
}

/**
 * V := V − B (Bᵀ V) against X (nxb columns) and optionally a second basis, twice; then SVQB
 * (Stathopoulos & Wu 2002): V := V D U Θ^{-1/2} from the eigen-decomposition of D VᵀV D,
 * D = diag(VᵀV)^{-1/2}, dropping eigen-directions below 1e-12 of the largest and columns that
 * lost all but 1e-10 of their norm to the projection. AV (when given) gets the same linear
 * transformations (with AX, AB), so it stays A·V without another product. V is compacted in
 * place to the returned number of columns (interleaved with that count).
 */
function orthonormalize(
  N: number,
  nv: number,
  V: Float64Array,
  AV: Float64Array | null,
  Xb: Float64Array | null,
  nxb: number,
  AXb: Float64Array | null,
  second: { B: Float64Array; AB: Float64Array; nb: number } | null,
  tmp: Float64Array,
  coef: Float64Array,
): number {
  const before = new Float64Array(nv);
  columnNorms(N, nv, V, before);
  for (let pass = 0; pass < 2; pass++) {
    if (Xb !== null && nxb > 0) projectOut(N, nv, V, AV, Xb, AXb, nxb, coef);
    if (second !== null && second.nb > 0) projectOut(N, nv, V, AV, second.B, second.AB, second.nb, coef);
  }
  // Drop columns that were (numerically) inside the bases.
  const after = new Float64Array(nv);
  columnNorms(N, nv, V, after);
  const keepIdx = new Int32Array(nv);
  let nk = 0;
  for (let j = 0; j < nv; j++) if (after[j] > 1e-10 * before[j] && after[j] > 0) keepIdx[nk++] = j;
  if (nk < nv) {
    gatherColumns(N, nv, V, keepIdx, nk, tmp);
    V.set(tmp.subarray(0, N * nk));
    if (AV !== null) {
      gatherColumns(N, nv, AV, keepIdx, nk, tmp);
      AV.set(tmp.subarray(0, N * nk));
    }
  }
  if (nk === 0) return 0;
  for (let round = 0; round < 2; round++) {
    gram(N, nk, V, nk, V, coef);
    const dsc = new Float64Array(nk);
    for (let j = 0; j < nk; j++) dsc[j] = 1 / Math.sqrt(coef[j * nk + j]);
    const G = new Float64Array(nk * nk);
    for (let i = 0; i < nk; i++) for (let j = 0; j < nk; j++) G[i * nk + j] = dsc[i] * 0.5 * (coef[i * nk + j] + coef[j * nk + i]) * dsc[j];
    const e = symmetricEigen(nk, G);
    const top = e.values[nk - 1];
    // Keep the eigen-directions above the threshold, largest first.
    const keep: number[] = [];
    for (let q = nk - 1; q >= 0; q--) if (e.values[q] > 1e-12 * top) keep.push(q);
    const nn = keep.length;
    const C = new Float64Array(nk * nn);
    for (let i = 0; i < nk; i++)
      for (let c = 0; c < nn; c++) {
        const q = keep[c];
        C[i * nn + c] = (dsc[i] * e.vectors[i * nk + q]) / Math.sqrt(e.values[q]);
      }
    combine2(N, V, nk, V, 0, C, nn, tmp);
    V.set(tmp.subarray(0, N * nn));
    if (AV !== null) {
      combine2(N, AV, nk, AV, 0, C, nn, tmp);
      AV.set(tmp.subarray(0, N * nn));
    }
    nk = nn;
  }
  return nk;
}

/** V −= B (Bᵀ V), AV −= AB (Bᵀ V) when AV is given. */
function projectOut(N: number, nv: number, V: Float64Array, AV: Float64Array | null, B: Float64Array, AB: Float64Array | null, nb: number, coef: Float64Array): void {
  gram(N, nb, B, nv, V, coef);
  for (let s = 0; s < N; s++) {
    const vo = s * nv;
    const bo = s * nb;
    for (let i = 0; i < nb; i++) {
      const b = B[bo + i];
      const ab = AV !== null ? AB![bo + i] : 0;
      const co = i * nv;
      for (let j = 0; j < nv; j++) {
        V[vo + j] -= b * coef[co + j];
        if (AV !== null) AV[vo + j] -= ab * coef[co + j];
      }
    }
  }
}

/** Rayleigh–Ritz within X (orthonormal): X := X U, AX := AX U, λ the eigenvalues of XᵀAX. */
function rayleighRitzX(N: number, m: number, X: Float64Array, AX: Float64Array, lambda: Float64Array, tmp: Float64Array, coef: Float64Array): void {
  gram(N, m, X, m, AX, coef);
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) H[i * m + j] = 0.5 * (coef[i * m + j] + coef[j * m + i]);
  const e = symmetricEigen(m, H);
  combine2(N, X, m, X, 0, e.vectors, m, tmp);
  X.set(tmp.subarray(0, N * m));
  combine2(N, AX, m, AX, 0, e.vectors, m, tmp);
  AX.set(tmp.subarray(0, N * m));
  for (let j = 0; j < m; j++) lambda[j] = e.values[j];
}
