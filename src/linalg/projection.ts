/**
 * The d zero modes of the Hessian (uniform translations, SPEC §4.2) and equilibrium checks.
 *
 * The translation modes are t_a = (e_a, e_a, …, e_a)/√n, a = 0..d−1; they are orthonormal, so
 * the orthogonal projection is v ← v − Σ_a t_a (t_a·v): subtract from every particle the mean
 * displacement. Every Hessian solve works on the complement of these d modes.
 */
import { GlassmechError } from "../core/errors.js";

/** In place: v ← v − (mean of v over particles), so v ⟂ uniform translations. v is particle-major n·d. */
export function removeTranslations(d: number, v: Float64Array): void {
  const n = v.length / d;
  if (!Number.isInteger(n)) throw new GlassmechError(`removeTranslations: vector length ${v.length} is not a multiple of d = ${d}`);
  if (n === 0) return;
  for (let a = 0; a < d; a++) {
    let s = 0;
    for (let k = a; k < v.length; k += d) s += v[k];
    const mean = s / n;
    for (let k = a; k < v.length; k += d) v[k] -= mean;
  }
}

/**
 * Same projection for k vectors stored interleaved (the layout of blockMatMulVectors):
 * V[(i*d + a)*k + r] is component a of particle i of vector r.
 */
export function removeTranslationsMulti(d: number, k: number, V: Float64Array): void {
  const stride = d * k;
  const n = V.length / stride;
  if (!Number.isInteger(n)) throw new GlassmechError(`removeTranslationsMulti: length ${V.length} is not a multiple of d·k = ${stride}`);
  if (n === 0) return;
  for (let c = 0; c < stride; c++) {
    let s = 0;
    for (let o = c; o < V.length; o += stride) s += V[o];
    const mean = s / n;
    for (let o = c; o < V.length; o += stride) V[o] -= mean;
  }
}

/**
 * Norm of the translation component of v: sqrt(Σ_a (t_a·v)²). Zero (to rounding) after
 * removeTranslations; useful to check that a vector is a valid right-hand side.
 */
export function translationNorm(d: number, v: Float64Array): number {
  const n = v.length / d;
  if (n === 0) return 0;
  let q = 0;
  for (let a = 0; a < d; a++) {
    let s = 0;
    for (let k = a; k < v.length; k += d) s += v[k];
    q += (s * s) / n;
  }
  return Math.sqrt(q);
}

/** Largest per-particle force norm max_i |F_i| (SPEC §10 `maxForce`); NaN if any entry is NaN. */
export function maxForceNorm(d: number, forces: Float64Array): number {
  let m = 0;
  for (let o = 0; o < forces.length; o += d) {
    let s = 0;
    for (let a = 0; a < d; a++) s += forces[o + a] * forces[o + a];
    if (!(s <= m)) {
      if (s !== s) return NaN; // a NaN force must not pass an equilibrium check
      m = s;
    }
  }
  return Math.sqrt(m);
}

/**
 * Throws a GlassmechError unless max_i |F_i| ≤ tol: the harmonic analysis (moduli, modes,
 * dipole responses) assumes a mechanical-equilibrium configuration (SPEC §3.4 f_tol).
 * `what` names the analysis that needs the minimum, for the message.
 */
export function assertMechanicalEquilibrium(d: number, forces: Float64Array, tol: number, what = "harmonic analysis"): void {
  const fmax = maxForceNorm(d, forces);
  if (!(fmax <= tol))
    throw new GlassmechError(
      `${what} needs a minimized configuration: max force ${fmax.toExponential(3)} exceeds tolerance ${tol.toExponential(3)} (minimize first)`,
    );
}
