/**
 * The parallel operators of LOBPCG (lobpcg.ts) on T threads: Z = C·R (one AMG V-cycle per
 * column, amg.ts) and Y = M·X (the Hessian on a block of columns), split by columns, and the
 * dense Gram and combination products of its tall blocks (tallProducts.ts), split by row chunks
 * (N = 3·10⁴, 3D, one thread: V-cycle 49 %, M·X 10 %, dense products 27 %).
 *
 * Columns are independent in both products and every kernel computes column r with the same
 * operations whatever the number of columns beside it (mulVectors33, gaussSeidel33, matMul3, …),
 * so splitting the k columns into T contiguous parts gives results bit-identical to one thread:
 * LOBPCG's numbers do not depend on the thread count.
 *
 * The calling thread is thread 0 and works on part 0; threads 1 … T−1 are workers
 * (columnWorker.ts) holding SharedArrayBuffer copies of the Hessian and the hierarchy (one copy
 * for all of them: ~2× the Hessian's and the hierarchy's bytes in all). Parts are gathered into
 * per-thread shared slabs (interleaved with the part's own column count) and scattered back:
 * four passes over N·k doubles, small beside the ~6 passes over the matrix of a V-cycle.
 * Hand-over by Atomics.wait / notify on a shared control array (a command takes 0.1–10 s, so no
 * spinning); a worker's failure is written to a shared message buffer and reported as an error.
 *
 * The dense products are row-chunked: each chunk's Gram partial sum is written to a shared slot
 * and the calling thread adds the slots in chunk order, so those results do not depend on the
 * thread count either.
 */
import { Worker } from "node:worker_threads";
import { GlassmechError } from "../core/errors.js";
import { awaitWorkers, blockingWait, issueCommand } from "../core/workerSignals.js";
import { sharedBsr, type AmgHierarchy } from "./amg.js";
import type { BlockMatrix } from "./blockMatrix.js";
import { bsrOf } from "./bsr.js";
import { matMulVectorsJs } from "./blockMatVecJs.js";
import { COLUMN_CTRL as CTRL, COLUMN_COMMAND as COMMAND, type ColumnWorkerData } from "./columnProtocol.js";
import { chunkCount, PanelProducts, runShare } from "./tallProducts.js";

/** Longest wait for a worker on one command before it is reported as a failure. */
const WAIT_LIMIT_MS = 3_600_000;

export class ColumnThreads {
  readonly threads: number;
  private readonly nd: number;
  private readonly workers: Worker[] = [];
  private readonly ctrl: Int32Array;
  private readonly message: Uint8Array;
  /** Per thread t ≥ 1: input and output slabs (N·cap doubles each); thread 0's are local. */
  private readonly inputs: Float64Array[] = [];
  private readonly outputs: Float64Array[] = [];
  private readonly panels: PanelProducts;
  private readonly chunks: number;
  private readonly partial: Float64Array;
  private readonly coef: Float64Array;
  private closed = false;

  /**
   * Operators for blocks of at most `maxColumns` columns on `threads` threads (1: no workers,
   * the products run here directly); `blocks` are the tall blocks (N·maxColumns doubles each,
   * over SharedArrayBuffers when threads > 1) the dense products address by index.
   */
  constructor(
    private readonly M: BlockMatrix,
    private readonly amg: AmgHierarchy,
    threads: number,
    private readonly maxColumns: number,
    private readonly blocks: readonly Float64Array[],
  ) {
    if (!(Number.isInteger(threads) && threads >= 1)) throw new GlassmechError(`threads must be a positive integer, got ${threads}`);
    this.nd = M.n * M.d;
    this.threads = Math.max(1, Math.min(threads, maxColumns));
    this.ctrl = new Int32Array(new SharedArrayBuffer(4 * 16));
    this.message = new Uint8Array(new SharedArrayBuffer(1024));
    this.panels = new PanelProducts(maxColumns);
    this.chunks = chunkCount(this.nd);
    const shared = (len: number): Float64Array => new Float64Array(this.threads > 1 ? new SharedArrayBuffer(8 * len) : new ArrayBuffer(8 * len));
    this.partial = shared(this.chunks * maxColumns * maxColumns);
    this.coef = shared(2 * maxColumns * maxColumns);
    if (this.threads === 1) return;
    const cap = Math.ceil(maxColumns / this.threads);
    for (let t = 0; t < this.threads; t++) {
      const shared = t > 0;
      const make = (): Float64Array => (shared ? new Float64Array(new SharedArrayBuffer(8 * this.nd * cap)) : new Float64Array(this.nd * cap));
      this.inputs.push(make());
      this.outputs.push(make());
    }
    const fine = sharedBsr(bsrOf(M));
    const data: Omit<ColumnWorkerData, "input" | "output" | "t"> = {
      ctrl: this.ctrl,
      message: this.message,
      amg: amg.toShared(fine),
      blocks,
      partial: this.partial,
      coef: this.coef,
      maxColumns,
    };
    for (let t = 1; t < this.threads; t++) {
      const w = new Worker(new URL("./columnWorker.js", import.meta.url), { workerData: { ...data, input: this.inputs[t], output: this.outputs[t], t } satisfies ColumnWorkerData });
      w.unref();
      this.workers.push(w);
    }
    this.waitForWorkers("start");
  }

  /** Z = C·R (k interleaved columns, amg.apply). */
  precondition(k: number, R: Float64Array, Z: Float64Array): void {
    if (this.threads === 1) this.amg.apply(k, R, Z);
    else this.run(COMMAND.precondition, k, R, Z, (kt, X, Y) => this.amg.apply(kt, X, Y));
  }

  /** Y = M·X (k interleaved columns). */
  multiply(k: number, X: Float64Array, Y: Float64Array): void {
    if (this.threads === 1) matMulVectorsJs(this.M, k, X, Y);
    else this.run(COMMAND.multiply, k, X, Y, (kt, A, B) => matMulVectorsJs(this.M, kt, A, B));
  }

  /** out (na × nb, row-major) = AᵀB of blocks a (na columns) and b (nb columns). */
  gram(a: number, na: number, b: number, nb: number, out: Float64Array): void {
    this.dense(COMMAND.gram, a, na, b, nb, 0, 0, false);
    const len = na * nb;
    const P = this.partial;
    out.fill(0, 0, len);
    // Chunk order, whatever the thread count.
    for (let c = 0; c < this.chunks; c++) {
      const o = c * len;
      for (let t = 0; t < len; t++) out[t] -= P[o + t];
    }
  }

  /**
   * Block y (my columns) = A·C[0:na] + B·C[na:na+nb] of blocks a and b (subtract: y −= A·C,
   * nb = 0); C row-major (na + nb) × my; y must differ from a and b.
   */
  combine(a: number, na: number, b: number, nb: number, C: Float64Array, my: number, y: number, subtract: boolean): void {
    if (y === a || (nb > 0 && y === b)) throw new GlassmechError("column threads: a combination cannot overwrite its operand");
    this.coef.set(C.subarray(0, (na + nb) * my));
    this.dense(COMMAND.combine, a, na, b, nb, y, my, subtract);
  }

  /** Stops the workers (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.workers.length === 0) return;
    issueCommand(this.ctrl, COMMAND.stop);
    for (const w of this.workers) void w.terminate();
  }

  private run(cmd: number, k: number, src: Float64Array, dst: Float64Array, own: (kt: number, X: Float64Array, Y: Float64Array) => void): void {
    if (this.closed) throw new GlassmechError("column threads: used after close()");
    if (k > this.maxColumns) throw new GlassmechError(`column threads: ${k} columns, made for at most ${this.maxColumns}`);
    const T = this.threads;
    const nd = this.nd;
    const first = (t: number): number => Math.floor((t * k) / T);
    const width = (t: number): number => first(t + 1) - first(t);
    for (let t = 1; t < T; t++) copyColumns(nd, width(t), src, k, first(t), this.inputs[t], width(t), 0);
    const ctrl = this.ctrl;
    Atomics.store(ctrl, CTRL.columns, k);
    Atomics.store(ctrl, CTRL.threads, T);
    issueCommand(ctrl, cmd);
    let failure: unknown = null;
    try {
      const k0 = first(1);
      if (k0 > 0) {
        copyColumns(nd, k0, src, k, 0, this.inputs[0], k0, 0);
        own(k0, this.inputs[0], this.outputs[0]);
        copyColumns(nd, k0, this.outputs[0], k0, 0, dst, k, 0);
      }
    } catch (e) {
      failure = e;
    }
    this.waitForWorkers(cmd === COMMAND.precondition ? "precondition" : "multiply");
    if (failure !== null) throw failure;
    for (let t = 1; t < T; t++) copyColumns(nd, width(t), this.outputs[t], width(t), 0, dst, k, first(t));
  }

  /** Runs a dense product's chunks on all threads (this one takes share 0). */
  private dense(cmd: number, a: number, na: number, b: number, nb: number, y: number, my: number, subtract: boolean): void {
    if (this.closed) throw new GlassmechError("column threads: used after close()");
    if (Math.max(na, nb, my) > this.maxColumns) throw new GlassmechError(`column threads: ${Math.max(na, nb, my)} columns, made for at most ${this.maxColumns}`);
    const T = this.threads;
    const own = (t: number): void => runShare(this.panels, cmd === COMMAND.gram, t, T, this.nd, this.blocks, this.partial, this.coef, a, na, b, nb, y, my, subtract);
    if (T === 1) return own(0);
    const ctrl = this.ctrl;
    const args: [number, number][] = [[CTRL.a, a], [CTRL.na, na], [CTRL.b, b], [CTRL.nb, nb], [CTRL.y, y], [CTRL.my, my], [CTRL.subtract, subtract ? 1 : 0], [CTRL.threads, T]];
    for (const [slot, v] of args) Atomics.store(ctrl, slot, v);
    issueCommand(ctrl, cmd);
    let failure: unknown = null;
    try {
      own(0);
    } catch (e) {
      failure = e;
    }
    this.waitForWorkers(cmd === COMMAND.gram ? "gram" : "combine");
    if (failure !== null) throw failure;
  }

  private waitForWorkers(what: string): void {
    const got = awaitWorkers(this.ctrl, this.message, this.threads - 1, WAIT_LIMIT_MS, blockingWait);
    if (got === null) return;
    this.close();
    if (got === "timeout") throw new GlassmechError(`column threads: a worker did not finish '${what}' within ${WAIT_LIMIT_MS / 1000} s`);
    throw new GlassmechError(`column threads: thread ${got.id} failed in '${what}': ${got.text}`);
  }
}

/**
 * Copies w interleaved columns for every scalar row s: dst[s·dk + d0 + j] = src[s·sk + s0 + j]
 * (gathering a part: sk = k, dk = w; scattering it back: sk = w, dk = k).
 */
function copyColumns(nd: number, w: number, src: Float64Array, sk: number, s0: number, dst: Float64Array, dk: number, d0: number): void {
  for (let s = 0; s < nd; s++) {
    const so = s * sk + s0;
    const dO = s * dk + d0;
    for (let j = 0; j < w; j++) dst[dO + j] = src[so + j];
  }
}
