/**
 * The Hessian's copy in WebAssembly memory for the iterative solves (blockMatVecOperator.ts), and
 * the switch between the wasm and the JavaScript backends.
 *
 * Compact symmetric form. A BlockMatrix stores both triangles (blockMatrix.ts). When the matrix
 * is exactly symmetric with symmetric blocks — every Hessian from assembleHessian (pair blocks
 * k = c₁ΔΔᵀ + c₂I, SPEC §4.2) — the wasm copy keeps only the upper triangle of each diagonal block
 * and of each block above the diagonal: d(d+1)/2 values per stored pair instead of 2d², ~1/3 of
 * the bytes (N = 10⁶, d = 3: ~0.38 GB instead of 1.1 GB). sym_mv streams it once per product.
 * Any other matrix is copied as is (gen_mv, bit-for-bit blockMatVec's sums).
 *
 * Cache. The copy lives in one wasm memory per thread (an arena), reused from solve to solve and
 * from matrix to matrix: the last matrix prepared stays there, so repeated solves with one Hessian
 * (moduli, dipole responses) copy it once, and a new matrix reuses memory pages already mapped
 * (first-touch page faults cost ~10 ms per MB on the sandboxed machines we measured, more than
 * the copy). A BlockMatrix is treated as immutable: the arena keys on the object (WeakRef) and
 * checks that its arrays are the same objects and that a sample of values is unchanged; a matrix
 * whose values are rewritten in place must be a new object. releaseMatVecMemory() drops the
 * arena (it only grows while the thread lives).
 *
 * Order. The compact copy numbers particles in a Cuthill–McKee (BFS) order (localityOrder):
 * particle indices of a glass are random in space, so the x_j a row touches would be scattered
 * over the whole vector; in BFS order they sit within one BFS level. Work vectors use that order
 * (CgWorkspace.perm); cg.ts maps right-hand sides in and solutions out.
 *
 * Limits. memory32 holds at most 4 GiB: matrix copy + preconditioner + the work vectors
 * (5–9 of n·d·kp doubles) must fit: 3D Hessians of ~13 blocks a row up to ~4·10⁶ particles for
 * k ≤ 2 (N = 10⁶: ~0.4 GB matrix + 0.4 GB vectors). Beyond that, or if the allocation fails, the
 * JavaScript workspace is used (block Jacobi, same algorithm, ~3–5× slower per pass).
 */
import type { BlockMatrix } from "./blockMatrix.js";
import { blockJacobiInverse } from "./blockMatVecJs.js";
import { matVecKernels, symIndex, type MatVecKernels } from "./blockMatVecWasm.js";

export type MatVecBackend = "auto" | "wasm" | "js";

let backend: MatVecBackend = "auto";

/**
 * Forces the CG backend ("auto": wasm from WASM_MIN_ORDER unknowns on, when it fits). For tests
 * and benchmarks; returns the previous setting.
 */
export function setMatVecBackend(b: MatVecBackend): MatVecBackend {
  const old = backend;
  backend = b;
  return old;
}

/** Order n·d from which "auto" uses wasm (below, copying and instantiation do not pay). */
export const WASM_MIN_ORDER = 1200;
/** Largest block size with wasm kernels (the generated code is unrolled over d). */
const WASM_MAX_D = 8;
const PAGE = 65536;
const MAX_PAGES = 65536;

/** Whether the solves for M should run as wasm kernels (backend setting, size, block size). */
export function wantWasm(M: BlockMatrix): boolean {
  const N = M.n * M.d;
  return M.d <= WASM_MAX_D && (backend === "wasm" || (backend === "auto" && N >= WASM_MIN_ORDER));
}

/** The wasm copy of one matrix in the arena. */
export interface Prepared {
  readonly symmetric: boolean;
  /** Particle i's position in the copy (sym form: localityOrder), null for the identity. */
  readonly perm: Int32Array | null;
  readonly n: number;
  readonly d: number;
  /** sym: dval, uptr, ucol, uval; gen: rowPtr, colIdx, vals (byte offsets). */
  readonly a0: number;
  readonly a1: number;
  readonly a2: number;
  readonly a3: number;
  /** Block-Jacobi inverse D̃⁻¹ (n·d² doubles), 0 until first needed. */
  binv: number;
  /** The SPD diagonal blocks D̃ that binv inverts (compact, sym form only), 0 until needed. */
  dtil: number;
  /** Rows whose D̃ is a replacement (D not positive definite), with D − D̃ (compact), for SSOR. */
  fixRows: Int32Array;
  fixBlocks: Float64Array;
  /** End of the persistent data (matrix, preconditioner); work vectors go after it. */
  top: number;
  readonly check: Fingerprint;
}

/** One wasm memory per thread holding the last prepared matrix and the work vectors. */
export interface Arena {
  readonly memory: WebAssembly.Memory;
  /** Kernel instances bound to the memory, by block size and lane pairs ("d:kc"). */
  readonly kernels: Map<string, MatVecKernels>;
  owner: WeakRef<BlockMatrix> | null;
  prepared: Prepared | null;
}

let arena: Arena | null = null;

/** Drops the wasm arena (the copy of the last matrix and the work vectors); it is rebuilt on demand. */
export function releaseMatVecMemory(): void {
  arena = null;
}

interface Fingerprint {
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly values: Float64Array;
  readonly sample: Float64Array;
}

const SAMPLES = 64;

function sampleValues(v: Float64Array): Float64Array {
  const s = new Float64Array(SAMPLES);
  if (v.length === 0) return s;
  for (let t = 0; t < SAMPLES; t++) s[t] = v[Math.floor((t * (v.length - 1)) / (SAMPLES - 1))];
  return s;
}

function unchanged(M: BlockMatrix, f: Fingerprint): boolean {
  if (M.rowPtr !== f.rowPtr || M.colIdx !== f.colIdx || M.values !== f.values) return false;
  const s = sampleValues(M.values);
  for (let t = 0; t < SAMPLES; t++) if (!Object.is(s[t], f.sample[t])) return false;
  return true;
}

export const align16 = (b: number): number => Math.ceil(b / 16) * 16;

/** Ensures memory up to byte `end`; false when it would exceed 4 GiB or allocation fails. */
export function ensure(memory: WebAssembly.Memory, end: number): boolean {
  const have = memory.buffer.byteLength / PAGE;
  const need = Math.ceil(end / PAGE);
  if (need <= have) return true;
  if (need > MAX_PAGES) return false;
  try {
    memory.grow(need - have);
    return true;
  } catch {
    return false;
  }
}

/** The arena with at least `bytes` of memory, or null when that exceeds 4 GiB or fails. */
function arenaWith(bytes: number): Arena | null {
  if (arena !== null) return ensure(arena.memory, bytes) ? arena : null;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  if (pages > MAX_PAGES) return null;
  try {
    arena = { memory: new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES }), kernels: new Map(), owner: null, prepared: null };
    return arena;
  } catch {
    return null;
  }
}

/** Number of stored blocks strictly above the diagonal. */
function countUpper(M: BlockMatrix): number {
  const { n, rowPtr, colIdx } = M;
  let u = 0;
  for (let i = 0; i < n; i++) for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) if (colIdx[p] > i) u++;
  return u;
}

/**
 * A locality ordering (order[new] = old particle): Cuthill–McKee breadth-first search from a
 * pseudo-peripheral particle of each connected piece (the last one reached by a first search).
 * Neighbours then sit within about one BFS level (~N^((d−1)/d) particles) of each other, so the
 * x_j and y_j a row touches stay in cache; particle indices of a glass are random in space.
 */
export function localityOrder(M: BlockMatrix): Int32Array {
  const { n, rowPtr, colIdx } = M;
  const order = new Int32Array(n);
  const mark = new Int32Array(n); // 0 unseen, 1 seen by the probe search, 2 placed
  const probe = new Int32Array(n);
  let placed = 0;
  for (let s = 0; s < n; s++) {
    if (mark[s] === 2) continue;
    // Probe search: the last particle reached is (pseudo-)peripheral.
    let head = 0;
    let tail = 0;
    probe[tail++] = s;
    mark[s] = 1;
    while (head < tail) {
      const i = probe[head++];
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
        const j = colIdx[p];
        if (mark[j] === 0) {
          mark[j] = 1;
          probe[tail++] = j;
        }
      }
    }
    const start = probe[tail - 1];
    head = placed;
    order[placed++] = start;
    mark[start] = 2;
    while (head < placed) {
      const i = order[head++];
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
        const j = colIdx[p];
        if (mark[j] !== 2) {
          mark[j] = 2;
          order[placed++] = j;
        }
      }
    }
  }
  return order;
}

/** Compact-form index tables: src[t] = a*d + b of the t-th upper-triangle entry; sym[a*d + b] = t. */
function symTables(d: number): { src: Int32Array; sym: Int32Array; offA: Int32Array; offB: Int32Array } {
  const S = (d * (d + 1)) / 2;
  const src = new Int32Array(S);
  const sym = new Int32Array(d * d);
  const offA: number[] = [];
  const offB: number[] = [];
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) {
      const t = symIndex(d, a, b);
      sym[a * d + b] = t;
      if (a <= b) src[t] = a * d + b;
      if (a < b) {
        offA.push(a * d + b);
        offB.push(b * d + a);
      }
    }
  return { src, sym, offA: Int32Array.from(offA), offB: Int32Array.from(offB) };
}

/**
 * Writes the compact symmetric form, rows and columns renumbered by `order` / `newOf`, into
 * memory at the given offsets; false (nothing usable written) unless the pattern is symmetric,
 * block (j,i) = block (i,j)ᵀ exactly, and every block is symmetric. One streaming pass over the
 * rows in the new order: a row's upper blocks are stored sorted by new column, and each lower
 * block (I, J), J < I, is compared with the next unmatched stored block of row J (a cursor per
 * row: rows are visited in increasing I, the order of row J's stored columns).
 */
function writeSymmetric(
  M: BlockMatrix,
  order: Int32Array,
  newOf: Int32Array,
  buf: ArrayBuffer,
  dval: number,
  uptr: number,
  ucol: number,
  uval: number,
  nUpper: number,
): boolean {
  const { d, n, rowPtr, colIdx, values: v } = M;
  const dd = d * d;
  const S = (d * (d + 1)) / 2;
  const { src, sym, offA, offB } = symTables(d);
  const nOff = offA.length;
  const D = new Float64Array(buf, dval, n * S);
  const UP = new Int32Array(buf, uptr, n + 1);
  const UC = new Int32Array(buf, ucol, nUpper);
  const UV = new Float64Array(buf, uval, nUpper * S);
  const cur = new Int32Array(n);
  let maxRow = 0;
  for (let i = 0; i < n; i++) maxRow = Math.max(maxRow, rowPtr[i + 1] - rowPtr[i]);
  const rowJ = new Int32Array(maxRow);
  const rowP = new Int32Array(maxRow);
  D.fill(0);
  let u = 0;
  for (let I = 0; I < n; I++) {
    const i = order[I];
    UP[I] = u;
    cur[I] = u;
    let m = 0;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const J = newOf[colIdx[p]];
      const o = p * dd;
      if (J < I) {
        const q = cur[J];
        if (q >= UP[J + 1] || UC[q] !== I) return false;
        const w = q * S;
        for (let t = 0; t < dd; t++) if (v[o + t] !== UV[w + sym[t]]) return false;
        cur[J] = q + 1;
        continue;
      }
      for (let t = 0; t < nOff; t++) if (v[o + offA[t]] !== v[o + offB[t]]) return false;
      if (J === I) {
        for (let t = 0; t < S; t++) D[I * S + t] += v[o + src[t]];
        continue;
      }
      // Insert (J, p) into the row's upper list, sorted by J.
      let e = m++;
      while (e > 0 && rowJ[e - 1] > J) {
        rowJ[e] = rowJ[e - 1];
        rowP[e] = rowP[e - 1];
        e--;
      }
      rowJ[e] = J;
      rowP[e] = p;
    }
    if (u + m > nUpper) return false;
    for (let e = 0; e < m; e++) {
      UC[u] = rowJ[e];
      const o = rowP[e] * dd;
      const w = u * S;
      for (let t = 0; t < S; t++) UV[w + t] = v[o + src[t]];
      u++;
    }
  }
  UP[n] = u;
  if (u !== nUpper) return false;
  for (let I = 0; I < n; I++) if (cur[I] !== UP[I + 1]) return false; // an upper block without its mirror
  return true;
}

export function prepare(M: BlockMatrix): { A: Arena; p: Prepared } | null {
  if (arena !== null && arena.prepared !== null && arena.owner?.deref() === M && unchanged(M, arena.prepared.check))
    return { A: arena, p: arena.prepared };
  if (arena !== null) {
    arena.owner = null;
    arena.prepared = null;
  }
  const { d, n, rowPtr, colIdx, values } = M;
  const S = (d * (d + 1)) / 2;
  const nUpper = countUpper(M);
  const nnzb = rowPtr[n];
  const check: Fingerprint = { rowPtr, colIdx, values, sample: sampleValues(values) };
  let p: Prepared | null = null;
  // Symmetric compact form first (offset 16 keeps 0 free as "unset").
  const dval = 16;
  const uptr = align16(dval + n * S * 8);
  const ucol = align16(uptr + (n + 1) * 4);
  const uval = align16(ucol + nUpper * 4);
  const symEnd = align16(uval + nUpper * S * 8);
  let A = 2 * nUpper <= nnzb ? arenaWith(symEnd) : null;
  if (A !== null) {
    const order = localityOrder(M);
    const perm = new Int32Array(n);
    for (let I = 0; I < n; I++) perm[order[I]] = I;
    if (writeSymmetric(M, order, perm, A.memory.buffer, dval, uptr, ucol, uval, nUpper))
      p = { symmetric: true, perm, n, d, a0: dval, a1: uptr, a2: ucol, a3: uval, binv: 0, dtil: 0, fixRows: new Int32Array(0), fixBlocks: new Float64Array(0), top: symEnd, check };
  }
  if (p === null) {
    const rp = 16;
    const ci = align16(rp + (n + 1) * 4);
    const vals = align16(ci + nnzb * 4);
    const end = align16(vals + nnzb * d * d * 8);
    A = arenaWith(end);
    if (A === null) return null;
    const buf = A.memory.buffer;
    new Int32Array(buf, rp, n + 1).set(rowPtr.subarray(0, n + 1));
    new Int32Array(buf, ci, nnzb).set(colIdx.subarray(0, nnzb));
    new Float64Array(buf, vals, nnzb * d * d).set(values.subarray(0, nnzb * d * d));
    p = { symmetric: false, perm: null, n, d, a0: rp, a1: ci, a2: vals, a3: 0, binv: 0, dtil: 0, fixRows: new Int32Array(0), fixBlocks: new Float64Array(0), top: end, check };
  }
  A = A as Arena;
  A.prepared = p;
  A.owner = new WeakRef(M);
  return { A, p };
}

export function kernelsFor(A: Arena, d: number, kc: number): MatVecKernels {
  const key = `${d}:${kc}`;
  let k = A.kernels.get(key);
  if (k === undefined) {
    k = matVecKernels(A.memory, d, kc);
    A.kernels.set(key, k);
  }
  return k;
}

/** Computes D̃⁻¹ (and, for the sym form, D̃) into the arena once per matrix; false when out of memory. */
export function diagonalInverse(A: Arena, p: Prepared, M: BlockMatrix, kc: number): boolean {
  if (p.binv !== 0) return true;
  const { n, d } = p;
  const at = p.top;
  const bytes = align16(n * d * d * 8);
  const tbytes = align16(n * ((d * (d + 1)) / 2) * 8);
  if (!ensure(A.memory, at + bytes + tbytes)) return false;
  if (p.symmetric) kernelsFor(A, d, kc).jacobi_inv(n, p.a0, at, at + bytes);
  else new Float64Array(A.memory.buffer, at, n * d * d).set(blockJacobiInverse(M));
  p.binv = at;
  p.dtil = p.symmetric ? at + bytes : 0;
  p.top = at + bytes + tbytes;
  if (p.symmetric) {
    const S = (d * (d + 1)) / 2;
    const D = new Float64Array(A.memory.buffer, p.a0, n * S);
    const Dt = new Float64Array(A.memory.buffer, p.dtil, n * S);
    const rows: number[] = [];
    const blocks: number[] = [];
    for (let i = 0; i < n; i++) {
      let same = true;
      for (let t = 0; t < S; t++) if (D[i * S + t] !== Dt[i * S + t]) same = false;
      if (same) continue;
      rows.push(i);
      for (let t = 0; t < S; t++) blocks.push(D[i * S + t] - Dt[i * S + t]);
    }
    p.fixRows = Int32Array.from(rows);
    p.fixBlocks = Float64Array.from(blocks);
  }
  return true;
}
