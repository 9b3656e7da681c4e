/**
 * Direct (nested dissection + supernodal Cholesky) or iterative (smoothed-aggregation AMG with
 * block CG / LOBPCG) — chosen per glass from a small memory and time model (issue 15).
 *
 * Direct: the symbolic analysis of the pinned Hessian (ordering.ts + symbolic.ts, seconds at
 * N = 10⁵) gives the exact nonzeros nnz(L) and flops of the factor; then
 *   memory = 8·nnz(L)·(1 + 0.1) bytes (panels plus scratch),
 *   time   = flops / FACTOR_RATE + solves · 4·nnz(L) / SOLVE_RATE,
 * with solves = the dipole count, plus LANCZOS_SOLVES_PER_MODE·k for k modes (shift-invert
 * block Lanczos needs ~26 single-vector solve equivalents per mode, measured at N = 10⁴).
 * Iterative: memory and time linear in the scalar order n·d (AMG iteration counts stay
 * O(1)-ish with N), with per-unknown constants measured on 3D PSS glasses (see below).
 * The direct path is refused when its memory exceeds `memoryBytes` (default: half the
 * machine's RAM); otherwise the faster estimate wins. The symbolic analysis is skipped (direct
 * taken) below SMALL_ORDER scalar unknowns, where the factor is always cheap, and skipped
 * (iterative taken) above LARGE_ORDER, where the fill alone (∝ N^{4/3} in 3D) rules it out.
 */
import os from "node:os";
import type { Box } from "../core/box.js";
import { GlassmechError } from "../core/errors.js";
import type { BlockMatrix } from "./blockMatrix.js";
import { stiffestParticle } from "./cholesky.js";
import { lobpcgBlockSize } from "./lobpcg.js";
import { blockGraph, fillReducingOrder } from "./ordering.js";
import { symbolicCholesky } from "./symbolic.js";

/**
 * Model constants, measured on this project's 2-core Xeon (Node 20, one thread, 3D PSS
 * r_c = 1.2 glasses, README "AMG and LOBPCG"): factorization flops per second (N = 10⁴:
 * 5.8·10¹⁰ flops in 5.4 s), solve flops per second per right-hand side in blocks of 32,
 * Lanczos solves per mode, and the iterative path's seconds per scalar unknown: AMG setup,
 * one CG+AMG dipole solve, LOBPCG per wanted mode; bytes per scalar unknown of the hierarchy
 * plus the LOBPCG block. N = 10⁴ (CPU s): factor 6.4 s, 20 modes by Lanczos 6.3 s, 0.044 s per
 * Cholesky dipole; AMG setup 0.56 s, 20 modes by LOBPCG+AMG 35 s (47 iterations), 0.061 s per CG+SSOR dipole (the
 * iterative solves use SSOR, the faster preconditioner for single solves; AMG serves LOBPCG).
 */
export const COST_MODEL = {
  factorRate: 1.0e10,
  solveRate: 1.0e10,
  lanczosSolvesPerMode: 26,
  amgSetupSecondsPerUnknown: 2.0e-5,
  cgSolveSecondsPerUnknown: 2.6e-6,
  lobpcgSecondsPerModeUnknown: 6.0e-5,
  iterativeBytesPerUnknown: 2000,
  smallOrder: 30000,
  largeOrder: 3.0e6,
} as const;

export type SolvePath = "direct" | "iterative";

/**
 * Memory of the factorization-free path: the AMG hierarchy plus LOBPCG's nine tall blocks of m
 * columns (m = lobpcgBlockSize, with the plane-wave block size when the cell is given); on
 * T > 1 threads (columnThreads.ts) also the workers' shared copies of the hierarchy and of the
 * Hessian (~14 blocks of d² doubles a row: 8·14·3 bytes per unknown in 3D) and the column
 * slabs (two vectors per block column).
 */
export function iterativePathBytes(nd: number, modes: number, threads = 1, box?: Box): number {
  const m = modes > 0 ? lobpcgBlockSize(modes, nd, box) : 1;
  const serial = COST_MODEL.iterativeBytesPerUnknown * nd + 8 * nd * 9 * m;
  return threads > 1 ? serial + COST_MODEL.iterativeBytesPerUnknown * nd + 8 * 14 * 3 * nd + 8 * nd * 2 * m : serial;
}

/**
 * The Cholesky factor's memory above LARGE_ORDER, where no symbolic analysis is run: extrapolated
 * from the measured N = 10⁵ 3D factor (3·10⁵ unknowns, 5.5 GiB) with the fill ∝ (n·d)^{4/3}.
 */
export function extrapolatedFactorBytes(nd: number): number {
  return 5.5 * 2 ** 30 * Math.pow(nd / 3e5, 4 / 3);
}

export interface CostEstimate {
  /** The path chosen. */
  readonly path: SolvePath;
  /** Why (one line, for the output). */
  readonly reason: string;
  /** Direct path: nnz(L), bytes and seconds (NaN when the analysis was skipped). */
  readonly directNnzL: number;
  readonly directBytes: number;
  readonly directSeconds: number;
  /** Iterative path: bytes and seconds. */
  readonly iterativeBytes: number;
  readonly iterativeSeconds: number;
  /** Seconds the symbolic analysis took (0 when skipped). */
  readonly analysisSeconds: number;
}

export interface CostOptions {
  /** Lowest modes wanted (default 0). */
  readonly modes?: number;
  /** Linear solves wanted (dipoles; default 0). */
  readonly solves?: number;
  /** Memory budget of a factor (default half the RAM). */
  readonly memoryBytes?: number;
  readonly positions?: Float64Array;
  readonly box?: Box;
  /** Override of COST_MODEL.smallOrder (tests; 0 always runs the analysis). */
  readonly smallOrder?: number;
}

/** Estimates both paths for `modes` lowest modes and `solves` linear solves with M and picks one. */
export function chooseSolvePath(M: BlockMatrix, opts: CostOptions = {}): CostEstimate {
  const { d, n } = M;
  const nd = n * d;
  const k = opts.modes ?? 0;
  const solves = opts.solves ?? 0;
  if (!(k >= 0 && solves >= 0)) throw new GlassmechError(`solver choice: modes ${k} and solves ${solves} must be non-negative`);
  const c = COST_MODEL;
  const budget = opts.memoryBytes ?? os.totalmem() / 2;
  const iterativeBytes = iterativePathBytes(nd, k, 1, opts.box);
  // SSOR-CG iterations grow like the box side L ∝ N^{1/3} (√κ of the Hessian); LOBPCG+AMG's stay flat.
  const cgGrowth = Math.cbrt(Math.max(1, n / 1e4));
  const iterativeSeconds = nd * ((k > 0 ? c.amgSetupSecondsPerUnknown : 0) + solves * c.cgSolveSecondsPerUnknown * cgGrowth + k * c.lobpcgSecondsPerModeUnknown);
  const base = { iterativeBytes, iterativeSeconds };
  const small = opts.smallOrder ?? c.smallOrder;
  if (nd <= small)
    return { path: "direct", reason: `small system (${nd} unknowns ≤ ${small}): Cholesky`, directNnzL: NaN, directBytes: NaN, directSeconds: NaN, analysisSeconds: 0, ...base };
  if (nd > c.largeOrder)
    return {
      path: "iterative",
      reason: `large system (${nd} unknowns > ${c.largeOrder}): the factor's fill (∝ N^4/3) rules Cholesky out`,
      directNnzL: NaN,
      directBytes: NaN,
      directSeconds: NaN,
      analysisSeconds: 0,
      ...base,
    };
  const t0 = performance.now();
  const g = blockGraph(M, stiffestParticle(M));
  const perm = fillReducingOrder(g, { positions: opts.positions, box: opts.box });
  const sym = symbolicCholesky(g, perm, d);
  const analysisSeconds = (performance.now() - t0) / 1000;
  const directNnzL = sym.nnzLower;
  const directBytes = 8 * sym.nnzL * 1.1;
  const directSeconds = sym.flops / c.factorRate + ((solves + c.lanczosSolvesPerMode * k) * 4 * sym.nnzL) / c.solveRate;
  const est = { directNnzL, directBytes, directSeconds, analysisSeconds, ...base };
  const gib = (b: number) => (b / 2 ** 30).toFixed(2);
  if (directBytes > budget)
    return { path: "iterative", reason: `Cholesky factor needs ${gib(directBytes)} GiB > budget ${gib(budget)} GiB`, ...est };
  if (directSeconds <= iterativeSeconds)
    return { path: "direct", reason: `Cholesky estimated ${directSeconds.toFixed(1)} s ≤ AMG ${iterativeSeconds.toFixed(1)} s (${gib(directBytes)} GiB)`, ...est };
  return { path: "iterative", reason: `AMG estimated ${iterativeSeconds.toFixed(1)} s < Cholesky ${directSeconds.toFixed(1)} s`, ...est };
}
