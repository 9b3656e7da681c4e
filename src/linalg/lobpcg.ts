/**
 * The k lowest eigenpairs of the Hessian on the translation-free subspace by LOBPCG (Knyazev,
 * "Toward the optimal preconditioned eigensolver: LOBPCG", SIAM J. Sci. Comput. 23 (2001)),
 * preconditioned by a smoothed-aggregation V-cycle (amg.ts): no factorization, memory O(N·m).
 *
 * Basis selection follows Hetmaniuk & Lehoucq, "Basis selection in LOBPCG", J. Comput. Phys.
 * 218 (2006), and Duersch, Shao, Yang & Gu, "A robust and efficient implementation of LOBPCG",
 * SIAM J. Sci. Comput. 40 (2018): every iteration the trial space [X, W, P] is made orthonormal
 * (W = C·R against X, then P against X and W; each by one projection pass, a second only when
 * a column lost more than half its norm, and SVQB, Stathopoulos & Wu 2002, twice only when the
 * first Gram matrix is ill-conditioned, dropping directions that are numerically dependent), so the
 * Rayleigh–Ritz step is a standard symmetric eigenproblem of order ≤ 3m and never needs the
 * ill-conditioned Gram matrix of SciPy's generalized form. Soft locking (SciPy's activeMask):
 * columns whose residual is below the tolerance (the looser guardTol for the guard columns)
 * contribute no W and P directions but stay in X, so they keep improving through the other
 * columns' directions and stay orthogonal to them.
 *
 * Translations: every vector is projected (removeTranslationsMulti) after the preconditioner;
 * M maps the complement into itself, so X, W, P and the Ritz vectors stay translation-free.
 * Block size m > k (lobpcgBlockSize): the convergence rate of pair j is governed by
 * λ_j/λ_{m+1}, so extra columns speed up the wanted ones, and clusters at the k-th mode
 * (near-degenerate plane waves) are resolved whole.
 *
 * Multi-vectors are interleaved (X[s·m + j] is entry s of column j), the layout the block
 * mat-vec and the V-cycle read in one pass. The nine tall blocks live in ordinary (shared)
 * memory and their Gram and combination products run by row chunks on the wasm SIMD kernels
 * (tallProducts.ts), threaded with the V-cycles (columnThreads.ts): no 4 GiB wasm limit on N·m.
 */
import { GlassmechError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import type { Box } from "../core/box.js";
import type { AmgHierarchy } from "./amg.js";
import type { BlockMatrix } from "./blockMatrix.js";
import { ColumnThreads } from "./columnThreads.js";
import { symmetricEigen } from "./dense.js";
import { planeWaveBlock, planeWaveShellEnd } from "./planeWaves.js";
import { removeTranslationsMulti } from "./projection.js";

export interface LobpcgOptions {
  /** Converged when ‖Mv − λv‖ ≤ tol·normM for each of the k wanted pairs (default 1e-10). */
  readonly tol?: number;
  /**
   * Tolerance of the guard columns k … m−1 (default 10⁴·tol): below it they get no new search
   * directions of their own (soft locking) but still improve through the wanted columns'. They
   * only have to span the modes above the wanted ones well enough; at N = 3·10⁴ (20 modes, block
   * 30) 10⁴·tol took 61 iterations and 20 % less time than converging them to tol (56).
   */
  readonly guardTol?: number;
  /** Columns of the iterate (default lobpcgBlockSize; at most the subspace dimension / 3). */
  readonly blockSize?: number;
  /** Iteration limit (default 500). */
  readonly maxIterations?: number;
  /** Seed of the random start block (default 1). */
  readonly seed?: number;
  /**
   * Start from the lowest plane waves of this cell (planeWaves.ts) instead of a random block:
   * fewer iterations, more so the larger the glass. Needs the positions M was built at.
   */
  readonly planeWaves?: { readonly positions: Float64Array; readonly box: Box };
  /**
   * Threads of the V-cycles and the products with M (default 1; columnThreads.ts): the columns
   * are split between threads, so the results are bit-identical for every thread count.
   */
  readonly threads?: number;
  /**
   * Called after every iteration's residuals: the iteration, how many of the k wanted pairs
   * have converged, and the largest wanted relative residual (for progress and ETA).
   */
  readonly onIteration?: (iteration: number, converged: number, worst: number) => void;
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

/**
 * The default block size for k modes in a subspace of dimension dim: k + max(4, ⌈k/2⌉), and
 * with the plane-wave start (its cell given) at least to the end of the phonon shell that holds
 * mode k plus 4 (planeWaveShellEnd: 40 for k = 20 in a cubic 3D box, where the second shell is
 * modes 13–36), so the block never ends inside a near-degenerate cluster; at most dim/3.
 */
export function lobpcgBlockSize(k: number, dim: number, box?: Box): number {
  let m = k + Math.max(4, Math.ceil(k / 2));
  if (box !== undefined) m = Math.max(m, planeWaveShellEnd(box, k) + 4);
  return Math.max(k, Math.min(m, Math.floor(dim / 3)));
}

/** The k lowest eigenpairs of M on the complement of the translations; see the module comment. */
export function lobpcgLowest(M: BlockMatrix, k: number, amg: AmgHierarchy, normM: number, opts: LobpcgOptions = {}): LobpcgResult {
  const { d, n } = M;
  const N = n * d;
  const dim = N - d;
  const tol = opts.tol ?? 1e-10;
  const guardTol = Math.max(tol, opts.guardTol ?? 1e4 * tol);
  const maxIt = opts.maxIterations ?? 500;
  const m = opts.blockSize === undefined ? lobpcgBlockSize(k, dim, opts.planeWaves?.box) : Math.max(k, Math.min(opts.blockSize, Math.floor(dim / 3)));
  if (m < k || 3 * m > dim) throw new GlassmechError(`LOBPCG: ${k} modes need a subspace larger than ${dim}; use the dense or Lanczos solver`);
  if (amg.n !== n || amg.d !== d) throw new GlassmechError(`LOBPCG: the AMG hierarchy is for ${amg.n} particles in ${amg.d}D, M has ${n} in ${d}D`);

  // X, AX, R, W, AW, P, AP and two scratch blocks, in that order (a block's index is how the
  // threads' dense products address it), shared with the threads.
  const threads = opts.threads ?? 1;
  const blocks = Array.from({ length: 9 }, () => new Float64Array(threads > 1 ? new SharedArrayBuffer(8 * N * m) : new ArrayBuffer(8 * N * m)));
  const ops = new ColumnThreads(M, amg, threads, m, blocks);
  try {
    return lobpcgIterate(M, k, m, ops, blocks, normM, tol, guardTol, maxIt, opts, opts.onIteration);
  } finally {
    ops.close();
  }
}

function lobpcgIterate(
  M: BlockMatrix,
  k: number,
  m: number,
  ops: ColumnThreads,
  blocks: readonly Float64Array[],
  normM: number,
  tol: number,
  guardTol: number,
  maxIt: number,
  start: Pick<LobpcgOptions, "seed" | "planeWaves">,
  onIteration: LobpcgOptions["onIteration"],
): LobpcgResult {
  const { d, n } = M;
  const N = n * d;
  const [X, AX, R, W, AW, P, AP, tmp, tmp2] = blocks.map((v, id): Buf => ({ id, v }));
  const lambda = new Float64Array(m);
  const res = new Float64Array(m);
  const active = new Int32Array(m);
  const coef = new Float64Array(m * m);
  const K: Dense = { ops, N, coef };

  // Start: plane waves or a random block, smoothed by one V-cycle (which damps the stiff
  // components), projected.
  const T = tmp.v;
  const startFrom = (waves: LobpcgOptions["planeWaves"]): number => {
    if (waves !== undefined) planeWaveBlock(d, n, waves.positions, waves.box, m, T);
    else {
      const rng = Rng.fromSeed(start.seed ?? 1);
      for (let s = 0; s < N * m; s++) T[s] = rng.uniform() - 0.5;
    }
    removeTranslationsMulti(d, m, T);
    ops.precondition(m, T, X.v);
    removeTranslationsMulti(d, m, X.v);
    return orthonormalize(K, N, m, X, null, null, 0, null, null, tmp);
  };
  let nx = startFrom(start.planeWaves);
  // A tiny cell can alias its plane waves into a rank-deficient block: then a random one.
  if (nx < m && start.planeWaves !== undefined) nx = startFrom(undefined);
  if (nx < m) throw new GlassmechError("LOBPCG: the start block is rank-deficient");
  ops.multiply(m, X.v, AX.v);
  rayleighRitzX(K, N, m, X, AX, lambda, tmp);

  let np = 0;
  let it = 0;
  let converged = false;
  for (; it < maxIt; it++) {
    // Residuals R = AX − XΛ and their norms.
    const xv = X.v;
    const axv = AX.v;
    const rv = R.v;
    for (let s = 0; s < N; s++) {
      const o = s * m;
      for (let j = 0; j < m; j++) rv[o + j] = axv[o + j] - lambda[j] * xv[o + j];
    }
    columnNorms(N, m, rv, res);
    let wantedConverged = 0;
    let worst = 0;
    let ma = 0;
    for (let j = 0; j < m; j++) {
      res[j] /= normM;
      if (res[j] > (j < k ? tol : guardTol)) active[ma++] = j;
      else if (j < k) wantedConverged++;
      if (j < k) worst = Math.max(worst, res[j]);
    }
    onIteration?.(it, wantedConverged, worst);
    if (wantedConverged === k) {
      converged = true;
      break;
    }
    // W = C·R_active, projected, orthonormalized against X.
    gatherColumns(N, m, rv, active, ma, T);
    ops.precondition(ma, T, W.v);
    removeTranslationsMulti(d, ma, W.v.subarray(0, N * ma));
    const nw = orthonormalize(K, N, ma, W, null, X, m, null, null, tmp);
    if (nw === 0) throw new GlassmechError(`LOBPCG: no new search directions at iteration ${it} (preconditioned residuals lie in the iterate)`);
    ops.multiply(nw, W.v.subarray(0, N * nw), AW.v.subarray(0, N * nw));
    // P: its active columns, orthonormalized against X and W (with AP transformed alike).
    let npa = 0;
    if (np > 0) {
      gatherColumns(N, np, P.v, active, ma, T);
      gatherColumns(N, np, AP.v, active, ma, tmp2.v);
      P.v.set(T.subarray(0, N * ma));
      AP.v.set(tmp2.v.subarray(0, N * ma));
      npa = orthonormalize(K, N, ma, P, AP, X, m, AX, { B: W, AB: AW, nb: nw }, tmp);
    }
    // Rayleigh–Ritz on S = [X W P] (orthonormal): H = Sᵀ A S, block by block.
    const ns = m + nw + npa;
    const H = new Float64Array(ns * ns);
    const blocks: [Buf, Buf, number, number][] = [
      [X, AX, m, 0],
      [W, AW, nw, m],
      [P, AP, npa, m + nw],
    ];
    for (const [U, , nu, ou] of blocks) {
      if (nu === 0) continue;
      for (const [, AV, nv, ov] of blocks) {
        if (nv === 0 || ov < ou) continue;
        gram(K, N, nu, U, nv, AV, coef);
        const cv = coef;
        for (let i = 0; i < nu; i++)
          for (let j = 0; j < nv; j++) {
            const h = ov === ou ? 0.5 * (cv[i * nv + j] + cv[j * nv + i]) : cv[i * nv + j];
            H[(ou + i) * ns + ov + j] = h;
            H[(ov + j) * ns + ou + i] = h;
          }
      }
    }
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
    combine2(K, N, W, nw, P, npa, cWP, m, tmp);
    combine2(K, N, AW, nw, AP, npa, cWP, m, tmp2);
    P.v.set(T.subarray(0, N * m));
    AP.v.set(tmp2.v.subarray(0, N * m));
    np = m;
    combine2(K, N, X, m, X, 0, cX, m, tmp);
    const pv = P.v;
    for (let s = 0; s < N * m; s++) xv[s] = T[s] + pv[s];
    combine2(K, N, AX, m, AX, 0, cX, m, tmp);
    const apv = AP.v;
    for (let s = 0; s < N * m; s++) axv[s] = T[s] + apv[s];
    // Every 10 iterations: re-orthonormalize X and recompute AX (rounding drift of the updates).
    if ((it + 1) % 10 === 0) {
      nx = orthonormalize(K, N, m, X, null, null, 0, null, null, tmp);
      if (nx < m) throw new GlassmechError("LOBPCG: the iterate lost rank");
      ops.multiply(m, X.v, AX.v);
      rayleighRitzX(K, N, m, X, AX, lambda, tmp);
    }
  }
  // Final: explicit AX for the residuals reported.
  ops.multiply(m, X.v, AX.v);
  rayleighRitzX(K, N, m, X, AX, lambda, tmp);
  const values = lambda.slice(0, k);
  const vectors = new Float64Array(k * N);
  const residuals = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s2 = 0;
    for (let s = 0; s < N; s++) {
      const v = X.v[s * m + j];
      vectors[j * N + s] = v;
      const r = AX.v[s * m + j] - lambda[j] * v;
      s2 += r * r;
    }
    residuals[j] = Math.sqrt(s2) / normM;
  }
  return { values, vectors, residuals, iterations: it, converged, blockSize: m };
}

/**
 * Iterations still needed, extrapolated from the largest wanted residual of the last iterations
 * (`history`, one per iteration): LOBPCG converges about linearly, so with the mean reduction
 * factor q per iteration over the last ≤ 10, log(tol/worst)/log q more. NaN while it cannot tell
 * (fewer than 3 iterations, or no decrease).
 */
export function iterationsLeft(history: readonly number[], tol: number): number {
  const t = history.length - 1;
  const w = Math.min(10, t);
  if (w < 2) return NaN;
  const now = history[t];
  if (now <= tol) return 0;
  const q = Math.pow(now / history[t - w], 1 / w);
  return q < 1 ? Math.ceil(Math.log(tol / now) / Math.log(q) - 1e-9) : NaN;
}

/** A tall block: its index among the column threads' blocks and its array. */
interface Buf {
  readonly id: number;
  readonly v: Float64Array;
}

/** The products' threads, the blocks' height and a coefficient scratch matrix (≥ m² entries). */
interface Dense {
  readonly ops: ColumnThreads;
  readonly N: number;
  readonly coef: Float64Array;
}

/** out (na × nb) = Aᵀ B of two interleaved blocks. */
function gram(D: Dense, N: number, na: number, A: Buf, nb: number, B: Buf, out: Float64Array): void {
  D.ops.gram(A.id, na, B.id, nb, out);
}

/** Y (N × my) = A (N × na)·C[0:na] + B (N × nb)·C[na:na+nb], C row-major (na+nb) × my. */
function combine2(D: Dense, N: number, A: Buf, na: number, B: Buf, nb: number, C: Float64Array, my: number, Y: Buf): void {
  D.ops.combine(A.id, na, B.id, nb, C, my, Y.id, false);
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
 * V := V − B (Bᵀ V) against X (nxb columns) and optionally a second basis, once or twice (see
 * the loop); then SVQB (Stathopoulos & Wu 2002): V := V D U Θ^{-1/2} from the eigen-decomposition of D VᵀV D,
 * D = diag(VᵀV)^{-1/2}, dropping eigen-directions below 1e-12 of the largest and columns that
 * lost all but 1e-10 of their norm to the projection. AV (when given) gets the same linear
 * transformations (with AX, AB), so it stays A·V without another product. V is compacted in
 * place to the returned number of columns (interleaved with that count).
 */
function orthonormalize(
  D: Dense,
  N: number,
  nv: number,
  V: Buf,
  AV: Buf | null,
  Xb: Buf | null,
  nxb: number,
  AXb: Buf | null,
  second: { B: Buf; AB: Buf; nb: number } | null,
  tmp: Buf,
): number {
  const before = new Float64Array(nv);
  columnNorms(N, nv, V.v, before);
  const after = new Float64Array(nv);
  const bases = (Xb !== null && nxb > 0) || (second !== null && second.nb > 0);
  for (let pass = 0; pass < 2 && bases; pass++) {
    if (Xb !== null && nxb > 0) projectOut(D, N, nv, V, AV, Xb, AXb, nxb);
    if (second !== null && second.nb > 0) projectOut(D, N, nv, V, AV, second.B, second.AB, second.nb);
    // "Twice is enough" (Giraud, Langou & Rozložník 2005): a second pass only when some column
    // lost more than half its norm, i.e. when rounding may have left a component in the bases.
    columnNorms(N, nv, V.v, after);
    let kept = true;
    for (let j = 0; j < nv; j++) if (!(after[j] >= 0.5 * before[j])) kept = false;
    if (kept) break;
  }
  // Drop columns that were (numerically) inside the bases.
  if (!bases) after.set(before);
  const keepIdx = new Int32Array(nv);
  let nk = 0;
  for (let j = 0; j < nv; j++) if (after[j] > 1e-10 * before[j] && after[j] > 0) keepIdx[nk++] = j;
  if (nk < nv) {
    gatherColumns(N, nv, V.v, keepIdx, nk, tmp.v);
    V.v.set(tmp.v.subarray(0, N * nk));
    if (AV !== null) {
      gatherColumns(N, nv, AV.v, keepIdx, nk, tmp.v);
      AV.v.set(tmp.v.subarray(0, N * nk));
    }
  }
  if (nk === 0) return 0;
  for (let round = 0, again = true; round < 2 && again; round++) {
    gram(D, N, nk, V, nk, V, D.coef);
    const cv = D.coef;
    const dsc = new Float64Array(nk);
    for (let j = 0; j < nk; j++) dsc[j] = 1 / Math.sqrt(cv[j * nk + j]);
    const G = new Float64Array(nk * nk);
    for (let i = 0; i < nk; i++) for (let j = 0; j < nk; j++) G[i * nk + j] = dsc[i] * 0.5 * (cv[i * nk + j] + cv[j * nk + i]) * dsc[j];
    const e = symmetricEigen(nk, G);
    const top = e.values[nk - 1];
    // Keep the eigen-directions above the threshold, largest first.
    const keep: number[] = [];
    for (let q = nk - 1; q >= 0; q--) if (e.values[q] > 1e-12 * top) keep.push(q);
    const nn = keep.length;
    // SVQB leaves an orthogonality error of ~ε·cond(D VᵀV D): a second round only when that
    // condition number exceeds 10² (or directions were dropped).
    again = nn < nk || e.values[0] < 1e-2 * top;
    const C = new Float64Array(nk * nn);
    for (let i = 0; i < nk; i++)
      for (let c = 0; c < nn; c++) {
        const q = keep[c];
        C[i * nn + c] = (dsc[i] * e.vectors[i * nk + q]) / Math.sqrt(e.values[q]);
      }
    combine2(D, N, V, nk, V, 0, C, nn, tmp);
    V.v.set(tmp.v.subarray(0, N * nn));
    if (AV !== null) {
      combine2(D, N, AV, nk, AV, 0, C, nn, tmp);
      AV.v.set(tmp.v.subarray(0, N * nn));
    }
    nk = nn;
  }
  return nk;
}

/** V −= B (Bᵀ V), AV −= AB (Bᵀ V) when AV is given. */
function projectOut(D: Dense, N: number, nv: number, V: Buf, AV: Buf | null, B: Buf, AB: Buf | null, nb: number): void {
  gram(D, N, nb, B, nv, V, D.coef);
  D.ops.combine(B.id, nb, B.id, 0, D.coef, nv, V.id, true);
  if (AV !== null) D.ops.combine(AB!.id, nb, AB!.id, 0, D.coef, nv, AV.id, true);
}

/** Rayleigh–Ritz within X (orthonormal): X := X U, AX := AX U, λ the eigenvalues of XᵀAX. */
function rayleighRitzX(D: Dense, N: number, m: number, X: Buf, AX: Buf, lambda: Float64Array, tmp: Buf): void {
  gram(D, N, m, X, m, AX, D.coef);
  const cv = D.coef;
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) H[i * m + j] = 0.5 * (cv[i * m + j] + cv[j * m + i]);
  const e = symmetricEigen(m, H);
  combine2(D, N, X, m, X, 0, e.vectors, m, tmp);
  X.v.set(tmp.v.subarray(0, N * m));
  combine2(D, N, AX, m, AX, 0, e.vectors, m, tmp);
  AX.v.set(tmp.v.subarray(0, N * m));
  for (let j = 0; j < m; j++) lambda[j] = e.values[j];
}
