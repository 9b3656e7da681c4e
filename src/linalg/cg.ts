/**
 * Preconditioned conjugate gradients for the Hessian on the translation-free subspace
 * (SPEC §4.2: M has d zero modes, so every solve lives in their orthogonal complement).
 *
 * The right-hand side is projected (removeTranslations); M maps the complement into itself, and
 * a preconditioner C (SPD) enters as P·C⁻¹·P (P the projector), which is symmetric positive
 * definite on the complement, so plain PCG applies and every iterate stays translation-free.
 * The solution is the minimum-norm (pseudo-inverse) solution x = M⁺ b of SPEC §4.3 when M is
 * positive on the complement. Preconditioners: block SSOR in Eisenstat's form (blockSSOR, the
 * default for large matrices), block Jacobi (blockPCG), none.
 *
 * Never silently wrong (DESIGN principle 6): results carry `converged`, the iteration count and
 * the *true* relative residual |P b − M x| / |P b| recomputed at the end; pᵀMp ≤ 0 (negative
 * curvature on the complement: the configuration is not a minimum, or it has extra zero modes
 * such as rattlers hit by the right-hand side) stops the solve with a message.
 * `solveCGOrThrow` / `solveCGMultiOrThrow` turn a flagged result into a GlassmechError.
 *
 * Speed. Single solves are the k = 1 case of the block solver (k right-hand sides share every
 * pass over M). Large problems run on a compact symmetric copy of M in WebAssembly memory
 * (~1/3 of the bytes, particles in a locality order) with f64x2 kernels (blockMatVecOperator.ts,
 * blockMatVecWasm.ts); small ones in JavaScript. A block-Jacobi iteration is three passes over
 * memory: q = M p with pᵀq accumulated on the fly; x += αp, r −= αq, z = B⁻¹r with r·r, r·z and
 * the translation sums of z and r in one pass; p = (z − z̄) + βp. The projection costs nothing
 * extra: z̄ (the mean of z per component) comes from the fused sums, and
 * r·(z − z̄) = r·z − Σ_a z̄_a Σ_i r_ia. An SSOR iteration replaces q = M p by two triangular sweeps
 * (the same bytes) and needs ~2.5× fewer iterations on glass Hessians.
 */
import { GlassmechError } from "../core/errors.js";
import { smoothedAggregation, type AmgHierarchy, type AmgOptions } from "./amg.js";
import type { BlockMatrix } from "./blockMatrix.js";
import { blockJacobiInverse, matMulVectorsJs } from "./blockMatVecJs.js";
import { cgWorkspace, ssorWorkspace, type SsorWorkspace } from "./blockMatVecOperator.js";
import { removeTranslationsMulti } from "./projection.js";
import { dotColumns } from "./vector.js";

export { blockJacobiInverse };
export interface CGOptions {
  /** Relative residual tolerance |P b − M x| / |P b| (default 1e-10). */
  tol?: number;
  /** Iteration limit (default max(1000, 4·n·d)). */
  maxIterations?: number;
  /**
   * Default: "ssor" for large exactly symmetric matrices (the wasm path), else "blockJacobi".
   * "ssor": block symmetric successive over-relaxation (ω = 1.2) in Eisenstat's form, ~2.5× fewer
   * iterations than block Jacobi on glass Hessians, each costing one pass over the matrix like a
   * block-Jacobi iteration; "blockJacobi": d×d diagonal blocks inverted; "none": plain CG;
   * "amg": one symmetric smoothed-aggregation V-cycle per iteration (amg.ts), the hierarchy
   * given as `amg` or built here with `amgOptions` (its setup costs about as much as a few
   * dozen SSOR iterations; reuse one hierarchy for all solves with the same M).
   */
  preconditioner?: "ssor" | "blockJacobi" | "none" | "amg";
  /** A smoothed-aggregation hierarchy of M to precondition with (implies preconditioner "amg"). */
  amg?: AmgHierarchy;
  /** Options of the hierarchy built when preconditioner is "amg" and no `amg` is given. */
  amgOptions?: AmgOptions;
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
 * vector r. One pass over the matrix serves all k vectors (the matrix is memory-bound); the sums
 * are blockMatVec's, bit for bit (blockMatVecJs.ts).
 */
export function blockMatMulVectors(A: BlockMatrix, k: number, X: Float64Array, Y: Float64Array): void {
  matMulVectorsJs(A, k, X, Y);
}

/** Outcome of the shared block PCG loop: per-column state 0 active, 1 converged, 2 pᵀMp ≤ 0. */
interface BlockRun {
  /** Solutions, k columns interleaved (no padding). */
  readonly X: Float64Array;
  readonly iterations: number;
  readonly its: Int32Array;
  readonly rel: Float64Array;
  readonly state: Uint8Array;
}

/**
 * Block PCG: k independent PCG recurrences sharing one pass over M per iteration. B is
 * interleaved (k columns) and must have finite columns; x0 (k = 1 only) is projected before use.
 */
function blockPCG(
  M: BlockMatrix,
  k: number,
  B: Float64Array,
  tol: number,
  maxIt: number,
  preconditioned: boolean,
  x0: Float64Array | null,
  notFinite: (c: number) => string,
): BlockRun {
  const { d, n } = M;
  const N = n * d;
  const ws = cgWorkspace(M, k, preconditioned);
  const { kp, X, R, Q, perm } = ws;
  const L = N * kp;
  const w = 2 + 2 * d;

  // Right-hand sides in the workspace's layout (lanes, particle order), projected.
  const rhs = ws.RHS;
  if (kp === k && perm === null) rhs.set(B.subarray(0, L));
  else scatterRows(d, n, k, B, kp, rhs, perm);
  removeTranslationsMulti(d, kp, rhs);
  const bnorm = new Float64Array(kp);
  dotColumns(kp, rhs, rhs, bnorm);
  for (let c = 0; c < kp; c++) {
    bnorm[c] = Math.sqrt(bnorm[c]);
    if (!Number.isFinite(bnorm[c])) throw new GlassmechError(notFinite(c));
  }
  let xZero = true;
  if (x0 !== null && bnorm[0] > 0) {
    // (A zero right-hand side gives x = 0 whatever the guess.)
    scatterRows(d, n, 1, x0, kp, X, perm);
    removeTranslationsMulti(d, kp, X);
    xZero = false;
  }

  const alpha = new Float64Array(kp);
  const beta = new Float64Array(kp);
  const pq = new Float64Array(kp);
  const rz = new Float64Array(kp);
  const sums = new Float64Array(kp * w);
  const zmean = new Float64Array(kp * d);
  const tmp = new Float64Array(kp);
  const state = new Uint8Array(k);
  const active = new Uint8Array(k);
  const its = new Int32Array(k);
  const rel = new Float64Array(k);

  const trueResiduals = (): void => {
    if (xZero) R.set(rhs);
    else {
      ws.matvec("X", tmp);
      for (let s = 0; s < L; s++) R[s] = rhs[s] - Q[s];
    }
    removeTranslationsMulti(d, kp, R);
    dotColumns(kp, R, R, tmp);
    for (let c = 0; c < k; c++) rel[c] = bnorm[c] === 0 ? 0 : Math.sqrt(tmp[c]) / bnorm[c];
  };
  /** zmean and r·(z − z̄) of active columns from the fused sums; returns rz into out. */
  const projectedRz = (out: Float64Array): void => {
    for (let c = 0; c < k; c++) {
      let s = sums[c * w + 1];
      for (let a = 0; a < d; a++) {
        const zm = sums[c * w + 2 + a] / n;
        zmean[c * d + a] = zm;
        s -= zm * sums[c * w + 2 + d + a];
      }
      out[c] = s;
    }
  };

  let it = 0;
  trueResiduals();
  for (let restart = 0; restart < 5; restart++) {
    let nActive = restartStates(k, state, rel, tol);
    if (nActive === 0 || it >= maxIt) break;
    // z = B⁻¹r and p = z − z̄ on the active columns (α = β = 0: x and r unchanged).
    alpha.fill(0);
    ws.update(alpha, sums);
    projectedRz(rz);
    for (let c = 0; c < k; c++) active[c] = state[c] === 0 ? 1 : 0;
    beta.fill(0);
    ws.direction(beta, active, zmean);
    while (nActive > 0 && it < maxIt) {
      ws.matvec("P", pq);
      it++;
      nActive -= stepLengths(k, state, its, rz, pq, alpha);
      ws.update(alpha, sums);
      for (let c = 0; c < k; c++)
        if (state[c] === 0 && Math.sqrt(sums[c * w]) <= tol * bnorm[c]) {
          state[c] = 1;
          nActive--;
        }
      if (nActive === 0) break;
      projectedRz(tmp);
      for (let c = 0; c < k; c++) {
        beta[c] = 0;
        active[c] = state[c] === 0 ? 1 : 0;
        if (active[c] === 0) continue;
        beta[c] = tmp[c] / rz[c];
        rz[c] = tmp[c];
      }
      ws.direction(beta, active, zmean);
    }
    removeTranslationsMulti(d, kp, X);
    xZero = false;
    trueResiduals();
  }
  return { X: gatherRows(d, n, k, X, kp, perm), iterations: it, its, rel, state };
}

/**
 * Block PCG with the SSOR preconditioner C = E (D̃/ω)⁻¹ Eᵀ, E = D̃/ω + L (L the strictly lower
 * blocks of M, D̃ the SPD diagonal blocks of block Jacobi), in Eisenstat's form (Eisenstat 1981):
 * CG on ŷ = Eᵀx for Â = E⁻¹ M E⁻ᵀ with the block-diagonal preconditioner D̃/ω. Since
 * M = E + Eᵀ − K with K = 2D̃/ω − D, Â v = t + E⁻¹(v − K t) with t = E⁻ᵀv: one backward and one
 * forward triangular sweep, each stored block used once per sweep — the cost of one product M·p
 * for one iteration that does the work of a PCG iteration preconditioned by C.
 *
 * Translations: M's kernel T maps to Eᵀ T, Â's kernel. The right-hand side E⁻¹b is orthogonal to
 * it (b ⟂ T), so CG stays in Â's range; x = E⁻ᵀŷ is projected when it is formed.
 *
 * Stopping: the true relative residual |b − Mx|/|b| is not available per iteration (r = E r̂), but
 * on glass Hessians it tracks sqrt(r̂·z) (z = D̃r̂/ω, the preconditioned norm) to ~10%, so each
 * column stops when scale·sqrt(r̂·z) ≤ 0.8·tol, with scale calibrated on the true residual at the
 * start and at every check; a check forms x (one backward sweep) and b − Mx (one product). A check
 * that fails recalibrates and continues; one that shows no progress (rounding drift) restarts
 * from the true residual, at most 5 times, like blockPCG.
 */
function blockSSOR(
  M: BlockMatrix,
  k: number,
  ws: SsorWorkspace,
  B: Float64Array,
  tol: number,
  maxIt: number,
  x0: Float64Array | null,
  notFinite: (c: number) => string,
): BlockRun {
  const { d, n } = M;
  const N = n * d;
  const { kp, X, R, RHS, perm } = ws;
  const L = N * kp;
  if (kp === k && perm === null) RHS.set(B.subarray(0, L));
  else scatterRows(d, n, k, B, kp, RHS, perm);
  removeTranslationsMulti(d, kp, RHS);
  const bnorm = new Float64Array(kp);
  dotColumns(kp, RHS, RHS, bnorm);
  for (let c = 0; c < kp; c++) {
    bnorm[c] = Math.sqrt(bnorm[c]);
    if (!Number.isFinite(bnorm[c])) throw new GlassmechError(notFinite(c));
  }
  if (x0 !== null && bnorm[0] > 0) {
    scatterRows(d, n, 1, x0, kp, X, perm);
    removeTranslationsMulti(d, kp, X);
  }
  const alpha = new Float64Array(kp);
  const beta = new Float64Array(kp);
  const pq = new Float64Array(kp);
  const rz = new Float64Array(kp);
  const rzNew = new Float64Array(kp);
  const tmp = new Float64Array(kp);
  const scale = new Float64Array(k);
  const lastRel = new Float64Array(k);
  const state = new Uint8Array(k);
  const active = new Uint8Array(k);
  const its = new Int32Array(k);
  const rel = new Float64Array(k);

  const trueResiduals = (): void => {
    ws.fold();
    removeTranslationsMulti(d, kp, X);
    ws.residual();
    removeTranslationsMulti(d, kp, R);
    dotColumns(kp, R, R, tmp);
    for (let c = 0; c < k; c++) rel[c] = bnorm[c] === 0 ? 0 : Math.sqrt(tmp[c]) / bnorm[c];
  };

  let it = 0;
  trueResiduals();
  for (let restart = 0; restart < 5; restart++) {
    let nActive = restartStates(k, state, rel, tol);
    if (nActive === 0 || it >= maxIt) break;
    ws.start(rz);
    for (let c = 0; c < k; c++) {
      active[c] = state[c] === 0 ? 1 : 0;
      scale[c] = rz[c] > 0 ? rel[c] / Math.sqrt(rz[c]) : 0;
      lastRel[c] = rel[c];
      beta[c] = 0;
    }
    ws.direction(beta, active);
    let fresh = false; // rel and X are up to date (no ŷ pending)
    while (nActive > 0 && it < maxIt) {
      ws.apply(pq);
      it++;
      nActive -= stepLengths(k, state, its, rz, pq, alpha);
      ws.update(alpha, rzNew);
      fresh = false;
      let check = false;
      for (let c = 0; c < k; c++) if (state[c] === 0 && scale[c] * Math.sqrt(rzNew[c]) <= 0.8 * tol) check = true;
      if (check) {
        trueResiduals();
        fresh = true;
        let stalled = false;
        for (let c = 0; c < k; c++) {
          if (state[c] !== 0) continue;
          if (rel[c] <= tol) {
            state[c] = 1;
            nActive--;
            continue;
          }
          const est = scale[c] * Math.sqrt(rzNew[c]);
          if (est <= 0.8 * tol && rel[c] > 0.5 * lastRel[c]) stalled = true;
          scale[c] = rzNew[c] > 0 ? rel[c] / Math.sqrt(rzNew[c]) : 0;
          lastRel[c] = rel[c];
        }
        if (stalled || nActive === 0) break;
      }
      for (let c = 0; c < k; c++) {
        beta[c] = 0;
        active[c] = state[c] === 0 ? 1 : 0;
        if (active[c] === 0) continue;
        beta[c] = rzNew[c] / rz[c];
        rz[c] = rzNew[c];
      }
      ws.direction(beta, active);
    }
    if (!fresh) trueResiduals();
  }
  return { X: gatherRows(d, n, k, X, kp, perm), iterations: it, its, rel, state };
}

/**
 * Block PCG with one symmetric AMG V-cycle C as preconditioner (amg.ts), applied as P C P on the
 * translation-free subspace (P the projector): k independent PCG recurrences (Saad, "Iterative
 * Methods for Sparse Linear Systems" Alg. 9.1) that share every pass over M and over the
 * hierarchy. Each column stops when its recursive residual |r| ≤ tol·|P b|; the true residual
 * is then recomputed, and a column it does not confirm restarts from it (at most 5 times), as in
 * blockPCG. Converged columns keep α = β = 0 (their V-cycle work is wasted, which is cheap for
 * the small blocks used here).
 */
function blockAmgPCG(
  M: BlockMatrix,
  k: number,
  B: Float64Array,
  tol: number,
  maxIt: number,
  x0: Float64Array | null,
  amg: AmgHierarchy,
  notFinite: (c: number) => string,
): BlockRun {
  const { d, n } = M;
  const L = n * d * k;
  const rhs = B.slice(0, L);
  removeTranslationsMulti(d, k, rhs);
  const bnorm = new Float64Array(k);
  dotColumns(k, rhs, rhs, bnorm);
  for (let c = 0; c < k; c++) {
    bnorm[c] = Math.sqrt(bnorm[c]);
    if (!Number.isFinite(bnorm[c])) throw new GlassmechError(notFinite(c));
  }
  const X = new Float64Array(L);
  if (x0 !== null && bnorm[0] > 0) {
    X.set(x0.subarray(0, L));
    removeTranslationsMulti(d, k, X);
  }
  const R = new Float64Array(L);
  const Z = new Float64Array(L);
  const P = new Float64Array(L);
  const Q = new Float64Array(L);
  const rz = new Float64Array(k);
  const rzNew = new Float64Array(k);
  const pq = new Float64Array(k);
  const rr = new Float64Array(k);
  const alpha = new Float64Array(k);
  const beta = new Float64Array(k);
  const state = new Uint8Array(k);
  const its = new Int32Array(k);
  const rel = new Float64Array(k);

  const trueResiduals = (): void => {
    matMulVectorsJs(M, k, X, Q);
    for (let s = 0; s < L; s++) R[s] = rhs[s] - Q[s];
    removeTranslationsMulti(d, k, R);
    dotColumns(k, R, R, rr);
    for (let c = 0; c < k; c++) rel[c] = bnorm[c] === 0 ? 0 : Math.sqrt(rr[c]) / bnorm[c];
  };
  /** Z = P C R (one V-cycle, projected) and rz = r·z per column. */
  const precondition = (out: Float64Array): void => {
    amg.apply(k, R, Z);
    removeTranslationsMulti(d, k, Z);
    dotColumns(k, R, Z, out);
  };

  let it = 0;
  trueResiduals();
  for (let restart = 0; restart < 5; restart++) {
    let nActive = restartStates(k, state, rel, tol);
    if (nActive === 0 || it >= maxIt) break;
    precondition(rz);
    P.set(Z);
    for (let c = 0; c < k; c++) if (state[c] !== 0) for (let s = c; s < L; s += k) P[s] = 0;
    while (nActive > 0 && it < maxIt) {
      matMulVectorsJs(M, k, P, Q);
      it++;
      dotColumns(k, P, Q, pq);
      nActive -= stepLengths(k, state, its, rz, pq, alpha);
      for (let s = 0; s < L; s += k)
        for (let c = 0; c < k; c++) {
          X[s + c] += alpha[c] * P[s + c];
          R[s + c] -= alpha[c] * Q[s + c];
        }
      dotColumns(k, R, R, rr);
      for (let c = 0; c < k; c++)
        if (state[c] === 0 && Math.sqrt(rr[c]) <= tol * bnorm[c]) {
          state[c] = 1;
          nActive--;
        }
      if (nActive === 0) break;
      precondition(rzNew);
      for (let c = 0; c < k; c++) {
        beta[c] = state[c] === 0 ? rzNew[c] / rz[c] : 0;
        if (state[c] === 0) rz[c] = rzNew[c];
      }
      for (let s = 0; s < L; s += k)
        for (let c = 0; c < k; c++) P[s + c] = state[c] === 0 ? Z[s + c] + beta[c] * P[s + c] : 0;
    }
    removeTranslationsMulti(d, k, X);
    trueResiduals();
  }
  return { X, iterations: it, its, rel, state };
}

/** out[(i*d + a)*k + c] = src[(perm[i]*d + a)*kp + c] for c < k, as a new array. */
function gatherRows(d: number, n: number, k: number, src: Float64Array, kp: number, perm: Int32Array | null): Float64Array {
  if (kp === k && perm === null) return src.slice(0, n * d * k);
  const out = new Float64Array(n * d * k);
  for (let i = 0; i < n; i++) {
    const so = (perm === null ? i : perm[i]) * d * kp;
    for (let a = 0; a < d; a++) for (let c = 0; c < k; c++) out[(i * d + a) * k + c] = src[so + a * kp + c];
  }
  return out;
}

/** dst[(perm[i]*d + a)*kp + c] = src[(i*d + a)*k + c] for c < k (perm null: identity). */
function scatterRows(d: number, n: number, k: number, src: Float64Array, kp: number, dst: Float64Array, perm: Int32Array | null): void {
  for (let i = 0; i < n; i++) {
    const o = (perm === null ? i : perm[i]) * d * kp;
    for (let a = 0; a < d; a++) for (let c = 0; c < k; c++) dst[o + a * kp + c] = src[(i * d + a) * k + c];
  }
}

type Preconditioner = "auto" | "ssor" | "blockJacobi" | "none" | "amg";

interface RunOptions {
  tol: number;
  maxIt: number;
  pre: Preconditioner;
  amg: AmgHierarchy | null;
  amgOptions: AmgOptions | undefined;
}

function defaults(M: BlockMatrix, options: CGOptions): RunOptions {
  const pre = options.amg !== undefined && options.preconditioner === undefined ? "amg" : (options.preconditioner ?? "auto");
  if (pre !== "auto" && pre !== "ssor" && pre !== "blockJacobi" && pre !== "none" && pre !== "amg")
    throw new GlassmechError(`CG: unknown preconditioner "${pre as string}" (use "ssor", "blockJacobi", "amg" or "none")`);
  const amg = options.amg ?? null;
  if (amg !== null && (amg.n !== M.n || amg.d !== M.d))
    throw new GlassmechError(`CG: the AMG hierarchy is for ${amg.n} particles in ${amg.d}D, M has ${M.n} in ${M.d}D`);
  return { tol: options.tol ?? 1e-10, maxIt: options.maxIterations ?? Math.max(1000, 4 * M.n * M.d), pre, amg, amgOptions: options.amgOptions };
}

/**
 * The preconditioned block CG of the chosen kind (blockPCG, blockSSOR). The default ("auto") is
 * SSOR where it runs as wasm kernels (large, exactly symmetric matrices) and block Jacobi
 * otherwise, where SSOR's JavaScript sweeps cost more than they save.
 */
function run(M: BlockMatrix, k: number, B: Float64Array, o: RunOptions, x0: Float64Array | null, notFinite: (c: number) => string): BlockRun {
  if (o.pre === "amg") return blockAmgPCG(M, k, B, o.tol, o.maxIt, x0, o.amg ?? smoothedAggregation(M, o.amgOptions), notFinite);
  if (o.pre === "ssor" || o.pre === "auto") {
    const ws = ssorWorkspace(M, k, o.pre === "auto");
    if (ws !== null) return blockSSOR(M, k, ws, B, o.tol, o.maxIt, x0, notFinite);
  }
  return blockPCG(M, k, B, o.tol, o.maxIt, o.pre !== "none", x0, notFinite);
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
  const o = defaults(M, options);
  const tol = o.tol;
  if (options.x0 !== undefined && options.x0.length !== N)
    throw new GlassmechError(`solveCG: initial guess has length ${options.x0.length}, expected ${N}`);
  // A zero projected right-hand side returns x = 0 after 0 iterations (blockPCG's zero column).
  const r = run(M, 1, b, o, options.x0 ?? null, () => "solveCG: right-hand side is not finite");
  const rel = r.rel[0];
  const negativeCurvature = r.state[0] === 2;
  const it = r.iterations;
  const converged = rel <= tol && !negativeCurvature;
  const message = converged
    ? ""
    : negativeCurvature
      ? `${NOT_POSITIVE}: pᵀMp ≤ 0 at CG iteration ${it} (relative residual ${rel.toExponential(2)})`
      : `CG did not converge: relative residual ${rel.toExponential(2)} > ${tol} after ${it} iterations`;
  return { x: r.X, converged, iterations: it, residual: rel, negativeCurvature, message };
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
  const o = defaults(M, options);
  const tol = o.tol;
  const r = run(M, k, B, o, null, (c) => `solveCGMulti: right-hand side ${c} is not finite`);
  const columns: Omit<CGResult, "x">[] = [];
  let all = true;
  for (let c = 0; c < k; c++) {
    const neg = r.state[c] === 2;
    const rel = r.rel[c];
    const its = r.its[c];
    const conv = rel <= tol && !neg;
    all &&= conv;
    columns.push({
      converged: conv,
      iterations: its,
      residual: rel,
      negativeCurvature: neg,
      message: conv
        ? ""
        : neg
          ? `${NOT_POSITIVE}: pᵀMp ≤ 0 at CG iteration ${its} of right-hand side ${c} (relative residual ${rel.toExponential(2)})`
          : `CG did not converge for right-hand side ${c}: relative residual ${rel.toExponential(2)} > ${tol} after ${its} iterations`,
    });
  }
  return { x: r.X, k, converged: all, iterations: r.iterations, columns };
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

/**
 * At a (re)start: every column not stopped by negative curvature (state 2) is active (0) when its
 * true relative residual is above tol, else converged (1). Returns the number of active columns.
 */
function restartStates(k: number, state: Uint8Array, rel: Float64Array, tol: number): number {
  let active = 0;
  for (let c = 0; c < k; c++) {
    if (state[c] === 2) continue;
    state[c] = rel[c] > tol ? 0 : 1;
    if (state[c] === 0) active++;
  }
  return active;
}

/**
 * CG step lengths α_c = r·z / p·Mp for the active columns (state 0); a column with p·Mp ≤ 0 has
 * met negative curvature and is stopped (state 2). Returns how many columns were stopped.
 */
function stepLengths(k: number, state: Uint8Array, its: Int32Array, rz: Float64Array, pq: Float64Array, alpha: Float64Array): number {
  let stopped = 0;
  for (let c = 0; c < k; c++) {
    alpha[c] = 0;
    if (state[c] !== 0) continue;
    its[c]++;
    if (!(pq[c] > 0)) {
      state[c] = 2;
      stopped++;
    } else alpha[c] = rz[c] / pq[c];
  }
  return stopped;
}
