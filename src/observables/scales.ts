/**
 * Dimensionless ratios and derived scales of one glass (SPEC §0, §4.1, §4.3; seed 001 App. A1).
 * All inputs and outputs are in reduced units (ε = λ_ss = m = 1).
 */
import { GlassmechError } from "../core/errors.js";

/**
 * Poisson's ratio of an isotropic solid in d dimensions from K and G (SPEC §4.3):
 *   ν = λ / ((d − 1)λ + 2G) with the Lamé λ = K − 2G/d, i.e.
 *   ν = (dK − 2G) / (d(d − 1)K + 2G)
 * (lateral contraction −ε_⊥/ε_∥ under uniaxial stress). It reduces to SPEC §4.3's forms:
 * d = 3: (3K − 2G)/(6K + 2G) (seed 001 Eq. A6); d = 2: (2K − 2G)/(2K + 2G) = (K − G)/(K + G).
 * Used as is in d = 4. Bounds: −1 ≤ ν ≤ 1/(d − 1) for K, G ≥ 0.
 */
export function poissonRatio(K: number, G: number, d: number): number {
  if (!(d === 2 || d === 3 || d === 4)) throw new GlassmechError(`poissonRatio: dimension must be 2, 3 or 4, got ${d}`);
  return (d * K - 2 * G) / (d * (d - 1) * K + 2 * G);
}

/** The length, speed and frequency scales of SPEC §0. */
export interface ElasticScales {
  /** a0 = (V/N)^{1/d}, the interparticle distance. */
  readonly a0: number;
  /** Mass density ρ_m = m N / V (m = 1). */
  readonly massDensity: number;
  /** Shear-wave speed c_s = sqrt(G/ρ_m) (NaN when G < 0). */
  readonly cs: number;
  /** ω0 = c_s / a0. */
  readonly omega0: number;
}

/** a0, ρ_m, c_s and ω0 (SPEC §0) for N unit-mass particles in volume V with shear modulus G. */
export function elasticScales(n: number, volume: number, d: number, G: number): ElasticScales {
  const a0 = Math.pow(volume / n, 1 / d);
  const massDensity = n / volume;
  const cs = G >= 0 ? Math.sqrt(G / massDensity) : NaN;
  return { a0, massDensity, cs, omega0: cs / a0 };
}
