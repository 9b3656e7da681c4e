/**
 * Synthetic glass-like Hessians for the sparse-solver tests and benchmark: random spring networks.
 *
 * n points uniform in a periodic cubic box at number density ρ; every pair closer than `cutoff`
 * is a spring with stiffness k ∈ [0.5, 1.5) and block K = k [n⊗n + α (I − n⊗n)] (α > 0 makes
 * every bond stiff in all directions, so the network is rigid as soon as it is connected).
 * Hessian blocks as in SPEC §4.2: M_ij = −K_ij off the diagonal, M_ii = Σ_j K_ij. M is then
 * positive semidefinite with exactly the d translations as kernel when the bond graph is
 * connected, like the Hessian of a stable glass. Defaults (ρ = 0.6, cutoff 1.6 in 3D) give
 * ~10 neighbours per particle, the coordination of PSS r_c = 1.2 at density 0.6.
 */
import { Box } from "../../src/core/box.js";
import { Rng } from "../../src/core/rng.js";
import type { BlockMatrix } from "../../src/linalg/blockMatrix.js";

export interface SpringNetwork {
  readonly matrix: BlockMatrix;
  readonly positions: Float64Array;
  readonly box: Box;
  readonly bonds: number;
}

export interface SpringNetworkOptions {
  readonly density?: number;
  readonly cutoff?: number;
  /** Transverse stiffness fraction α. */
  readonly alpha?: number;
  /** Particles that get no bonds at all (rattlers: each adds d zero modes). */
  readonly isolated?: readonly number[];
  /** Signed extra term on the diagonal (a negative value makes M indefinite). */
  readonly diagonalShift?: number;
}

const DEFAULT_CUTOFF: Record<number, number> = { 2: 1.9, 3: 1.6, 4: 1.5 };

export function springNetwork(d: number, n: number, seed: number, opts: SpringNetworkOptions = {}): SpringNetwork {
  const density = opts.density ?? 0.6;
  const cutoff = opts.cutoff ?? DEFAULT_CUTOFF[d];
  const alpha = opts.alpha ?? 0.1;
  const rng = Rng.fromSeed(seed);
  const box = Box.forDensity(d, n, density);
  const L = box.lengths()[0];
  const x = new Float64Array(n * d);
  for (let k = 0; k < n * d; k++) x[k] = rng.uniform() * L;
  const isolated = new Uint8Array(n);
  for (const i of opts.isolated ?? []) isolated[i] = 1;

  if (L <= 2 * cutoff) throw new Error(`box side ${L} too small for cutoff ${cutoff}`);
  // Cell list with cells ≥ cutoff (at least 3 per side so neighbour cells are distinct); one
  // cell (all pairs) when the box is too small for that.
  const nc = L / 3 >= cutoff ? Math.floor(L / cutoff) : 1;
  const cs = L / nc;
  let ncells = 1;
  for (let a = 0; a < d; a++) ncells *= nc;
  const head = new Int32Array(ncells).fill(-1);
  const next = new Int32Array(n);
  const cellOf = (i: number) => {
    let c = 0;
    for (let a = d - 1; a >= 0; a--) c = c * nc + (Math.floor(x[i * d + a] / cs) % nc);
    return c;
  };
  for (let i = 0; i < n; i++) {
    const c = cellOf(i);
    next[i] = head[c];
    head[c] = i;
  }
  const pi: number[] = [];
  const pj: number[] = [];
  const pk: number[] = [];
  const pn: number[] = [];
  const offs = nc === 1 ? 1 : Math.pow(3, d);
  const ci = new Int32Array(d);
  const dv = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    if (isolated[i]) continue;
    let c = cellOf(i);
    for (let a = 0; a < d; a++) {
      ci[a] = c % nc;
      c = Math.floor(c / nc);
    }
    for (let o = 0; o < offs; o++) {
      let cell = 0;
      for (let a = d - 1; a >= 0; a--) {
        const shift = nc === 1 ? 0 : (Math.floor(o / Math.pow(3, a)) % 3) - 1;
        cell = cell * nc + ((ci[a] + shift + nc) % nc);
      }
      for (let j = head[cell]; j >= 0; j = next[j]) {
        if (j <= i || isolated[j]) continue;
        let r2 = 0;
        for (let a = 0; a < d; a++) {
          let v = x[j * d + a] - x[i * d + a];
          v -= L * Math.round(v / L);
          dv[a] = v;
          r2 += v * v;
        }
        if (r2 >= cutoff * cutoff) continue;
        const r = Math.sqrt(r2);
        pi.push(i);
        pj.push(j);
        pk.push(0.5 + rng.uniform());
        for (let a = 0; a < d; a++) pn.push(dv[a] / r);
      }
    }
  }
  connectComponents(d, n, L, x, isolated, pi, pj, pk, pn, rng);
  return { matrix: assembleSprings(d, n, pi, pj, pk, pn, alpha, opts.diagonalShift ?? 0), positions: x, box, bonds: pi.length };
}

/**
 * A random network can leave a particle (or a tiny cluster) without bonds to the rest, which
 * would be a genuine extra zero mode; bond every stray component to its nearest outside particle
 * so the network is connected (rattlers are only made on request, through `isolated`).
 */
function connectComponents(
  d: number,
  n: number,
  L: number,
  x: Float64Array,
  isolated: Uint8Array,
  pi: number[],
  pj: number[],
  pk: number[],
  pn: number[],
  rng: Rng,
): void {
  const root = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (root[i] !== i) i = root[i] = root[root[i]];
    return i;
  };
  for (let p = 0; p < pi.length; p++) root[find(pi[p])] = find(pj[p]);
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) if (!isolated[i]) size[find(i)]++;
  let big = -1;
  for (let i = 0; i < n; i++) if (!isolated[i] && (big < 0 || size[i] > size[big])) big = i;
  const dv = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    if (isolated[i] || find(i) === find(big)) continue;
    const members: number[] = [];
    const ri = find(i);
    for (let j = 0; j < n; j++) if (!isolated[j] && find(j) === ri) members.push(j);
    let best = Infinity;
    let bi = -1;
    let bj = -1;
    for (const a of members)
      for (let j = 0; j < n; j++) {
        if (isolated[j] || find(j) === ri) continue;
        let r2 = 0;
        for (let c = 0; c < d; c++) {
          let v = x[j * d + c] - x[a * d + c];
          v -= L * Math.round(v / L);
          r2 += v * v;
        }
        if (r2 < best) {
          best = r2;
          bi = a;
          bj = j;
        }
      }
    let r2 = 0;
    for (let c = 0; c < d; c++) {
      let v = x[bj * d + c] - x[bi * d + c];
      v -= L * Math.round(v / L);
      dv[c] = v;
      r2 += v * v;
    }
    const r = Math.sqrt(r2);
    pi.push(Math.min(bi, bj));
    pj.push(Math.max(bi, bj));
    pk.push(0.5 + rng.uniform());
    const sign = bi < bj ? 1 : -1;
    for (let c = 0; c < d; c++) pn.push((sign * dv[c]) / r);
    root[find(bi)] = find(bj);
  }
}

function assembleSprings(
  d: number,
  n: number,
  pi: number[],
  pj: number[],
  pk: number[],
  pn: number[],
  alpha: number,
  shift: number,
): BlockMatrix {
  const dd = d * d;
  const rows: Map<number, Float64Array>[] = [];
  for (let i = 0; i < n; i++) rows.push(new Map([[i, new Float64Array(dd)]]));
  const K = new Float64Array(dd);
  for (let p = 0; p < pi.length; p++) {
    const i = pi[p];
    const j = pj[p];
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        const nn = pn[p * d + a] * pn[p * d + b];
        K[a * d + b] = pk[p] * (nn + alpha * ((a === b ? 1 : 0) - nn));
      }
    const add = (r: number, c: number, s: number) => {
      let blk = rows[r].get(c);
      if (!blk) rows[r].set(c, (blk = new Float64Array(dd)));
      for (let e = 0; e < dd; e++) blk[e] += s * K[e];
    };
    add(i, j, -1);
    add(j, i, -1);
    add(i, i, 1);
    add(j, j, 1);
  }
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + rows[i].size;
  const colIdx = new Int32Array(rowPtr[n]);
  const values = new Float64Array(rowPtr[n] * dd);
  for (let i = 0; i < n; i++) {
    const cols = [...rows[i].keys()].sort((a, b) => a - b);
    cols.forEach((c, t) => {
      const p = rowPtr[i] + t;
      colIdx[p] = c;
      values.set(rows[i].get(c)!, p * dd);
      if (c === i) for (let a = 0; a < d; a++) values[p * dd + a * d + a] += shift;
    });
  }
  return { d, n, rowPtr, colIdx, values };
}
