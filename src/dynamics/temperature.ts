import { GlassmechError } from "../core/errors.js";
import type { Rng } from "../core/rng.js";

/**
 * Kinetic energy and temperature (mass m = 1, k_B = 1; SPEC §0).
 *
 * Degrees-of-freedom convention: N_f = d(N − 1). The total momentum is set to zero when velocities
 * are drawn and velocity Verlet and the velocity-rescaling thermostats conserve it, so d of the
 * dN velocity components are not free. The instantaneous temperature is T = 2K/N_f
 * (equipartition, K = ½ Σ v²).
 */
export function degreesOfFreedom(n: number, d: number): number {
  return d * (n - 1);
}

/** K = ½ Σ_k v_k² (mass 1). */
export function kineticEnergy(v: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  return 0.5 * s;
}

/** T = 2K/N_f with N_f = d(N − 1). */
export function instantaneousTemperature(v: Float64Array, d: number): number {
  const n = v.length / d;
  const nf = degreesOfFreedom(n, d);
  return nf > 0 ? (2 * kineticEnergy(v)) / nf : 0;
}

/** Subtracts the mean velocity (centre-of-mass motion, equal masses) in place. */
export function removeDrift(v: Float64Array, d: number): void {
  const n = v.length / d;
  for (let a = 0; a < d; a++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i * d + a];
    s /= n;
    for (let i = 0; i < n; i++) v[i * d + a] -= s;
  }
}

/**
 * Maxwell–Boltzmann velocities at temperature T for n particles in d dimensions (mass 1): each
 * component drawn from N(0, T) with `rng.normal()` in particle-major order, the mean removed,
 * then scaled so that 2K/N_f equals T exactly.
 */
export function maxwellBoltzmann(n: number, d: number, T: number, rng: Rng): Float64Array {
  if (!(T >= 0) || !Number.isFinite(T)) throw new GlassmechError(`initial temperature must be finite and ≥ 0, got ${T}`);
  const v = new Float64Array(n * d);
  if (T === 0) return v;
  if (n < 2) throw new GlassmechError(`a temperature needs at least 2 particles (N_f = d(N−1)), got N = ${n}`);
  const s = Math.sqrt(T);
  for (let k = 0; k < v.length; k++) v[k] = s * rng.normal();
  removeDrift(v, d);
  const t = instantaneousTemperature(v, d);
  const c = Math.sqrt(T / t);
  for (let k = 0; k < v.length; k++) v[k] *= c;
  return v;
}
