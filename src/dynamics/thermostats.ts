import { GlassmechError } from "../core/errors.js";
import type { Rng } from "../core/rng.js";

/**
 * Velocity-rescaling thermostats (SPEC §3.2), applied once per time step after the second
 * velocity-Verlet half kick: all velocities are multiplied by one factor λ, which conserves the
 * (zero) total momentum. Plain data, stored in the MD state.
 * - "nve": no thermostat.
 * - "berendsen": weak coupling, Berendsen et al., J. Chem. Phys. 81, 3684 (1984), Eq. 11:
 *   λ² = 1 + (Δt/τ_T)(T₀/T − 1), λ clamped to [0.8, 1.25] (as GROMACS does) against wild first
 *   steps. Not canonical (suppresses kinetic-energy fluctuations) but what seed 001 used.
 * - "bussi": canonical stochastic velocity rescaling, Bussi, Donadio & Parrinello, J. Chem. Phys.
 *   126, 014101 (2007), Eq. A7: with c = exp(−Δt/τ), K̄ = N_f T₀/2, R₁ ~ N(0,1) and S the sum of
 *   N_f − 1 squared standard normals,
 *   K' = c K + (1 − c) K̄ (R₁² + S)/N_f + 2 R₁ √(c(1 − c) K K̄/N_f),   λ = √(K'/K).
 */
export type ThermostatSpec =
  | { readonly kind: "nve" }
  | { readonly kind: "berendsen"; readonly tau: number }
  | { readonly kind: "bussi"; readonly tau: number };

export function validateThermostat(t: ThermostatSpec): void {
  if (t.kind === "nve") return;
  if (t.kind !== "berendsen" && t.kind !== "bussi") throw new GlassmechError(`unknown thermostat "${(t as { kind: string }).kind}" (use nve, berendsen or bussi)`);
  if (!(t.tau > 0) || !Number.isFinite(t.tau)) throw new GlassmechError(`thermostat relaxation time tau must be positive, got ${t.tau}`);
}

/** Berendsen scaling factor for kinetic energy K (N_f degrees of freedom) towards T₀. */
export function berendsenFactor(K: number, nf: number, T0: number, dt: number, tau: number): number {
  if (!(K > 0)) return 1; // a system at rest cannot be rescaled
  const T = (2 * K) / nf;
  const l2 = 1 + (dt / tau) * (T0 / T - 1);
  const l = Math.sqrt(Math.max(l2, 0));
  return Math.min(1.25, Math.max(0.8, l));
}

/** Bussi–Donadio–Parrinello scaling factor (Eq. A7); draws from `rng`. */
export function bussiFactor(K: number, nf: number, T0: number, dt: number, tau: number, rng: Rng): number {
  if (!(K > 0)) return 1;
  const c = Math.exp(-dt / tau);
  const Kbar = 0.5 * nf * T0;
  const r1 = rng.normal();
  const s = sumOfSquaredNormals(nf - 1, rng);
  const Knew = c * K + ((1 - c) * Kbar * (r1 * r1 + s)) / nf + 2 * r1 * Math.sqrt((c * (1 - c) * K * Kbar) / nf);
  return Math.sqrt(Math.max(Knew, 0) / K);
}

/**
 * Σ_{i=1}^{m} R_i² for m standard normals, drawn as 2·Gamma(m/2) (as in Bussi's reference code
 * `sumnoises`): one gamma deviate instead of m normals.
 */
export function sumOfSquaredNormals(m: number, rng: Rng): number {
  if (m <= 0) return 0;
  if (m === 1) {
    const g = rng.normal();
    return g * g;
  }
  if (m % 2 === 0) return 2 * gammaDeviate(m / 2, rng);
  const g = rng.normal();
  return 2 * gammaDeviate((m - 1) / 2, rng) + g * g;
}

/**
 * Gamma(shape a, scale 1) deviate, a ≥ 1: Marsaglia & Tsang, ACM TOMS 26, 363 (2000).
 */
export function gammaDeviate(a: number, rng: Rng): number {
  if (!(a >= 1)) throw new GlassmechError(`gammaDeviate needs shape ≥ 1, got ${a}`);
  const dd = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * dd);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return dd * v;
    if (Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return dd * v;
  }
}
