/**
 * Particle labels in space-filling-curve order (Morton / Z-order), so that particles close in
 * space are close in memory.
 *
 * Why: every kernel that reads or writes per-particle arrays in the caller's order — the pair
 * loop's gather and scatter, the Hessian's block rows, its mat-vec, the multigrid smoother —
 * touches a particle's neighbours. With labels in random order (a uniform random start) each of
 * those touches is a cache miss once N·d doubles outgrow the cache: at N = 10⁶ in 3D a V-cycle on
 * 40 columns took 64 s in random order (issue 15). Relabelling changes no physics: the same
 * points, types and sizes, only numbered differently.
 *
 * The key of a particle is the Morton code of its cell in a grid of 2^b cells per axis over the
 * box's fractional coordinates (b bits per axis, interleaved from the most significant bit), with
 * about one particle per cell; ties keep the original order, so the result is a pure function of
 * the positions.
 */
import type { Box } from "./box.js";
import type { Configuration } from "./configuration.js";

/** Bits per axis of the Morton grid for n particles in d dimensions: ≈ one particle per cell, key < 2⁵². */
export function mortonBits(d: number, n: number): number {
  const perAxis = Math.max(1, Math.ceil(Math.log2(Math.max(2, n)) / d));
  return Math.min(perAxis, Math.floor(52 / d));
}

/**
 * The permutation `order` (order[k] = the original label of the particle that becomes k) that
 * sorts the n particles of `positions` (n·d, particle-major, any periodic image) by Morton key.
 */
export function spatialOrder(d: number, n: number, positions: Float64Array, box: Box): Int32Array {
  const bits = mortonBits(d, n);
  const cells = 2 ** bits;
  const keys = new Float64Array(n);
  const s = new Float64Array(d);
  const c = new Int32Array(d);
  for (let i = 0; i < n; i++) {
    box.toFractional(positions, i * d, s);
    for (let a = 0; a < d; a++) {
      const f = s[a] - Math.floor(s[a]);
      c[a] = Math.min(cells - 1, Math.floor(f * cells));
    }
    let key = 0;
    for (let bit = bits - 1; bit >= 0; bit--) for (let a = 0; a < d; a++) key = key * 2 + ((c[a] >> bit) & 1);
    keys[i] = key;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((i, j) => keys[i] - keys[j] || i - j);
  return order;
}

/** Rows order[0], order[1], … of a per-particle array with `width` entries per particle. */
export function permuteRows<T extends Float64Array | Int32Array>(src: T, width: number, order: Int32Array): T {
  const out = new (src.constructor as { new (length: number): T })(src.length);
  for (let k = 0; k < order.length; k++) {
    const o = order[k] * width;
    for (let a = 0; a < width; a++) out[k * width + a] = src[o + a];
  }
  return out;
}

/** The configuration with its particles relabelled in spatial order (positions, types, sizes alike). */
export function spatiallyOrdered(config: Configuration): Configuration {
  const order = spatialOrder(config.d, config.n, config.positions, config.box);
  return {
    ...config,
    positions: permuteRows(config.positions, config.d, order),
    types: permuteRows(config.types, 1, order),
    sizes: config.sizes === null ? null : permuteRows(config.sizes, 1, order),
  };
}
