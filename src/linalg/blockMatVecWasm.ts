/**
 * WebAssembly SIMD (f64x2) kernels of the iterative Hessian solves: y = M·X for k interleaved
 * vectors and the fused vector passes of block PCG (cg.ts). Generated with wasmAsm.ts, one
 * small module per (d, kc), compiled on first use.
 *
 * Vectors are "lane-padded": kp = 2·kc lanes per scalar entry (k right-hand sides rounded up to
 * even, the padding lane is zero), so entry s of lane c is at byte (s·kp + c)·8 and one v128
 * holds lanes (2c', 2c'+1) of one entry. SIMD therefore runs across right-hand sides; k = 1
 * costs the same instructions as k = 2 (one lane idle), as many as a scalar kernel.
 *
 *   sym_mv(n, dval, uptr, ucol, uval, X, Y, dots)   Y = M·X with M symmetric in the compact form
 *       of blockMatVecOperator.ts: diagonal blocks dval (upper triangles, S = d(d+1)/2 values),
 *       strictly upper blocks (uptr row pointers, ucol columns, uval upper triangles of blocks
 *       that are themselves symmetric). Each stored pair block serves y_i += B x_j and
 *       y_j += B x_i, so the matrix is streamed once at ~1/3 of the full block-CSR bytes.
 *       Row i's y_i is final once row i is done (rows < i scattered into it earlier), so
 *       dots[c] = X·Y per lane is accumulated on the fly (CG's pᵀMp).
 *   gen_mv(n, rowPtr, colIdx, vals, X, Y, dots)     Y = M·X for any block-CSR matrix (both
 *       triangles, full d×d blocks), the same summation order as blockMatVec: bit-for-bit equal.
 *   cg_update(n, X, P, R, Q, Z, Binv, alpha, out)    x += αp, r −= αq, z = B⁻¹r (block Jacobi, when
 *       the module is built with a preconditioner), and per lane the sums rr = r·r, rz = r·z,
 *       zs_a = Σ_i z_ia, rs_a = Σ_i r_ia (out: per chunk 2 + 2d v128 values).
 *   cg_direction(n, P, Z, beta, mask, zmean)         p = ((z − z̄) + βp) & mask: the projected
 *       preconditioned residual (z̄ = per-component mean, SPEC §4.2 translations) plus β p;
 *       mask is all-ones for active lanes, zero for frozen ones.
 *   jacobi_inv(n, dval, binv, dtil)                 D̃⁻¹ per row (block Jacobi) and D̃ itself.
 *   ssor_backward / ssor_apply / ssor_solve / ssor_update   the triangular sweeps and update pass
 *       of SSOR-preconditioned CG in Eisenstat's form (cg.ts blockSSOR): each stored pair block is
 *       used once per sweep, so Â p̂ = E⁻¹ M E⁻ᵀ p̂ costs the bytes of one product M·p.
 * Addresses are i32 byte offsets (memory32, < 4 GiB); loop bounds are counts, never pointers, so
 * offsets above 2³¹ (negative as i32) are fine.
 */
import { assemble, Fn, T } from "./wasmAsm.js";

const { i32: I, v128: V, f64: D } = T;

/** Exports of one (d, kc) module. All arguments are i32 (counts or byte offsets). */
export interface MatVecKernels {
  sym_mv(n: number, dval: number, uptr: number, ucol: number, uval: number, X: number, Y: number, dots: number): void;
  gen_mv(n: number, rowPtr: number, colIdx: number, vals: number, X: number, Y: number, dots: number): void;
  cg_update(n: number, X: number, P: number, R: number, Q: number, Z: number, Binv: number, alpha: number, out: number): void;
  cg_update_none(n: number, X: number, P: number, R: number, Q: number, alpha: number, out: number): void;
  cg_direction(n: number, P: number, Z: number, beta: number, mask: number, zmean: number): void;
  jacobi_inv(n: number, dval: number, out: number, dtil: number): void;
  ssor_backward(n: number, uptr: number, ucol: number, uval: number, binv: number, V: number, T: number, W: number, omega: number): void;
  ssor_apply(n: number, uptr: number, ucol: number, uval: number, binv: number, W: number, T: number, Q: number, P: number, omega: number, dots: number): void;
  ssor_solve(n: number, uptr: number, ucol: number, uval: number, binv: number, W: number, T: number, Q: number, P: number, omega: number, dots: number): void;
  ssor_update(n: number, Y: number, P: number, R: number, Q: number, Z: number, dtil: number, alpha: number, invOmega: number, out: number): void;
}

/** Raw opcodes the assembler lacks. */
function raw(f: Fn, ...bytes: number[]): void {
  for (const b of bytes) f.code.push(b);
}
/** memory.fill(dest, value, count) — bulk memory. */
function memoryFill(f: Fn): void {
  raw(f, 0xfc, 11, 0x00);
}
/** v128.and */
function vand(f: Fn): void {
  raw(f, 0xfd, 0x4e);
}

/** Index of (a, b), a ≤ b, in the row-major upper triangle of a symmetric d×d block. */
export function symIndex(d: number, a: number, b: number): number {
  if (a > b) [a, b] = [b, a];
  return a * d - (a * (a - 1)) / 2 + (b - a);
}

/** local ← local + v (f64x2) */
function vacc(f: Fn, acc: number): void {
  f.get(acc).vadd().set(acc);
}

function symMv(d: number, kc: number): Fn {
  const f = new Fn("sym_mv", [I, I, I, I, I, I, I, I]);
  const [n, dval, uptr, ucol, uval, X, Y, dots] = [0, 1, 2, 3, 4, 5, 6, 7];
  const S = (d * (d + 1)) / 2;
  const KC16 = kc * 16;
  const STRIDE = d * KC16;
  const i = f.local(I), pb = f.local(I), pe = f.local(I), p = f.local(I), cp = f.local(I), up = f.local(I);
  const xi = f.local(I), yi = f.local(I), xj = f.local(I), yj = f.local(I), dp = f.local(I), j = f.local(I);
  const xiv: number[] = [], acc: number[] = [], xjv: number[] = [], yjv: number[] = [];
  for (let a = 0; a < d; a++) {
    xiv.push(f.local(V));
    acc.push(f.local(V));
    xjv.push(f.local(V));
    yjv.push(f.local(V));
  }
  const bv = f.local(V), t = f.local(V);
  const dot: number[] = [];
  for (let c = 0; c < kc; c++) dot.push(f.local(V));

  // Y = 0 (the pair loop scatters into rows ahead).
  f.get(Y).i32(0).get(n).i32(STRIDE).mul();
  memoryFill(f);
  for (let c = 0; c < kc; c++) f.vZero().set(dot[c]);
  f.i32(0).set(i);
  f.get(X).set(xi);
  f.get(Y).set(yi);
  f.get(dval).set(dp);
  f.get(uptr).i32Load(0).set(pb);
  f.while(
    () => f.get(i).get(n).ltS(),
    () => {
      f.get(uptr).get(i).i32(2).shl().add().i32Load(4).set(pe);
      for (let c = 0; c < kc; c++) {
        const co = c * 16;
        for (let a = 0; a < d; a++) f.get(xi).vLoad(co + a * KC16).set(xiv[a]);
        // acc = D_ii x_i
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < d; b++) {
            f.get(dp).vLoadSplat(symIndex(d, a, b) * 8).get(xiv[b]).vmul();
            if (b > 0) f.get(acc[a]).vadd();
            f.set(acc[a]);
          }
        }
        f.get(pb).set(p);
        f.get(ucol).get(pb).i32(2).shl().add().set(cp);
        f.get(uval).get(pb).i32(S * 8).mul().add().set(up);
        f.while(
          () => f.get(p).get(pe).ltS(),
          () => {
            f.get(cp).i32Load(0).i32(STRIDE).mul().set(j);
            f.get(X).get(j).add().set(xj);
            f.get(Y).get(j).add().set(yj);
            for (let a = 0; a < d; a++) {
              f.get(xj).vLoad(co + a * KC16).set(xjv[a]);
              f.get(yj).vLoad(co + a * KC16).set(yjv[a]);
            }
            // Each stored value b_ab is loaded once and used for all its (up to 4) products.
            for (let a = 0; a < d; a++)
              for (let b = a; b < d; b++) {
                f.get(up).vLoadSplat(symIndex(d, a, b) * 8).set(bv);
                f.get(bv).get(xjv[b]).vmul();
                vacc(f, acc[a]);
                f.get(bv).get(xiv[b]).vmul();
                vacc(f, yjv[a]);
                if (a !== b) {
                  f.get(bv).get(xjv[a]).vmul();
                  vacc(f, acc[b]);
                  f.get(bv).get(xiv[a]).vmul();
                  vacc(f, yjv[b]);
                }
              }
            for (let a = 0; a < d; a++) f.get(yj).get(yjv[a]).vStore(co + a * KC16);
            f.inc(p, 1);
            f.inc(cp, 4);
            f.inc(up, S * 8);
          },
        );
        for (let a = 0; a < d; a++) {
          f.get(yi).vLoad(co + a * KC16).get(acc[a]).vadd().set(t);
          f.get(yi).get(t).vStore(co + a * KC16);
          f.get(xiv[a]).get(t).vmul();
          vacc(f, dot[c]);
        }
      }
      f.get(pe).set(pb);
      f.inc(i, 1);
      f.inc(xi, STRIDE);
      f.inc(yi, STRIDE);
      f.inc(dp, S * 8);
    },
  );
  for (let c = 0; c < kc; c++) f.get(dots).get(dot[c]).vStore(c * 16);
  return f;
}

function genMv(d: number, kc: number): Fn {
  const f = new Fn("gen_mv", [I, I, I, I, I, I, I]);
  const [n, rowPtr, colIdx, vals, X, Y, dots] = [0, 1, 2, 3, 4, 5, 6];
  const DD8 = d * d * 8;
  const KC16 = kc * 16;
  const STRIDE = d * KC16;
  const i = f.local(I), pb = f.local(I), pe = f.local(I), p = f.local(I), cp = f.local(I), vp = f.local(I);
  const xi = f.local(I), yi = f.local(I), xj = f.local(I);
  const acc: number[] = [], xjv: number[] = [];
  for (let a = 0; a < d; a++) {
    acc.push(f.local(V));
    xjv.push(f.local(V));
  }
  const dot: number[] = [];
  for (let c = 0; c < kc; c++) dot.push(f.local(V));
  for (let c = 0; c < kc; c++) f.vZero().set(dot[c]);
  f.i32(0).set(i);
  f.get(X).set(xi);
  f.get(Y).set(yi);
  f.get(rowPtr).i32Load(0).set(pb);
  f.while(
    () => f.get(i).get(n).ltS(),
    () => {
      f.get(rowPtr).get(i).i32(2).shl().add().i32Load(4).set(pe);
      for (let c = 0; c < kc; c++) {
        const co = c * 16;
        for (let a = 0; a < d; a++) f.vZero().set(acc[a]);
        f.get(pb).set(p);
        f.get(colIdx).get(pb).i32(2).shl().add().set(cp);
        f.get(vals).get(pb).i32(DD8).mul().add().set(vp);
        f.while(
          () => f.get(p).get(pe).ltS(),
          () => {
            f.get(X).get(cp).i32Load(0).i32(STRIDE).mul().add().set(xj);
            for (let b = 0; b < d; b++) f.get(xj).vLoad(co + b * KC16).set(xjv[b]);
            // s_a = ((m_a0 x_0 + m_a1 x_1) + m_a2 x_2) …; y_a += s_a — blockMatVec's order.
            for (let a = 0; a < d; a++) {
              for (let b = 0; b < d; b++) {
                f.get(vp).vLoadSplat((a * d + b) * 8).get(xjv[b]).vmul();
                if (b > 0) f.vadd();
              }
              vacc(f, acc[a]);
            }
            f.inc(p, 1);
            f.inc(cp, 4);
            f.inc(vp, DD8);
          },
        );
        for (let a = 0; a < d; a++) {
          f.get(yi).get(acc[a]).vStore(co + a * KC16);
          f.get(xi).vLoad(co + a * KC16).get(acc[a]).vmul();
          vacc(f, dot[c]);
        }
      }
      f.get(pe).set(pb);
      f.inc(i, 1);
      f.inc(xi, STRIDE);
      f.inc(yi, STRIDE);
    },
  );
  for (let c = 0; c < kc; c++) f.get(dots).get(dot[c]).vStore(c * 16);
  return f;
}

/** Pass A of PCG; `precond` false gives cg_update_none (z = r, nothing stored). */
function cgUpdate(d: number, kc: number, precond: boolean): Fn {
  const f = precond ? new Fn("cg_update", [I, I, I, I, I, I, I, I, I]) : new Fn("cg_update_none", [I, I, I, I, I, I, I]);
  const [n, X, P, R, Q] = [0, 1, 2, 3, 4];
  const Z = precond ? 5 : -1;
  const Binv = precond ? 6 : -1;
  const alpha = precond ? 7 : 5;
  const out = precond ? 8 : 6;
  const KC16 = kc * 16;
  const STRIDE = d * KC16;
  const DD8 = d * d * 8;
  const i = f.local(I), o = f.local(I), bp = f.local(I), ad = f.local(I);
  const al = f.local(V), rr = f.local(V), rz = f.local(V), pv = f.local(V), zv = f.local(V);
  const r: number[] = [], zs: number[] = [], rs: number[] = [];
  for (let a = 0; a < d; a++) {
    r.push(f.local(V));
    zs.push(f.local(V));
    rs.push(f.local(V));
  }
  for (let c = 0; c < kc; c++) {
    f.get(alpha).vLoad(c * 16).set(al);
    f.vZero().set(rr);
    f.vZero().set(rz);
    for (let a = 0; a < d; a++) {
      f.vZero().set(zs[a]);
      f.vZero().set(rs[a]);
    }
    f.i32(0).set(i);
    f.i32(c * 16).set(o);
    if (precond) f.get(Binv).set(bp);
    f.while(
      () => f.get(i).get(n).ltS(),
      () => {
        for (let a = 0; a < d; a++) {
          const off = a * KC16;
          f.get(P).get(o).add().vLoad(off).set(pv);
          // x += α p
          f.get(X).get(o).add().set(ad);
          f.get(ad).get(ad).vLoad(off).get(al).get(pv).vmul().vadd().vStore(off);
          // r −= α q
          f.get(R).get(o).add().set(ad);
          f.get(ad).vLoad(off).get(al).get(Q).get(o).add().vLoad(off).vmul().vsub().set(r[a]);
          f.get(ad).get(r[a]).vStore(off);
          f.get(r[a]).get(r[a]).vmul();
          vacc(f, rr);
          f.get(r[a]);
          vacc(f, rs[a]);
        }
        if (precond) {
          f.get(Z).get(o).add().set(ad);
          for (let a = 0; a < d; a++) {
            // z_a = ((B_a0 r_0 + B_a1 r_1) + B_a2 r_2) …  (applyBlockInverse's order)
            for (let b = 0; b < d; b++) {
              f.get(bp).vLoadSplat((a * d + b) * 8).get(r[b]).vmul();
              if (b > 0) f.vadd();
            }
            f.set(zv);
            f.get(ad).get(zv).vStore(a * KC16);
            f.get(r[a]).get(zv).vmul();
            vacc(f, rz);
            f.get(zv);
            vacc(f, zs[a]);
          }
          f.inc(bp, DD8);
        }
        f.inc(o, STRIDE);
        f.inc(i, 1);
      },
    );
    const base = c * (2 + 2 * d) * 16;
    f.get(out).get(rr).vStore(base);
    f.get(out).get(precond ? rz : rr).vStore(base + 16);
    for (let a = 0; a < d; a++) {
      f.get(out).get(precond ? zs[a] : rs[a]).vStore(base + 32 + a * 16);
      f.get(out).get(rs[a]).vStore(base + 32 + (d + a) * 16);
    }
  }
  return f;
}

function cgDirection(d: number, kc: number): Fn {
  const f = new Fn("cg_direction", [I, I, I, I, I, I]);
  const [n, P, Z, beta, mask, zmean] = [0, 1, 2, 3, 4, 5];
  const KC16 = kc * 16;
  const STRIDE = d * KC16;
  const i = f.local(I), o = f.local(I), ad = f.local(I);
  const bt = f.local(V), mk = f.local(V);
  const zm: number[] = [];
  for (let a = 0; a < d; a++) zm.push(f.local(V));
  for (let c = 0; c < kc; c++) {
    f.get(beta).vLoad(c * 16).set(bt);
    f.get(mask).vLoad(c * 16).set(mk);
    for (let a = 0; a < d; a++) f.get(zmean).vLoad((c * d + a) * 16).set(zm[a]);
    f.i32(0).set(i);
    f.i32(c * 16).set(o);
    f.while(
      () => f.get(i).get(n).ltS(),
      () => {
        f.get(P).get(o).add().set(ad);
        for (let a = 0; a < d; a++) {
          const off = a * KC16;
          f.get(ad);
          f.get(Z).get(o).add().vLoad(off).get(zm[a]).vsub();
          f.get(bt).get(ad).vLoad(off).vmul().vadd();
          f.get(mk);
          vand(f);
          f.vStore(off);
        }
        f.inc(o, STRIDE);
        f.inc(i, 1);
      },
    );
  }
  return f;
}

/**
 * Block-Jacobi inverse from the compact diagonal blocks (blockJacobiInverse's algorithm and
 * fallback): Cholesky of the d×d block, then B⁻¹ column by column (full d² values out). A pivot
 * not > 1e-300 (not positive definite, or a zero block) gives (|tr|/d)⁻¹·I, or I when the
 * trace is 0 or not finite. dtil receives the (compact) block D̃ that was inverted: D itself, or
 * the replacement (|tr|/d)·I — the SPD diagonal of the SSOR preconditioner.
 */
function jacobiInv(d: number): Fn {
  const f = new Fn("jacobi_inv", [I, I, I, I]);
  const [n, dval, out, dtil] = [0, 1, 2, 3];
  const S = (d * (d + 1)) / 2;
  const i = f.local(I), ip = f.local(I), op = f.local(I), ok = f.local(I), tp = f.local(I);
  const A: number[] = [];
  for (let t = 0; t < S; t++) A.push(f.local(D));
  const Lm: number[] = [];
  for (let t = 0; t < d * d; t++) Lm.push(f.local(D));
  const X: number[] = [];
  for (let t = 0; t < d; t++) X.push(f.local(D));
  const s = f.local(D), tr = f.local(D);
  const L = (a: number, b: number): number => Lm[a * d + b];
  f.i32(0).set(i);
  f.get(dval).set(ip);
  f.get(out).set(op);
  f.get(dtil).set(tp);
  f.while(
    () => f.get(i).get(n).ltS(),
    () => {
      for (let t = 0; t < S; t++) f.get(ip).f64Load(t * 8).set(A[t]);
      f.i32(1).set(ok);
      for (let j = 0; j < d; j++) {
        f.get(A[symIndex(d, j, j)]);
        for (let k = 0; k < j; k++) f.get(L(j, k)).get(L(j, k)).fmul().fsub();
        f.set(s);
        f.get(ok).get(s).f64(1e-300).fgt().and().set(ok);
        f.get(s).fsqrt().set(L(j, j));
        for (let r = j + 1; r < d; r++) {
          f.get(A[symIndex(d, r, j)]);
          for (let k = 0; k < j; k++) f.get(L(r, k)).get(L(j, k)).fmul().fsub();
          f.get(L(j, j)).fdiv().set(L(r, j));
        }
      }
      f.get(ok).if(
        () => {
          for (let c = 0; c < d; c++) {
            for (let r = 0; r < d; r++) {
              f.f64(r === c ? 1 : 0);
              for (let k = 0; k < r; k++) f.get(L(r, k)).get(X[k]).fmul().fsub();
              f.get(L(r, r)).fdiv().set(X[r]);
            }
            for (let r = d - 1; r >= 0; r--) {
              f.get(X[r]);
              for (let k = r + 1; k < d; k++) f.get(L(k, r)).get(X[k]).fmul().fsub();
              f.get(L(r, r)).fdiv().set(X[r]);
              f.get(op).get(X[r]).f64Store((r * d + c) * 8);
            }
          }
          for (let t = 0; t < S; t++) f.get(tp).get(A[t]).f64Store(t * 8);
        },
        () => {
          f.get(A[0]);
          for (let a = 1; a < d; a++) f.get(A[symIndex(d, a, a)]).fadd();
          f.set(tr);
          // s = tr ≠ 0 and finite ? d/|tr| : 1
          f.f64(d).get(tr);
          raw(f, 0x99); // f64.abs
          f.fdiv();
          f.f64(1);
          f.get(tr).f64(0);
          raw(f, 0x62); // f64.ne
          f.get(tr).get(tr).fsub().f64(0);
          raw(f, 0x61); // f64.eq (tr − tr = 0 iff finite)
          f.and();
          raw(f, 0x1b); // select
          f.set(s);
          for (let a = 0; a < d; a++)
            for (let b = 0; b < d; b++) {
              f.get(op);
              if (a === b) f.get(s);
              else f.f64(0);
              f.f64Store((a * d + b) * 8);
              // D̃ = s⁻¹ I, the block whose inverse was just written.
              if (b >= a) {
                f.get(tp);
                if (a === b) f.f64(1).get(s).fdiv();
                else f.f64(0);
                f.f64Store(symIndex(d, a, b) * 8);
              }
            }
        },
      );
      f.inc(i, 1);
      f.inc(ip, S * 8);
      f.inc(op, d * d * 8);
      f.inc(tp, S * 8);
    },
  );
  return f;
}

/**
 * SSOR backward sweep (Eisenstat's form, see cg.ts): with E = D̃/ω + L (L the strictly lower
 * blocks, here the transposes of the stored upper ones), rows from last to first:
 *   s_I = V_I − Σ_{J>I} U_IJ T_J,  T_I = ω D̃_I⁻¹ s_I         (T = E⁻ᵀ V)
 *   W_I = V_I − 2 s_I + D_I T_I                               (W = V − K T, K = 2D̃/ω − D)
 * binv holds D̃⁻¹ (d² per row). W is written as V − (2 − ω)s, exact where D̃ = D; the caller adds
 * (D − D̃)T on the rows where the diagonal block was replaced.
 */
function ssorBackward(d: number, kc: number): Fn {
  const f = new Fn("ssor_backward", [I, I, I, I, I, I, I, I, D]);
  const [n, uptr, ucol, uval, binv, Vp, Tp, Wp, omega] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const S = (d * (d + 1)) / 2;
  const KC16 = kc * 16;
  const STRIDE = d * KC16;
  const i = f.local(I), pb = f.local(I), pe = f.local(I), p = f.local(I), cp = f.local(I), up = f.local(I), o = f.local(I), tj = f.local(I);
  const sv: number[] = [], tv: number[] = [], tjv: number[] = [];
  for (let a = 0; a < d; a++) {
    sv.push(f.local(V));
    tv.push(f.local(V));
    tjv.push(f.local(V));
  }
  const bv = f.local(V), om = f.local(V), twoMinus = f.local(V);
  f.get(omega).vSplat().set(om);
  f.f64(2).get(omega).fsub().vSplat().set(twoMinus);
  f.get(n).set(i);
  f.while(
    () => f.get(i).i32(0).gtS(),
    () => {
      f.inc(i, -1);
      f.get(uptr).get(i).i32(2).shl().add().i32Load(0).set(pb);
      f.get(uptr).get(i).i32(2).shl().add().i32Load(4).set(pe);
      f.get(i).i32(STRIDE).mul().set(o);
      for (let c = 0; c < kc; c++) {
        const co = c * 16;
        for (let a = 0; a < d; a++) f.get(Vp).get(o).add().vLoad(co + a * KC16).set(sv[a]);
        f.get(pb).set(p);
        f.get(ucol).get(pb).i32(2).shl().add().set(cp);
        f.get(uval).get(pb).i32(S * 8).mul().add().set(up);
        f.while(
          () => f.get(p).get(pe).ltS(),
          () => {
            f.get(Tp).get(cp).i32Load(0).i32(STRIDE).mul().add().set(tj);
            for (let a = 0; a < d; a++) f.get(tj).vLoad(co + a * KC16).set(tjv[a]);
            // s −= U t_J, each stored value loaded once.
            for (let a = 0; a < d; a++)
              for (let b = a; b < d; b++) {
                f.get(up).vLoadSplat(symIndex(d, a, b) * 8).set(bv);
                f.get(sv[a]).get(bv).get(tjv[b]).vmul().vsub().set(sv[a]);
                if (a !== b) f.get(sv[b]).get(bv).get(tjv[a]).vmul().vsub().set(sv[b]);
              }
            f.inc(p, 1);
            f.inc(cp, 4);
            f.inc(up, S * 8);
          },
        );
        // T_I = ω D̃⁻¹ s
        for (let a = 0; a < d; a++) {
          f.get(binv).get(i).i32(d * d * 8).mul().add().set(tj);
          for (let b = 0; b < d; b++) {
            f.get(tj).vLoadSplat((a * d + b) * 8).get(sv[b]).vmul();
            if (b > 0) f.vadd();
          }
          f.get(om).vmul().set(tv[a]);
        }
        for (let a = 0; a < d; a++) f.get(Tp).get(o).add().get(tv[a]).vStore(co + a * KC16);
        // W_I = V_I − 2 s + D_I T_I = V_I − (2 − ω) s when D̃_I = D_I (D T = ω s); rows with
        // D̃_I ≠ D_I get + (D_I − D̃_I) T_I afterwards (blockMatVecOperator.ts, ssorFixRows).
        for (let a = 0; a < d; a++) {
          f.get(Wp).get(o).add();
          f.get(Vp).get(o).add().vLoad(co + a * KC16);
          f.get(twoMinus).get(sv[a]).vmul().vsub();
          f.vStore(co + a * KC16);
        }
      }
    },
  );
  return f;
}

/**
 * SSOR forward sweep: rows first to last, w_I = ω D̃_I⁻¹ W_I, then W_J −= U_IJ w_I for the stored
 * J > I (so W_J is complete when row J comes: W = E⁻¹ W). apply = true ("ssor_apply"): Q_I = T_I + w_I
 * and dots = P·Q per lane (Q = Â P with T, W from ssor_backward(P)); apply = false ("ssor_solve"):
 * Q_I = w_I.
 */
function ssorForward(d: number, kc: number, apply: boolean): Fn {
  const f = new Fn(apply ? "ssor_apply" : "ssor_solve", [I, I, I, I, I, I, I, I, I, D, I]);
  const [n, uptr, ucol, uval, binv, Wp, Tp, Qp, Pp, omega, dots] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const S = (d * (d + 1)) / 2;
  const KC16 = kc * 16;
  const STRIDE = d * KC16;
  const i = f.local(I), pb = f.local(I), pe = f.local(I), p = f.local(I), cp = f.local(I), up = f.local(I), o = f.local(I), wj = f.local(I), bp = f.local(I);
  const wv: number[] = [], yjv: number[] = [];
  for (let a = 0; a < d; a++) {
    wv.push(f.local(V));
    yjv.push(f.local(V));
  }
  const bv = f.local(V), om = f.local(V), t = f.local(V);
  const dot: number[] = [];
  for (let c = 0; c < kc; c++) dot.push(f.local(V));
  f.get(omega).vSplat().set(om);
  for (let c = 0; c < kc; c++) f.vZero().set(dot[c]);
  f.i32(0).set(i);
  f.i32(0).set(o);
  f.get(binv).set(bp);
  f.get(uptr).i32Load(0).set(pb);
  f.while(
    () => f.get(i).get(n).ltS(),
    () => {
      f.get(uptr).get(i).i32(2).shl().add().i32Load(4).set(pe);
      for (let c = 0; c < kc; c++) {
        const co = c * 16;
        // w = ω D̃⁻¹ W_I
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < d; b++) {
            f.get(bp).vLoadSplat((a * d + b) * 8).get(Wp).get(o).add().vLoad(co + b * KC16).vmul();
            if (b > 0) f.vadd();
          }
          f.get(om).vmul().set(wv[a]);
        }
        for (let a = 0; a < d; a++) {
          if (apply) {
            f.get(Tp).get(o).add().vLoad(co + a * KC16).get(wv[a]).vadd().set(t);
            f.get(Qp).get(o).add().get(t).vStore(co + a * KC16);
            f.get(Pp).get(o).add().vLoad(co + a * KC16).get(t).vmul();
            vacc(f, dot[c]);
          } else f.get(Qp).get(o).add().get(wv[a]).vStore(co + a * KC16);
        }
        f.get(pb).set(p);
        f.get(ucol).get(pb).i32(2).shl().add().set(cp);
        f.get(uval).get(pb).i32(S * 8).mul().add().set(up);
        f.while(
          () => f.get(p).get(pe).ltS(),
          () => {
            f.get(Wp).get(cp).i32Load(0).i32(STRIDE).mul().add().set(wj);
            for (let a = 0; a < d; a++) {
              f.get(wj);
              f.get(wj).vLoad(co + a * KC16);
              for (let b = 0; b < d; b++) {
                f.get(up).vLoadSplat(symIndex(d, a, b) * 8).get(wv[b]).vmul();
                if (b > 0) f.vadd();
              }
              f.vsub().vStore(co + a * KC16);
            }
            f.inc(p, 1);
            f.inc(cp, 4);
            f.inc(up, S * 8);
          },
        );
      }
      f.get(pe).set(pb);
      f.inc(i, 1);
      f.inc(o, STRIDE);
      f.inc(bp, d * d * 8);
    },
  );
  if (apply) for (let c = 0; c < kc; c++) f.get(dots).get(dot[c]).vStore(c * 16);
  return f;
}

/** SSOR-PCG update: Ŷ += αP̂, R̂ −= αQ̂, Z = D̃R̂/ω; out = R̂·Z per lane (one v128 per chunk). */
function ssorUpdate(d: number, kc: number): Fn {
  const f = new Fn("ssor_update", [I, I, I, I, I, I, I, I, D, I]);
  const [n, Yp, Pp, Rp, Qp, Zp, dtil, alpha, invOmega, out] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const S = (d * (d + 1)) / 2;
  const KC16 = kc * 16;
  const STRIDE = d * KC16;
  const i = f.local(I), o = f.local(I), ad = f.local(I), tp = f.local(I);
  const al = f.local(V), rz = f.local(V), io = f.local(V), zv = f.local(V);
  const r: number[] = [];
  for (let a = 0; a < d; a++) r.push(f.local(V));
  f.get(invOmega).vSplat().set(io);
  for (let c = 0; c < kc; c++) {
    f.get(alpha).vLoad(c * 16).set(al);
    f.vZero().set(rz);
    f.i32(0).set(i);
    f.i32(c * 16).set(o);
    f.get(dtil).set(tp);
    f.while(
      () => f.get(i).get(n).ltS(),
      () => {
        for (let a = 0; a < d; a++) {
          const off = a * KC16;
          f.get(Yp).get(o).add().set(ad);
          f.get(ad).get(ad).vLoad(off).get(al).get(Pp).get(o).add().vLoad(off).vmul().vadd().vStore(off);
          f.get(Rp).get(o).add().set(ad);
          f.get(ad).vLoad(off).get(al).get(Qp).get(o).add().vLoad(off).vmul().vsub().set(r[a]);
          f.get(ad).get(r[a]).vStore(off);
        }
        f.get(Zp).get(o).add().set(ad);
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < d; b++) {
            f.get(tp).vLoadSplat(symIndex(d, a, b) * 8).get(r[b]).vmul();
            if (b > 0) f.vadd();
          }
          f.get(io).vmul().set(zv);
          f.get(ad).get(zv).vStore(a * KC16);
          f.get(r[a]).get(zv).vmul();
          vacc(f, rz);
        }
        f.inc(tp, S * 8);
        f.inc(o, STRIDE);
        f.inc(i, 1);
      },
    );
    f.get(out).get(rz).vStore(c * 16);
  }
  return f;
}

const modules = new Map<string, WebAssembly.Module>();

/** The compiled module for block size d and kc = ⌈k/2⌉ lane pairs (assembled once per process). */
export function matVecModule(d: number, kc: number): WebAssembly.Module {
  const key = `${d}:${kc}`;
  let m = modules.get(key);
  if (m === undefined) {
    m = new WebAssembly.Module(assemble([symMv(d, kc), genMv(d, kc), cgUpdate(d, kc, true), cgUpdate(d, kc, false), cgDirection(d, kc), jacobiInv(d), ssorBackward(d, kc), ssorForward(d, kc, true), ssorForward(d, kc, false), ssorUpdate(d, kc)]));
    modules.set(key, m);
  }
  return m;
}

/** Kernels of matVecModule(d, kc) bound to `memory`. */
export function matVecKernels(memory: WebAssembly.Memory, d: number, kc: number): MatVecKernels {
  return new WebAssembly.Instance(matVecModule(d, kc), { env: { mem: memory } }).exports as unknown as MatVecKernels;
}
