/**
 * Third- and fourth-order contractions of the energy on a fixed configuration (SPEC §6.4):
 * U''::zz, U'''::zzz, U''''::zzzz and the vectors M·z, U'''::zz, U''''::zzz, sparse over the
 * interacting pairs, allocation-free.
 *
 * Derivation (a truncated Taylor jet along the pair separation). For a pair with r_ij = x_j − x_i,
 * r = |r_ij|, n = r_ij/r and the relative displacement w = z_j − z_i, put a = n·w, s = w·w,
 * b = s − a². Then |r_ij + t w| = r + a t + (b/2r) t² − (ab/2r²) t³ + ((4a²b − b²)/8r³) t⁴ + O(t⁵),
 * and composing with φ(r + h) = Σ φ^(k) h^k/k! gives the directional derivatives
 * D_k = d^k φ(|r_ij + t w|)/dt^k at t = 0:
 *   D2 = h1 a² + h0 s,                       h1 = φ'' − φ'/r, h0 = φ'/r          (SPEC §4.2)
 *   D3 = L3 a³ + S a s,                      S = 3 h1/r,      L3 = φ''' − S
 *   D4 = K4 a⁴ + K2 a² s + K0 s²,            P = −3 h1/r², Q = 6 φ'''/r,
 *                                            K4 = φ'''' − 5P − Q, K2 = 6P + Q, K0 = −P
 * and U^(k)::z…z = Σ_pairs D_k. The vectors are the gradients in z divided by k (Euler's theorem
 * for forms of degree k): ∂D_k/∂w is a d-vector put +on j, −on i, with
 *   (1/2)∂D2/∂w = h1 a n + h0 w                                   → M·z
 *   (1/3)∂D3/∂w = (L3 a² + S s/3) n + (2S a/3) w                  → U'''::zz
 *   (1/4)∂D4/∂w = (K4 a³ + K2 a s/2) n + (K2 a²/2 + K0 s) w        → U''''::zzz
 * The configuration does not move during a quartic-mode search (only z does), so the per-pair
 * coefficients are tabulated once per glass and every contraction is one pass over the table:
 * no model code in the hot loop, so one loop serves every model.
 *
 * Self-image records (i = j, boxes narrower than the cutoff) are skipped: their w is zero.
 * The two passes of the search (evaluate, lineQuartic) run d-unrolled generated kernels
 * (contractionKernels.ts) over a table row of d + 5 numbers (n, h1, h0, K4, K2, K0: 64 bytes, one
 * cache line, per pair in 3D); the other contractions are the readable loops below.
 */
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { pairTables } from "../forces/pairTables.js";
import type { PairRecords } from "../forces/types.js";
import type { Model } from "../models/types.js";
import { combinedLambda } from "../models/combiningRule.js";
import { contractionKernels, type EvaluateKernel, type LineKernel } from "./contractionKernels.js";

/** Offsets after the d components of n in a table row (d + 5 numbers), and in the cubic table (2). */
const H1 = 0, H0 = 1, K4 = 2, K2 = 3, K0 = 4;
const S3 = 0, L3 = 1;

/**
 * The per-pair jet table of one configuration: build once (`fromRecords`), contract many times.
 *
 * @example
 *   const jets = PairJets.fromRecords(sys.records(config.positions), config, model);
 *   const T = new Float64Array(config.n * config.d);
 *   const B = jets.quarticVector(z, T); // B = U''''::zzzz, T = U''''::zzz
 */
export class PairJets {
  readonly d: number;
  readonly n: number;
  /** Interacting pairs of two different particles (rows of the table). */
  readonly count: number;
  private readonly pi: Int32Array;
  private readonly pj: Int32Array;
  private readonly tab: Float64Array;
  private readonly cub: Float64Array;
  private readonly kEvaluate: EvaluateKernel;
  private readonly kLine: LineKernel;

  private constructor(d: number, n: number, pi: Int32Array, pj: Int32Array, tab: Float64Array, cub: Float64Array) {
    this.d = d;
    this.n = n;
    this.count = pi.length;
    this.pi = pi;
    this.pj = pj;
    this.tab = tab;
    this.cub = cub;
    const k = contractionKernels(d);
    this.kEvaluate = k.evaluate;
    this.kLine = k.line;
  }

  /**
   * Tabulates φ' … φ'''' of every interacting pair through the model's eval4 (φ^(k) = ε f^(k)(r/λ)/λ^k,
   * models/types.ts). Throws a GlassmechError for a model without φ'''' and for a configuration
   * without any interacting pair.
   */
  static fromRecords(records: PairRecords, config: Configuration, model: Model): PairJets {
    const { d, n } = config;
    if (records.d !== d) throw new GlassmechError(`contractions: records are ${records.d}D, the configuration ${d}D`);
    const reduced = model.reduced as Partial<Model["reduced"]>;
    if (typeof reduced.eval4 !== "function") throw new GlassmechError(`model ${model.name} has no fourth derivative φ'''' (eval4): quartic modes need it`);
    const tables = pairTables(model);
    let m = 0;
    for (let p = 0; p < records.count; p++) if (records.i[p] !== records.j[p]) m++;
    if (m === 0) throw new GlassmechError("the glass has no interacting pairs: nothing to contract (is the density too low for the cutoff?)");
    const pi = new Int32Array(m);
    const pj = new Int32Array(m);
    const W = d + 5;
    const tab = new Float64Array(m * W);
    const cub = new Float64Array(m * 2);
    const out = new Float64Array(5);
    let q = 0;
    for (let p = 0; p < records.count; p++) {
      const i = records.i[p];
      const j = records.j[p];
      if (i === j) continue;
      if (!(i >= 0 && i < n && j >= 0 && j < n)) throw new GlassmechError(`contractions: pair record ${p} has particles (${i}, ${j}) outside 0..${n - 1}`);
      let lam: number;
      let eps: number;
      if (tables.kind === "types") {
        const k = config.types[i] * tables.ntypes + config.types[j];
        lam = tables.lambda[k];
        eps = tables.epsilon[k];
      } else {
        lam = combinedLambda(config.sizes![i], config.sizes![j], tables.nonadditivity);
        eps = tables.epsilon;
      }
      const r = records.r[p];
      model.reduced.eval4(r / lam, out);
      const f1 = (eps * out[1]) / lam;
      const f2 = (eps * out[2]) / (lam * lam);
      const f3 = (eps * out[3]) / (lam * lam * lam);
      const f4 = (eps * out[4]) / (lam * lam * lam * lam);
      if (!(Number.isFinite(f1) && Number.isFinite(f2) && Number.isFinite(f3) && Number.isFinite(f4)))
        throw new GlassmechError(`model ${model.name}: φ' … φ'''' not finite at r = ${r} (pair ${i}, ${j})`);
      const o = q * W;
      for (let a = 0; a < d; a++) tab[o + a] = records.delta[p * d + a] / r;
      const h1 = f2 - f1 / r;
      const S = (3 * h1) / r;
      const P = (-3 * h1) / (r * r);
      const Q = (6 * f3) / r;
      tab[o + d + H1] = h1;
      tab[o + d + H0] = f1 / r;
      tab[o + d + K4] = f4 - 5 * P - Q;
      tab[o + d + K2] = 6 * P + Q;
      tab[o + d + K0] = -P;
      cub[2 * q + S3] = S;
      cub[2 * q + L3] = f3 - S;
      pi[q] = i;
      pj[q] = j;
      q++;
    }
    return new PairJets(d, n, pi, pj, tab, cub);
  }

  /** out = M·z (overwritten); returns z·M·z = U''::zz. */
  hessianVector(z: Float64Array, out: Float64Array): number {
    this.check(z, out);
    return this.contract(2, z, out);
  }

  /** out = U'''::zz (overwritten); returns U'''::zzz. */
  cubicVector(z: Float64Array, out: Float64Array): number {
    this.check(z, out);
    return this.contract(3, z, out);
  }

  /** out = U''''::zzz (overwritten); returns U''''::zzzz. */
  quarticVector(z: Float64Array, out: Float64Array): number {
    this.check(z, out);
    return this.contract(4, z, out);
  }

  /** U''''::zzzz alone. */
  quartic(z: Float64Array): number {
    this.check(z, null);
    return this.contract(4, z, null);
  }

  /**
   * The readable pass for order k = 2, 3, 4 (module comment): returns Σ D_k and, unless out is
   * null, writes (1/k) ∂D_k/∂z into out (overwritten).
   */
  private contract(order: 2 | 3 | 4, z: Float64Array, out: Float64Array | null): number {
    const { d, count, pi, pj, tab, cub } = this;
    const W = d + 5;
    if (out !== null) out.fill(0);
    let sum = 0;
    for (let q = 0; q < count; q++) {
      const io = pi[q] * d, jo = pj[q] * d, o = q * W, c = o + d;
      let a = 0, s = 0;
      for (let k = 0; k < d; k++) {
        const w = z[jo + k] - z[io + k];
        a += tab[o + k] * w;
        s += w * w;
      }
      const a2 = a * a;
      let cn: number, cw: number;
      if (order === 2) {
        const h1 = tab[c + H1], h0 = tab[c + H0];
        sum += h1 * a2 + h0 * s;
        cn = h1 * a;
        cw = h0;
      } else if (order === 3) {
        const S = cub[2 * q + S3], l3 = cub[2 * q + L3];
        sum += l3 * a2 * a + S * a * s;
        cn = l3 * a2 + (S * s) / 3;
        cw = (2 * S * a) / 3;
      } else {
        const k4 = tab[c + K4], k2 = tab[c + K2], k0 = tab[c + K0];
        sum += k4 * a2 * a2 + k2 * a2 * s + k0 * s * s;
        cn = k4 * a2 * a + 0.5 * k2 * a * s;
        cw = 0.5 * k2 * a2 + k0 * s;
      }
      if (out === null) continue;
      for (let k = 0; k < d; k++) {
        const v = cn * tab[o + k] + cw * (z[jo + k] - z[io + k]);
        out[jo + k] += v;
        out[io + k] -= v;
      }
    }
    return sum;
  }

  /**
   * The hot pass of the quartic-mode search, fused: mz = M·z and t = U''''::zzz (both
   * overwritten); writes z·M·z to result[0] and U''''::zzzz to result[1].
   */
  evaluate(z: Float64Array, mz: Float64Array, t: Float64Array, result: Float64Array): void {
    this.check(z, mz);
    this.check(z, t);
    this.kEvaluate(this.count, this.pi, this.pj, this.tab, z, mz, t, result);
  }

  /**
   * Along the great circle c·z + s·p (the line search): mp = M·p (overwritten), and the five
   * coefficients of U''''::(cz+sp)⁴ = Σ_k quartic[k] c^(4−k) s^k. Exact: D4 is a homogeneous
   * quartic in w, a(c,s) is linear and s(c,s) quadratic in (c, s).
   */
  lineQuartic(z: Float64Array, p: Float64Array, mp: Float64Array, quartic: Float64Array): void {
    this.check(z, mp);
    this.check(p, mp);
    if (quartic.length < 5) throw new GlassmechError("contractions: lineQuartic needs 5 coefficients");
    this.kLine(this.count, this.pi, this.pj, this.tab, z, p, mp, quartic);
  }

  private check(z: Float64Array, out: Float64Array | null): void {
    const len = this.n * this.d;
    if (z.length !== len || (out !== null && out.length !== len))
      throw new GlassmechError(`contractions: vectors need n·d = ${len} entries, got ${z.length}${out !== null ? ` and ${out.length}` : ""}`);
  }
}
