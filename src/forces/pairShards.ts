import { Worker } from "node:worker_threads";
import { Box } from "../core/box.js";
import { GlassmechError } from "../core/errors.js";
import { awaitWorkers, issueCommand } from "../core/workerSignals.js";
import type { Model } from "../models/types.js";
import type { PairCutoffs } from "../neighbors/cutoffs.js";
import { checkListInputs } from "../neighbors/listShard.js";
import { allocateShardMemory, PairShard, type ShardInit, type ShardMemory } from "./pairShard.js";
import { COMMAND, CTRL, waitWhileEqual } from "./pairShardProtocol.js";
import { PARTIALS } from "./shardVectors.js";

/**
 * The threaded pair loop (issue 15): energy and forces of one configuration on T threads that
 * share their arrays (SharedArrayBuffer). The calling thread is thread 0 and T − 1 worker threads
 * (pairShardWorker.ts) are the others; each owns a contiguous range of cells and so of internal
 * particles (pairShard.ts). One evaluation:
 *
 *   gather     each thread: internal positions of its range, and the rebuild rule (skin/2) on it;
 *   (rebuild)  cells: each thread bins a share of the particles and counts them per cell; the
 *              calling thread sums the counts into slots; sort: each thread puts its particles
 *              in their slots (the serial stable counting sort's order); the calling thread cuts
 *              the cells into T ranges of nearly equal particle count; place: each thread writes
 *              the wrapped build positions of its range; scan: each thread builds the half list
 *              of its cells;
 *   forces     each thread runs the model's compiled loop over its own list into its own buffer;
 *   reduce     each thread sums the T buffers for its particles in the order 0 … T−1.
 *
 * Every step is a fixed function of the positions and T, so the same input gives bit-identical
 * output at a fixed thread count. Between thread counts the pairs are the same but the sums run
 * in another order, so forces differ in the last bits (≈1e-16 relative): a minimized glass agrees
 * to the minimizer's tolerance, an MD trajectory decorrelates after some hundred steps as any
 * chaotic trajectory does (README, "Threads").
 *
 * The threads hand work over by Atomics.wait / notify on the shared control array; the calling
 * thread blocks while the others work (a worker that hangs is reported after WAIT_LIMIT_MS).
 */

/** Longest wait for the workers on one command before it is reported as a failure. */
const WAIT_LIMIT_MS = 600_000;

interface Handle {
  ctrl: Int32Array;
  workers: Worker[];
}

/** Stops the workers of an engine that was never closed (they are unref'd, so they never hold the process). */
const finalizer = new FinalizationRegistry<Handle>((h) => stopWorkers(h));

function stopWorkers(h: Handle): void {
  if (h.workers.length === 0) return;
  issueCommand(h.ctrl, COMMAND.stop);
  for (const w of h.workers) void w.terminate();
  h.workers = [];
}

export interface PairShardsOptions {
  readonly d: number;
  readonly n: number;
  readonly box: Box;
  readonly model: Model;
  readonly cutoffs: PairCutoffs;
  readonly skin: number;
  /** Threads including the calling one (≥ 2; one thread is the serial PairSystem path). */
  readonly threads: number;
}

export class PairShards {
  readonly d: number;
  readonly n: number;
  readonly threads: number;
  /** Number of neighbor-list builds so far. */
  builds = 0;
  /** The caller's positions at the last build (a copy), see PairSystem.listPositions. */
  builtAt: Float64Array | null = null;

  private readonly init: ShardInit;
  private readonly mem: ShardMemory;
  private readonly own: PairShard;
  private readonly handle: Handle;
  private boxValue: Box;
  private valid = false;
  private boxPublished = false;

  constructor(o: PairShardsOptions) {
    const { d, n, threads } = o;
    if (!Number.isInteger(threads) || threads < 2) throw new GlassmechError(`threaded pair loop needs at least 2 threads, got ${threads}`);
    if (n < threads) throw new GlassmechError(`threaded pair loop: ${n} particles cannot be shared by ${threads} threads`);
    this.d = d;
    this.n = n;
    this.threads = threads;
    this.boxValue = o.box;
    this.init = {
      d,
      n,
      threads,
      model: { name: o.model.name, params: { ...o.model.params } },
      cutoffs: o.cutoffs,
      skin: o.skin,
      usesSizes: o.model.scales.kind === "sizes",
    };
    this.mem = allocateShardMemory(d, n, threads);
    this.own = new PairShard(this.init, this.mem, 0, o.model);
    const workers: Worker[] = [];
    this.handle = { ctrl: this.mem.ctrl, workers };
    try {
      for (let t = 1; t < threads; t++) {
        const w = new Worker(new URL("./pairShardWorker.js", import.meta.url), { workerData: { init: this.init, mem: this.mem, t } });
        w.unref();
        workers.push(w);
      }
      // Each worker counts itself done once it is ready for commands.
      this.waitForWorkers("start-up");
    } catch (e) {
      stopWorkers(this.handle);
      throw e;
    }
    finalizer.register(this, this.handle, this);
  }

  /** Changes the box; the next evaluation rebuilds. */
  setBox(box: Box): void {
    if (box.d !== this.d) throw new GlassmechError(`new box is ${box.d}-dimensional, the pair loop is ${this.d}-dimensional`);
    this.boxValue = box;
    this.boxPublished = false;
    this.valid = false;
  }

  /** False when the next evaluation rebuilds whatever the positions. */
  get isValid(): boolean {
    return this.valid;
  }

  /**
   * U at positions x (original order, n·d); fills forces = −∇U (overwritten). Passing the shared
   * vectors x and f themselves (sharedVectors) skips the copies in and out.
   */
  energyForces(x: Float64Array, types: Int32Array | null, sizes: Float64Array | null, forces: Float64Array): number {
    this.prepare(x, types, sizes);
    this.command(COMMAND.forces);
    this.command(COMMAND.reduce);
    if (forces !== this.mem.fOut) forces.set(this.mem.fOut);
    return this.energySum();
  }

  /** max_i |f_i| of the last energyForces (NaN if a force is NaN). */
  lastMaxForce(): number {
    return Math.sqrt(this.partial(PARTIALS - 1, "max"));
  }

  /** The shared vectors the integrators' threaded loops work on (shardVectors.ts). */
  get sharedVectors(): { x: Float64Array; f: Float64Array; v: Float64Array; xPrev: Float64Array; fPrev: Float64Array } {
    const m = this.mem;
    return { x: m.xIn, f: m.fOut, v: m.v, xPrev: m.xPrev, fPrev: m.fPrev };
  }

  /**
   * Runs a vector operation (shardVectors.ts VECTOR_OP) on all threads and returns the partial
   * results of slot `slot` combined in thread order: summed, or the largest (NaN wins) with `max`.
   */
  vector(op: number, a1 = 0, a2 = 0, a3 = 0, combine: "sum" | "max" = "sum", slot = 0): number {
    const m = this.mem;
    if (this.handle.workers.length !== this.threads - 1) throw new GlassmechError("threaded pair loop used after close()");
    m.args[0] = op;
    m.args[1] = a1;
    m.args[2] = a2;
    m.args[3] = a3;
    this.command(COMMAND.vector);
    return this.partial(slot, combine);
  }

  /** Partial results of slot `slot` combined in thread order. */
  partial(slot: number, combine: "sum" | "max"): number {
    const p = this.mem.partials;
    let r = 0;
    for (let t = 0; t < this.threads; t++) {
      const q = p[PARTIALS * t + slot];
      if (combine === "sum") r += q;
      else if (Number.isNaN(q) || Number.isNaN(r)) r = NaN;
      else if (q > r) r = q;
    }
    return r;
  }

  /** U at positions x. */
  energy(x: Float64Array, types: Int32Array | null, sizes: Float64Array | null): number {
    this.prepare(x, types, sizes);
    this.command(COMMAND.energy);
    return this.energySum();
  }

  /** Stops the worker threads (the engine cannot be used afterwards). */
  close(): void {
    finalizer.unregister(this);
    stopWorkers(this.handle);
  }

  /** Builds the list at positions x now. */
  rebuildAt(x: Float64Array, types: Int32Array | null, sizes: Float64Array | null): void {
    this.valid = false;
    this.prepare(x, types, sizes);
  }

  /** Per-thread energies summed in thread order. */
  private energySum(): number {
    const num = this.mem.num;
    let U = 0;
    for (let t = 0; t < this.threads; t++) U += num[t];
    return U;
  }

  /** Copies the input, checks the rebuild rule on every range and rebuilds when needed. */
  private prepare(x: Float64Array, types: Int32Array | null, sizes: Float64Array | null): void {
    const { n, d } = this;
    const mem = this.mem;
    if (this.handle.workers.length !== this.threads - 1) throw new GlassmechError("threaded pair loop used after close()");
    if (x.length !== n * d) throw new GlassmechError(`PairSystem: expected ${n * d} coordinates, got ${x.length}`);
    if (x !== mem.xIn) mem.xIn.set(x);
    if (this.init.usesSizes) {
      if (sizes === null || sizes.length !== n) throw new GlassmechError(`neighbor list: expected ${n} particle sizes (POLY)`);
      mem.sIn.set(sizes);
    } else {
      if (types === null || types.length !== n) throw new GlassmechError(`neighbor list: expected ${n} particle types`);
      mem.tIn.set(types);
    }
    if (this.valid) {
      this.command(COMMAND.gather);
      let ok = true;
      for (let t = 0; t < this.threads; t++) if (mem.ctrl[CTRL.okFlags + t] !== 1) ok = false;
      if (ok) return;
    }
    this.build(x, types, sizes);
  }

  private build(x: Float64Array, types: Int32Array | null, sizes: Float64Array | null): void {
    const { d, n, threads } = this;
    const mem = this.mem;
    mem.num[threads] = checkListInputs(d, n, this.init.cutoffs, this.init.skin, x, types, sizes);
    if (!this.boxPublished) {
      mem.num.set(this.boxValue.h, threads + 1);
      Atomics.add(mem.ctrl, CTRL.boxVersion, 1);
      this.boxPublished = true;
    }
    this.command(COMMAND.cells);
    // Thread 0's grid is the build's grid (every thread set up the same one).
    const ncells = this.own.grid.ncells;
    this.slotsFromCounts(ncells);
    this.command(COMMAND.sort);
    this.cutRanges(ncells);
    this.command(COMMAND.place);
    this.command(COMMAND.scan);
    this.valid = true;
    this.builds++;
    if (this.builtAt === null) this.builtAt = new Float64Array(n * d);
    this.builtAt.set(x);
  }

  /**
   * The prefix sum of the stable counting sort, cell by cell and within a cell thread by thread:
   * cellStart[c] = particles in cells before c, and thread t's first slot in cell c is cellStart[c]
   * plus the particles of threads before t in c.
   */
  private slotsFromCounts(ncells: number): void {
    const { cellStart, cellSlots } = this.mem;
    const T = this.threads;
    let next = 0;
    for (let c = 0; c < ncells; c++) {
      cellStart[c] = next;
      for (let t = 0; t < T; t++) {
        const k = cellSlots[t][c];
        cellSlots[t][c] = next;
        next += k;
      }
    }
    cellStart[ncells] = next;
  }

  /**
   * Cell ranges of nearly equal particle count: thread t's range ends at the first cell boundary
   * at or after ⌊(t+1)n/T⌋ particles (pair counts follow particle counts in a glass).
   */
  private cutRanges(ncells: number): void {
    const { n, threads } = this;
    const cellStart = this.mem.cellStart;
    const ranges = this.mem.ranges;
    let c0 = 0;
    for (let t = 0; t < threads; t++) {
      let c1 = ncells;
      if (t < threads - 1) {
        const target = Math.floor(((t + 1) * n) / threads);
        // Smallest c1 ≥ c0 with cellStart[c1] ≥ target.
        let lo = c0;
        let hi = ncells;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (cellStart[mid] >= target) hi = mid;
          else lo = mid + 1;
        }
        c1 = lo;
      }
      ranges[4 * t] = c0;
      ranges[4 * t + 1] = c1;
      ranges[4 * t + 2] = cellStart[c0];
      ranges[4 * t + 3] = cellStart[c1];
      c0 = c1;
    }
  }

  /** Runs one command on every thread (this one included) and waits for all of them. */
  private command(cmd: number): void {
    issueCommand(this.mem.ctrl, cmd);
    let failure: unknown = null;
    try {
      this.own.run(cmd);
    } catch (e) {
      failure = e;
    }
    this.waitForWorkers(commandName(cmd));
    if (failure !== null) throw failure;
  }

  private waitForWorkers(what: string): void {
    const got = awaitWorkers(this.mem.ctrl, this.mem.message, this.threads - 1, WAIT_LIMIT_MS, waitWhileEqual);
    if (got === null) return;
    stopWorkers(this.handle);
    if (got === "timeout") throw new GlassmechError(`threaded pair loop: a worker did not finish '${what}' within ${WAIT_LIMIT_MS / 1000} s`);
    throw new GlassmechError(`threaded pair loop: thread ${got.id} failed in '${what}': ${got.text}`);
  }
}

function commandName(cmd: number): string {
  for (const [k, v] of Object.entries(COMMAND)) if (v === cmd) return k;
  return String(cmd);
}
