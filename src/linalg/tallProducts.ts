/**
 * The dense products of LOBPCG's tall blocks (lobpcg.ts) — Gram matrices AᵀB and combinations
 * A·C — for blocks of any height, on the wasm SIMD kernels of denseKernels.ts.
 *
 * The blocks are N × m interleaved arrays (entry s of column j at s·m + j) in ordinary (shared)
 * memory, not in a wasm memory: nine of them at N = 3·10⁶ unknowns and m = 30 take 6.5 GB, more
 * than a 32-bit wasm memory holds. Each product runs over fixed row chunks of CHUNK_ROWS rows,
 * and within a chunk over panels of PANEL_ROWS rows copied into a small per-thread kernel arena
 * (a contiguous copy: the panel of an interleaved block is a slice; ~0.25 MB, so the kernel
 * reads it from cache). A Gram matrix is the sum of per-chunk partial sums added in chunk order,
 * so it is the same whichever thread computed which chunk: results do not depend on the thread
 * count (columnThreads.ts splits the chunks between threads).
 */
import { KernelArena } from "./denseKernels.js";

/** Rows of a reduction chunk (the unit of work of a thread and of a partial Gram sum). */
export const CHUNK_ROWS = 4096;
/** Rows of a panel copied into the arena (2 × 512 × 30 doubles fit a 512 KiB L2 cache). */
const PANEL_ROWS = 512;

/** Number of row chunks of N rows. */
export function chunkCount(N: number): number {
  return Math.ceil(N / CHUNK_ROWS);
}

/** The chunks [first, end) of thread t of T (contiguous shares). */
export function chunkShare(chunks: number, t: number, T: number): [number, number] {
  return [Math.floor((t * chunks) / T), Math.floor(((t + 1) * chunks) / T)];
}

/** One thread's panel kernels for blocks of at most maxColumns columns. */
export class PanelProducts {
  private readonly ar: KernelArena;
  private readonly pa: number;
  private readonly pb: number;
  private readonly py: number;
  private readonly pc: number;
  private readonly acc: number;

  constructor(maxColumns: number) {
    const m = maxColumns;
    this.ar = new KernelArena(8 * (3 * PANEL_ROWS * m + 3 * m * m) + 4096);
    this.pa = this.ar.alloc(8 * PANEL_ROWS * m);
    this.pb = this.ar.alloc(8 * PANEL_ROWS * m);
    this.py = this.ar.alloc(8 * PANEL_ROWS * m);
    this.pc = this.ar.alloc(8 * 2 * m * m);
    this.acc = this.ar.alloc(8 * m * m);
  }

  /**
   * partial[po ..) = −Σ_{rows of chunk c} Aᵀ B (na × nb, row-major; the kernels accumulate
   * C −= AᵀB, the caller negates the chunk sum once). A has na interleaved columns, B nb.
   */
  gramChunk(c: number, N: number, A: Float64Array, na: number, B: Float64Array, nb: number, partial: Float64Array, po: number): void {
    const F = this.ar.f64;
    const k = this.ar.k;
    const acc = this.acc / 8;
    F.fill(0, acc, acc + na * nb);
    const pcB = Math.max(8, Math.floor(32768 / (8 * nb)));
    const end = Math.min(N, (c + 1) * CHUNK_ROWS);
    for (let r0 = c * CHUNK_ROWS; r0 < end; r0 += PANEL_ROWS) {
      const rows = Math.min(PANEL_ROWS, end - r0);
      F.set(A.subarray(r0 * na, (r0 + rows) * na), this.pa / 8);
      F.set(B.subarray(r0 * nb, (r0 + rows) * nb), this.pb / 8);
      k.gemm_tn(na, nb, rows, this.pa, na, this.pb, nb, this.acc, nb, pcB);
    }
    partial.set(F.subarray(acc, acc + na * nb), po);
  }

  /**
   * Loads the coefficients C (row-major, len entries) of the combinations that follow; the
   * kernel computes Y −= A·C, so a plain product (subtract false) gets −C.
   */
  loadCoefficients(C: Float64Array, len: number, subtract: boolean): void {
    const F = this.ar.f64;
    const pc = this.pc / 8;
    if (subtract) F.set(C.subarray(0, len), pc);
    else for (let t = 0; t < len; t++) F[pc + t] = -C[t];
  }

  /**
   * Rows of chunk c of Y (my columns), with the coefficients C ((na + nb) × my) loaded: subtract
   * false: Y = A·C[0:na] + B·C[na:na+nb]; subtract true: Y −= A·C (nb = 0).
   */
  combineChunk(c: number, N: number, A: Float64Array, na: number, B: Float64Array, nb: number, my: number, Y: Float64Array, subtract: boolean): void {
    const F = this.ar.f64;
    const k = this.ar.k;
    const end = Math.min(N, (c + 1) * CHUNK_ROWS);
    for (let r0 = c * CHUNK_ROWS; r0 < end; r0 += PANEL_ROWS) {
      const rows = Math.min(PANEL_ROWS, end - r0);
      const py = this.py / 8;
      if (subtract) F.set(Y.subarray(r0 * my, (r0 + rows) * my), py);
      else F.fill(0, py, py + rows * my);
      F.set(A.subarray(r0 * na, (r0 + rows) * na), this.pa / 8);
      k.gemm_nn(rows, my, na, this.pa, na, this.pc, my, this.py, my, na);
      if (nb > 0) {
        F.set(B.subarray(r0 * nb, (r0 + rows) * nb), this.pb / 8);
        k.gemm_nn(rows, my, nb, this.pb, nb, this.pc + 8 * na * my, my, this.py, my, nb);
      }
      Y.set(F.subarray(py, py + rows * my), r0 * my);
    }
  }
}

/**
 * Thread t's share of the chunks of a dense product: Gram partial sums (gram true) into their
 * chunk slots of `partial`, or the rows of block y (C = coef).
 */
export function runShare(
  panels: PanelProducts,
  gram: boolean,
  t: number,
  T: number,
  N: number,
  blocks: readonly Float64Array[],
  partial: Float64Array,
  coef: Float64Array,
  a: number,
  na: number,
  b: number,
  nb: number,
  y: number,
  my: number,
  subtract: boolean,
): void {
  const [c0, c1] = chunkShare(chunkCount(N), t, T);
  if (!gram) panels.loadCoefficients(coef, (na + nb) * my, subtract);
  for (let c = c0; c < c1; c++) {
    if (gram) panels.gramChunk(c, N, blocks[a], na, blocks[b], nb, partial, c * na * nb);
    else panels.combineChunk(c, N, blocks[a], na, blocks[b], nb, my, blocks[y], subtract);
  }
}
