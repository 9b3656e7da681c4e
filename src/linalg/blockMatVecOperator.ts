/**
 * The Hessian as a CG operator: a per-matrix copy in WebAssembly memory plus the PCG work
 * vectors (CgWorkspace for block-Jacobi/plain CG, SsorWorkspace for SSOR in Eisenstat's form), or
 * plain JavaScript arrays when wasm does not pay (small matrices) or does not fit.
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
 * (5–9 of n·d·kp doubles) must fit: 3D Hessians of ~14 blocks a row up to ~3·10⁶ particles for
 * k ≤ 2 (N = 10⁶: ~0.4 GB matrix + 0.4 GB vectors). Beyond that, or if the allocation fails, the
 * JavaScript workspace is used (block Jacobi, same algorithm, ~3–5× slower per pass).
 */
import type { BlockMatrix } from "./blockMatrix.js";
import { blockJacobiInverse, cgDirectionJs, cgUpdateJs, columnDotsJs, jacobiBlocks, matMulVectorsJs } from "./blockMatVecJs.js";
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

/**
 * The PCG work vectors of one solve with k right-hand sides, interleaved with kp ≥ k lanes:
 * V[s*kp + c] is entry s (= i*d + a) of column c; lanes ≥ k are padding and stay zero.
 * Views stay valid for the duration of the solve.
 */
export interface CgWorkspace {
  readonly backend: "wasm" | "js";
  readonly kp: number;
  /**
   * Where particle i's entries live in the work vectors (a locality ordering of the wasm copy),
   * or null for the identity: entry (i, a) of lane c is V[(perm[i]*d + a)*kp + c].
   */
  readonly perm: Int32Array | null;
  readonly X: Float64Array;
  readonly R: Float64Array;
  /** Room for the (projected) right-hand sides, same layout. */
  readonly RHS: Float64Array;
  readonly Z: Float64Array;
  readonly P: Float64Array;
  readonly Q: Float64Array;
  /** Q = M·X or M·P; dots[c] = src·Q per lane c < kp. */
  matvec(src: "X" | "P", dots: Float64Array): void;
  /**
   * X += αP, R −= αQ, Z = B⁻¹R (block Jacobi; Z ≡ R without preconditioner), and per lane c
   * sums[c*(2+2d) + …] = [r·r, r·z, Σ_i z_i0 … z_i(d−1), Σ_i r_i0 … r_i(d−1)].
   */
  update(alpha: Float64Array, sums: Float64Array): void;
  /** P = (Z − z̄) + βP on active lanes, 0 on the others (zmean[c*d + a] = z̄_a of lane c). */
  direction(beta: Float64Array, active: Uint8Array, zmean: Float64Array): void;
}

/** The work vectors for k columns, on the backend the setting and the sizes allow. */
export function cgWorkspace(M: BlockMatrix, k: number, preconditioned: boolean): CgWorkspace {
  const N = M.n * M.d;
  const wantWasm = backend === "wasm" || (backend === "auto" && N >= WASM_MIN_ORDER);
  if (wantWasm && M.d <= WASM_MAX_D) {
    const ws = wasmWorkspace(M, k, preconditioned);
    if (ws !== null) return ws;
  }
  return jsWorkspace(M, k, preconditioned);
}

function jsWorkspace(M: BlockMatrix, k: number, preconditioned: boolean): CgWorkspace {
  const L = M.n * M.d * k;
  const X = new Float64Array(L);
  const R = new Float64Array(L);
  const P = new Float64Array(L);
  const Q = new Float64Array(L);
  const inv = preconditioned ? blockJacobiInverse(M) : null;
  const Z = inv === null ? R : new Float64Array(L);
  const d = M.d;
  return {
    backend: "js",
    kp: k,
    perm: null,
    X,
    R,
    RHS: new Float64Array(L),
    Z,
    P,
    Q,
    matvec(src, dots) {
      const S = src === "X" ? X : P;
      matMulVectorsJs(M, k, S, Q);
      columnDotsJs(k, S, Q, dots);
    },
    update(alpha, sums) {
      cgUpdateJs(d, k, X, P, R, Q, Z, inv, alpha, sums);
    },
    direction(beta, active, zmean) {
      cgDirectionJs(d, k, P, Z, beta, active, zmean);
    },
  };
}

/** The wasm copy of one matrix in the arena. */
interface Prepared {
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
interface Arena {
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

const align16 = (b: number): number => Math.ceil(b / 16) * 16;

/** Ensures memory up to byte `end`; false when it would exceed 4 GiB or allocation fails. */
function ensure(memory: WebAssembly.Memory, end: number): boolean {
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

function prepare(M: BlockMatrix): { A: Arena; p: Prepared } | null {
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

function kernelsFor(A: Arena, d: number, kc: number): MatVecKernels {
  const key = `${d}:${kc}`;
  let k = A.kernels.get(key);
  if (k === undefined) {
    k = matVecKernels(A.memory, d, kc);
    A.kernels.set(key, k);
  }
  return k;
}

/** Computes D̃⁻¹ (and, for the sym form, D̃) into the arena once per matrix; false when out of memory. */
function diagonalInverse(A: Arena, p: Prepared, M: BlockMatrix, kc: number): boolean {
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

function wasmWorkspace(M: BlockMatrix, k: number, preconditioned: boolean): CgWorkspace | null {
  const ap = prepare(M);
  if (ap === null) return null;
  const { A, p } = ap;
  const { d, n } = p;
  const kc = Math.ceil(k / 2);
  if (preconditioned && !diagonalInverse(A, p, M, kc)) return null;
  const kp = 2 * kc;
  const L = n * d * kp;
  const vb = align16(L * 8);
  const X = p.top;
  const R = X + vb;
  const P = R + vb;
  const Q = P + vb;
  const Z = preconditioned ? Q + vb : R;
  const RHS = (preconditioned ? Z : Q) + vb;
  const alpha = RHS + vb;
  const beta = alpha + kp * 8;
  const mask = beta + kp * 8;
  const zmean = mask + kp * 8;
  const out = zmean + d * kp * 8;
  const dots = out + (2 + 2 * d) * kp * 8;
  const end = dots + kp * 8;
  if (!ensure(A.memory, end)) return null;
  const K = kernelsFor(A, d, kc);
  const buf = A.memory.buffer;
  const f64 = new Float64Array(buf);
  const i32 = new Int32Array(buf);
  f64.fill(0, X / 8, end / 8);
  const view = (at: number): Float64Array => new Float64Array(buf, at, L);
  const w = 2 + 2 * d;
  const { a0, a1, a2, a3, symmetric } = p;
  return {
    backend: "wasm",
    kp,
    perm: p.perm,
    X: view(X),
    R: view(R),
    RHS: view(RHS),
    Z: view(Z),
    P: view(P),
    Q: view(Q),
    matvec(src, out_) {
      const s = src === "X" ? X : P;
      if (symmetric) K.sym_mv(n, a0, a1, a2, a3, s, Q, dots);
      else K.gen_mv(n, a0, a1, a2, s, Q, dots);
      for (let c = 0; c < kp; c++) out_[c] = f64[dots / 8 + c];
    },
    update(al, sums) {
      for (let c = 0; c < kp; c++) f64[alpha / 8 + c] = al[c];
      if (preconditioned) K.cg_update(n, X, P, R, Q, Z, p.binv, alpha, out);
      else K.cg_update_none(n, X, P, R, Q, alpha, out);
      // wasm layout: chunk cc holds fields f (v128 each) for lanes 2cc, 2cc+1.
      for (let c = 0; c < kp; c++) {
        const cc = c >> 1;
        const base = out / 8 + cc * w * 2 + (c & 1);
        for (let f = 0; f < w; f++) sums[c * w + f] = f64[base + 2 * f];
      }
    },
    direction(bt, active, zm) {
      for (let c = 0; c < kp; c++) {
        const on = c < k && active[c] === 1;
        f64[beta / 8 + c] = on ? bt[c] : 0;
        i32[mask / 4 + 2 * c] = on ? -1 : 0;
        i32[mask / 4 + 2 * c + 1] = on ? -1 : 0;
        const cc = c >> 1;
        for (let a = 0; a < d; a++) f64[zmean / 8 + (cc * d + a) * 2 + (c & 1)] = on ? zm[c * d + a] : 0;
      }
      K.cg_direction(n, P, Z, beta, mask, zmean);
    },
  };
}

/**
 * The vectors of SSOR-preconditioned CG in Eisenstat's form (cg.ts): the iterate lives in the
 * transformed space ŷ = Eᵀx (E = D̃/ω + L), where the operator Â = E⁻¹ M E⁻ᵀ costs one backward and
 * one forward triangular sweep — each stored pair block once per sweep, as one product M·p.
 * Same lane layout and particle order as CgWorkspace.
 */
export interface SsorWorkspace {
  readonly backend: "wasm" | "js";
  readonly kp: number;
  readonly perm: Int32Array | null;
  /** x (original space), excluding the part still held in ŷ (see fold). */
  readonly X: Float64Array;
  readonly RHS: Float64Array;
  /** True residual RHS − M·X after residual(); the driver projects it in place. */
  readonly R: Float64Array;
  /** X += E⁻ᵀŷ, ŷ = 0. */
  fold(): void;
  /** R = RHS − M·X. */
  residual(): void;
  /** r̂ = E⁻¹R, z = D̃r̂/ω; rz[c] = r̂·z per lane. */
  start(rz: Float64Array): void;
  /** q̂ = Â p̂; dots[c] = p̂·q̂ (= pᵀMp with p = E⁻ᵀp̂). */
  apply(dots: Float64Array): void;
  /** ŷ += αp̂, r̂ −= αq̂, z = D̃r̂/ω; rz[c] = r̂·z. */
  update(alpha: Float64Array, rz: Float64Array): void;
  /** p̂ = z + βp̂ on active lanes, 0 on the others. */
  direction(beta: Float64Array, active: Uint8Array): void;
}

/** SSOR relaxation factor ω (measured on PSS glass Hessians: 1.2 needs ~10% fewer iterations than 1). */
export const SSOR_OMEGA = 1.2;

/**
 * The SSOR work vectors for k columns, on the backend the setting and the sizes allow; with
 * wasmOnly, null instead of the JavaScript workspace (whose sweeps cost ~3 block-Jacobi iterations
 * each, so block Jacobi is the better default there).
 */
export function ssorWorkspace(M: BlockMatrix, k: number, wasmOnly = false): SsorWorkspace | null {
  const N = M.n * M.d;
  const wantWasm = backend === "wasm" || (backend === "auto" && N >= WASM_MIN_ORDER);
  if (wantWasm && M.d <= WASM_MAX_D) {
    const ws = wasmSsorWorkspace(M, k);
    if (ws !== null) return ws;
  }
  return wasmOnly ? null : jsSsorWorkspace(M, k);
}

function wasmSsorWorkspace(M: BlockMatrix, k: number): SsorWorkspace | null {
  const ap = prepare(M);
  if (ap === null || !ap.p.symmetric) return null;
  const { A, p } = ap;
  const { d, n } = p;
  const kc = Math.ceil(k / 2);
  if (!diagonalInverse(A, p, M, kc)) return null;
  const kp = 2 * kc;
  const L = n * d * kp;
  const vb = align16(L * 8);
  const X = p.top;
  const RHS = X + vb;
  const Y = RHS + vb;
  const Rh = Y + vb;
  const Z = Rh + vb;
  const P = Z + vb;
  const Qh = P + vb;
  const T = Qh + vb; // also M·X in residual()
  const W = T + vb; // also the true residual R
  const alpha = W + vb;
  const beta = alpha + kp * 8;
  const mask = beta + kp * 8;
  const zero = mask + kp * 8;
  const out = zero + d * kp * 8;
  const end = out + kp * 8;
  if (!ensure(A.memory, end)) return null;
  const K = kernelsFor(A, d, kc);
  const buf = A.memory.buffer;
  const f64 = new Float64Array(buf);
  const i32 = new Int32Array(buf);
  f64.fill(0, X / 8, end / 8);
  const view = (at: number): Float64Array => new Float64Array(buf, at, L);
  const Xv = view(X);
  const Yv = view(Y);
  const Tv = view(T);
  const Wv = view(W);
  const RHSv = view(RHS);
  const { a0: dval, a1: uptr, a2: ucol, a3: uval, binv, dtil } = p;
  const om = SSOR_OMEGA;
  const S = (d * (d + 1)) / 2;
  /** W_I += (D_I − D̃_I) T_I on the rows with a replaced diagonal block (see ssor_backward). */
  const fixRows = (): void => {
    const { fixRows: rows, fixBlocks: blk } = p;
    for (let r = 0; r < rows.length; r++) {
      const o = rows[r] * d * kp;
      for (let a = 0; a < d; a++)
        for (let c = 0; c < kp; c++) {
          let w = 0;
          for (let b = 0; b < d; b++) w += blk[r * S + symIndex(d, a, b)] * Tv[o + b * kp + c];
          Wv[o + a * kp + c] += w;
        }
    }
  };
  const readLanes = (rz: Float64Array): void => {
    for (let c = 0; c < kp; c++) rz[c] = f64[out / 8 + c];
  };
  return {
    backend: "wasm",
    kp,
    perm: p.perm,
    X: Xv,
    RHS: RHSv,
    R: Wv,
    fold() {
      K.ssor_backward(n, uptr, ucol, uval, binv, Y, T, W, om);
      for (let s = 0; s < L; s++) Xv[s] += Tv[s];
      Yv.fill(0);
    },
    residual() {
      K.sym_mv(n, dval, uptr, ucol, uval, X, T, out);
      for (let s = 0; s < L; s++) Wv[s] = RHSv[s] - Tv[s];
    },
    start(rz) {
      K.ssor_solve(n, uptr, ucol, uval, binv, W, T, Rh, P, om, out);
      for (let c = 0; c < kp; c++) f64[alpha / 8 + c] = 0;
      K.ssor_update(n, Y, P, Rh, Qh, Z, dtil, alpha, 1 / om, out);
      readLanes(rz);
    },
    apply(dots) {
      K.ssor_backward(n, uptr, ucol, uval, binv, P, T, W, om);
      fixRows();
      K.ssor_apply(n, uptr, ucol, uval, binv, W, T, Qh, P, om, out);
      readLanes(dots);
    },
    update(al, rz) {
      for (let c = 0; c < kp; c++) f64[alpha / 8 + c] = al[c];
      K.ssor_update(n, Y, P, Rh, Qh, Z, dtil, alpha, 1 / om, out);
      readLanes(rz);
    },
    direction(bt, active) {
      for (let c = 0; c < kp; c++) {
        const on = c < k && active[c] === 1;
        f64[beta / 8 + c] = on ? bt[c] : 0;
        i32[mask / 4 + 2 * c] = on ? -1 : 0;
        i32[mask / 4 + 2 * c + 1] = on ? -1 : 0;
      }
      K.cg_direction(n, P, Z, beta, mask, zero);
    },
  };
}

/** The same algorithm on the block-CSR arrays in JavaScript (row-oriented sweeps, no copy). */
function jsSsorWorkspace(M: BlockMatrix, k: number): SsorWorkspace {
  const { d, n, rowPtr, colIdx, values } = M;
  const dd = d * d;
  const L = n * d * k;
  const X = new Float64Array(L);
  const RHS = new Float64Array(L);
  const Y = new Float64Array(L);
  const Rh = new Float64Array(L);
  const Z = new Float64Array(L);
  const P = new Float64Array(L);
  const Qh = new Float64Array(L);
  const T = new Float64Array(L);
  const W = new Float64Array(L);
  const dtil = new Float64Array(n * dd);
  const binv = jacobiBlocks(M, dtil);
  const diag = new Float64Array(n * dd);
  for (let i = 0; i < n; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) if (colIdx[p] === i) for (let t = 0; t < dd; t++) diag[i * dd + t] += values[p * dd + t];
  const om = SSOR_OMEGA;
  const s = new Float64Array(d * k);
  /** T = E⁻ᵀV and W = V − 2s + D T, rows last to first. */
  const backward = (V: Float64Array): void => {
    for (let i = n - 1; i >= 0; i--) {
      const o = i * d * k;
      for (let t = 0; t < d * k; t++) s[t] = V[o + t];
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
        const j = colIdx[p];
        if (j <= i) continue;
        const oj = j * d * k;
        for (let a = 0; a < d; a++)
          for (let b = 0; b < d; b++) {
            const m = values[p * dd + a * d + b];
            for (let c = 0; c < k; c++) s[a * k + c] -= m * T[oj + b * k + c];
          }
      }
      for (let a = 0; a < d; a++)
        for (let c = 0; c < k; c++) {
          let t = 0;
          for (let b = 0; b < d; b++) t += binv[i * dd + a * d + b] * s[b * k + c];
          T[o + a * k + c] = om * t;
        }
      for (let a = 0; a < d; a++)
        for (let c = 0; c < k; c++) {
          let w = V[o + a * k + c] - 2 * s[a * k + c];
          for (let b = 0; b < d; b++) w += diag[i * dd + a * d + b] * T[o + b * k + c];
          W[o + a * k + c] = w;
        }
    }
  };
  /** w = E⁻¹W, rows first to last, gathering the lower blocks. */
  const forward = (w: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      const o = i * d * k;
      for (let t = 0; t < d * k; t++) s[t] = W[o + t];
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
        const j = colIdx[p];
        if (j >= i) continue;
        const oj = j * d * k;
        for (let a = 0; a < d; a++)
          for (let b = 0; b < d; b++) {
            const m = values[p * dd + a * d + b];
            for (let c = 0; c < k; c++) s[a * k + c] -= m * w[oj + b * k + c];
          }
      }
      for (let a = 0; a < d; a++)
        for (let c = 0; c < k; c++) {
          let t = 0;
          for (let b = 0; b < d; b++) t += binv[i * dd + a * d + b] * s[b * k + c];
          w[o + a * k + c] = om * t;
        }
    }
  };
  const update = (alpha: Float64Array, rz: Float64Array): void => {
    rz.fill(0, 0, k);
    for (let i = 0; i < n; i++) {
      const o = i * d * k;
      for (let t = 0; t < d * k; t++) {
        const al = alpha[t % k];
        Y[o + t] += al * P[o + t];
        Rh[o + t] -= al * Qh[o + t];
      }
      for (let a = 0; a < d; a++)
        for (let c = 0; c < k; c++) {
          let z = 0;
          for (let b = 0; b < d; b++) z += dtil[i * dd + a * d + b] * Rh[o + b * k + c];
          z /= om;
          Z[o + a * k + c] = z;
          rz[c] += Rh[o + a * k + c] * z;
        }
    }
  };
  const zeros = new Float64Array(k);
  const Ws = new Float64Array(L);
  return {
    backend: "js",
    kp: k,
    perm: null,
    X,
    RHS,
    R: W,
    fold() {
      backward(Y);
      for (let t = 0; t < L; t++) X[t] += T[t];
      Y.fill(0);
    },
    residual() {
      matMulVectorsJs(M, k, X, T);
      for (let t = 0; t < L; t++) W[t] = RHS[t] - T[t];
    },
    start(rz) {
      forward(Rh);
      update(zeros, rz);
    },
    apply(dots) {
      backward(P);
      forward(Ws);
      dots.fill(0, 0, k);
      for (let o = 0; o < L; o += k)
        for (let c = 0; c < k; c++) {
          const q = T[o + c] + Ws[o + c];
          Qh[o + c] = q;
          dots[c] += P[o + c] * q;
        }
    },
    update,
    direction(beta, active) {
      for (let o = 0; o < L; o += k) for (let c = 0; c < k; c++) P[o + c] = active[c] === 1 ? Z[o + c] + beta[c] * P[o + c] : 0;
    },
  };
}
