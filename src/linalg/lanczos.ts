/**
 * Largest eigenpairs of a symmetric operator T by block Lanczos with full reorthogonalization and
 * thick restarts (Wu & Simon 2000, "Thick-restart Lanczos"; block form as in Saad, "Numerical
 * Methods for Large Eigenvalue Problems" §6.4, and Stewart's Krylov–Schur restart).
 *
 * Used in shift-invert mode (modes.ts: T = (M − σI)⁻¹ restricted to the complement of the
 * translations), where the wanted eigenvalues are the largest and best separated.
 *
 * The basis V (vectors stored one after another) and the projected matrix H = Vᵀ T V are built
 * by block Gram–Schmidt against *all* previous vectors, twice (CGS2), so H is the exact Rayleigh
 * quotient of the basis and no spurious copies appear. When the basis is full, the Ritz vectors
 * of the `keep` largest Ritz values and the last (unexpanded) block are kept; H becomes diag(θ)
 * bordered by their coupling, and expansion continues. A Ritz pair (θ, u = V y) has residual
 * ‖T u − θ u‖ = ‖H[last block, :] y‖ (no extra operator application).
 * The basis lives in a wasm memory so the O(n·m²) orthogonalization runs on the SIMD kernels.
 */
import { GlassmechError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { KernelArena } from "./denseKernels.js";
import { symmetricEigen } from "./dense.js";

export interface BlockOperator {
  /** Vector length. */
  readonly size: number;
  /** Y = T·X for k vectors stored one after another (vector r at r·size). */
  apply(X: Float64Array, k: number, Y: Float64Array): void;
}

export interface LanczosOptions {
  /** Number of wanted (largest) eigenpairs. */
  readonly nev: number;
  /** Vectors per block (default min(nev, 8)). */
  readonly blockSize?: number;
  /** Expanded basis size before a restart (default ≈ 3·nev up to 100 pairs, 2·nev beyond). */
  readonly maxBasis?: number;
  /** Converged when ‖T u − θ u‖ ≤ tol·|θ| for every wanted pair (default 1e-10). */
  readonly tol?: number;
  /** Restart limit (default 50). */
  readonly maxRestarts?: number;
  /** Seed of the random start block (default 1). */
  readonly seed?: number;
  /**
   * Projection applied to every new vector (k vectors one after another), e.g. removing the
   * translations; the operator must commute with it.
   */
  readonly deflate?: (V: Float64Array, k: number) => void;
  /** Dimension of the deflated space (size minus deflated directions); bounds the basis. */
  readonly dimension?: number;
}

export interface LanczosResult {
  /** Ritz values θ, descending, length nev. */
  readonly values: Float64Array;
  /** Ritz vectors, vector i at i·size. */
  readonly vectors: Float64Array;
  /** ‖T u − θ u‖ of each pair (from the projected problem). */
  readonly residuals: Float64Array;
  /** Operator applications (blocks). */
  readonly applications: number;
  readonly restarts: number;
  readonly converged: boolean;
}

export function blockLanczosLargest(op: BlockOperator, opts: LanczosOptions): LanczosResult {
  const n = op.size;
  const nev = opts.nev;
  const dim = opts.dimension ?? n;
  if (!(Number.isInteger(nev) && nev >= 1)) throw new GlassmechError(`Lanczos: number of eigenpairs must be a positive integer, got ${nev}`);
  const b = Math.max(1, Math.min(opts.blockSize ?? Math.min(nev, 8), nev));
  // Default basis: 3·nev for up to 100 pairs (few restarts; the O(m³) projected eigenproblem is
  // still cheap), 2·nev beyond.
  let mMax = opts.maxBasis ?? Math.max(nev <= 100 ? 3 * nev : 2 * nev, nev + 6 * b);
  mMax = Math.ceil(mMax / b) * b;
  // The basis (expanded part plus one block) cannot exceed the space's dimension.
  while (mMax + b > dim && mMax > nev) mMax -= b;
  if (mMax < nev + b || mMax + b > dim)
    throw new GlassmechError(`Lanczos: ${nev} eigenpairs with blocks of ${b} need a space larger than ${dim}; use a dense eigensolver`);
  // Vectors kept at a restart: about half-way between nev and the full basis, and a whole number
  // of blocks below mMax so that expansion refills the basis exactly.
  const keepTarget = nev + Math.max(b, Math.floor((mMax - nev) / 2));
  const keep = mMax - b * Math.max(1, Math.floor((mMax - keepTarget) / b));
  const tol = opts.tol ?? 1e-10;
  const maxRestarts = opts.maxRestarts ?? 50;
  const cap = mMax + b;

  // wasm memory: basis (cap × n), block W (b × n), Ritz scratch (keep × n), coefficients.
  const ar = new KernelArena(8 * n * (cap + b + keep) + 8 * cap * Math.max(b, keep) + 8 * cap * cap + (1 << 16));
  const vB = ar.alloc(8 * n * cap);
  const wB = ar.alloc(8 * n * b);
  const uB = ar.alloc(8 * n * Math.max(keep, nev));
  const cB = ar.alloc(8 * cap * b);
  const yB = ar.alloc(8 * cap * Math.max(keep, nev));
  const F = ar.f64;
  const vo = vB / 8;
  const wo = wB / 8;
  const H = new Float64Array(cap * cap);
  const rng = Rng.fromSeed(opts.seed ?? 1);
  const deflate = opts.deflate;
  const Wv = F.subarray(wo, wo + n * b);
  const Yout = new Float64Array(n * b);

  /**
   * W := (I − V Vᵀ) W against V[0:cur], coefficients added into H's column block `col` (when
   * col ≥ 0). First against the recent vectors V[w0:cur) only, where the Lanczos recurrence puts
   * almost all of W; then one pass against the whole basis removes what rounding left along older
   * vectors; a further full pass follows only if that pass still removed much (the DGKS
   * criterion: a column lost more than 1 − 1/√2 of its norm).
   */
  const colNorms = new Float64Array(b);
  const before = new Float64Array(b);
  const normsIn = new Float64Array(b);
  const orthogonalize = (cur: number, cnt: number, col: number, w0: number) => {
    if (cur === 0) return;
    if (col >= 0) for (let r = 0; r < cur; r++) for (let c = 0; c < cnt; c++) H[r * cap + col + c] = 0;
    if (w0 > 0) project(w0, cur, cnt, col);
    for (let pass = 0; pass < 2; pass++) {
      blockNorms(cnt, before);
      project(0, cur, cnt, col);
      blockNorms(cnt, colNorms);
      let again = false;
      for (let c = 0; c < cnt; c++) if (colNorms[c] < Math.SQRT1_2 * before[c]) again = true;
      if (!again) break;
    }
    if (col < 0) return;
    // Mirror the new columns into rows; inside the diagonal block both triangles were computed
    // (v_iᵀ T v_j and v_jᵀ T v_i): take their mean.
    for (let r = 0; r < cur; r++)
      for (let c = 0; c < cnt; c++) {
        const rc = r * cap + col + c;
        const cr = (col + c) * cap + r;
        if (r >= col && r < col + cnt) {
          if (r - col < c) {
            const m = 0.5 * (H[rc] + H[cr]);
            H[rc] = m;
            H[cr] = m;
          }
        } else H[cr] = H[rc];
      }
  };
  /** One classical Gram–Schmidt pass of W against V[r0:r1) on the wasm kernels. */
  const project = (r0: number, r1: number, cnt: number, col: number) => {
    const rows = r1 - r0;
    const co = cB / 8;
    const v0 = vB + 8 * r0 * n;
    // C (rows × cnt) = −V Wᵀ, accumulated over chunks of the vector length (cache blocking).
    F.fill(0, co, co + rows * cnt);
    for (let o = 0; o < n; o += CHUNK) {
      const len = Math.min(CHUNK, n - o);
      ar.k.gemm_nt(rows, cnt, len, v0 + 8 * o, n, wB + 8 * o, n, cB, cnt, 0);
    }
    for (let t = 0; t < rows * cnt; t++) F[co + t] = -F[co + t];
    // W −= Cᵀ V
    ar.k.gemm_tn(cnt, n, rows, cB, cnt, v0, n, wB, n, rows);
    if (col >= 0) for (let r = 0; r < rows; r++) for (let c = 0; c < cnt; c++) H[(r0 + r) * cap + col + c] += F[co + r * cnt + c];
  };
  const blockNorms = (cnt: number, out: Float64Array) => {
    for (let c = 0; c < cnt; c++) {
      let s = 0;
      const o = wo + c * n;
      for (let t = 0; t < n; t++) s += F[o + t] * F[o + t];
      out[c] = Math.sqrt(s);
    }
  };

  /**
   * Orthonormalizes the block W by Cholesky QR, twice (W = L·Q with G = W Wᵀ = L Lᵀ; the Gram
   * matrix and W ← L⁻¹W run on the wasm kernels). The coupling R = L₁L₂ goes to
   * H[cur + j, col + i] = R[i][j]. Returns false (W untouched) when W is too ill-conditioned
   * for that (cond > 10⁶); the caller then uses modified Gram–Schmidt.
   */
  const G = new Float64Array(b * b);
  const Linv = new Float64Array(b * b);
  const Racc = new Float64Array(b * b);
  const Lk = new Float64Array(b * b);
  const cholQR = (cur: number, col: number): boolean => {
    const uo = uB / 8;
    for (let pass = 0; pass < 2; pass++) {
      // G = W Wᵀ (−G accumulated by gemm_nt in chunks).
      const go = cB / 8;
      F.fill(0, go, go + b * b);
      for (let o = 0; o < n; o += CHUNK) ar.k.gemm_nt(b, b, Math.min(CHUNK, n - o), wB + 8 * o, n, wB + 8 * o, n, cB, b, 0);
      for (let t = 0; t < b * b; t++) G[t] = -F[go + t];
      // Cholesky of G into Lk.
      Lk.fill(0);
      for (let i = 0; i < b; i++) {
        for (let j = 0; j <= i; j++) {
          let v = G[i * b + j];
          for (let t = 0; t < j; t++) v -= Lk[i * b + t] * Lk[j * b + t];
          if (i === j) {
            if (!(v > 1e-12 * G[i * b + i]) || !(G[i * b + i] > 0)) return false;
            Lk[i * b + i] = Math.sqrt(v);
          } else Lk[i * b + j] = v / Lk[j * b + j];
        }
      }
      // Linv = Lk⁻¹ (lower), stored negated for the C −= A·B kernel.
      Linv.fill(0);
      for (let j = 0; j < b; j++) {
        Linv[j * b + j] = 1 / Lk[j * b + j];
        for (let i = j + 1; i < b; i++) {
          let v = 0;
          for (let t = j; t < i; t++) v -= Lk[i * b + t] * Linv[t * b + j];
          Linv[i * b + j] = v / Lk[i * b + i];
        }
      }
      const yo = yB / 8;
      for (let t = 0; t < b * b; t++) F[yo + t] = -Linv[t];
      F.fill(0, uo, uo + b * n);
      ar.k.gemm_nn(b, n, b, yB, b, wB, n, uB, n, b);
      F.copyWithin(wo, uo, uo + b * n);
      // Racc ← Racc · Lk (R = L₁ L₂).
      if (pass === 0) Racc.set(Lk);
      else {
        const prev = Racc.slice();
        for (let i = 0; i < b; i++)
          for (let j = 0; j <= i; j++) {
            let v = 0;
            for (let t = j; t <= i; t++) v += prev[i * b + t] * Lk[t * b + j];
            Racc[i * b + j] = v;
          }
      }
    }
    if (col >= 0)
      for (let i = 0; i < b; i++)
        for (let j = 0; j <= i; j++) {
          H[(cur + j) * cap + col + i] = Racc[i * b + j];
          H[(col + i) * cap + cur + j] = Racc[i * b + j];
        }
    return true;
  };

  /**
   * Orthonormalizes the block W (after orthogonalize) in place by modified Gram–Schmidt, twice;
   * R (upper triangular coupling) goes to H[cur + i, col + j]. A vector that vanishes — below
   * 1e-10 of its norm at entry or of `reference` (its norm before orthogonalization against the
   * basis): the Krylov space is exhausted — is replaced by a random one orthogonal to everything
   * (its coupling is 0).
   */
  const orthonormalizeBlock = (cur: number, col: number, reference: Float64Array | null) => {
    for (let i = 0; i < b; i++) {
      const wi = wo + i * n;
      let before = 0;
      for (let t = 0; t < n; t++) before += F[wi + t] * F[wi + t];
      before = Math.sqrt(before);
      if (reference !== null) before = Math.max(before, reference[i]);
      for (let pass = 0; pass < 2; pass++)
        for (let j = 0; j < i; j++) {
          const wj = wo + j * n;
          let s = 0;
          for (let t = 0; t < n; t++) s += F[wj + t] * F[wi + t];
          for (let t = 0; t < n; t++) F[wi + t] -= s * F[wj + t];
          if (col >= 0) {
            H[(cur + j) * cap + col + i] += s;
            H[(col + i) * cap + cur + j] += s;
          }
        }
      let nrm = 0;
      for (let t = 0; t < n; t++) nrm += F[wi + t] * F[wi + t];
      nrm = Math.sqrt(nrm);
      if (!(nrm > 1e-10 * before) || nrm === 0) {
        // Breakdown: continue with a fresh random direction.
        for (let t = 0; t < n; t++) F[wi + t] = rng.normal();
        if (deflate) deflate(F.subarray(wi, wi + n), 1);
        randomOrthogonal(cur, i);
        nrm = 0;
        for (let t = 0; t < n; t++) nrm += F[wi + t] * F[wi + t];
        nrm = Math.sqrt(nrm);
        if (col >= 0) {
          H[(cur + i) * cap + col + i] = 0;
          H[(col + i) * cap + cur + i] = 0;
        }
      } else if (col >= 0) {
        H[(cur + i) * cap + col + i] = nrm;
        H[(col + i) * cap + cur + i] = nrm;
      }
      for (let t = 0; t < n; t++) F[wi + t] /= nrm;
    }
  };

  /** Makes W row i orthogonal to V[0:cur] and W rows 0..i−1 (no coefficients recorded). */
  const randomOrthogonal = (cur: number, i: number) => {
    const wi = wo + i * n;
    for (let pass = 0; pass < 2; pass++) {
      for (let r = 0; r < cur; r++) {
        const vr = vo + r * n;
        let s = 0;
        for (let t = 0; t < n; t++) s += F[vr + t] * F[wi + t];
        for (let t = 0; t < n; t++) F[wi + t] -= s * F[vr + t];
      }
      for (let j = 0; j < i; j++) {
        const wj = wo + j * n;
        let s = 0;
        for (let t = 0; t < n; t++) s += F[wj + t] * F[wi + t];
        for (let t = 0; t < n; t++) F[wi + t] -= s * F[wj + t];
      }
    }
  };

  // Start block: random, deflated, orthonormal.
  for (let t = 0; t < n * b; t++) F[wo + t] = rng.normal();
  if (deflate) deflate(Wv, b);
  orthonormalizeBlock(0, -1, null);
  F.copyWithin(vo, wo, wo + n * b);
  let cur = b; // vectors in the basis
  let ne = 0; // vectors already multiplied by T
  let applications = 0;
  let restarts = 0;
  let theta = new Float64Array(0);
  let Y = new Float64Array(0);
  let resid = new Float64Array(nev);
  let converged = false;
  let restartedAt = 0;

  for (;;) {
    while (ne < mMax) {
      // W = T V[ne : ne + b]
      op.apply(F.subarray(vo + ne * n, vo + (ne + b) * n), b, Yout);
      applications++;
      Wv.set(Yout);
      if (deflate) deflate(Wv, b);
      blockNorms(b, normsIn);
      // Right after a restart the new block couples to every kept Ritz vector (arrowhead);
      // otherwise only to the previous and current blocks (block tridiagonal).
      orthogonalize(cur, b, ne, ne === restartedAt ? 0 : ne - b);
      // A column that lost all but 1e-10 of its norm lies in the basis already (the Krylov
      // space is exhausted): Gram–Schmidt with explicit random replacement.
      blockNorms(b, colNorms);
      let exhausted = false;
      for (let c = 0; c < b; c++) if (!(colNorms[c] > 1e-10 * normsIn[c])) exhausted = true;
      if (exhausted || !cholQR(cur, ne)) orthonormalizeBlock(cur, ne, normsIn);
      F.copyWithin(vo + cur * n, wo, wo + n * b);
      cur += b;
      ne += b;
    }
    // Rayleigh–Ritz on the expanded part.
    const Hs = new Float64Array(ne * ne);
    for (let r = 0; r < ne; r++) for (let c = 0; c < ne; c++) Hs[r * ne + c] = 0.5 * (H[r * cap + c] + H[c * cap + r]);
    const eig = symmetricEigen(ne, Hs);
    // Descending order.
    theta = new Float64Array(ne);
    Y = new Float64Array(ne * ne); // column j = eigenvector of theta[j]
    for (let j = 0; j < ne; j++) {
      const src = ne - 1 - j;
      theta[j] = eig.values[src];
      for (let r = 0; r < ne; r++) Y[r * ne + j] = eig.vectors[r * ne + src];
    }
    // Residuals from the coupling of the last block: ‖H[ne:cur, 0:ne] y‖.
    converged = true;
    resid = new Float64Array(nev);
    for (let j = 0; j < nev; j++) {
      let s2 = 0;
      for (let r = ne; r < cur; r++) {
        let s = 0;
        for (let c = 0; c < ne; c++) s += H[r * cap + c] * Y[c * ne + j];
        s2 += s * s;
      }
      resid[j] = Math.sqrt(s2);
      if (!(resid[j] <= tol * Math.abs(theta[j]))) converged = false;
    }
    if (converged || restarts >= maxRestarts) break;

    // Thick restart: V[0:keep] = V[0:ne]·Y[:, 0:keep]; the unexpanded block moves to keep.
    ritzVectors(ar, vB, uB, yB, Y, ne, keep, n);
    F.copyWithin(vo, uB / 8, uB / 8 + keep * n);
    F.copyWithin(vo + keep * n, vo + ne * n, vo + cur * n);
    const coupling = new Float64Array(b * keep);
    for (let r = 0; r < b; r++)
      for (let j = 0; j < keep; j++) {
        let s = 0;
        for (let c = 0; c < ne; c++) s += H[(ne + r) * cap + c] * Y[c * ne + j];
        coupling[r * keep + j] = s;
      }
    H.fill(0);
    for (let j = 0; j < keep; j++) H[j * cap + j] = theta[j];
    for (let r = 0; r < b; r++)
      for (let j = 0; j < keep; j++) {
        H[(keep + r) * cap + j] = coupling[r * keep + j];
        H[j * cap + keep + r] = coupling[r * keep + j];
      }
    ne = keep;
    cur = keep + b;
    restartedAt = keep;
    restarts++;
  }
  ritzVectors(ar, vB, uB, yB, Y, ne, nev, n);
  const vectors = ar.f64.slice(uB / 8, uB / 8 + nev * n);
  return { values: theta.slice(0, nev), vectors, residuals: resid, applications, restarts, converged };
}

/** Length of the vector chunks for the cache-blocked dot products. */
const CHUNK = 512;

/** U[0:p] = (V[0:ne]ᵀ Y[:, 0:p])ᵀ, i.e. u_j = Σ_c Y[c, j] v_c, via the wasm kernels. */
function ritzVectors(ar: KernelArena, vB: number, uB: number, yB: number, Y: Float64Array, ne: number, p: number, n: number): void {
  const F = ar.f64;
  const yo = yB / 8;
  // gemm_tn computes C −= Aᵀ B; with A = −Y[:, 0:p] (ne × p) and C = 0 this gives U = Yᵀ V.
  for (let c = 0; c < ne; c++) for (let j = 0; j < p; j++) F[yo + c * p + j] = -Y[c * ne + j];
  F.fill(0, uB / 8, uB / 8 + p * n);
  ar.k.gemm_tn(p, n, ne, yB, p, vB, n, uB, n, ne);
}
