/**
 * Smoothed-aggregation algebraic multigrid (SA-AMG) for the Hessian's block matrix, used as a
 * preconditioner by the block CG (cg.ts) and by LOBPCG (lobpcg.ts) on the translation-free
 * subspace — the factorization-free path for large N (issue 15).
 *
 * Method: Vaněk, Mandel & Brezina, "Algebraic multigrid by smoothed aggregation for second and
 * fourth order elliptic problems", Computing 56 (1996); the setup follows the structure of
 * PyAMG's smoothed_aggregation_solver (Olson & Schroder) for block (BSR) matrices:
 *   1. strength of connection between particles (blocks): j is a strong neighbour of i when
 *      ‖A_ij‖_F ≥ θ·sqrt(‖A_ii‖_F ‖A_jj‖_F) (θ = 0 keeps every nonzero block, PyAMG's default);
 *   2. standard aggregation (three greedy passes: root + all its strong neighbours when none is
 *      taken; leftovers join their strongest aggregated neighbour; the rest form new aggregates);
 *   3. tentative prolongator T from the near-null space B: per aggregate, B restricted to its
 *      rows is factored B_K = Q_K R_K (thin QR); T's columns are Q_K and the coarse near-null
 *      space is R_K. B holds the d uniform translations (the Hessian's exact kernel) and, with
 *      nearNullSpace "rigid", the d(d−1)/2 infinitesimal rotations about the aggregate's centre
 *      (the low-energy rigid-body motions of elasticity; periodic boxes have no global rotation,
 *      so rotations are only ever used aggregate by aggregate, through minimum-image offsets);
 *   4. prolongator smoothing P = (I − ω D⁻¹A) T, D the block diagonal, ω = (4/3)/ρ(D⁻¹A) with
 *      ρ estimated by power iteration;
 *   5. Galerkin coarse operator A_c = Pᵀ A P (made exactly symmetric);
 *   6. repeat on A_c until it has at most `maxCoarse` scalar unknowns, which are solved densely.
 *
 * Translations. Because (I − ωD⁻¹A) t = t for a translation t (A t = 0) and t ∈ range(T), every
 * level keeps the translations exactly: P t_c = t, A_c t_c = 0, and a right-hand side ⟂ t
 * restricts to one ⟂ t_c. The coarsest singular system is solved as (A_c + c·QQᵀ) x = b with Q
 * the orthonormalized coarse translations (c = ‖A_c‖_∞), which for b ⟂ Q gives x = A_c⁺ b.
 *
 * Cycle: a V-cycle with block Gauss–Seidel smoothing, forward sweeps before the coarse
 * correction and backward sweeps after it, so the cycle is a symmetric operator and, being a
 * convergent iteration for a positive semi-definite A, positive definite on the complement of
 * the translations: a valid preconditioner C for CG, applied there as P_T C P_T.
 * Multi-vectors are interleaved (k columns, the layout of blockMatMulVectors), so one pass over
 * every level's matrices serves k right-hand sides (block CG, LOBPCG blocks).
 */
import type { Box } from "../core/box.js";
import { GlassmechError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import type { BlockMatrix } from "./blockMatrix.js";
import { gaussSeidel33 } from "./amgKernels.js";
import { bsrBytes, bsrMulVectors, bsrMultiply, bsrOf, bsrTranspose, symmetrizeInPlace, type Bsr } from "./bsr.js";
import { symmetricEigen } from "./dense.js";

export type NearNullSpace = "translations" | "rigid";

export interface AmgOptions {
  /**
   * "translations" (default): the d uniform translations; "rigid": translations and the
   * d(d−1)/2 rotations per aggregate (needs positions and box). See the README's AMG notes for
   * the measured iteration counts of both.
   */
  readonly nearNullSpace?: NearNullSpace;
  /** Particle positions (n·d) and box: only for nearNullSpace "rigid". */
  readonly positions?: Float64Array;
  readonly box?: Box;
  /** Strength threshold θ (default 0: every nonzero block is a strong connection). */
  readonly strength?: number;
  /** Largest number of scalar unknowns of the coarsest level, solved densely (default 400: the dense solve is O(m²) per column and per cycle). */
  readonly maxCoarse?: number;
  /** Level limit (default 12). */
  readonly maxLevels?: number;
  /** Gauss–Seidel sweeps before and after each coarse correction (default 2: at N = 10⁴, 38 CG iterations instead of 59 with 1, and less time). */
  readonly sweeps?: number;
  /** ω·ρ(D⁻¹A) of the prolongator smoother (default 4/3). */
  readonly prolongationOmega?: number;
}

export interface AmgStats {
  readonly levels: number;
  /** Block rows, block size and stored blocks per level (fine first; the last is the dense one). */
  readonly blockRows: readonly number[];
  readonly blockSizes: readonly number[];
  readonly blocks: readonly number[];
  /** Σ_l nnz(A_l) / nnz(A_0) in scalars. */
  readonly operatorComplexity: number;
  /** Bytes of the hierarchy (operators, prolongators, restrictions, smoothers, dense factor). */
  readonly bytes: number;
  readonly setupSeconds: number;
  readonly nearNullSpace: NearNullSpace;
}

export interface Level {
  readonly A: Bsr;
  /** Inverses of the b×b diagonal blocks (SPD replacement where a block is not SPD). */
  readonly dinv: Float64Array;
  /** Prolongator to this level from the next, and its transpose (null on the coarsest). */
  readonly P: Bsr | null;
  readonly R: Bsr | null;
}

/** A hierarchy as plain data over SharedArrayBuffers (AmgHierarchy.toShared). */
export interface AmgShared {
  readonly d: number;
  readonly n: number;
  readonly levels: readonly Level[];
  readonly coarseL: Float64Array;
  readonly nCoarse: number;
  readonly sweeps: number;
  readonly stats: AmgStats;
}

function sharedCopy<T extends Float64Array | Int32Array>(a: T): T {
  const c = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(Math.max(8, a.byteLength)));
  c.set(a);
  return (a.length === c.length ? c : c.subarray(0, a.length)) as T;
}

/** A Bsr whose arrays are SharedArrayBuffer copies. */
export function sharedBsr(A: Bsr): Bsr {
  return { ...A, rowPtr: sharedCopy(A.rowPtr), colIdx: sharedCopy(A.colIdx), values: sharedCopy(A.values) };
}

/** The multigrid hierarchy; build it with smoothedAggregation(). */
export class AmgHierarchy {
  readonly d: number;
  /** Particles of the fine level (scalar order n·d). */
  readonly n: number;
  readonly stats: AmgStats;
  private readonly levels: Level[];
  /** Dense Cholesky factor (row-major, lower) of the regularized coarsest operator. */
  private readonly coarseL: Float64Array;
  private readonly nCoarse: number;
  private readonly sweeps: number;
  private kCap = 0;
  private xs: Float64Array[] = [];
  private bs: Float64Array[] = [];
  private rs: Float64Array[] = [];
  private acc = new Float64Array(0);

  /** @internal */
  constructor(d: number, n: number, levels: Level[], coarseL: Float64Array, nCoarse: number, sweeps: number, stats: AmgStats) {
    this.d = d;
    this.n = n;
    this.levels = levels;
    this.coarseL = coarseL;
    this.nCoarse = nCoarse;
    this.sweeps = sweeps;
    this.stats = stats;
  }

  /**
   * The hierarchy's arrays copied into SharedArrayBuffers (for worker threads: columnThreads.ts),
   * the fine operator being `fine` (the Hessian's own shared copy). fromShared() rebuilds it.
   */
  toShared(fine: Bsr): AmgShared {
    const levels = this.levels.map((lv, l) => ({
      A: l === 0 ? fine : sharedBsr(lv.A),
      dinv: sharedCopy(lv.dinv),
      P: lv.P === null ? null : sharedBsr(lv.P),
      R: lv.R === null ? null : sharedBsr(lv.R),
    }));
    return { d: this.d, n: this.n, levels, coarseL: sharedCopy(this.coarseL), nCoarse: this.nCoarse, sweeps: this.sweeps, stats: this.stats };
  }

  /** The hierarchy of toShared() (its arrays are used in place, not copied). */
  static fromShared(s: AmgShared): AmgHierarchy {
    return new AmgHierarchy(s.d, s.n, s.levels.map((lv) => ({ ...lv })), s.coarseL, s.nCoarse, s.sweeps, s.stats);
  }

  /**
   * Z = C·R for k interleaved columns: one symmetric V-cycle from a zero guess per column. R
   * must be translation-free for Z to approximate M⁺R; Z may carry a translation component
   * (callers project it). R and Z have n·d·k entries and must not overlap.
   */
  apply(k: number, R: Float64Array, Z: Float64Array): void {
    const L = this.n * this.d * k;
    if (R.length < L || Z.length < L) throw new GlassmechError(`AMG: vectors of length ${R.length}, ${Z.length} for ${k} columns of ${this.n * this.d}`);
    this.ensure(k);
    this.cycle(0, k, R, Z);
  }

  private ensure(k: number): void {
    if (k <= this.kCap) return;
    this.kCap = k;
    this.xs = [];
    this.bs = [];
    this.rs = [];
    let maxB = 1;
    for (const lv of this.levels) {
      const m = lv.A.nr * lv.A.br * k;
      this.xs.push(new Float64Array(m));
      this.bs.push(new Float64Array(m));
      this.rs.push(new Float64Array(m));
      maxB = Math.max(maxB, lv.A.br);
    }
    this.acc = new Float64Array(maxB * k);
  }

  private cycle(l: number, k: number, b: Float64Array, x: Float64Array): void {
    const lv = this.levels[l];
    const A = lv.A;
    const m = A.nr * A.br * k;
    if (lv.P === null) {
      denseSolveMulti(this.nCoarse, this.coarseL, k, b, x);
      return;
    }
    x.fill(0, 0, m);
    for (let s = 0; s < this.sweeps; s++) gaussSeidel(A, lv.dinv, k, b, x, this.acc, true);
    const r = this.rs[l];
    bsrMulVectors(A, k, x, r, this.acc);
    for (let t = 0; t < m; t++) r[t] = b[t] - r[t];
    const bc = this.bs[l + 1];
    const xc = this.xs[l + 1];
    bsrMulVectors(lv.R!, k, r, bc, this.acc);
    this.cycle(l + 1, k, bc, xc);
    bsrMulVectors(lv.P, k, xc, r, this.acc);
    for (let t = 0; t < m; t++) x[t] += r[t];
    for (let s = 0; s < this.sweeps; s++) gaussSeidel(A, lv.dinv, k, b, x, this.acc, false);
  }
}

/**
 * One block Gauss–Seidel sweep on A x = b for k interleaved columns, forward (i ascending) or
 * backward: x_i ← D_i⁻¹ (b_i − Σ_{j≠i} A_ij x_j). acc: scratch of b·k entries.
 */
function gaussSeidel(A: Bsr, dinv: Float64Array, k: number, b: Float64Array, x: Float64Array, acc: Float64Array, forward: boolean): void {
  const { nr, br, rowPtr, colIdx, values } = A;
  if (br === 3) {
    gaussSeidel33(A, dinv, k, b, x, acc, forward);
    return;
  }
  const bb = br * br;
  const w = br * k;
  for (let step = 0; step < nr; step++) {
    const i = forward ? step : nr - 1 - step;
    const io = i * w;
    for (let t = 0; t < w; t++) acc[t] = b[io + t];
    const pe = rowPtr[i + 1];
    for (let p = rowPtr[i]; p < pe; p++) {
      const j = colIdx[p];
      if (j === i) continue;
      const xo = j * w;
      const vo = p * bb;
      for (let a = 0; a < br; a++) {
        const ao = a * k;
        for (let c = 0; c < br; c++) {
          const v = values[vo + a * br + c];
          const xc = xo + c * k;
          for (let r = 0; r < k; r++) acc[ao + r] -= v * x[xc + r];
        }
      }
    }
    const dvo = i * bb;
    for (let a = 0; a < br; a++)
      for (let r = 0; r < k; r++) {
        let s = 0;
        for (let c = 0; c < br; c++) s += dinv[dvo + a * br + c] * acc[c * k + r];
        x[io + a * k + r] = s;
      }
  }
}

/** Solves L Lᵀ x = b for k interleaved columns (L row-major lower, order n). No allocation. */
function denseSolveMulti(n: number, L: Float64Array, k: number, b: Float64Array, x: Float64Array): void {
  for (let t = 0; t < n * k; t++) x[t] = b[t];
  for (let i = 0; i < n; i++) {
    const io = i * k;
    const lo = i * n;
    for (let j = 0; j < i; j++) {
      const l = L[lo + j];
      if (l === 0) continue;
      const jo = j * k;
      for (let r = 0; r < k; r++) x[io + r] -= l * x[jo + r];
    }
    const inv = 1 / L[lo + i];
    for (let r = 0; r < k; r++) x[io + r] *= inv;
  }
  for (let i = n - 1; i >= 0; i--) {
    const io = i * k;
    for (let j = i + 1; j < n; j++) {
      const l = L[j * n + i];
      if (l === 0) continue;
      const jo = j * k;
      for (let r = 0; r < k; r++) x[io + r] -= l * x[jo + r];
    }
    const inv = 1 / L[i * n + i];
    for (let r = 0; r < k; r++) x[io + r] *= inv;
  }
}

/**
 * Builds the smoothed-aggregation hierarchy of the Hessian M (see the module comment).
 *
 * @example
 *   const amg = smoothedAggregation(M);            // translations as near-null space
 *   const x = solveCG(M, b, { preconditioner: "amg", amg }).x;
 */
export function smoothedAggregation(M: BlockMatrix, opts: AmgOptions = {}): AmgHierarchy {
  const t0 = performance.now();
  const { d, n } = M;
  const nns = opts.nearNullSpace ?? "translations";
  if (nns !== "translations" && nns !== "rigid") throw new GlassmechError(`AMG: unknown near-null space "${nns as string}" (use "translations" or "rigid")`);
  const rigid = nns === "rigid";
  if (rigid && (opts.positions === undefined || opts.box === undefined)) throw new GlassmechError('AMG: the "rigid" near-null space needs positions and the box');
  if (rigid && opts.positions!.length !== n * d) throw new GlassmechError(`AMG: ${opts.positions!.length} coordinates for ${n} particles in ${d}D`);
  const theta = opts.strength ?? 0;
  const maxCoarse = Math.max(opts.maxCoarse ?? 400, 4 * d);
  const maxLevels = Math.max(2, opts.maxLevels ?? 12);
  const sweeps = Math.max(1, opts.sweeps ?? 2);
  const omegaFactor = opts.prolongationOmega ?? 4 / 3;
  const nrot = rigid ? (d * (d - 1)) / 2 : 0;
  const nb = d + nrot;

  const levels: Level[] = [];
  let A: Bsr = bsrOf(M);
  // Near-null space per node: E (b×nb, node-local frame) and the node's centre (positions).
  let E: Float64Array | null = null; // null: the fine level, E_i = [I_d 0]
  let centres: Float64Array | null = rigid ? opts.positions! : null;
  const box = opts.box;
  const rng = Rng.fromSeed(12345);
  while (true) {
    const b = A.br;
    const dinv = blockInverses(A);
    const scalars = A.nr * b;
    if (scalars <= maxCoarse || levels.length + 1 >= maxLevels) {
      levels.push({ A, dinv, P: null, R: null });
      break;
    }
    const { agg, nAgg } = aggregate(A, theta);
    if (nAgg * nb >= 0.9 * scalars) {
      // Coarsening stalled (tiny or disconnected system): solve this level densely.
      levels.push({ A, dinv, P: null, R: null });
      break;
    }
    const tent = tentativeProlongator(A, agg, nAgg, E, d, nrot, centres, box);
    const omega = omegaFactor / spectralRadiusDinvA(A, dinv, rng);
    const AT = bsrMultiply(A, tent.T);
    const P = smoothProlongator(tent.T, AT, dinv, omega, agg);
    const R = bsrTranspose(P);
    const AP = bsrMultiply(A, P);
    const Ac = bsrMultiply(R, AP);
    symmetrizeInPlace(Ac);
    fixEmptyUnknowns(Ac);
    levels.push({ A, dinv, P, R });
    A = Ac;
    E = tent.Ec;
    centres = tent.centres;
  }
  const last = levels[levels.length - 1].A;
  const nCoarse = last.nr * last.br;
  const coarseL = coarseFactor(last, E, d);

  let bytes = 8 * coarseL.length;
  let fineNnz = 0;
  let totalNnz = 0;
  for (let l = 0; l < levels.length; l++) {
    const lv = levels[l];
    const nnz = lv.A.rowPtr[lv.A.nr] * lv.A.br * lv.A.bc;
    if (l === 0) fineNnz = nnz;
    else bytes += bsrBytes(lv.A);
    totalNnz += nnz;
    bytes += lv.dinv.byteLength + (lv.P ? bsrBytes(lv.P) + bsrBytes(lv.R!) : 0);
  }
  const stats: AmgStats = {
    levels: levels.length,
    blockRows: levels.map((lv) => lv.A.nr),
    blockSizes: levels.map((lv) => lv.A.br),
    blocks: levels.map((lv) => lv.A.rowPtr[lv.A.nr]),
    operatorComplexity: totalNnz / fineNnz,
    bytes,
    setupSeconds: (performance.now() - t0) / 1000,
    nearNullSpace: nns,
  };
  return new AmgHierarchy(d, n, levels, coarseL, nCoarse, sweeps, stats);
}

/**
 * Inverses of the diagonal blocks (b×b each). A block that is not positive definite (a zero
 * block of a particle without interactions, rounding) is replaced by (|tr|/b)·I, as in
 * blockJacobiInverse, so every smoother step is well defined.
 */
function blockInverses(A: Bsr): Float64Array {
  const { nr, br: b, rowPtr, colIdx, values } = A;
  const bb = b * b;
  const inv = new Float64Array(nr * bb);
  const L = new Float64Array(bb);
  for (let i = 0; i < nr; i++) {
    let p = rowPtr[i];
    while (p < rowPtr[i + 1] && colIdx[p] !== i) p++;
    const o = i * bb;
    if (p === rowPtr[i + 1] || !invertSPD(b, values, p * bb, L, inv, o)) {
      let tr = 0;
      if (p < rowPtr[i + 1]) for (let a = 0; a < b; a++) tr += values[p * bb + a * b + a];
      const s = tr !== 0 && Number.isFinite(tr) ? b / Math.abs(tr) : 1;
      for (let w = 0; w < bb; w++) inv[o + w] = 0;
      for (let a = 0; a < b; a++) inv[o + a * b + a] = s;
    }
  }
  return inv;
}

/** Inverse of the SPD block at B[bo..] into out[o..] by Cholesky; false if not positive definite. */
function invertSPD(b: number, B: Float64Array, bo: number, L: Float64Array, out: Float64Array, o: number): boolean {
  L.fill(0);
  let maxDiag = 0;
  for (let j = 0; j < b; j++) maxDiag = Math.max(maxDiag, Math.abs(B[bo + j * b + j]));
  for (let j = 0; j < b; j++) {
    let s = B[bo + j * b + j];
    for (let q = 0; q < j; q++) s -= L[j * b + q] * L[j * b + q];
    if (!(s > 1e-13 * maxDiag)) return false;
    const ljj = Math.sqrt(s);
    L[j * b + j] = ljj;
    for (let i = j + 1; i < b; i++) {
      let t = 0.5 * (B[bo + i * b + j] + B[bo + j * b + i]);
      for (let q = 0; q < j; q++) t -= L[i * b + q] * L[j * b + q];
      L[i * b + j] = t / ljj;
    }
  }
  for (let c = 0; c < b; c++) {
    for (let i = 0; i < b; i++) {
      let s = i === c ? 1 : 0;
      for (let q = 0; q < i; q++) s -= L[i * b + q] * out[o + q * b + c];
      out[o + i * b + c] = s / L[i * b + i];
    }
    for (let i = b - 1; i >= 0; i--) {
      let s = out[o + i * b + c];
      for (let q = i + 1; q < b; q++) s -= L[q * b + i] * out[o + q * b + c];
      out[o + i * b + c] = s / L[i * b + i];
    }
  }
  return true;
}

/**
 * Standard aggregation (Vaněk et al. 1996 §3; PyAMG standard_aggregation) on the strength graph.
 * Pass 1: a node none of whose strong neighbours is aggregated becomes a root and takes them
 * all. Pass 2: a leftover node joins the pass-1 aggregate of its strongest neighbour. Pass 3:
 * what is still left forms new aggregates with its free strong neighbours (a node without any,
 * e.g. a rattler, is its own aggregate, so no row of T is empty).
 */
function aggregate(A: Bsr, theta: number): { agg: Int32Array; nAgg: number } {
  const { nr: n, br: b, rowPtr, colIdx, values } = A;
  const bb = b * b;
  const fro = (p: number): number => {
    let s = 0;
    for (let w = 0; w < bb; w++) s += values[p * bb + w] * values[p * bb + w];
    return s; // squared
  };
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) if (colIdx[p] === i) diag[i] = Math.sqrt(fro(p));
  // Strength per stored block: ‖A_ij‖²_F / (‖A_ii‖_F ‖A_jj‖_F), strong when ≥ θ² and nonzero.
  const nnz = rowPtr[n];
  const strength = new Float64Array(nnz);
  const t2 = theta * theta;
  for (let i = 0; i < n; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const j = colIdx[p];
      if (j === i) continue;
      const f = fro(p);
      if (!(f > 0)) continue;
      const den = diag[i] * diag[j];
      const s = den > 0 ? f / den : Infinity;
      if (s >= t2) strength[p] = s;
    }
  const agg = new Int32Array(n).fill(-1);
  let nAgg = 0;
  // Pass 1.
  for (let i = 0; i < n; i++) {
    if (agg[i] >= 0) continue;
    let free = true;
    let any = false;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++)
      if (strength[p] > 0) {
        any = true;
        if (agg[colIdx[p]] >= 0) {
          free = false;
          break;
        }
      }
    if (!free || !any) continue;
    agg[i] = nAgg;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) if (strength[p] > 0) agg[colIdx[p]] = nAgg;
    nAgg++;
  }
  const pass1 = nAgg;
  // Pass 2 (read pass-1 labels only, so aggregates do not grow into chains).
  const joined = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (agg[i] >= 0) continue;
    let best = -1;
    let bestS = 0;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const j = colIdx[p];
      if (strength[p] > bestS && agg[j] >= 0 && agg[j] < pass1) {
        bestS = strength[p];
        best = agg[j];
      }
    }
    joined[i] = best;
  }
  for (let i = 0; i < n; i++) if (agg[i] < 0 && joined[i] >= 0) agg[i] = joined[i];
  // Pass 3.
  for (let i = 0; i < n; i++) {
    if (agg[i] >= 0) continue;
    agg[i] = nAgg;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) if (strength[p] > 0 && agg[colIdx[p]] < 0) agg[colIdx[p]] = nAgg;
    nAgg++;
  }
  return { agg, nAgg };
}

/**
 * Tentative prolongator (one b×nb block per fine node, in the column of its aggregate) and the
 * coarse near-null space. Node J's near-null rows about a centre c are E_J·G(c_J − c), with
 * G(δ) = [[I_d, S(δ)], [0, I]] moving the rotations' centre (S(δ) the displacement of each
 * rotation at offset δ: plane (a, b) gives u_a = −δ_b, u_b = δ_a); on the fine level E_J = [I_d 0].
 * Per aggregate K the stacked rows B_K = Q_K R_K (CGS2 thin QR; a column dependent on the
 * previous ones to 1e-10 gets a zero Q column and zero R row: an unused coarse unknown).
 */
function tentativeProlongator(
  A: Bsr,
  agg: Int32Array,
  nAgg: number,
  E: Float64Array | null,
  d: number,
  nrot: number,
  centres: Float64Array | null,
  box: Box | undefined,
): { T: Bsr; Ec: Float64Array; centres: Float64Array | null } {
  const n = A.nr;
  const b = A.br;
  const nb = d + nrot;
  const bnb = b * nb;
  // Members of each aggregate (counting sort).
  const start = new Int32Array(nAgg + 1);
  for (let i = 0; i < n; i++) start[agg[i] + 1]++;
  for (let a = 0; a < nAgg; a++) start[a + 1] += start[a];
  const fill = start.slice(0, nAgg);
  const members = new Int32Array(n);
  for (let i = 0; i < n; i++) members[fill[agg[i]]++] = i;
  let maxSize = 0;
  for (let a = 0; a < nAgg; a++) maxSize = Math.max(maxSize, start[a + 1] - start[a]);

  const Tval = new Float64Array(n * bnb);
  const Ec = new Float64Array(nAgg * nb * nb);
  const cOut = nrot > 0 ? new Float64Array(nAgg * d) : null;
  const Bk = new Float64Array(maxSize * b * nb); // column-major: column q at q·rows
  const off = new Float64Array(maxSize * d);
  const G = new Float64Array(nb * nb);
  const v = new Float64Array(d);
  const Rk = new Float64Array(nb * nb);
  const mean = new Float64Array(d);
  for (let K = 0; K < nAgg; K++) {
    const m0 = start[K];
    const mK = start[K + 1] - m0;
    const rows = mK * b;
    // Offsets of the members from the aggregate's centre (minimum image from the first member).
    if (nrot > 0) {
      const root = members[m0];
      mean.fill(0);
      for (let q = 0; q < mK; q++) {
        const J = members[m0 + q];
        for (let a = 0; a < d; a++) v[a] = centres![J * d + a] - centres![root * d + a];
        box!.minimumImage(v);
        for (let a = 0; a < d; a++) {
          off[q * d + a] = v[a];
          mean[a] += v[a] / mK;
        }
      }
      for (let q = 0; q < mK; q++) for (let a = 0; a < d; a++) off[q * d + a] -= mean[a];
      for (let a = 0; a < d; a++) cOut![K * d + a] = centres![root * d + a] + mean[a];
    }
    // B_K rows: E_J · G(δ_J).
    for (let q = 0; q < mK; q++) {
      const J = members[m0 + q];
      G.fill(0);
      for (let c = 0; c < nb; c++) G[c * nb + c] = 1;
      if (nrot > 0) {
        let rq = 0;
        for (let a = 0; a < d; a++)
          for (let bb2 = a + 1; bb2 < d; bb2++) {
            G[a * nb + d + rq] = -off[q * d + bb2];
            G[bb2 * nb + d + rq] = off[q * d + a];
            rq++;
          }
      }
      for (let r = 0; r < b; r++)
        for (let c = 0; c < nb; c++) {
          let s = 0;
          if (E === null) s = r < d ? G[r * nb + c] : 0;
          else for (let e = 0; e < nb; e++) s += E[J * bnb + r * nb + e] * G[e * nb + c];
          Bk[c * rows + q * b + r] = s;
        }
    }
    // CGS2 thin QR in place (Bk becomes Q).
    Rk.fill(0);
    for (let c = 0; c < nb; c++) {
      const co = c * rows;
      let orig = 0;
      for (let t = 0; t < rows; t++) orig += Bk[co + t] * Bk[co + t];
      orig = Math.sqrt(orig);
      for (let pass = 0; pass < 2; pass++)
        for (let e = 0; e < c; e++) {
          const eo = e * rows;
          let h = 0;
          for (let t = 0; t < rows; t++) h += Bk[eo + t] * Bk[co + t];
          Rk[e * nb + c] += h;
          for (let t = 0; t < rows; t++) Bk[co + t] -= h * Bk[eo + t];
        }
      let nrm = 0;
      for (let t = 0; t < rows; t++) nrm += Bk[co + t] * Bk[co + t];
      nrm = Math.sqrt(nrm);
      if (!(nrm > 1e-10 * orig)) {
        for (let t = 0; t < rows; t++) Bk[co + t] = 0;
        Rk[c * nb + c] = 0;
      } else {
        Rk[c * nb + c] = nrm;
        for (let t = 0; t < rows; t++) Bk[co + t] /= nrm;
      }
    }
    for (let q = 0; q < mK; q++) {
      const J = members[m0 + q];
      for (let r = 0; r < b; r++) for (let c = 0; c < nb; c++) Tval[J * bnb + r * nb + c] = Bk[c * rows + q * b + r];
    }
    Ec.set(Rk, K * nb * nb);
  }
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) rowPtr[i] = i;
  const T: Bsr = { nr: n, nc: nAgg, br: b, bc: nb, rowPtr, colIdx: agg.slice(), values: Tval };
  return { T, Ec, centres: cOut };
}

/** P = T − ω D⁻¹ (A T), on the pattern of A·T (which contains T's, as A_ii ≠ 0). */
function smoothProlongator(T: Bsr, AT: Bsr, dinv: Float64Array, omega: number, agg: Int32Array): Bsr {
  const { nr, br: b, bc: nb, rowPtr, colIdx } = AT;
  const vals = new Float64Array(AT.values.length);
  const bnb = b * nb;
  const bb = b * b;
  for (let i = 0; i < nr; i++) {
    const di = i * bb;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const po = p * bnb;
      for (let a = 0; a < b; a++)
        for (let c = 0; c < nb; c++) {
          let s = 0;
          for (let e = 0; e < b; e++) s += dinv[di + a * b + e] * AT.values[po + e * nb + c];
          vals[po + a * nb + c] = -omega * s;
        }
      if (colIdx[p] === agg[i]) {
        const to = i * bnb; // T has one block per row, at row i
        for (let w = 0; w < bnb; w++) vals[po + w] += T.values[to + w];
      }
    }
  }
  // A row whose A_ii block is zero (isolated node) may lack its T column in A·T.
  for (let i = 0; i < nr; i++) {
    let found = false;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) if (colIdx[p] === agg[i]) found = true;
    if (!found) throw new GlassmechError(`AMG: particle ${i} has no diagonal block (empty Hessian row)`);
  }
  return { nr, nc: AT.nc, br: b, bc: nb, rowPtr: rowPtr.slice(), colIdx: colIdx.slice(), values: vals };
}

/**
 * ρ(D⁻¹A) by 20 power iterations (from a seeded random vector) with the Rayleigh quotient
 * xᵀAx / xᵀDx of the generalized problem; PyAMG likewise uses a short Krylov estimate. The
 * estimate is a lower bound; 5% is added so ω stays on the damped side.
 */
function spectralRadiusDinvA(A: Bsr, dinv: Float64Array, rng: Rng): number {
  const { nr, br: b } = A;
  const m = nr * b;
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  const acc = new Float64Array(b);
  const dblk = diagonalBlocks(A);
  const bb = b * b;
  for (let t = 0; t < m; t++) x[t] = rng.uniform() - 0.5;
  let est = 0;
  for (let it = 0; it < 20; it++) {
    bsrMulVectors(A, 1, x, y, acc);
    let xAx = 0;
    let xDx = 0;
    for (let i = 0; i < nr; i++)
      for (let a = 0; a < b; a++) {
        let s = 0;
        for (let c = 0; c < b; c++) s += dblk[i * bb + a * b + c] * x[i * b + c];
        xDx += x[i * b + a] * s;
        xAx += x[i * b + a] * y[i * b + a];
      }
    if (xDx > 0) est = Math.max(est, xAx / xDx);
    // x ← D⁻¹ A x, normalized.
    let nrm = 0;
    for (let i = 0; i < nr; i++)
      for (let a = 0; a < b; a++) {
        let s = 0;
        for (let c = 0; c < b; c++) s += dinv[i * bb + a * b + c] * y[i * b + c];
        x[i * b + a] = s;
        nrm += s * s;
      }
    nrm = Math.sqrt(nrm);
    if (!(nrm > 0)) break;
    for (let t = 0; t < m; t++) x[t] /= nrm;
  }
  if (!(est > 0)) throw new GlassmechError("AMG: the matrix has no positive curvature (zero Hessian?)");
  return 1.05 * est;
}

function diagonalBlocks(A: Bsr): Float64Array {
  const { nr, br: b, rowPtr, colIdx, values } = A;
  const bb = b * b;
  const out = new Float64Array(nr * bb);
  for (let i = 0; i < nr; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) if (colIdx[p] === i) out.set(values.subarray(p * bb, (p + 1) * bb), i * bb);
  return out;
}

/**
 * A coarse unknown whose prolongator column is zero (a dependent near-null column) has a zero
 * row and column in A_c; a unit diagonal decouples it (its right-hand side is always zero).
 */
function fixEmptyUnknowns(A: Bsr): void {
  const { nr, br: b, rowPtr, colIdx, values } = A;
  const bb = b * b;
  let scale = 0;
  for (let i = 0; i < nr; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++)
      if (colIdx[p] === i) for (let a = 0; a < b; a++) scale = Math.max(scale, Math.abs(values[p * bb + a * b + a]));
  for (let i = 0; i < nr; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++)
      if (colIdx[p] === i)
        for (let a = 0; a < b; a++) if (!(Math.abs(values[p * bb + a * b + a]) > 1e-14 * scale)) values[p * bb + a * b + a] = scale > 0 ? scale : 1;
}

/**
 * Dense Cholesky factor of A + c·QQᵀ on the coarsest level, Q the orthonormalized coarse
 * translations (columns 0..d−1 of the near-null space, or the uniform translations when the
 * fine level is the coarsest), c = max absolute row sum of A. For b ⟂ Q the solve is A⁺b.
 * If the regularized matrix is not positive definite (the Hessian is not, e.g. an unstable
 * configuration), the factor of |A|'s spectrum is not defined: the pseudo-inverse would hide
 * it, so this throws.
 */
function coarseFactor(A: Bsr, E: Float64Array | null, d: number): Float64Array {
  const { nr, br: b, rowPtr, colIdx, values } = A;
  const m = nr * b;
  const bb = b * b;
  const D = new Float64Array(m * m);
  let c = 0;
  for (let i = 0; i < nr; i++)
    for (let a = 0; a < b; a++) {
      let s = 0;
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
        const j = colIdx[p];
        for (let e = 0; e < b; e++) {
          const v = values[p * bb + a * b + e];
          D[(i * b + a) * m + j * b + e] = v;
          s += Math.abs(v);
        }
      }
      c = Math.max(c, s);
    }
  // Translations at this level: rows E_J[:, 0..d) (nb = E's row length), or e_a on the fine level.
  const Q = new Float64Array(m * d);
  const nb = E === null ? b : E.length / (nr * b);
  for (let i = 0; i < nr; i++)
    for (let a = 0; a < b; a++) for (let t = 0; t < d; t++) Q[(i * b + a) * d + t] = E === null ? (a === t ? 1 : 0) : E[i * b * nb + a * nb + t];
  for (let t = 0; t < d; t++) {
    for (let pass = 0; pass < 2; pass++)
      for (let u = 0; u < t; u++) {
        let h = 0;
        for (let r = 0; r < m; r++) h += Q[r * d + u] * Q[r * d + t];
        for (let r = 0; r < m; r++) Q[r * d + t] -= h * Q[r * d + u];
      }
    let nrm = 0;
    for (let r = 0; r < m; r++) nrm += Q[r * d + t] ** 2;
    nrm = Math.sqrt(nrm);
    for (let r = 0; r < m; r++) Q[r * d + t] = nrm > 0 ? Q[r * d + t] / nrm : 0;
  }
  for (let r = 0; r < m; r++)
    for (let s = 0; s < m; s++) {
      let q = 0;
      for (let t = 0; t < d; t++) q += Q[r * d + t] * Q[s * d + t];
      D[r * m + s] += c * q;
    }
  const L = D; // factor in place (lower triangle)
  for (let j = 0; j < m; j++) {
    let s = L[j * m + j];
    for (let q = 0; q < j; q++) s -= L[j * m + q] * L[j * m + q];
    if (!(s > 1e-14 * c)) {
      // Not positive definite besides the translations: report the smallest eigenvalue.
      const ev = symmetricEigen(m, denseOf(A)).values;
      throw new GlassmechError(
        `AMG: the coarse Hessian is not positive on the translation-free subspace (eigenvalues ${ev[0].toExponential(2)} … ${ev[Math.min(d + 1, m - 1)].toExponential(2)}): not a stable minimum, or extra zero modes (rattlers)`,
      );
    }
    const ljj = Math.sqrt(s);
    L[j * m + j] = ljj;
    for (let i = j + 1; i < m; i++) {
      let t = L[i * m + j];
      for (let q = 0; q < j; q++) t -= L[i * m + q] * L[j * m + q];
      L[i * m + j] = t / ljj;
    }
  }
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) L[i * m + j] = 0;
  return L;
}

function denseOf(A: Bsr): Float64Array {
  const { nr, br: b, rowPtr, colIdx, values } = A;
  const m = nr * b;
  const bb = b * b;
  const D = new Float64Array(m * m);
  for (let i = 0; i < nr; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++)
      for (let a = 0; a < b; a++) for (let e = 0; e < b; e++) D[(i * b + a) * m + colIdx[p] * b + e] = values[p * bb + a * b + e];
  return D;
}
