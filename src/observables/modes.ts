/**
 * Vibrational modes of one glass (SPEC §6.1): the k lowest nonzero eigenpairs of the Hessian,
 * frequencies ω = sqrt(λ) (unit masses), participation ratios, and the first phonon frequency
 * ω_ph = 2π c_s/L of the box.
 *
 * The eigensolver is linalg/modes.ts (shift-invert block Lanczos); passing the pinned
 * factorization of M used for the dipole solves (observables/dipoles.ts) makes it reuse that
 * factor (shift-invert at σ = 0), so one Cholesky serves modes and dipoles.
 */
import { GlassmechError } from "../core/errors.js";
import type { BlockMatrix } from "../linalg/blockMatrix.js";
import type { SparseCholesky } from "../linalg/cholesky.js";
import { lowestModes, type LowestModesOptions, type ModesMethod } from "../linalg/modes.js";
import { chooseSolvePath, type CostEstimate, type SolvePath } from "../linalg/solverChoice.js";
import { phononFrequency } from "../statistics/vdos.js";

/**
 * Participation ratio of the mode stored at v[off .. off + n·d) (SPEC §6.1; seed 000 App. A2):
 *   e = (Σ_i ψ_i·ψ_i)² / (N Σ_i (ψ_i·ψ_i)²),
 * ψ_i the d-vector of particle i. e = 1 for a vector with equal weight on every particle
 * (plane-wave-like), e = 1/N for a vector on a single particle; a QLM has N·e ≈ its core size.
 * The normalization of v does not matter.
 */
export function participationRatio(d: number, n: number, v: Float64Array, off = 0): number {
  let s2 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    let w = 0;
    const o = off + i * d;
    for (let a = 0; a < d; a++) w += v[o + a] * v[o + a];
    s2 += w;
    s4 += w * w;
  }
  if (!(s4 > 0)) throw new GlassmechError("participationRatio: the vector is zero");
  return (s2 * s2) / (n * s4);
}

export interface GlassModesOptions extends Omit<LowestModesOptions, "factor"> {
  /** Pinned factorization of M (shift 0) shared with the dipole solves; default: lowestModes makes its own. */
  readonly factor?: SparseCholesky;
  /** Shear-wave speed c_s = sqrt(G/ρ) for ω_ph (omitted: omegaPh is NaN). */
  readonly cs?: number;
  /** Box side lengths; ω_ph uses the largest (the lowest phonon of a non-cubic box). */
  readonly boxLengths?: ArrayLike<number>;
  /**
   * "auto" (default): the cost model of linalg/solverChoice.ts picks "direct" (shift-invert
   * block Lanczos on a Cholesky factor) or "iterative" (LOBPCG preconditioned by AMG); a given
   * `factor` or an explicit `solver` overrides it.
   */
  readonly path?: "auto" | SolvePath;
  /** Memory budget of a factor for the automatic choice (default half the RAM). */
  readonly memoryBytes?: number;
}

export interface GlassModes {
  /** λ ascending, translations excluded (k entries). */
  readonly eigenvalues: Float64Array;
  /** ω = sqrt(λ); a negative λ (only with allowUnstable) is reported as −sqrt(−λ). */
  readonly frequencies: Float64Array;
  /** e per mode (see participationRatio). */
  readonly participationRatios: Float64Array;
  /** ‖Mv − λv‖/‖M‖ per mode. */
  readonly residuals: Float64Array;
  /** Unit eigenvectors, mode l at vectors[l·n·d .. (l+1)·n·d). */
  readonly vectors: Float64Array;
  /** ω_ph = 2π c_s/L_max (SPEC §6.1), NaN without cs and boxLengths. */
  readonly omegaPh: number;
  readonly extraZeroModes: number;
  readonly negativeModes: number;
  readonly iterations: number;
  /** The eigensolver used: "shift-invert block Lanczos", "LOBPCG+AMG" or "dense". */
  readonly method: ModesMethod;
  /** The automatic choice's estimate and reason (null when the path was given). */
  readonly choice: CostEstimate | null;
  /** factor: the Cholesky factorization or the AMG setup. */
  readonly seconds: { readonly factor: number; readonly eigen: number };
}

/**
 * The k lowest nonzero modes of a glass (SPEC §6.1). A glass with extra zero modes (rattlers)
 * or negative modes is refused with an error naming the particle the lowest mode sits on,
 * unless `allowUnstable`.
 *
 * @example
 *   const m = glassModes(prepared.hessian, 50, { factor, cs: meas.cs, boxLengths: meas.boxLengths });
 *   m.frequencies[0]; m.participationRatios[0]; m.omegaPh;
 */
export function glassModes(M: BlockMatrix, k: number, opts: GlassModesOptions = {}): GlassModes {
  const { d, n } = M;
  const path = opts.path ?? "auto";
  if (path !== "auto" && path !== "direct" && path !== "iterative") throw new GlassmechError(`modes: unknown path "${path as string}" (use "auto", "direct" or "iterative")`);
  let choice: CostEstimate | null = null;
  let solver = opts.solver;
  if (solver === undefined && opts.factor === undefined) {
    let p: SolvePath = path === "auto" ? "direct" : path;
    if (path === "auto") {
      choice = chooseSolvePath(M, { modes: k, positions: opts.positions, box: opts.box, memoryBytes: opts.memoryBytes });
      p = choice.path;
    }
    if (p === "iterative") solver = "lobpcg";
  }
  const res = lowestModes(M, k, { ...opts, solver });
  const frequencies = new Float64Array(k);
  const participationRatios = new Float64Array(k);
  for (let l = 0; l < k; l++) {
    const lam = res.values[l];
    frequencies[l] = lam >= 0 ? Math.sqrt(lam) : -Math.sqrt(-lam);
    participationRatios[l] = participationRatio(d, n, res.vectors, l * n * d);
  }
  let omegaPh = NaN;
  if (opts.cs !== undefined && opts.boxLengths !== undefined && opts.cs > 0) {
    let L = 0;
    for (let a = 0; a < opts.boxLengths.length; a++) L = Math.max(L, opts.boxLengths[a]);
    omegaPh = phononFrequency(opts.cs, L);
  }
  return {
    eigenvalues: res.values,
    frequencies,
    participationRatios,
    residuals: res.residuals,
    vectors: res.vectors,
    omegaPh,
    extraZeroModes: res.extraZeroModes,
    negativeModes: res.negativeModes,
    iterations: res.iterations,
    method: res.method,
    choice,
    seconds: res.seconds,
  };
}
