/**
 * Seeded random numbers: one generator per sample (SPEC §3, "every random choice comes from one
 * seeded generator per sample").
 *
 * Algorithm: xoshiro128** (Blackman & Vigna 2018; 128-bit state, period 2^128 − 1), whose four
 * 32-bit state words are filled from SplitMix64 applied to (seed, stream). A sample's generator is
 * `Rng.forSample(seed, sampleIndex)`: the stream index decorrelates samples of one study, so the
 * same seed gives the same numbers whatever order or thread the samples run in.
 * Doubles use 53 random bits; normals use the Marsaglia polar method (the spare deviate is part of
 * the serializable state, so a checkpointed generator resumes exactly).
 */
/** What a sample's non-glass random choices are for (Rng.forPurpose). */
export type RandomPurpose = "dipoles" | "qlmStarts";
const PURPOSE_TAG: Readonly<Record<RandomPurpose, number>> = { dipoles: 1, qlmStarts: 2 };

export interface RngState {
  readonly s: [number, number, number, number];
  readonly spare: number | null;
}

const MASK64 = (1n << 64n) - 1n;

function splitmix64(x: bigint): bigint {
  let z = (x + 0x9e3779b97f4a7c15n) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  private constructor(s: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = s;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** Generator for `(seed, stream)`; `seed` is any non-negative integer below 2^64. */
  static fromSeed(seed: number | bigint, stream: number | bigint = 0): Rng {
    const sd = BigInt(seed);
    if (sd < 0n || sd > MASK64) throw new RangeError(`seed must be an integer in [0, 2^64), got ${seed}`);
    const a = splitmix64(splitmix64(sd) ^ BigInt(stream));
    const b = splitmix64(a);
    const w = (v: bigint, shift: bigint) => Number((v >> shift) & 0xffffffffn);
    return new Rng([w(a, 0n), w(a, 32n), w(b, 0n), w(b, 32n)]);
  }

  /** The generator of sample `index` of a study seeded with `seed` (its glass: start, MD, swap MC). */
  static forSample(seed: number | bigint, index: number): Rng {
    return Rng.fromSeed(seed, index + 1);
  }

  /**
   * The generator of one other random choice of sample `index` (the dipole subset, the dipoles
   * that start quartic-mode searches): the stream of the sample tagged with the purpose in its
   * top bits, so every choice of a sample derives from (seed, index) the way its glass does, no
   * two purposes or samples share a stream, and (seed S, sample k) is unrelated to (S + 1, k − 1).
   */
  static forPurpose(seed: number | bigint, index: number, purpose: RandomPurpose): Rng {
    return Rng.fromSeed(seed, (BigInt(PURPOSE_TAG[purpose]) << 56n) | BigInt(index + 1));
  }

  static fromState(state: RngState): Rng {
    const r = new Rng(state.s);
    r.spare = state.spare;
    return r;
  }

  state(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  /** Next 32 random bits as an unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), unbiased (rejection), for 1 ≤ n ≤ 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 4294967296 && Number.isInteger(n))) throw new RangeError(`int(n) needs an integer 1 ≤ n ≤ 2^32, got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    return x % n;
  }

  /** Standard normal deviate (Marsaglia polar method). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }
}
