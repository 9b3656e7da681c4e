/**
 * Fast bulk evaluation of the project generator for the lattice hot loops.
 *
 * `Rng` (core/rng.ts, xoshiro128**) is the one source of randomness: a chunk of samples gets
 * `Rng.forSample(seed, chunkIndex)`. Its method calls cost ~8× an inline step here (its 32-bit
 * state lives in object fields as heap numbers), so the samplers copy its state into an Int32Array
 * and step it with the same xoshiro128** algorithm: `streamUniform(st)` returns exactly the numbers
 * `rng.uniform()` would have returned (tested), only faster.
 */
import type { Rng } from "../core/rng.js";

/** The 4 state words of `rng` (signed int32 view of the same bits); `rng` itself is not advanced. */
export function streamFromRng(rng: Rng): Int32Array {
  const s = rng.state().s;
  return Int32Array.of(s[0], s[1], s[2], s[3]);
}

/**
 * Next uniform double in [0, 1) with 53 random bits, identical to Rng.uniform():
 * two xoshiro128** outputs, hi = out₁ >>> 5 (27 bits), lo = out₂ >>> 6 (26 bits).
 */
export function streamUniform(st: Int32Array): number {
  let s0 = st[0]!;
  let s1 = st[1]!;
  let s2 = st[2]!;
  let s3 = st[3]!;
  let m = Math.imul(s1, 5);
  const hi = Math.imul((m << 7) | (m >>> 25), 9) >>> 5;
  let t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = (s3 << 11) | (s3 >>> 21);
  m = Math.imul(s1, 5);
  const lo = Math.imul((m << 7) | (m >>> 25), 9) >>> 6;
  t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = (s3 << 11) | (s3 >>> 21);
  st[0] = s0;
  st[1] = s1;
  st[2] = s2;
  st[3] = s3;
  return (hi * 67108864 + lo) / 9007199254740992;
}
