/**
 * Transverse plane waves of the periodic cell as a start block for the lowest modes.
 *
 * The lowest vibrational modes of a glass in a periodic box are, away from the quasilocalized
 * ones, transverse plane waves u_i = e cos(q·x_i) and e sin(q·x_i), e ⊥ q, q = 2π h⁻ᵀ n, on the
 * shells of |q| (SPEC §6.1: ω_ph = 2π c_s/L), slightly mixed by disorder; longitudinal waves of
 * the same q lie (c_L/c_T)² ≈ 4 times higher in λ, above the wanted range. The mixing shrinks as
 * the box grows, so at large N a block of the lowest transverse shells is much closer to the
 * wanted eigenspace than a random one (LOBPCG's V-cycle then adds the non-affine relaxation).
 */
import type { Box } from "../core/box.js";

/**
 * Writes m start vectors, interleaved (out[s·m + j] is entry s of column j): for each of the
 * lowest wave vectors q = 2π h⁻ᵀ n (n ∈ ℤ^d \ {0}, one of each ±n, ascending |q|, ties in the
 * order of n, so the block is deterministic), cos(q·x) then sin(q·x) along each of the d − 1
 * polarizations of transversePolarizations (in 1D, where there is no transverse direction, the
 * longitudinal one).
 */
export function planeWaveBlock(d: number, n: number, positions: Float64Array, box: Box, m: number, out: Float64Array): void {
  const perWave = 2 * Math.max(1, d - 1);
  const waves = lowestWaveVectors(box, Math.ceil(m / perWave));
  const N = n * d;
  out.fill(0, 0, N * m);
  const hInv = box.hInv;
  for (let w = 0; w * perWave < m; w++) {
    const nw = waves[w];
    const pols = transversePolarizations(box, nw);
    for (let i = 0; i < n; i++) {
      // q·x = 2π n·(h⁻¹ x)
      let phase = 0;
      for (let b = 0; b < d; b++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += hInv[b * d + c] * positions[i * d + c];
        phase += nw[b] * s;
      }
      phase *= 2 * Math.PI;
      const cos = Math.cos(phase);
      const sin = Math.sin(phase);
      for (let t = 0; t < perWave; t++) {
        const j = w * perWave + t;
        if (j >= m) break;
        const e = pols[t % pols.length];
        const amp = t < pols.length ? cos : sin;
        for (let a = 0; a < d; a++) out[(i * d + a) * m + j] = amp * e[a];
      }
    }
  }
}

/**
 * The number of start columns (planeWaveBlock's order) up to the end of the shell of equal |q|
 * that holds column k: LOBPCG converges at the rate λ_k/λ_{m+1}, which is ≈ 1 when its block
 * of m columns ends inside a degenerate shell (3D cubic: 12 columns in the first shell, 24 in
 * the second) and ≈ the ratio of two shells' |q|² when it ends after one.
 */
export function planeWaveShellEnd(box: Box, k: number): number {
  const perWave = 2 * Math.max(1, box.d - 1);
  const wanted = Math.ceil(k / perWave);
  for (let count = wanted + 64; ; count *= 2) {
    const q2 = lowestWaveVectors(box, count).map((nw) => waveVector(box, nw).reduce((s, x) => s + x * x, 0));
    let end = wanted;
    while (end < count && q2[end] <= q2[wanted - 1] * (1 + 1e-9)) end++;
    if (end < count) return end * perWave; // else the shell may go on past the waves listed
  }
}

/** The wave vector q = h⁻ᵀ n (without the 2π). */
function waveVector(box: Box, nw: ArrayLike<number>): Float64Array {
  const d = box.d;
  const q = new Float64Array(d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) q[a] += nw[b] * box.hInv[b * d + a];
  return q;
}

/**
 * d − 1 orthonormal polarizations perpendicular to q (Gram–Schmidt of the Cartesian axes against
 * q̂, in axis order, dropping the axis closest to q); in 1D the axis itself.
 */
export function transversePolarizations(box: Box, nw: ArrayLike<number>): Float64Array[] {
  const d = box.d;
  const q = waveVector(box, nw);
  if (d === 1) return [Float64Array.of(1)];
  const qn = Math.hypot(...q);
  const basis: Float64Array[] = [q.map((x) => x / qn)];
  let drop = 0;
  for (let a = 1; a < d; a++) if (Math.abs(q[a]) > Math.abs(q[drop])) drop = a;
  for (let a = 0; a < d; a++) {
    if (a === drop) continue;
    const e = new Float64Array(d);
    e[a] = 1;
    for (const b of basis) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += e[c] * b[c];
      for (let c = 0; c < d; c++) e[c] -= dot * b[c];
    }
    const en = Math.hypot(...e);
    basis.push(e.map((x) => x / en));
  }
  return basis.slice(1);
}

/** The `count` integer vectors n ≠ 0 (one of each ±n) with the smallest |h⁻ᵀ n|. */
export function lowestWaveVectors(box: Box, count: number): Int32Array[] {
  const d = box.d;
  const q2 = (v: Int32Array): number => waveVector(box, v).reduce((s, x) => s + x * x, 0);
  // Enlarge the search cube |n|_∞ ≤ R until none outside it can be shorter than the count-th
  // shortest inside: outside, |h⁻ᵀ n| ≥ σ_min(h⁻ᵀ)·(R + 1) and σ_min(h⁻ᵀ) = 1/σ_max(h) ≥
  // 1/(√d · longest lattice vector).
  const sigmaMin = 1 / Math.max(...box.lengths()) / Math.sqrt(d);
  for (let R = 1; ; R++) {
    const found: { v: Int32Array; q2: number }[] = [];
    const v = new Int32Array(d).fill(-R);
    for (;;) {
      let first = 0;
      while (first < d && v[first] === 0) first++;
      if (first < d && v[first] > 0) found.push({ v: Int32Array.from(v), q2: q2(v) });
      let a = d - 1;
      while (a >= 0 && v[a] === R) v[a--] = -R;
      if (a < 0) break;
      v[a]++;
    }
    found.sort((x, y) => x.q2 - y.q2 || lexicographic(x.v, y.v));
    if (found.length >= count && Math.sqrt(found[count - 1].q2) <= sigmaMin * (R + 1)) return found.slice(0, count).map((f) => f.v);
  }
}

function lexicographic(x: Int32Array, y: Int32Array): number {
  for (let a = 0; a < x.length; a++) if (x[a] !== y[a]) return x[a] - y[a];
  return 0;
}
