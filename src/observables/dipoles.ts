/**
 * Force-dipole responses ("pinching", SPEC §6.2; seeds 003, 004).
 *
 * For an interacting pair (i, j) with unit vector n = r_ij/r (r_ij = x_j − x_i), the dipole is
 * d = ∂r_ij/∂x: +n on j, −n on i, zero elsewhere (|d| = √2). It sums to zero, so it is already
 * orthogonal to the translations. The response is z = M⁺ d and the dipole stiffness
 *   κ = (d·M⁺·d)/(d·M⁺²·d) = (z·M·z)/(z·z),
 * with ω_g^(ij) = sqrt(κ). Here κ is evaluated as z·(Mz)/(z·z) with Mz recomputed from M, and
 * every solve is checked by its true residual ‖Mz − d‖/‖d‖ (DESIGN principle 6).
 *
 * Solves go in blocks of right-hand sides: with the supernodal Cholesky (one pass through the
 * factor serves the whole block; a dipole touches two particles so the forward solve skips the
 * untouched supernodes), or block CG (linalg/cg.ts, no factor in memory) for very large N.
 */
import { Rng, type RandomPurpose } from "../core/rng.js";
import { GlassmechError } from "../core/errors.js";
import type { PairRecords } from "../forces/types.js";
import type { Box } from "../core/box.js";
import type { BlockMatrix } from "../linalg/blockMatrix.js";
import { blockMatMulVectors, solveCGMulti } from "../linalg/cg.js";
import { sparseCholesky, type SparseCholesky } from "../linalg/cholesky.js";
import { chooseSolvePath, type CostEstimate } from "../linalg/solverChoice.js";
import { smoothedAggregation, type AmgHierarchy } from "../linalg/amg.js";
import { removeTranslationsMulti } from "../linalg/projection.js";

export interface DipoleSelectionOptions {
  /**
   * Number M of pairs to excite: a seeded random subset of M distinct interacting pairs, or all
   * of them when M ≥ their number (default: all).
   */
  readonly count?: number;
  /** Seed and stream of the subset (default 1 and 0): Rng.forPurpose(seed, stream, purpose); the same pair picks the same pairs. */
  readonly seed?: number;
  readonly stream?: number;
  /** What the subset is for (default "dipoles"): each purpose draws from its own stream. */
  readonly purpose?: RandomPurpose;
  /**
   * Force filter of seeds 003/004 (off by default): keep pairs with |f_ij|/(|p| a0²) < threshold,
   * f_ij = −φ'(r_ij). Needs `pressure` and `a0`.
   */
  readonly forceFilter?: { readonly threshold: number; readonly pressure: number; readonly a0: number };
}

export interface DipoleSelection {
  /** Record indices (into PairRecords) of the chosen pairs, ascending. */
  readonly pairs: Int32Array;
  /** Interacting pairs (records with i ≠ j) before the force filter. */
  readonly interacting: number;
  /** Pairs passing the force filter (= interacting without a filter). */
  readonly eligible: number;
}

/**
 * Chooses the pairs to excite (SPEC §6.2): all interacting pairs (records with i ≠ j; a pair
 * seen through two periodic images in a tiny box counts once per image), optionally filtered by
 * force, then a seeded random subset of `count` of them (partial Fisher–Yates with Rng.fromSeed),
 * returned in ascending record order.
 */
export function selectDipolePairs(records: PairRecords, options: DipoleSelectionOptions = {}): DipoleSelection {
  const { count: P, i: ri, j: rj, dphi } = records;
  const ff = options.forceFilter;
  let limit = Infinity;
  if (ff !== undefined) {
    if (!(ff.threshold > 0)) throw new GlassmechError(`dipoles: force-filter threshold must be positive, got ${ff.threshold}`);
    if (!(Math.abs(ff.pressure) > 0) || !(ff.a0 > 0))
      throw new GlassmechError(`dipoles: the force filter |f|/(p a0²) needs a nonzero pressure and a0 > 0 (got p = ${ff.pressure}, a0 = ${ff.a0})`);
    limit = ff.threshold * Math.abs(ff.pressure) * ff.a0 * ff.a0;
  }
  const all = new Int32Array(P);
  let interacting = 0;
  let m = 0;
  for (let p = 0; p < P; p++) {
    if (ri[p] === rj[p]) continue;
    interacting++;
    if (Math.abs(dphi[p]) < limit) all[m++] = p;
  }
  if (m === 0)
    throw new GlassmechError(
      interacting === 0 ? "dipoles: the glass has no interacting pairs" : `dipoles: no pair passes the force filter (|f|/(p a0²) < ${ff?.threshold})`,
    );
  const want = options.count ?? m;
  if (!(Number.isInteger(want) && want >= 1)) throw new GlassmechError(`dipoles: number of dipoles must be a positive integer, got ${want}`);
  let pairs: Int32Array;
  if (want >= m) pairs = all.slice(0, m);
  else {
    const rng = Rng.forPurpose(options.seed ?? 1, options.stream ?? 0, options.purpose ?? "dipoles");
    for (let t = 0; t < want; t++) {
      const u = t + rng.int(m - t);
      const tmp = all[t];
      all[t] = all[u];
      all[u] = tmp;
    }
    pairs = all.slice(0, want).sort();
  }
  return { pairs, interacting, eligible: m };
}

export type DipoleSolver = "auto" | "cholesky" | "cg";

/**
 * Above this many particles "auto" uses block CG instead of the Cholesky factor, whose memory and
 * time grow as N^{4/3} and N² in 3D (nested dissection). Measured on 3D PSS glasses (CPU s, one
 * core, loaded machine): N = 10⁴: factor 3.3 s, 7.4 ms per dipole vs 23 ms by CG; N = 10⁵:
 * factor 310 s and 6.2 GB, ~0.2 s per dipole vs ~1 s by CG. So at 3·10⁴ the two break even near
 * 500 dipoles; beyond, CG wins for typical dipole counts and needs no memory for a factor.
 */
export const AUTO_CHOLESKY_MAX_PARTICLES: Readonly<Record<number, number>> = { 2: 400000, 3: 30000, 4: 10000 };

export interface DipoleResponseOptions {
  /**
   * "auto" (default): the cost model of linalg/solverChoice.ts (Cholesky for small systems,
   * else the faster estimate within the memory budget); "cholesky"; "cg".
   */
  readonly solver?: DipoleSolver;
  /**
   * Preconditioner of the CG solves: "ssor" (default) or "amg" (smoothed aggregation, amg.ts;
   * the default when `amg` is given). Measured at N = 10⁴ (3D PSS, CPU s per dipole in blocks
   * of 4, loaded machine): SSOR 0.061 s (78 iterations, wasm kernels), AMG 0.69 s (36
   * iterations, JavaScript V-cycle), so SSOR stays the default.
   */
  readonly preconditioner?: "amg" | "ssor";
  /** A smoothed-aggregation hierarchy of M to reuse for the CG solves. */
  readonly amg?: AmgHierarchy;
  /** Memory budget of a factor for the automatic choice (default half the RAM). */
  readonly memoryBytes?: number;
  /** A pinned factorization of M (shift 0) to reuse; built here otherwise (and returned). */
  readonly factor?: SparseCholesky;
  /** Positions and box: geometric nested dissection for the factor (faster ordering). */
  readonly positions?: Float64Array;
  readonly box?: Box;
  /**
   * Right-hand sides per block solve (default 32 with Cholesky: one pass through the factor per
   * block; 4 with CG: with the SSOR-preconditioned CG, 4 beat 1, 8, 16 and 32 per dipole at
   * N = 3000, 10⁴ and 10⁵ in measurements).
   */
  readonly blockSize?: number;
  /** Relative residual of the CG solves (default 1e-10). */
  readonly cgTol?: number;
  readonly cgMaxIterations?: number;
  /** Largest accepted ‖Mz − d‖/‖d‖ of a Cholesky solve (default 1e-8). */
  readonly residualTol?: number;
  /**
   * Called once per dipole, in order, with the response z (n·d, translation-free; a scratch
   * vector valid during the call only), the dipole's index in `pairs`, and κ.
   */
  readonly onResponse?: (z: Float64Array, index: number, kappa: number) => void;
}

export interface DipoleResponses {
  /** Record indices of the excited pairs (as passed). */
  readonly pairs: Int32Array;
  readonly i: Int32Array;
  readonly j: Int32Array;
  /** κ = (z·M·z)/(z·z) per pair. */
  readonly kappa: Float64Array;
  /** f_ij = −φ'(r_ij) per pair (positive = repulsive). */
  readonly force: Float64Array;
  /** Largest ‖Mz − d‖/‖d‖ over the pairs. */
  readonly maxResidual: number;
  readonly solver: "cholesky" | "cg";
  /** The solver as reported: "Cholesky", "CG+AMG" or "CG+SSOR". */
  readonly method: "Cholesky" | "CG+AMG" | "CG+SSOR";
  /** The automatic choice's estimate and reason (null when the solver was given or a factor passed). */
  readonly choice: CostEstimate | null;
  readonly blockSize: number;
  /** The factor used (Cholesky solver), for reuse by the mode solver. */
  readonly factor: SparseCholesky | null;
  /** Sum over blocks of the CG iterations of the slowest column (0 with Cholesky). */
  readonly cgIterations: number;
  readonly seconds: { readonly factor: number; readonly solve: number };
}

/** The solver "auto" picks for a Hessian of n particles in d dimensions. */
export function autoDipoleSolver(n: number, d: number): "cholesky" | "cg" {
  return n <= (AUTO_CHOLESKY_MAX_PARTICLES[d] ?? 30000) ? "cholesky" : "cg";
}

/**
 * Responses z = M⁺ d to the force dipoles of the given pairs and their stiffnesses κ (SPEC §6.2).
 *
 * @example
 *   const sel = selectDipolePairs(g.records, { count: 500, seed: 7 });
 *   const res = dipoleResponses(g.hessian, g.records, sel.pairs);
 *   res.kappa; // ω_g^(ij) = sqrt(κ)
 */
export function dipoleResponses(M: BlockMatrix, records: PairRecords, pairs: Int32Array, opts: DipoleResponseOptions = {}): DipoleResponses {
  const { d, n } = M;
  const nd = n * d;
  if (records.d !== d) throw new GlassmechError(`dipoles: records are ${records.d}D, the Hessian ${d}D`);
  const np = pairs.length;
  for (let t = 0; t < np; t++) {
    const p = pairs[t];
    if (!(p >= 0 && p < records.count) || records.i[p] === records.j[p])
      throw new GlassmechError(`dipoles: pair ${t} (record ${p}) is not an interacting pair of two particles`);
  }
  let choice: CostEstimate | null = null;
  let solver: "cholesky" | "cg";
  if (opts.factor !== undefined) solver = "cholesky";
  else if ((opts.solver ?? "auto") === "auto") {
    choice = chooseSolvePath(M, { solves: np, positions: opts.positions, box: opts.box, memoryBytes: opts.memoryBytes });
    solver = choice.path === "direct" ? "cholesky" : "cg";
  } else solver = opts.solver as "cholesky" | "cg";
  const pre = opts.preconditioner ?? (opts.amg !== undefined ? "amg" : "ssor");
  if (pre !== "amg" && pre !== "ssor") throw new GlassmechError(`dipoles: unknown preconditioner "${pre as string}" (use "amg" or "ssor")`);
  let amg: AmgHierarchy | undefined = opts.amg;
  const blockSize = Math.max(1, Math.min(opts.blockSize ?? (solver === "cg" ? 4 : 32), Math.max(1, np)));
  const residualTol = opts.residualTol ?? 1e-8;
  const cgTol = opts.cgTol ?? 1e-10;
  const t0 = performance.now();
  let factor: SparseCholesky | null = null;
  if (solver === "cholesky") {
    factor = opts.factor ?? sparseCholesky(M, { positions: opts.positions, box: opts.box });
    if (factor.shift !== 0 || factor.pinned < 0) throw new GlassmechError("dipoles: the factor must be of M itself with a pinned particle (shift 0)");
    if (factor.n !== n || factor.d !== d) throw new GlassmechError(`dipoles: the factor is for ${factor.n} particles in ${factor.d}D, M has ${n} in ${d}D`);
  }
  if (solver === "cg" && pre === "amg" && amg === undefined) amg = smoothedAggregation(M, {});
  const t1 = performance.now();

  const I = new Int32Array(np);
  const J = new Int32Array(np);
  const kappa = new Float64Array(np);
  const force = new Float64Array(np);
  const B = new Float64Array(nd * blockSize);
  const Z = factor !== null ? new Float64Array(nd * blockSize) : new Float64Array(0);
  const MZ = new Float64Array(nd * blockSize);
  const zz = new Float64Array(blockSize);
  const zMz = new Float64Array(blockSize);
  const rr = new Float64Array(blockSize);
  const column = opts.onResponse !== undefined ? new Float64Array(nd) : null;
  let maxResidual = 0;
  let cgIterations = 0;
  const { i: ri, j: rj, delta, r: rlen, dphi } = records;

  for (let start = 0; start < np; start += blockSize) {
    const k = Math.min(blockSize, np - start);
    const Bk = B.subarray(0, nd * k);
    Bk.fill(0);
    // Dipole r of the block: +n on j, −n on i (interleaved layout (particle·d + a)·k + r).
    for (let r = 0; r < k; r++) {
      const p = pairs[start + r];
      const a0 = ri[p];
      const b0 = rj[p];
      I[start + r] = a0;
      J[start + r] = b0;
      force[start + r] = -dphi[p];
      const inv = 1 / rlen[p];
      for (let a = 0; a < d; a++) {
        const na = delta[p * d + a] * inv;
        Bk[(b0 * d + a) * k + r] += na;
        Bk[(a0 * d + a) * k + r] -= na;
      }
    }
    let Zk: Float64Array;
    if (factor !== null) {
      Zk = Z.subarray(0, nd * k);
      // The dipoles sum to zero (⟂ translations): the pinned solve satisfies every equation of
      // M z = d; projecting z gives M⁺ d (cholesky.ts pseudoSolve).
      factor.solveMany(Bk, k, Zk);
      removeTranslationsMulti(d, k, Zk);
    } else {
      const res = solveCGMulti(M, k, Bk, { tol: cgTol, maxIterations: opts.cgMaxIterations, preconditioner: pre === "amg" ? "amg" : undefined, amg: pre === "amg" ? amg : undefined });
      if (!res.converged) throw new GlassmechError(`dipole response of pair (${I[start]}, ${J[start]})…: ${res.columns.find((c) => !c.converged)!.message}`);
      cgIterations += res.iterations;
      Zk = res.x;
    }
    const MZk = MZ.subarray(0, nd * k);
    blockMatMulVectors(M, k, Zk, MZk);
    zz.fill(0);
    zMz.fill(0);
    rr.fill(0);
    for (let t = 0; t < nd; t++) {
      const o = t * k;
      for (let r = 0; r < k; r++) {
        const z = Zk[o + r];
        const mz = MZk[o + r];
        const e = mz - Bk[o + r];
        zz[r] += z * z;
        zMz[r] += z * mz;
        rr[r] += e * e;
      }
    }
    for (let r = 0; r < k; r++) {
      // ‖d‖² = 2.
      const res = Math.sqrt(rr[r] / 2);
      if (res > maxResidual) maxResidual = res;
      if (!(zz[r] > 0)) throw new GlassmechError(`dipole response of pair (${I[start + r]}, ${J[start + r]}) is zero or not finite`);
      kappa[start + r] = zMz[r] / zz[r];
      if (factor !== null && !(res <= residualTol))
        throw new GlassmechError(
          `dipole response of pair (${I[start + r]}, ${J[start + r]}): residual ‖Mz − d‖/‖d‖ = ${res.toExponential(2)} above ${residualTol} (ill-conditioned Hessian: rattler or near-unstable glass?)`,
        );
      if (!(kappa[start + r] > 0))
        throw new GlassmechError(`dipole stiffness of pair (${I[start + r]}, ${J[start + r]}) is ${kappa[start + r]} ≤ 0: the Hessian is not positive (not a minimum?)`);
    }
    if (column !== null) {
      for (let r = 0; r < k; r++) {
        for (let t = 0; t < nd; t++) column[t] = Zk[t * k + r];
        opts.onResponse!(column, start + r, kappa[start + r]);
      }
    }
  }
  const t2 = performance.now();
  return {
    pairs,
    i: I,
    j: J,
    kappa,
    force,
    maxResidual,
    solver,
    method: solver === "cholesky" ? "Cholesky" : pre === "amg" ? "CG+AMG" : "CG+SSOR",
    choice,
    blockSize,
    factor,
    cgIterations,
    seconds: { factor: (t1 - t0) / 1000, solve: (t2 - t1) / 1000 },
  };
}
