/**
 * Small analytic energy functions (EnergyForces contract, src/forces/types.ts) for the
 * minimizer and MD tests, written inline so these tests do not depend on the pair loop.
 */
import type { EnergyForces } from "../../src/forces/types.js";
import { Rng } from "../../src/core/rng.js";

/** U = ½ Σ_k k_k (x_k − c_k)²: stiffnesses spread log-uniformly over [1, kMax]. */
export function anisotropicQuadratic(len: number, kMax: number, seed = 1): { ef: EnergyForces; center: Float64Array; k: Float64Array } {
  const rng = Rng.fromSeed(seed);
  const k = new Float64Array(len);
  const center = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    k[i] = Math.pow(kMax, i / (len - 1));
    center[i] = rng.uniform() * 2 - 1;
  }
  const ef: EnergyForces = (x, f) => {
    let u = 0;
    for (let i = 0; i < len; i++) {
      const dx = x[i] - center[i];
      u += 0.5 * k[i] * dx * dx;
      f[i] = -k[i] * dx;
    }
    return u;
  };
  return { ef, center, k };
}

/** U = ½ (x − c)ᵀ A (x − c) with a dense random SPD A = QᵀDQ-like (BᵀB + μI). */
export function coupledQuadratic(len: number, seed = 2): { ef: EnergyForces; center: Float64Array } {
  const rng = Rng.fromSeed(seed);
  const B = new Float64Array(len * len);
  for (let i = 0; i < len * len; i++) B[i] = rng.normal();
  const A = new Float64Array(len * len);
  for (let i = 0; i < len; i++)
    for (let j = 0; j < len; j++) {
      let s = i === j ? 0.5 : 0;
      for (let m = 0; m < len; m++) s += B[m * len + i] * B[m * len + j];
      A[i * len + j] = s;
    }
  const center = new Float64Array(len);
  for (let i = 0; i < len; i++) center[i] = rng.normal();
  const dx = new Float64Array(len);
  const ef: EnergyForces = (x, f) => {
    for (let i = 0; i < len; i++) dx[i] = x[i] - center[i];
    let u = 0;
    for (let i = 0; i < len; i++) {
      let g = 0;
      for (let j = 0; j < len; j++) g += A[i * len + j] * dx[j];
      f[i] = -g;
      u += 0.5 * dx[i] * g;
    }
    return u;
  };
  return { ef, center };
}

/** Extended Rosenbrock: Σ_i 100 (y_i − x_i²)² + (1 − x_i)² over pairs (x_i, y_i); minimum 0 at 1. */
export const rosenbrock: EnergyForces = (x, f) => {
  let u = 0;
  for (let i = 0; i < x.length; i += 2) {
    const a = x[i];
    const b = x[i + 1];
    const t = b - a * a;
    u += 100 * t * t + (1 - a) * (1 - a);
    f[i] = 400 * t * a + 2 * (1 - a);
    f[i + 1] = -200 * t;
  }
  return u;
};

/** Plain Lennard-Jones cluster in open space (3D), no cutoff: 4(r⁻¹² − r⁻⁶). */
export const ljCluster: EnergyForces = (x, f) => {
  const n = x.length / 3;
  f.fill(0);
  let u = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const dx = x[j * 3] - x[i * 3];
      const dy = x[j * 3 + 1] - x[i * 3 + 1];
      const dz = x[j * 3 + 2] - x[i * 3 + 2];
      const r2 = dx * dx + dy * dy + dz * dz;
      const ir6 = 1 / (r2 * r2 * r2);
      u += 4 * (ir6 * ir6 - ir6);
      const fr = (48 * ir6 * ir6 - 24 * ir6) / r2; // −φ'(r)/r
      f[j * 3] += fr * dx;
      f[j * 3 + 1] += fr * dy;
      f[j * 3 + 2] += fr * dz;
      f[i * 3] -= fr * dx;
      f[i * 3 + 1] -= fr * dy;
      f[i * 3 + 2] -= fr * dz;
    }
  return u;
};

/** The 13-atom icosahedron (center + 12 vertices) at nearest-neighbour distance ≈ 1.1. */
export function icosahedron13(scale = 1.05): Float64Array {
  const g = (1 + Math.sqrt(5)) / 2;
  const v: number[] = [0, 0, 0];
  for (const s1 of [-1, 1])
    for (const s2 of [-1, 1]) {
      v.push(0, s1, s2 * g, s1, s2 * g, 0, s2 * g, 0, s1);
    }
  const norm = Math.sqrt(1 + g * g);
  return Float64Array.from(v, (c) => (c / norm) * scale);
}

/**
 * Periodic Lennard-Jones liquid in a cubic box of side L (3D or 2D), O(N²) minimum image, cut at
 * rc = 2.5 and smoothed with the SPEC §1 polynomial c0 + c2 r² + c4 r⁴ so φ, φ′, φ″ vanish at rc.
 */
export function periodicLJ(d: number, L: number, rc = 2.5): EnergyForces {
  // Solve for c0, c2, c4 so that φ(rc) = φ'(rc) = φ''(rc) = 0 (3×3, done by hand via Cramer).
  const lj = (r: number) => 4 * (r ** -12 - r ** -6);
  const lj1 = (r: number) => 4 * (-12 * r ** -13 + 6 * r ** -7);
  const lj2 = (r: number) => 4 * (156 * r ** -14 - 42 * r ** -8);
  // rows: [1, rc², rc⁴] c = −φ ; [0, 2rc, 4rc³] c = −φ' ; [0, 2, 12 rc²] c = −φ''
  const b1 = -lj1(rc);
  const b2 = -lj2(rc);
  const det = 2 * rc * 12 * rc * rc - 4 * rc ** 3 * 2;
  const c2 = (b1 * 12 * rc * rc - 4 * rc ** 3 * b2) / det;
  const c4 = (2 * rc * b2 - 2 * b1) / det;
  const c0 = -lj(rc) - c2 * rc * rc - c4 * rc ** 4;
  const rc2 = rc * rc;
  return (x, f) => {
    const n = x.length / d;
    f.fill(0);
    let u = 0;
    const del = [0, 0, 0];
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        let r2 = 0;
        for (let a = 0; a < d; a++) {
          let t = x[j * d + a] - x[i * d + a];
          t -= L * Math.round(t / L);
          del[a] = t;
          r2 += t * t;
        }
        if (r2 >= rc2) continue;
        const ir6 = 1 / (r2 * r2 * r2);
        u += 4 * (ir6 * ir6 - ir6) + c0 + c2 * r2 + c4 * r2 * r2;
        const fr = (48 * ir6 * ir6 - 24 * ir6) / r2 - 2 * c2 - 4 * c4 * r2; // −φ'(r)/r
        for (let a = 0; a < d; a++) {
          f[j * d + a] += fr * del[a];
          f[i * d + a] -= fr * del[a];
        }
      }
    return u;
  };
}

/** n·d positions on a simple cubic (square) lattice filling a box of side L, plus jitter. */
export function latticePositions(d: number, n: number, L: number, jitter: number, seed: number): Float64Array {
  const m = Math.ceil(Math.pow(n, 1 / d) - 1e-9);
  const a = L / m;
  const rng = Rng.fromSeed(seed);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let q = i;
    for (let c = 0; c < d; c++) {
      x[i * d + c] = (q % m + 0.5) * a + jitter * (rng.uniform() - 0.5);
      q = Math.floor(q / m);
    }
  }
  return x;
}

/** n·d uniformly random positions in [0, L)^d. */
export function randomPositions(d: number, n: number, L: number, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  return Float64Array.from({ length: n * d }, () => rng.uniform() * L);
}
