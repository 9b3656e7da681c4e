/**
 * The lowest nonzero vibrational modes of a glass (SPEC §6.1): the k smallest eigenvalues λ of
 * the Hessian M other than its d translation zero modes, with unit eigenvectors
 * (frequencies ω = √λ for unit masses are the caller's business).
 *
 * Method: shift-invert block Lanczos. M − σI with σ slightly negative is positive definite
 * (no particle pinned) and is factored once by the supernodal Cholesky; Lanczos then finds the
 * largest eigenvalues θ = 1/(λ − σ) of T = P (M − σI)⁻¹ P, where P removes the uniform
 * translations (they are exact eigenvectors of M, so T commutes with P and the translations
 * never enter the basis). This is what SciPy's eigsh(M, sigma=σ) does with ARPACK, with a block
 * of right-hand sides per factor pass and full reorthogonalization. A pinned factorization of M
 * itself works too (σ = 0): its solve, projected, is M⁺ on the translation-free space.
 *
 * Never silently wrong: every returned pair's residual ‖Mv − λv‖/‖M‖ is computed explicitly and
 * reported; an unconverged pair is an error. Extra zero modes (rattlers, floppy regions) or
 * negative modes mean the configuration is not a stable minimum: an error unless
 * `allowUnstable`.
 */
import { GlassmechError } from "../core/errors.js";
import { blockMatVec, type BlockMatrix } from "./blockMatrix.js";
import { sparseCholesky, type SparseCholesky } from "./cholesky.js";
import { smoothedAggregation, type AmgHierarchy, type AmgOptions } from "./amg.js";
import { blockToDense, symmetricEigen } from "./dense.js";
import { blockLanczosLargest } from "./lanczos.js";
import { lobpcgLowest } from "./lobpcg.js";
import type { OrderingOptions } from "./ordering.js";
import { removeTranslations } from "./projection.js";

export interface LowestModesOptions extends OrderingOptions {
  /** σ of the factorization of M − σI (default −1e-5·‖M‖, ‖M‖ the largest absolute row sum). */
  readonly shift?: number;
  /** Residual tolerance ‖Mv − λv‖ ≤ tol·‖M‖ (default 1e-10). */
  readonly tol?: number;
  /** Lanczos block size (default min(k, 8)). */
  readonly blockSize?: number;
  /** Lanczos basis size before a restart. */
  readonly maxBasis?: number;
  readonly maxRestarts?: number;
  /** Seed of the Lanczos start block (default 1): results are reproducible. */
  readonly seed?: number;
  /** Return extra zero and negative modes instead of throwing. */
  readonly allowUnstable?: boolean;
  /** |λ| ≤ zeroTolerance·‖M‖ counts as a zero mode (default 1e-9). */
  readonly zeroTolerance?: number;
  /**
   * A factorization to reuse: of M − σI without pinning (its shift is σ), or of M itself with a
   * pinned particle (sparseCholesky's default, as used for dipole solves): the pinned solve
   * followed by the projection is exactly M⁺ on the translation-free space, i.e. shift-invert
   * with σ = 0, so one factorization serves both.
   */
  readonly factor?: SparseCholesky;
  /**
   * "auto" (default): Lanczos unless the system is too small for its basis; "lanczos"; "dense":
   * full eigendecomposition (O((n·d)³), small systems only); "lobpcg": LOBPCG preconditioned by
   * smoothed-aggregation AMG (lobpcg.ts), no factorization (the choice between the direct and
   * the iterative path by cost is observables/modes.ts's, via solverChoice.ts).
   */
  readonly solver?: "auto" | "lanczos" | "dense" | "lobpcg";
  /** LOBPCG: a hierarchy of M to reuse (else built with amgOptions). */
  readonly amg?: AmgHierarchy;
  readonly amgOptions?: AmgOptions;
  /** LOBPCG iteration limit (default 500). */
  readonly maxIterations?: number;
  /** LOBPCG: threads of its V-cycles and products with M (default 1; the same numbers for every count). */
  readonly threads?: number;
  /** LOBPCG: progress after every iteration (lobpcg.ts). */
  readonly onIteration?: (iteration: number, converged: number, worst: number) => void;
}

/** Default residual tolerance ‖Mv − λv‖ ≤ tol·‖M‖ of the mode solvers. */
export const DEFAULT_MODES_TOL = 1e-10;

/** Names of the eigensolvers as reported in results. */
export type ModesMethod = "shift-invert block Lanczos" | "LOBPCG+AMG" | "dense";

export interface LowestModes {
  /** Eigenvalues λ, ascending, length k (translations excluded). */
  readonly values: Float64Array;
  /** Unit eigenvectors, mode l at vectors[l·n·d .. (l+1)·n·d), orthogonal to translations. */
  readonly vectors: Float64Array;
  /** ‖M v − λ v‖ / ‖M‖ per mode. */
  readonly residuals: Float64Array;
  /** Which eigensolver ran. */
  readonly method: ModesMethod;
  /**
   * Block applications of (M − σI)⁻¹ (each a solve with `blockSize` right-hand sides), or
   * LOBPCG iterations (each one V-cycle per active column and one block product).
   */
  readonly iterations: number;
  readonly restarts: number;
  readonly shift: number;
  /** The ‖M‖ estimate residuals are relative to (largest absolute row sum). */
  readonly normM: number;
  /** Zero modes besides the translations among the returned ones (|λ| ≤ zeroTolerance·‖M‖). */
  readonly extraZeroModes: number;
  /** Negative modes among the returned ones. */
  readonly negativeModes: number;
  /** factor: Cholesky factorization, or the AMG setup for LOBPCG (0 when reused). */
  readonly seconds: { readonly factor: number; readonly eigen: number };
}

/** The k lowest nonzero eigenpairs of the Hessian M (SPEC §6.1). */
export function lowestModes(M: BlockMatrix, k: number, opts: LowestModesOptions = {}): LowestModes {
  const { d, n } = M;
  const nd = n * d;
  if (!(Number.isInteger(k) && k >= 1)) throw new GlassmechError(`lowestModes: number of modes must be a positive integer, got ${k}`);
  if (k > nd - d) throw new GlassmechError(`lowestModes: asked for ${k} modes but M has only ${nd - d} besides the ${d} translations`);
  const normM = maxAbsRowSum(M);
  if (!(normM > 0)) throw new GlassmechError("lowestModes: the Hessian is zero");
  const tol = opts.tol ?? DEFAULT_MODES_TOL;
  const zeroTol = opts.zeroTolerance ?? 1e-9;
  const solver = opts.solver ?? "auto";

  let values: Float64Array;
  let vectors: Float64Array;
  let iterations = 0;
  let restarts = 0;
  let shift = opts.factor?.shift ?? opts.shift ?? -1e-5 * normM;
  let factorSeconds = 0;
  const t0 = performance.now();
  const b = Math.max(1, Math.min(opts.blockSize ?? Math.min(k, 8), k));
  const tooSmall = nd - d < Math.max(2 * k, k + 6 * b) + 2 * b;
  let method: ModesMethod = "shift-invert block Lanczos";
  if (solver !== "auto" && solver !== "lanczos" && solver !== "dense" && solver !== "lobpcg")
    throw new GlassmechError(`lowestModes: unknown solver "${solver as string}" (use "auto", "lanczos", "lobpcg" or "dense")`);
  if (solver === "dense" || (solver !== "lanczos" && tooSmall) || (solver === "lobpcg" && nd - d < 3 * (k + Math.max(4, Math.ceil(k / 2))))) {
    ({ values, vectors } = denseLowest(M, k, normM));
    shift = 0;
    method = "dense";
  } else if (solver === "lobpcg") {
    const amg = opts.amg ?? smoothedAggregation(M, { positions: opts.positions, box: opts.box, ...opts.amgOptions });
    factorSeconds = opts.amg ? 0 : (performance.now() - t0) / 1000;
    const res = lobpcgLowest(M, k, amg, normM, {
      tol, blockSize: opts.blockSize, maxIterations: opts.maxIterations, seed: opts.seed, threads: opts.threads, onIteration: opts.onIteration,
      planeWaves: opts.positions && opts.box ? { positions: opts.positions, box: opts.box } : undefined,
    });
    if (!res.converged)
      throw new GlassmechError(
        `lowestModes: LOBPCG did not converge in ${res.iterations} iterations (largest residual ${Math.max(...res.residuals).toExponential(2)} > ${tol}); raise maxIterations`,
      );
    values = res.values;
    vectors = res.vectors;
    iterations = res.iterations;
    shift = 0;
    method = "LOBPCG+AMG";
  } else {
    if (opts.factor && opts.factor.pinned >= 0 && opts.factor.shift !== 0)
      throw new GlassmechError("lowestModes: a factor with a pinned particle must be of M itself (shift 0)");
    if (opts.factor && (opts.factor.n !== n || opts.factor.d !== d))
      throw new GlassmechError(`lowestModes: the factor is for ${opts.factor.n} particles in ${opts.factor.d}D, M has ${n} in ${d}D`);
    const F =
      opts.factor ??
      sparseCholesky(M, { shift, pin: "none", positions: opts.positions, box: opts.box, method: opts.method, leafSize: opts.leafSize });
    factorSeconds = opts.factor ? 0 : (performance.now() - t0) / 1000;
    const deflate = (V: Float64Array, cnt: number) => {
      for (let r = 0; r < cnt; r++) removeTranslations(d, V.subarray(r * nd, (r + 1) * nd));
    };
    const res = blockLanczosLargest(
      {
        size: nd,
        apply: (X, cnt, Y) => {
          F.solveVectors(X, cnt, Y);
          deflate(Y, cnt);
        },
      },
      {
        nev: k,
        blockSize: b,
        maxBasis: opts.maxBasis,
        tol,
        maxRestarts: opts.maxRestarts,
        seed: opts.seed,
        deflate,
        dimension: nd - d,
      },
    );
    if (!res.converged)
      throw new GlassmechError(
        `lowestModes: Lanczos did not converge after ${res.restarts} restarts (largest relative residual ${Math.max(...Array.from(res.residuals, (r, i) => r / Math.abs(res.values[i]))).toExponential(2)}); raise maxRestarts or maxBasis`,
      );
    iterations = res.applications;
    restarts = res.restarts;
    // θ descending ⇒ λ = σ + 1/θ ascending (θ > 0 since M − σI is positive definite).
    values = new Float64Array(k);
    for (let l = 0; l < k; l++) values[l] = shift + 1 / res.values[l];
    vectors = res.vectors;
  }
  const eigenSeconds = (performance.now() - t0) / 1000 - factorSeconds;

  // Explicit residuals, deterministic signs (largest component positive).
  const residuals = new Float64Array(k);
  const Mv = new Float64Array(nd);
  for (let l = 0; l < k; l++) {
    const v = vectors.subarray(l * nd, (l + 1) * nd);
    let big = 0;
    for (let t = 1; t < nd; t++) if (Math.abs(v[t]) > Math.abs(v[big])) big = t;
    if (v[big] < 0) for (let t = 0; t < nd; t++) v[t] = -v[t];
    blockMatVec(M, v, Mv);
    let s = 0;
    for (let t = 0; t < nd; t++) {
      const r = Mv[t] - values[l] * v[t];
      s += r * r;
    }
    residuals[l] = Math.sqrt(s) / normM;
  }
  let worst = 0;
  for (let l = 0; l < k; l++) if (residuals[l] > residuals[worst]) worst = l;
  if (!(residuals[worst] <= 100 * tol))
    throw new GlassmechError(
      `lowestModes: mode ${worst} (λ = ${values[worst].toExponential(4)}) has residual ‖Mv − λv‖/‖M‖ = ${residuals[worst].toExponential(2)} above the tolerance ${tol}`,
    );

  let extraZeroModes = 0;
  let negativeModes = 0;
  for (let l = 0; l < k; l++) {
    if (values[l] < -zeroTol * normM) negativeModes++;
    else if (values[l] <= zeroTol * normM) extraZeroModes++;
  }
  if ((extraZeroModes > 0 || negativeModes > 0) && !opts.allowUnstable) {
    const v = vectors.subarray(0, nd);
    let at = 0;
    let best = -1;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += v[i * d + a] ** 2;
      if (s > best) {
        best = s;
        at = i;
      }
    }
    const what =
      negativeModes > 0
        ? `${negativeModes} negative mode(s) (lowest λ = ${values[0].toExponential(3)}): not a minimum`
        : `${extraZeroModes} zero mode(s) besides the ${d} translations: a rattler or floppy region`;
    throw new GlassmechError(`Hessian has ${what}; the lowest mode is concentrated on particle ${at} (pass allowUnstable to return them)`);
  }
  return {
    values,
    vectors,
    residuals,
    method,
    iterations,
    restarts,
    shift,
    normM,
    extraZeroModes,
    negativeModes,
    seconds: { factor: factorSeconds, eigen: eigenSeconds },
  };
}

/**
 * Dense path for small systems: eigenvectors of M + c·Σ_a t_a t_aᵀ (c = 2‖M‖ moves the d
 * translations t_a above the spectrum), lowest k.
 */
function denseLowest(M: BlockMatrix, k: number, normM: number): { values: Float64Array; vectors: Float64Array } {
  const { d, n } = M;
  const nd = n * d;
  const A = blockToDense(M);
  const c = (2 * normM) / n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) for (let a = 0; a < d; a++) A[(i * d + a) * nd + j * d + a] += c;
  const eig = symmetricEigen(nd, A);
  const values = eig.values.slice(0, k);
  const vectors = new Float64Array(k * nd);
  for (let l = 0; l < k; l++) for (let t = 0; t < nd; t++) vectors[l * nd + t] = eig.vectors[t * nd + l];
  return { values, vectors };
}

/** Largest absolute scalar row sum of M, an upper bound of its 2-norm. */
export function maxAbsRowSum(M: BlockMatrix): number {
  const { d, n, rowPtr, values } = M;
  const dd = d * d;
  let best = 0;
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) for (let b = 0; b < d; b++) s += Math.abs(values[p * dd + a * d + b]);
      if (s > best) best = s;
    }
  return best;
}
