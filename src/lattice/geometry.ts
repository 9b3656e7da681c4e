/**
 * Geometry of the lattice model of dipole stiffnesses (SPEC §8, seed 004 §III C, Eqs. 8–12).
 *
 * Convention (documented choice): an OPEN (non-periodic) d-cubic lattice of odd side L, lattice
 * spacing 1, and the dipole at the central site c = ((L−1)/2, …, (L−1)/2) — as the paper does
 * ("we choose the site i to be at the very center of the lattice … to suppress boundary effects").
 * Distances are plain Euclidean distances in lattice units, so the weight of site j is
 * w_j = r_ij^(−2d) (seed 004 Eq. 7), and the central site itself enters with weight 1
 * (the 1/ω_i² and 1/ω_i⁴ terms of Eqs. 8–9).
 *
 * Sites are grouped into shells of equal r² (seed 004 Eq. 11): every site of a shell has the same
 * weight, so samplers work shell by shell.
 */
import { GlassmechError } from "../core/errors.js";

/** Lattice sides used by the paper (seed 004 §III C): 2D 101, 3D 21, 4D 11. */
export const PAPER_LATTICE_SIDE: Readonly<Record<number, number>> = { 2: 101, 3: 21, 4: 11 };

/** Shells of the open lattice around its central site, sorted by increasing r². */
export interface LatticeShells {
  readonly d: number;
  readonly L: number;
  /** Number of sites other than the centre, L^d − 1. */
  readonly sites: number;
  /** Squared distance r² (lattice units) of each shell, increasing. */
  readonly r2: Int32Array;
  /** Number of sites in each shell. */
  readonly count: Int32Array;
  /** Weight r^(−2d) = (r²)^(−d) of each shell. */
  readonly weight: Float64Array;
}

/** Default side for dimension d: the paper's (2D 101, 3D 21, 4D 11); otherwise an error. */
export function defaultLatticeSide(d: number): number {
  const L = PAPER_LATTICE_SIDE[d];
  if (L === undefined) throw new GlassmechError(`lattice model: no default side L for d = ${d} (the paper uses d = 2, 3, 4); pass L explicitly`);
  return L;
}

/** Validates (d, L): integer d in [1, 8], odd L ≥ 3 (a central site must exist), L^d ≤ 5·10⁷. */
export function checkLatticeSize(d: number, L: number): void {
  if (!Number.isInteger(d) || d < 1 || d > 8) throw new GlassmechError(`lattice model: dimension d must be an integer in [1, 8], got ${d}`);
  if (!Number.isInteger(L) || L < 3 || L % 2 === 0) throw new GlassmechError(`lattice model: side L must be an odd integer ≥ 3 (the dipole sits on the central site), got ${L}`);
  if (Math.pow(L, d) > 5e7) throw new GlassmechError(`lattice model: L^d = ${L}^${d} sites is too many (limit 5e7)`);
}

/**
 * Enumerates the L^d − 1 non-central sites of the open lattice and groups them by r².
 * Cost O(L^d), done once per sampler.
 */
export function latticeShells(d: number, L: number): LatticeShells {
  checkLatticeSize(d, L);
  const c = (L - 1) / 2;
  const maxR2 = d * c * c;
  const hist = new Int32Array(maxR2 + 1);
  const idx = new Int32Array(d); // odometer over offsets in [−c, c]^d
  const total = Math.pow(L, d);
  for (let s = 0; s < total; s++) {
    let r2 = 0;
    for (let k = 0; k < d; k++) {
      const v = idx[k]! - c;
      r2 += v * v;
    }
    hist[r2]!++;
    for (let k = 0; k < d; k++) {
      if (++idx[k]! < L) break;
      idx[k] = 0;
    }
  }
  let nShells = 0;
  for (let r2 = 1; r2 <= maxR2; r2++) if (hist[r2]! > 0) nShells++;
  const r2s = new Int32Array(nShells);
  const count = new Int32Array(nShells);
  const weight = new Float64Array(nShells);
  let k = 0;
  for (let r2 = 1; r2 <= maxR2; r2++) {
    if (hist[r2]! === 0) continue;
    r2s[k] = r2;
    count[k] = hist[r2]!;
    weight[k] = Math.pow(r2, -d); // r^(−2d), seed 004 Eq. 7
    k++;
  }
  return { d, L, sites: total - 1, r2: r2s, count, weight };
}
