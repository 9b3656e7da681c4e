/**
 * The vector loops of the integrators (velocity Verlet, dynamics/integrator.ts) and of FIRE
 * (minimize/fire.ts) on the threads of the threaded pair loop (pairShards.ts): the same
 * arithmetic per entry as the serial loops, each thread on the particles ⌊tn/T⌋ … ⌊(t+1)n/T⌋ − 1
 * of the shared vectors x (= the pair loop's input), f (= its output), v, xPrev, fPrev.
 *
 * Sums (Σv², Σf², F·v) are per-thread partial sums added in thread order 0 … T−1: the same for
 * every run at a fixed T, rounded differently from the one-thread sum. Maxima of per-particle
 * norms are exact whatever the order (NaN is reported as NaN, like vectors.maxParticleNorm).
 */

/** Operation codes (args[0]); scalars in args[1 …]. */
export const VECTOR_OP = {
  /** v += h f; x += dt v   (args: h, dt) */
  kickDrift: 1,
  /** v += h f; partial Σ v²   (h) */
  kickSquare: 2,
  /** v *= c   (c) */
  scaleV: 3,
  /** partial Σ f·v */
  dotFV: 4,
  /** x −= h v; v = 0   (h) */
  backtrack: 5,
  /** v += dt f; partial Σ v², Σ f²   (dt) */
  fireKick: 6,
  /** if mix: v = (1 − a) v + c f; partial max |v_i|²   (mix, a, c) */
  fireMix: 7,
  /** if cap: v *= s; xPrev = x; fPrev = f; x += dt v   (dt, cap, s) */
  fireDrift: 8,
} as const;

/** Slots per thread in the partials array (the last: max |f_i|² of the last force reduction). */
export const PARTIALS = 3;

export interface VectorArrays {
  readonly x: Float64Array;
  readonly f: Float64Array;
  readonly v: Float64Array;
  readonly xPrev: Float64Array;
  readonly fPrev: Float64Array;
  readonly args: Float64Array;
  /** PARTIALS per thread. */
  readonly partials: Float64Array;
}

/** Runs the operation in args on the entries [k0, k1) (whole particles of dimension d) for thread t. */
export function runVectorOp(m: VectorArrays, d: number, k0: number, k1: number, t: number): void {
  const { x, f, v, args, partials } = m;
  const p = PARTIALS * t;
  switch (args[0]) {
    case VECTOR_OP.kickDrift: {
      const h = args[1];
      const dt = args[2];
      for (let k = k0; k < k1; k++) {
        v[k] += h * f[k];
        x[k] += dt * v[k];
      }
      return;
    }
    case VECTOR_OP.kickSquare: {
      const h = args[1];
      let vv = 0;
      for (let k = k0; k < k1; k++) {
        v[k] += h * f[k];
        vv += v[k] * v[k];
      }
      partials[p] = vv;
      return;
    }
    case VECTOR_OP.scaleV: {
      const c = args[1];
      for (let k = k0; k < k1; k++) v[k] *= c;
      return;
    }
    case VECTOR_OP.dotFV: {
      let s = 0;
      for (let k = k0; k < k1; k++) s += f[k] * v[k];
      partials[p] = s;
      return;
    }
    case VECTOR_OP.backtrack: {
      const h = args[1];
      for (let k = k0; k < k1; k++) {
        x[k] -= h * v[k];
        v[k] = 0;
      }
      return;
    }
    case VECTOR_OP.fireKick: {
      const dt = args[1];
      let vv = 0;
      let ff = 0;
      for (let k = k0; k < k1; k++) {
        v[k] += dt * f[k];
        vv += v[k] * v[k];
        ff += f[k] * f[k];
      }
      partials[p] = vv;
      partials[p + 1] = ff;
      return;
    }
    case VECTOR_OP.fireMix: {
      if (args[1] !== 0) {
        const a = args[2];
        const c = args[3];
        for (let k = k0; k < k1; k++) v[k] = (1 - a) * v[k] + c * f[k];
      }
      partials[p] = maxSquaredNorm(v, d, k0, k1);
      return;
    }
    case VECTOR_OP.fireDrift: {
      const dt = args[1];
      const { xPrev, fPrev } = m;
      if (args[2] !== 0) {
        const s = args[3];
        for (let k = k0; k < k1; k++) v[k] *= s;
      }
      for (let k = k0; k < k1; k++) {
        xPrev[k] = x[k];
        fPrev[k] = f[k];
        x[k] += dt * v[k];
      }
      return;
    }
    default:
      throw new Error(`shared vectors: unknown operation ${args[0]}`);
  }
}

/** max_i |v_i|² over the particles of [k0, k1), NaN if a norm is NaN (as vectors.maxParticleNorm). */
export function maxSquaredNorm(v: Float64Array, d: number, k0: number, k1: number): number {
  let m2 = 0;
  let bad = false;
  for (let o = k0; o < k1; o += d) {
    let s = 0;
    for (let a = 0; a < d; a++) s += v[o + a] * v[o + a];
    if (s > m2) m2 = s;
    else if (!(s <= m2)) bad = true;
  }
  return bad ? NaN : m2;
}
