/**
 * Small allocation-free kernels on flat particle-major vectors (x[i*d + a]) shared by the
 * minimizers and the integrators.
 */

/** Σ_k a_k b_k over the first `len` entries. */
export function dot(a: Float64Array, b: Float64Array, len: number = a.length): number {
  let s = 0;
  for (let k = 0; k < len; k++) s += a[k] * b[k];
  return s;
}

/**
 * Largest per-particle vector norm max_i |v_i| (SPEC §10 `maxForce` when v = forces).
 * Returns NaN if any entry is NaN and +Infinity if any is infinite, so callers can test
 * `Number.isFinite` on the result instead of scanning twice.
 */
export function maxParticleNorm(v: Float64Array, d: number): number {
  const n = v.length / d;
  let m2 = 0;
  let bad = false;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * d;
    for (let a = 0; a < d; a++) s += v[o + a] * v[o + a];
    if (s > m2) m2 = s;
    else if (!(s <= m2)) bad = true; // s is NaN
  }
  return bad ? NaN : Math.sqrt(m2);
}

/** Index of the first particle with a non-finite component, or −1. */
export function firstNonFiniteParticle(v: Float64Array, d: number): number {
  for (let k = 0; k < v.length; k++) if (!Number.isFinite(v[k])) return Math.floor(k / d);
  return -1;
}

/** True when every entry is finite. */
export function allFinite(v: Float64Array): boolean {
  for (let k = 0; k < v.length; k++) if (!Number.isFinite(v[k])) return false;
  return true;
}

/** y ← y + s·x. */
export function axpy(s: number, x: Float64Array, y: Float64Array): void {
  for (let k = 0; k < y.length; k++) y[k] += s * x[k];
}
