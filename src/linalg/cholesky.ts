/**
 * Supernodal sparse Cholesky of the Hessian (SPEC §4.2): P (M − σI) Pᵀ = L Lᵀ, and solves with
 * one or many right-hand sides.
 *
 * Pipeline: fill-reducing particle order (ordering.ts) → symbolic analysis with supernodes
 * (symbolic.ts) → left-looking supernodal numeric factorization with WebAssembly SIMD dense
 * kernels (denseKernels.ts), as in CHOLMOD's supernodal method (Ng & Peyton 1993; Davis,
 * "Direct Methods for Sparse Linear Systems" §9.3): for every supernode s in order, each
 * descendant k whose rows reach into s contributes C = L_k[rows ≥ s] · L_k[rows in s]ᵀ (one
 * matrix multiply, written straight into s's panel when k's rows land contiguously, else
 * through a scratch block and a scatter), then s's diagonal block is factored (dense Cholesky)
 * and its rows below solved against it (triangular solve).
 *
 * Translations (SPEC §4.2): M has d zero modes. Either factor M with one particle "pinned" (its
 * d unknowns removed, the rest is positive definite at a stable minimum), which gives
 * z = M⁺ b for b ⟂ translations via `pseudoSolve` (solve, then project out translations); or
 * factor M − σI with σ < 0 (no pinning), as the shift-invert eigensolver does.
 *
 * Memory: 8·nnz(L) bytes plus small scratch, in one wasm memory, or several when the factor
 * exceeds one memory's 4 GiB.
 */
import { GlassmechError } from "../core/errors.js";
import type { BlockMatrix } from "./blockMatrix.js";
import { KernelArena } from "./denseKernels.js";
import { blockGraph, fillReducingOrder, type OrderingOptions } from "./ordering.js";
import { removeTranslations, removeTranslationsMulti } from "./projection.js";
import { symbolicCholesky, type SymbolicFactor, type SymbolicOptions } from "./symbolic.js";

/** Bytes of factor rows the backward-solve multiply keeps in L1 cache at a time. */
const L1_BYTES = 32768;

/** Column block of the triangular solves with a diagonal block (the rest runs as matrix multiplies). */
const TRSM_BLOCK = 32;

export interface SparseCholeskyOptions extends OrderingOptions {
  /** Factor M − shift·I (default 0). */
  readonly shift?: number;
  /**
   * Particle whose d unknowns are removed (its solution components are 0). "auto" (the default
   * when shift = 0) pins the particle with the stiffest diagonal block; "none" (the default for
   * a nonzero shift) pins nothing.
   */
  readonly pin?: number | "auto" | "none";
  /** A precomputed elimination order (skips the ordering step). */
  readonly order?: Int32Array;
  readonly symbolic?: SymbolicOptions;
  /** A pivot not above this fraction of its original diagonal entry counts as non-positive (default 1e-12). */
  readonly pivotTolerance?: number;
  /**
   * Bytes per wasm memory (default 3.5 GiB; a wasm memory holds at most 4 GiB). A larger factor
   * spans several memories: supernodes are assigned in elimination order and an update from a
   * descendant in another memory copies its rows over.
   */
  readonly memoryBytes?: number;
}

export interface FactorStats {
  readonly orderSeconds: number;
  readonly symbolicSeconds: number;
  readonly factorSeconds: number;
  /** Nonzeros of L (scalars, lower triangle). */
  readonly nnzL: number;
  /** Factorization floating-point operations. */
  readonly flops: number;
  readonly supernodes: number;
  /** Bytes of the wasm memories holding the factor and its scratch. */
  readonly bytes: number;
  /** Number of wasm memories the factor spans (each holds at most 4 GiB). */
  readonly memories: number;
}

/** One wasm memory holding the panels of supernodes [first, end) plus its scratch. */
interface Arena {
  readonly ar: KernelArena;
  readonly first: number;
  readonly end: number;
  /** Copy of the symbolic row lists (the solve's gathers and scatters read them). */
  rowsBase: number;
  /** Pivot thresholds, one per scalar unknown (only this arena's columns are set). */
  thrBase: number;
  /** Update block C, row and column maps of the scatter. */
  scratch: number;
  rowMap: number;
  colMap: number;
  /** Rows of a descendant supernode copied in from another arena (0 bytes with one arena). */
  importBase: number;
  xBase: number;
  wBase: number;
  kCap: number;
}

/** Default per-memory budget: below the 4 GiB wasm32 limit, leaving room for solve buffers. */
const ARENA_BYTES = 3.5 * 2 ** 30;

/** Solves with P(M − σI)Pᵀ = LLᵀ; build it with `sparseCholesky`. */
export class SparseCholesky {
  readonly d: number;
  /** Number of particles. */
  readonly n: number;
  readonly shift: number;
  /** Pinned particle, or −1. */
  readonly pinned: number;
  readonly symbolic: SymbolicFactor;
  readonly stats: FactorStats;
  private readonly arenas: Arena[] = [];
  /** Arena of each supernode and the byte address of its panel there. */
  private readonly arenaOf: Int32Array;
  private readonly panelAddr: Float64Array;
  private readonly maxBelow: number;
  /** Forward-solve flags: supernodes whose right-hand side rows may be nonzero. */
  private readonly live: Uint8Array;

  /** @internal use sparseCholesky() */
  constructor(
    M: BlockMatrix,
    sym: SymbolicFactor,
    shift: number,
    pinned: number,
    pivotTol: number,
    times: { order: number; symbolic: number },
    arenaBytes: number = ARENA_BYTES,
  ) {
    this.d = M.d;
    this.n = M.n;
    this.shift = shift;
    this.pinned = pinned;
    this.symbolic = sym;
    const { d, n } = this;
    const { nsuper, superStart, rowPtr, rowIdx } = sym;

    // Scratch sizes: the largest update block and the largest set of rows below a supernode.
    let maxC = 0;
    let maxRows = 0;
    let maxBelow = 0;
    let maxPanel = 0;
    const panelBytes = new Float64Array(nsuper);
    for (let s = 0; s < nsuper; s++) {
      const ncb = superStart[s + 1] - superStart[s];
      const end = rowPtr[s + 1];
      maxRows = Math.max(maxRows, end - rowPtr[s]);
      maxBelow = Math.max(maxBelow, end - rowPtr[s] - ncb);
      panelBytes[s] = 8 * (end - rowPtr[s]) * d * ncb * d;
      maxPanel = Math.max(maxPanel, panelBytes[s]);
      let p1 = rowPtr[s] + ncb;
      while (p1 < end) {
        const t = sym.superOf[rowIdx[p1]];
        let p2 = p1 + 1;
        while (p2 < end && sym.superOf[rowIdx[p2]] === t) p2++;
        maxC = Math.max(maxC, (end - p1) * (p2 - p1) * d * d);
        p1 = p2;
      }
    }
    this.maxBelow = maxBelow;
    this.live = new Uint8Array(nsuper);
    const nd = n * d;
    const extras = (imports: boolean) =>
      rowIdx.length * 4 + nd * 8 + maxC * 8 + 2 * maxRows * 4 + (imports ? maxPanel : 0) + 2 * nd * 8 + 2 * maxBelow * d * 8 + 65536;
    // Panels go to memories in elimination order, each filled up to the budget.
    const total = sym.nnzL * 8;
    const multi = total + extras(false) > arenaBytes;
    const budget = arenaBytes - extras(multi);
    this.arenaOf = new Int32Array(nsuper);
    this.panelAddr = new Float64Array(nsuper);
    const ranges: [number, number, number][] = [];
    let first = 0;
    let used = 0;
    for (let s = 0; s < nsuper; s++) {
      if (panelBytes[s] > budget)
        throw new GlassmechError(
          `sparse Cholesky: one supernode panel needs ${(panelBytes[s] / 2 ** 30).toFixed(2)} GiB, more than a wasm memory holds; use a smaller maxSupernodeCols`,
        );
      if (used + panelBytes[s] > budget) {
        ranges.push([first, s, used]);
        first = s;
        used = 0;
      }
      used += panelBytes[s];
    }
    ranges.push([first, nsuper, used]);
    try {
      for (const [a0, a1, bytes] of ranges) {
        const ar = new KernelArena(bytes + extras(multi));
        let at = ar.alloc(bytes);
        for (let s = a0; s < a1; s++) {
          this.arenaOf[s] = this.arenas.length;
          this.panelAddr[s] = at;
          at += panelBytes[s];
        }
        const A: Arena = {
          ar,
          first: a0,
          end: a1,
          rowsBase: ar.alloc(rowIdx.length * 4),
          thrBase: ar.alloc(nd * 8),
          scratch: ar.alloc(maxC * 8),
          rowMap: ar.alloc(maxRows * 4),
          colMap: ar.alloc(maxRows * 4),
          importBase: multi ? ar.alloc(maxPanel) : 0,
          xBase: 0,
          wBase: 0,
          kCap: 0,
        };
        ar.i32.set(rowIdx, A.rowsBase / 4);
        this.arenas.push(A);
      }
    } catch (e) {
      if (e instanceof RangeError) throw new GlassmechError(`sparse Cholesky: cannot allocate the factor (${(total / 2 ** 30).toFixed(2)} GiB): ${e.message}`);
      throw e;
    }
    this.ensureSolveSpace(1);

    const t0 = performance.now();
    this.loadValues(M, pivotTol);
    this.factorNumeric();
    const t1 = performance.now();
    let bytes = 0;
    for (const A of this.arenas) bytes += A.ar.memory.buffer.byteLength;
    this.stats = {
      orderSeconds: times.order,
      symbolicSeconds: times.symbolic,
      factorSeconds: (t1 - t0) / 1000,
      nnzL: sym.nnzLower,
      flops: sym.flops,
      supernodes: nsuper,
      bytes,
      memories: this.arenas.length,
    };
  }

  /** Copies P(M − σI)Pᵀ's lower triangle into the panels; pivot thresholds into thr. */
  private loadValues(M: BlockMatrix, pivotTol: number): void {
    const { d, n, shift, pinned } = this;
    const dd = d * d;
    const { nsuper, superStart, rowPtr, rowIdx, perm, iperm } = this.symbolic;
    const map = new Int32Array(n);
    const { rowPtr: mPtr, colIdx, values } = M;
    for (let s = 0; s < nsuper; s++) {
      const A = this.arenas[this.arenaOf[s]];
      const L = A.ar.f64;
      const thr = A.thrBase / 8;
      const f = superStart[s];
      const nc = (superStart[s + 1] - f) * d;
      const r0 = rowPtr[s];
      for (let q = r0; q < rowPtr[s + 1]; q++) map[rowIdx[q]] = q - r0;
      const base = this.panelAddr[s] / 8;
      for (let k = f; k < superStart[s + 1]; k++) {
        const oi = perm[k];
        const col = (k - f) * d;
        if (oi === pinned) {
          for (let a = 0; a < d; a++) {
            L[base + (map[k] * d + a) * nc + col + a] = 1;
            L[thr + k * d + a] = 0;
          }
          continue;
        }
        let sawDiag = false;
        for (let p = mPtr[oi]; p < mPtr[oi + 1]; p++) {
          const oj = colIdx[p];
          if (oj === pinned) continue;
          const j = iperm[oj];
          if (j < k) continue;
          const row = map[j] * d;
          // Panel entry (row j·d+a, col k·d+b) = M[oj·d+a, oi·d+b] = block (oi, oj) transposed.
          for (let a = 0; a < d; a++)
            for (let b = 0; b < d; b++) L[base + (row + a) * nc + col + b] = values[p * dd + b * d + a];
          if (j === k) {
            sawDiag = true;
            for (let a = 0; a < d; a++) {
              const at = base + (row + a) * nc + col + a;
              L[at] -= shift;
              L[thr + k * d + a] = pivotTol * Math.abs(L[at]);
            }
          }
        }
        if (!sawDiag)
          for (let a = 0; a < d; a++) {
            L[base + (map[k] * d + a) * nc + col + a] = -shift;
            L[thr + k * d + a] = pivotTol * Math.abs(shift);
          }
      }
    }
  }

  private factorNumeric(): void {
    const { d, n } = this;
    const { nsuper, superStart, rowPtr, rowIdx, superOf, perm } = this.symbolic;
    const { arenas, arenaOf, panelAddr } = this;
    const head = new Int32Array(nsuper).fill(-1);
    const nextK = new Int32Array(nsuper);
    const cursor = new Int32Array(nsuper);
    const map = new Int32Array(n);
    for (let s = 0; s < nsuper; s++) {
      const A = arenas[arenaOf[s]];
      const kern = A.ar.k;
      const i32 = A.ar.i32;
      const { scratch, rowMap, colMap } = A;
      const rm = rowMap / 4;
      const cm = colMap / 4;
      const f = superStart[s];
      const l = superStart[s + 1] - 1;
      const ncb = l - f + 1;
      const nc = ncb * d;
      const r0 = rowPtr[s];
      const nrb = rowPtr[s + 1] - r0;
      const P = panelAddr[s];
      for (let q = r0; q < r0 + nrb; q++) map[rowIdx[q]] = q - r0;
      let k = head[s];
      head[s] = -1;
      while (k >= 0) {
        const kNext = nextK[k];
        const p1 = cursor[k];
        const end = rowPtr[k + 1];
        let p2 = p1 + 1;
        while (p2 < end && rowIdx[p2] <= l) p2++;
        const ncK = (superStart[k + 1] - superStart[k]) * d;
        const mb = end - p1;
        const nb = p2 - p1;
        let Ak = panelAddr[k] + (p1 - rowPtr[k]) * d * ncK * 8;
        if (arenaOf[k] !== arenaOf[s]) {
          // The descendant lives in another memory: copy the rows it contributes.
          const len = mb * d * ncK;
          A.ar.f64.set(arenas[arenaOf[k]].ar.f64.subarray(Ak / 8, Ak / 8 + len), A.importBase / 8);
          Ak = A.importBase;
        }
        const tFirst = map[rowIdx[p1]];
        if (map[rowIdx[end - 1]] - tFirst === mb - 1) {
          // k's rows land on consecutive rows of s: multiply straight into the panel.
          const C = P + (tFirst * d * nc + (rowIdx[p1] - f) * d) * 8;
          kern.gemm_nt(mb * d, nb * d, ncK, Ak, ncK, Ak, ncK, C, nc, 0);
        } else {
          kern.gemm_nt(mb * d, nb * d, ncK, Ak, ncK, Ak, ncK, scratch, nb * d, 1);
          for (let q = 0; q < mb; q++) i32[rm + q] = map[rowIdx[p1 + q]];
          if (rowIdx[p2 - 1] - rowIdx[p1] === nb - 1) {
            // Contiguous target columns: only rows are scattered (SIMD along each row).
            kern.scatter_rows(scratch, nb * d, mb, nb * d, rowMap, P + (rowIdx[p1] - f) * d * 8, nc, d);
          } else {
            for (let q = 0; q < nb; q++) i32[cm + q] = rowIdx[p1 + q] - f;
            kern.scatter_sub(scratch, nb * d, mb, nb, rowMap, colMap, P, nc, d);
          }
        }
        cursor[k] = p2;
        if (p2 < end) {
          const t = superOf[rowIdx[p2]];
          nextK[k] = head[t];
          head[t] = k;
        }
        k = kNext;
      }
      const fail = kern.potrf(nc, P, nc, A.thrBase + f * d * 8);
      if (fail >= 0) {
        const particle = perm[f + Math.floor(fail / d)];
        throw new GlassmechError(
          `Hessian is not positive definite at particle ${particle} (not a minimum, or a rattler)` +
            (this.shift !== 0 ? ` [factoring M − σI with σ = ${this.shift}]` : ""),
        );
      }
      if (nrb > ncb) {
        // Rows below: L21 = A21 L11⁻ᵀ, blocked so that most of the work is a matrix multiply.
        const mr = (nrb - ncb) * d;
        const B = P + nc * nc * 8;
        for (let c0 = 0; c0 < nc; c0 += TRSM_BLOCK) {
          const w = Math.min(TRSM_BLOCK, nc - c0);
          if (c0 > 0) kern.gemm_nt(mr, w, c0, B, nc, P + c0 * nc * 8, nc, B + c0 * 8, nc, 0);
          kern.trsm_rt(mr, w, P + (c0 * nc + c0) * 8, nc, B + c0 * 8, nc);
        }
        cursor[s] = r0 + ncb;
        const t = superOf[rowIdx[r0 + ncb]];
        nextK[s] = head[t];
        head[t] = s;
      }
    }
  }

  private ensureSolveSpace(k: number): void {
    const { d, n } = this;
    for (const A of this.arenas) {
      if (k <= A.kCap) continue;
      A.xBase = A.ar.alloc(n * d * k * 8);
      A.wBase = A.ar.alloc(Math.max(1, this.maxBelow) * d * k * 8);
      A.kCap = k;
    }
  }

  /**
   * Solves (M − σI) X = B for k right-hand sides stored interleaved (B[(i·d + a)·k + r] is
   * component a of particle i of vector r, the layout of cg.ts's multi-vector routines).
   * The pinned particle's equations are dropped and its solution components are 0.
   * One pass through the factor serves all k vectors.
   */
  solveMany(B: Float64Array, k: number, out: Float64Array = new Float64Array(B.length)): Float64Array {
    return this.solveLayout(B, k, out, false);
  }

  /**
   * As solveMany, with the k vectors stored one after another (vector r at B[r·n·d .. (r+1)·n·d)),
   * the layout of Krylov bases.
   */
  solveVectors(B: Float64Array, k: number, out: Float64Array = new Float64Array(B.length)): Float64Array {
    return this.solveLayout(B, k, out, true);
  }

  private solveLayout(B: Float64Array, k: number, out: Float64Array, vectorMajor: boolean): Float64Array {
    const { d, n, pinned, arenas, arenaOf, panelAddr } = this;
    const nd = n * d;
    if (!(Number.isInteger(k) && k >= 1)) throw new GlassmechError(`solve: number of right-hand sides must be a positive integer, got ${k}`);
    if (B.length < nd * k) throw new GlassmechError(`solve: expected ${nd}·${k} = ${nd * k} entries, got ${B.length}`);
    if (out.length < nd * k) throw new GlassmechError(`solve: output needs ${nd * k} entries, got ${out.length}`);
    this.ensureSolveSpace(k);
    const { nsuper, superStart, rowPtr, perm } = this.symbolic;
    // Element (particle i, component a, vector r) of B/out: interleaved (i·d + a)·k + r, or
    // vector-major r·nd + i·d + a.
    const es = vectorMajor ? 1 : k;
    const vs = vectorMajor ? nd : 1;
    // Permute into k consecutive vectors X_j (vector-major) in the first memory; the pinned
    // particle's rows are 0.
    let cur = arenas[arenaOf[0]];
    const X = cur.ar.f64;
    const xo = cur.xBase / 8;
    for (let q = 0; q < n; q++) {
      const i = perm[q];
      for (let a = 0; a < d; a++) {
        const src = (i * d + a) * es;
        const dst = xo + q * d + a;
        if (i === pinned) for (let r = 0; r < k; r++) X[dst + r * nd] = 0;
        else for (let r = 0; r < k; r++) X[dst + r * nd] = B[src + r * vs];
      }
    }
    /** The vectors follow the supernodes from memory to memory. */
    const moveTo = (A: Arena) => {
      if (A === cur) return;
      A.ar.f64.set(cur.ar.f64.subarray(cur.xBase / 8, cur.xBase / 8 + nd * k), A.xBase / 8);
      cur = A;
    };
    // Forward: L y = b, supernode by supernode: diagonal block solve, then the rows below.
    // Supernodes whose rows of b are still zero are skipped: a sparse right-hand side (a force
    // dipole touches two particles) only fills the paths from its particles to the root.
    const live = this.live;
    live.fill(0);
    const { superOf, rowIdx } = this.symbolic;
    for (let q = 0; q < n; q++) {
      if (live[superOf[q]]) continue;
      const i = perm[q];
      if (i === pinned) continue;
      for (let a = 0; a < d && !live[superOf[q]]; a++) {
        const src = (i * d + a) * es;
        for (let r = 0; r < k; r++)
          if (B[src + r * vs] !== 0) {
            live[superOf[q]] = 1;
            break;
          }
      }
    }
    for (let s = 0; s < nsuper; s++) {
      if (!live[s]) continue;
      moveTo(arenas[arenaOf[s]]);
      const kern = cur.ar.k;
      const f = superStart[s];
      const ncb = superStart[s + 1] - f;
      const nc = ncb * d;
      const P = panelAddr[s];
      const Xs = cur.xBase + f * d * 8;
      // Ysᵀ := Ysᵀ L11⁻ᵀ in column blocks; all but the diagonal blocks run as gemm_nt.
      for (let c0 = 0; c0 < nc; c0 += TRSM_BLOCK) {
        const w = Math.min(TRSM_BLOCK, nc - c0);
        if (c0 > 0) kern.gemm_nt(k, w, c0, Xs, nd, P + c0 * nc * 8, nc, Xs + c0 * 8, nd, 0);
        kern.trsm_rt(k, w, P + (c0 * nc + c0) * 8, nc, Xs + c0 * 8, nd);
      }
      const mb = rowPtr[s + 1] - rowPtr[s] - ncb;
      if (mb > 0) {
        const md = mb * d;
        // W (md × k) = L21 · Ys: each factor row is read once for all k vectors.
        kern.gemm_nt(md, k, nc, P + nc * nc * 8, nc, Xs, nd, cur.wBase, k, 1);
        kern.scatter_sub_t(cur.rowsBase + (rowPtr[s] + ncb) * 4, mb, d, k, cur.xBase, nd, cur.wBase, 1, k);
        for (let q = rowPtr[s] + ncb; q < rowPtr[s + 1]; q++) live[superOf[rowIdx[q]]] = 1;
      }
    }
    // Backward: Lᵀ x = y in reverse order.
    for (let s = nsuper - 1; s >= 0; s--) {
      moveTo(arenas[arenaOf[s]]);
      const kern = cur.ar.k;
      const f = superStart[s];
      const ncb = superStart[s + 1] - f;
      const nc = ncb * d;
      const P = panelAddr[s];
      const Xs = cur.xBase + f * d * 8;
      const mb = rowPtr[s + 1] - rowPtr[s] - ncb;
      if (mb > 0) {
        const md = mb * d;
        // Ys (k × nc) −= Wᵀ (k × md) · L21 (md × nc), W gathered as md × k.
        kern.gather_t(cur.rowsBase + (rowPtr[s] + ncb) * 4, mb, d, k, cur.xBase, nd, cur.wBase, 1, k);
        kern.gemm_tn(k, nc, md, cur.wBase, k, P + nc * nc * 8, nc, Xs, nd, Math.max(8, (L1_BYTES / (nc * 8)) | 0));
      }
      // Ysᵀ := Ysᵀ L11⁻¹, column blocks from the last: solve the block, then update the earlier
      // columns with one gemm_nn.
      for (let c0 = Math.floor((nc - 1) / TRSM_BLOCK) * TRSM_BLOCK; c0 >= 0; c0 -= TRSM_BLOCK) {
        const w = Math.min(TRSM_BLOCK, nc - c0);
        kern.trsm_rn(k, w, P + (c0 * nc + c0) * 8, nc, Xs + c0 * 8, nd);
        if (c0 > 0) kern.gemm_nn(k, c0, w, Xs + c0 * 8, nd, P + c0 * nc * 8, nc, Xs, nd, w);
      }
    }
    const Y = cur.ar.f64;
    const yo = cur.xBase / 8;
    for (let q = 0; q < n; q++) {
      const i = perm[q];
      for (let a = 0; a < d; a++) {
        const dst = (i * d + a) * es;
        const src = yo + q * d + a;
        if (i === pinned) for (let r = 0; r < k; r++) out[dst + r * vs] = 0;
        else for (let r = 0; r < k; r++) out[dst + r * vs] = Y[src + r * nd];
      }
    }
    return out;
  }

  /** Solves (M − σI) x = b for one right-hand side (see solveMany). */
  solve(b: Float64Array, out: Float64Array = new Float64Array(b.length)): Float64Array {
    return this.solveMany(b, 1, out);
  }

  /**
   * z = M⁺ b, the minimum-norm solution on the translation-free subspace (SPEC §4.2): b is
   * projected onto the complement of the translations, the pinned system is solved (it then
   * satisfies all of M z = P b: the pinned particle's equations follow from the others because
   * M's block rows sum to zero), and z is projected. Needs a factor of M itself (shift 0, pinned).
   */
  pseudoSolve(b: Float64Array, out: Float64Array = new Float64Array(b.length)): Float64Array {
    return this.pseudoSolveMany(b, 1, out);
  }

  /** pseudoSolve for k interleaved right-hand sides. */
  pseudoSolveMany(B: Float64Array, k: number, out: Float64Array = new Float64Array(B.length)): Float64Array {
    if (this.shift !== 0 || this.pinned < 0)
      throw new GlassmechError("pseudoSolve needs a factor of the Hessian itself with one pinned particle (shift 0, pin not 'none')");
    const Bp = B.slice();
    if (k === 1) removeTranslations(this.d, Bp);
    else removeTranslationsMulti(this.d, k, Bp);
    this.solveMany(Bp, k, out);
    if (k === 1) removeTranslations(this.d, out);
    else removeTranslationsMulti(this.d, k, out);
    return out;
  }
}

/**
 * Factors M − shift·I (SPEC §4.2 Hessian, d×d blocks). Throws a GlassmechError naming the
 * particle when a pivot is not positive ("not a minimum, or a rattler").
 */
export function sparseCholesky(M: BlockMatrix, opts: SparseCholeskyOptions = {}): SparseCholesky {
  const { d, n } = M;
  const shift = opts.shift ?? 0;
  if (!Number.isFinite(shift)) throw new GlassmechError(`sparse Cholesky: shift must be finite, got ${shift}`);
  let pinned = -1;
  const pin = opts.pin ?? (shift === 0 ? "auto" : "none");
  if (pin === "auto") pinned = stiffestParticle(M);
  else if (typeof pin === "number") {
    if (!(Number.isInteger(pin) && pin >= 0 && pin < n)) throw new GlassmechError(`sparse Cholesky: pinned particle ${pin} is not in 0..${n - 1}`);
    pinned = pin;
  }
  const t0 = performance.now();
  const g = blockGraph(M, pinned);
  const perm = opts.order ?? fillReducingOrder(g, opts);
  const t1 = performance.now();
  const sym = symbolicCholesky(g, perm, d, opts.symbolic);
  const t2 = performance.now();
  return new SparseCholesky(
    M,
    sym,
    shift,
    pinned,
    opts.pivotTolerance ?? 1e-12,
    { order: (t1 - t0) / 1000, symbolic: (t2 - t1) / 1000 },
    opts.memoryBytes,
  );
}

/** The particle with the largest diagonal-block trace (never a rattler): the one sparseCholesky pins by default. */
export function stiffestParticle(M: BlockMatrix): number {
  const { d, n, rowPtr, colIdx, values } = M;
  let best = 0;
  let bestTr = -Infinity;
  for (let i = 0; i < n; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++)
      if (colIdx[p] === i) {
        let tr = 0;
        for (let a = 0; a < d; a++) tr += values[p * d * d + a * d + a];
        if (tr > bestTr) {
          bestTr = tr;
          best = i;
        }
      }
  return best;
}
