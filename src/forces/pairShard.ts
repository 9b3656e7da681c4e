import { Box } from "../core/box.js";
import type { ModelDescriptor } from "../core/descriptor.js";
import { CellGrid, placeBinned } from "../neighbors/cellGrid.js";
import type { PairCutoffs } from "../neighbors/cutoffs.js";
import { gatherPositions, ListShard, listScan } from "../neighbors/listShard.js";
import type { ScanCell } from "../neighbors/compileScan.js";
import { createModel } from "../models/index.js";
import type { Model } from "../models/types.js";
import { compilePairLoops, type CompiledLoops } from "./compileLoop.js";
import { pairTables } from "./pairTables.js";
import { PARTIALS, runVectorOp, type VectorArrays } from "./shardVectors.js";
import { COMMAND, CTRL } from "./pairShardProtocol.js";

/**
 * One thread's part of the threaded pair loop (pairShards.ts): the memory all threads share and
 * the work one thread does on it. Thread t owns the cells [c0_t, c1_t) of the cell grid, i.e. the
 * contiguous internal particles [I0_t, I1_t); it builds the half list of pairs found from its
 * cells (ListShard), runs the model's compiled loop over that list into its own force buffer, and
 * in the reduction sums the T buffers for its own particles in the fixed order 0, 1, …, T−1.
 * Binning (neighbors/cellGrid.ts) is split the same way: thread t finds the cells and wraps of
 * the original particles ⌊tn/T⌋ … ⌊(t+1)n/T⌋ − 1 and counts them per cell; the main thread turns
 * the counts into each thread's first slot per cell (cell by cell, threads in order), so that each
 * thread's scatter of its particles gives exactly the order of the serial stable counting sort;
 * then each thread places the internal positions of its internal range. Nothing depends on
 * timing, so the numbers are the same in every run with the same thread count.
 */

/** Everything a thread needs to rebuild its part; plain data (sent to workers once). */
export interface ShardInit {
  readonly d: number;
  readonly n: number;
  readonly threads: number;
  readonly model: ModelDescriptor;
  readonly cutoffs: PairCutoffs;
  readonly skin: number;
  /** Model scales are per-particle sizes (POLY) rather than types. */
  readonly usesSizes: boolean;
}

/** The shared arrays (SharedArrayBuffer-backed); see pairShards.ts for who writes what. */
export interface ShardMemory {
  readonly ctrl: Int32Array;
  /** Ranges (c0, c1, I0, I1) of thread t at 4t. */
  readonly ranges: Int32Array;
  /** Per-thread energies [0, T), then rmax at T, then the box matrix (d²). */
  readonly num: Float64Array;
  /** Error text of a failed command (UTF-8, zero padded). */
  readonly message: Uint8Array;
  /** Caller's positions (original order), internal positions, build positions, wrap vectors. */
  readonly xIn: Float64Array;
  readonly xs: Float64Array;
  readonly xw: Float64Array;
  readonly wrap: Float64Array;
  /** Binning: cell and wrap vector per particle in original order (CellGrid.cellsOf). */
  readonly cellOf: Int32Array;
  readonly wrapOriginal: Float64Array;
  /** Per thread: its particles per cell, then (after the main thread's prefix sum) its next slot per cell. */
  readonly cellSlots: Int32Array[];
  /** The integrators' vectors besides x (= xIn) and f (= fOut), see shardVectors.ts. */
  readonly v: Float64Array;
  readonly xPrev: Float64Array;
  readonly fPrev: Float64Array;
  readonly args: Float64Array;
  /** PARTIALS per thread: the vector operations' partial sums; slot PARTIALS − 1: max |f_i|² of the last reduction. */
  readonly partials: Float64Array;
  /** Per-thread force buffers (internal order) and the reduced forces (original order). */
  readonly forces: Float64Array[];
  readonly fOut: Float64Array;
  readonly order: Int32Array;
  readonly tIn: Int32Array;
  readonly tI: Int32Array;
  readonly tBuild: Int32Array;
  readonly sIn: Float64Array;
  readonly sI: Float64Array;
  readonly sBuild: Float64Array;
  /** The grid's cellStart (capacity: the most cells CellGrid.setup makes, + 1). */
  readonly cellStart: Int32Array;
}

function shared<T extends Float64Array | Int32Array | Uint8Array>(make: new (b: SharedArrayBuffer) => T, bytesPer: number, length: number): T {
  return new make(new SharedArrayBuffer(Math.max(1, length) * bytesPer));
}

export function allocateShardMemory(d: number, n: number, threads: number): ShardMemory {
  const nd = n * d;
  const f64 = (len: number) => shared(Float64Array, 8, len);
  const i32 = (len: number) => shared(Int32Array, 4, len);
  return {
    ctrl: i32(CTRL.okFlags + threads),
    ranges: i32(4 * threads),
    num: f64(threads + 1 + d * d),
    message: shared(Uint8Array, 1, 4096),
    xIn: f64(nd),
    xs: f64(nd),
    xw: f64(nd),
    wrap: f64(nd),
    cellOf: i32(n),
    wrapOriginal: f64(nd),
    cellSlots: Array.from({ length: threads }, () => i32(Math.max(27, 2 * n))),
    v: f64(nd),
    xPrev: f64(nd),
    fPrev: f64(nd),
    args: f64(8),
    partials: f64(PARTIALS * threads),
    forces: Array.from({ length: threads }, () => f64(nd)),
    fOut: f64(nd),
    order: i32(n),
    tIn: i32(n),
    tI: i32(n),
    tBuild: i32(n),
    sIn: f64(n),
    sI: f64(n),
    sBuild: f64(n),
    // CellGrid.setup makes at most max(27, 2n) cells.
    cellStart: i32(Math.max(27, 2 * n) + 1),
  };
}

export class PairShard {
  readonly t: number;
  readonly list: ListShard;
  private readonly loops: CompiledLoops;
  private readonly vectors: VectorArrays;
  readonly grid: CellGrid;
  private box: Box | null = null;
  private boxVersion = -1;
  private scan: { kernel: ScanCell; rl2: Float64Array; rmax: number } | null = null;

  constructor(
    private readonly init: ShardInit,
    private readonly mem: ShardMemory,
    t: number,
    model?: Model,
  ) {
    this.t = t;
    const m = model ?? createModel(init.model);
    this.loops = compilePairLoops(m.name, m.reduced, pairTables(m), init.d);
    this.grid = new CellGrid(init.d);
    this.grid.cellStart = mem.cellStart;
    this.vectors = { x: mem.xIn, f: mem.fOut, v: mem.v, xPrev: mem.xPrev, fPrev: mem.fPrev, args: mem.args, partials: mem.partials };
    this.list = new ListShard(init.n, init.d, Math.ceil((init.n * 8) / init.threads));
  }

  /** Runs one command for this thread's range. */
  run(command: number): void {
    switch (command) {
      case COMMAND.gather:
        this.mem.ctrl[CTRL.okFlags + this.t] = this.gather() ? 1 : 0;
        return;
      case COMMAND.cells:
        this.cells();
        return;
      case COMMAND.sort:
        this.sort();
        return;
      case COMMAND.place:
        this.place();
        return;
      case COMMAND.scan:
        this.scanCells();
        this.gather();
        return;
      case COMMAND.forces:
        this.forces();
        return;
      case COMMAND.energy:
        this.energy();
        return;
      case COMMAND.reduce:
        this.reduce();
        return;
      case COMMAND.vector: {
        const [i0, i1] = this.originalRange();
        runVectorOp(this.vectors, this.init.d, i0 * this.init.d, i1 * this.init.d, this.t);
        return;
      }
      default:
        throw new Error(`pair shard: unknown command ${command}`);
    }
  }

  private range(): { c0: number; c1: number; I0: number; I1: number } {
    const r = this.mem.ranges;
    const k = 4 * this.t;
    return { c0: r[k], c1: r[k + 1], I0: r[k + 2], I1: r[k + 3] };
  }

  /**
   * xs[I] = xIn[order[I]] − wrap[I] (and types/sizes) for this range, as VerletList.gather does;
   * false when a particle moved more than skin/2 since the build or (exact filtering) a type or
   * size changed.
   */
  private gather(): boolean {
    const { d, skin, usesSizes } = this.init;
    const { xIn, xs, xw, wrap, order, tIn, tI, tBuild, sIn, sI, sBuild } = this.mem;
    const { I0, I1 } = this.range();
    let ok = gatherPositions(d, xIn, order, wrap, xw, xs, I0, I1, 0.25 * skin * skin);
    const exact = this.init.cutoffs.swapSafe !== true;
    if (usesSizes)
      for (let I = I0; I < I1; I++) {
        const v = sIn[order[I]];
        sI[I] = v;
        if (exact && v !== sBuild[I]) ok = false;
      }
    else
      for (let I = I0; I < I1; I++) {
        const v = tIn[order[I]];
        tI[I] = v;
        if (exact && v !== tBuild[I]) ok = false;
      }
    return ok;
  }

  /**
   * Binning phase 1 for the original particles ⌊tn/T⌋ … ⌊(t+1)n/T⌋ − 1, on the grid of the build
   * (the box and r_max the main thread published in num; same (box, n, r_max) as the main
   * thread's CellGrid.setup, so the same grid).
   */
  private cells(): void {
    const { d, n, threads } = this.init;
    const mem = this.mem;
    const version = mem.ctrl[CTRL.boxVersion];
    if (this.box === null || version !== this.boxVersion) {
      this.box = new Box(d, Float64Array.from(mem.num.subarray(threads + 1, threads + 1 + d * d)));
      this.boxVersion = version;
    }
    const rmax = mem.num[threads];
    if (this.scan === null || this.scan.rmax !== rmax) this.scan = { ...listScan(d, this.init.cutoffs, this.init.skin, rmax), rmax };
    this.grid.setup(this.box, n, rmax);
    const [i0, i1] = this.originalRange();
    const cellOf = mem.cellOf;
    this.grid.cellsOf(this.box, mem.xIn, i0, i1, cellOf, mem.wrapOriginal);
    const slots = mem.cellSlots[this.t];
    slots.fill(0, 0, this.grid.ncells);
    for (let i = i0; i < i1; i++) slots[cellOf[i]]++;
  }

  /** Binning phase 2 (after the main thread's prefix sum): order[slot] = i for this thread's original particles. */
  private sort(): void {
    const [i0, i1] = this.originalRange();
    const { cellOf, order } = this.mem;
    const slots = this.mem.cellSlots[this.t];
    for (let i = i0; i < i1; i++) order[slots[cellOf[i]]++] = i;
  }

  /** The original particles ⌊tn/T⌋ … ⌊(t+1)n/T⌋ − 1 this thread bins. */
  private originalRange(): [number, number] {
    const { n, threads } = this.init;
    return [Math.floor((this.t * n) / threads), Math.floor(((this.t + 1) * n) / threads)];
  }

  /** Binning phase 3 for this range (the main thread has sorted): wrap, xw and the build's types / sizes. */
  private place(): void {
    const { d, usesSizes } = this.init;
    const { xIn, order, wrapOriginal, wrap, xw, tIn, tBuild, sIn, sBuild } = this.mem;
    const { I0, I1 } = this.range();
    placeBinned(d, xIn, order, wrapOriginal, I0, I1, wrap, xw);
    if (usesSizes) for (let I = I0; I < I1; I++) sBuild[I] = sIn[order[I]];
    else for (let I = I0; I < I1; I++) tBuild[I] = tIn[order[I]];
  }

  /** Builds this thread's half list from its cells (all particles placed). */
  private scanCells(): void {
    const scan = this.scan;
    if (scan === null) throw new Error("pair shard: scan before binning (bug)");
    const mem = this.mem;
    const { c0, c1 } = this.range();
    this.list.scan(this.grid, c0, c1, scan.kernel, mem.xw, mem.tBuild, mem.sBuild, scan.rl2);
  }

  private forces(): void {
    const mem = this.mem;
    const fs = mem.forces[this.t];
    const L = this.list;
    fs.fill(0);
    mem.num[this.t] = this.loops.energyForces(mem.xs, fs, L.start, L.nbr, L.first, L.end, L.shiftCount, L.shiftI, L.shiftJ, L.shiftVec, mem.tI, mem.sI);
  }

  private energy(): void {
    const mem = this.mem;
    const L = this.list;
    mem.num[this.t] = this.loops.energy(mem.xs, L.start, L.nbr, L.first, L.end, L.shiftCount, L.shiftI, L.shiftJ, L.shiftVec, mem.tI, mem.sI);
  }

  /**
   * fOut[order[I]] = Σ_s forces_s[I] (s = 0 … T−1 in order) for this range, and the largest
   * |f_i|² of the range (FIRE's max force, shardVectors.ts; NaN if a norm is NaN).
   */
  private reduce(): void {
    const { d, threads } = this.init;
    const { forces, fOut, order } = this.mem;
    const { I0, I1 } = this.range();
    let m2 = 0;
    let bad = false;
    if (threads === 2 && d === 3) {
      const f0 = forces[0];
      const f1 = forces[1];
      for (let I = I0; I < I1; I++) {
        const o = order[I] * 3;
        const k = I * 3;
        const a = f0[k] + f1[k];
        const b = f0[k + 1] + f1[k + 1];
        const c = f0[k + 2] + f1[k + 2];
        fOut[o] = a;
        fOut[o + 1] = b;
        fOut[o + 2] = c;
        const q = a * a + b * b + c * c;
        if (q > m2) m2 = q;
        else if (!(q <= m2)) bad = true;
      }
    } else
      for (let I = I0; I < I1; I++) {
        const o = order[I] * d;
        const k = I * d;
        let q = 0;
        for (let a = 0; a < d; a++) {
          let s = forces[0][k + a];
          for (let t = 1; t < threads; t++) s += forces[t][k + a];
          fOut[o + a] = s;
          q += s * s;
        }
        if (q > m2) m2 = q;
        else if (!(q <= m2)) bad = true;
      }
    this.mem.partials[PARTIALS * this.t + PARTIALS - 1] = bad ? NaN : m2;
  }
}
