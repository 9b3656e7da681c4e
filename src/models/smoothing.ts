import { GlassmechError } from "../core/errors.js";

/**
 * Coefficients of smoothed potentials from their vanishing / continuity conditions (SPEC §1:
 * "coefficients must be computed by the code from these conditions, small dense linear solves").
 *
 * All our potentials are sums of power terms A·x^p. A condition "the k-th derivative of the
 * unknown part at x equals a target" is one row Σ_j (p_j)_k x^(p_j − k) u_j = target, where
 * (p)_k = p(p−1)…(p−k+1) is the falling factorial. `solveConditions` assembles and solves such rows.
 */

/** d^k/dx^k x^p = (p)_k x^(p−k); the falling factorial makes constant terms drop out. */
export function monomialDerivative(p: number, k: number, x: number): number {
  let c = 1;
  for (let i = 0; i < k; i++) c *= p - i;
  return c === 0 ? 0 : c * Math.pow(x, p - k);
}

/**
 * Solves the dense n×n system A u = b (A row-major, not modified) by Gaussian elimination with
 * partial pivoting on a row- and column-equilibrated copy, followed by two steps of iterative
 * refinement. The PSS system (SPEC §1.2) mixes x^−12 and x^6 columns whose scales differ by
 * orders of magnitude; equilibration keeps the coefficients at ~1e−13 relative accuracy.
 * Throws GlassmechError if A is singular.
 */
export function solveDense(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  if (a.length !== n * n || b.length !== n) throw new GlassmechError(`solveDense: expected ${n}×${n} system`);
  const rs = new Float64Array(n);
  const cs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) m = Math.max(m, Math.abs(a[i * n + j]!));
    rs[i] = m > 0 ? 1 / m : 1;
  }
  for (let j = 0; j < n; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i * n + j]! * rs[i]!));
    cs[j] = m > 0 ? 1 / m : 1;
  }
  // LU of the scaled matrix S = R A C with row permutation perm.
  const lu = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) lu[i * n + j] = rs[i]! * a[i * n + j]! * cs[j]!;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]!) > Math.abs(lu[piv * n + k]!)) piv = i;
    if (!(Math.abs(lu[piv * n + k]!) > 1e-300)) throw new GlassmechError(`solveDense: singular ${n}×${n} system`);
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[piv * n + j]!;
        lu[piv * n + j] = t;
      }
      const t = perm[k]!;
      perm[k] = perm[piv]!;
      perm[piv] = t;
    }
    const d = lu[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const l = (lu[i * n + k]! /= d);
      for (let j = k + 1; j < n; j++) lu[i * n + j]! -= l * lu[k * n + j]!;
    }
  }
  // Solves S y = r (r already row-scaled) in place.
  const luSolve = (r: Float64Array): Float64Array => {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = r[perm[i]!]!;
      for (let j = 0; j < i; j++) s -= lu[i * n + j]! * y[j]!;
      y[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let j = i + 1; j < n; j++) s -= lu[i * n + j]! * y[j]!;
      y[i] = s / lu[i * n + i]!;
    }
    return y;
  };
  const u = new Float64Array(n);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = rs[i]! * b[i]!;
  for (let iter = 0; iter < 3; iter++) {
    const y = luSolve(r);
    for (let j = 0; j < n; j++) u[j]! += cs[j]! * y[j]!;
    // Residual of the original system, row-scaled, for the next refinement step.
    for (let i = 0; i < n; i++) {
      let s = b[i]!;
      for (let j = 0; j < n; j++) s -= a[i * n + j]! * u[j]!;
      r[i] = rs[i]! * s;
    }
  }
  return u;
}

/** One condition: the k-th derivative of Σ_j u_j x^(p_j) at x equals `value`. */
export interface Condition {
  readonly x: number;
  readonly k: number;
  readonly value: number;
}

/** Solves for the coefficients u_j of Σ_j u_j x^(powers_j) satisfying one condition per unknown. */
export function solveConditions(powers: readonly number[], conditions: readonly Condition[]): Float64Array {
  const n = powers.length;
  if (conditions.length !== n) throw new GlassmechError(`solveConditions: ${n} unknowns but ${conditions.length} conditions`);
  const a = new Float64Array(n * n);
  const b = new Float64Array(n);
  conditions.forEach((c, i) => {
    for (let j = 0; j < n; j++) a[i * n + j] = monomialDerivative(powers[j]!, c.k, c.x);
    b[i] = c.value;
  });
  return solveDense(a, b, n);
}

/** A power term A·x^p of a reduced potential. */
export interface PowerTerm {
  readonly coef: number;
  readonly power: number;
}

/** k-th derivative of Σ A x^p at x (setup and tests only; the hot kernel is generated, see powerKernel.ts). */
export function termsDerivative(terms: readonly PowerTerm[], k: number, x: number): number {
  let s = 0;
  for (const t of terms) s += t.coef * monomialDerivative(t.power, k, x);
  return s;
}

/**
 * The smoothing polynomial c0 + c2 x² + c4 x⁴ added to `base` so that the sum and its first two
 * derivatives vanish at xc (SPEC §1.1, §1.3, §1.5; seed 001 Eq. B1 — whose printed c0 is a
 * misprint, SPEC §9 — is replaced by this 3×3 solve). Returns base plus the three terms.
 */
export function smoothAtCutoff(base: readonly PowerTerm[], xc: number): PowerTerm[] {
  const powers = [0, 2, 4];
  const c = solveConditions(
    powers,
    [0, 1, 2].map((k) => ({ x: xc, k, value: -termsDerivative(base, k, xc) })),
  );
  return [...base, ...powers.map((p, j) => ({ coef: c[j]!, power: p }))];
}
