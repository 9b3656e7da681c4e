/**
 * The Hessian as a CG operator: the work vectors of one solve and the passes over them —
 * CgWorkspace for block-Jacobi (and plain) CG, SsorWorkspace for SSOR in Eisenstat's form —
 * either as wasm kernels on the arena copy of the matrix (blockMatVecArena.ts: compact symmetric
 * form, locality order, 4 GiB limit) or as JavaScript loops on the block-CSR arrays (small
 * matrices, matrices beyond the wasm limit).
 */
import type { BlockMatrix } from "./blockMatrix.js";
import { blockJacobiInverse, cgDirectionJs, cgUpdateJs, columnDotsJs, jacobiBlocks, matMulVectorsJs } from "./blockMatVecJs.js";
import { symIndex } from "./blockMatVecWasm.js";
import { align16, diagonalInverse, ensure, kernelsFor, prepare, wantWasm } from "./blockMatVecArena.js";

export { localityOrder, releaseMatVecMemory, setMatVecBackend, WASM_MIN_ORDER, type MatVecBackend } from "./blockMatVecArena.js";

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
  if (wantWasm(M)) {
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
  if (wantWasm(M)) {
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
