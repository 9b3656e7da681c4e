/**
 * Input checks shared by the ensemble statistics (SPEC §5–§7). Every statistic is a pure function
 * of arrays of numbers; bad input (wrong lengths, NaN, out-of-domain values) throws one
 * GlassmechError naming the function and the argument, never a silently wrong number.
 */
import { GlassmechError } from "../core/errors.js";

/** A read-only array of numbers: `number[]` or a typed array. */
export type Numbers = ArrayLike<number>;

/** Throws unless every entry of `values` is finite and there are at least `minLength` of them. */
export function requireFinite(values: Numbers, what: string, minLength = 1): void {
  if (values === null || values === undefined || typeof values.length !== "number")
    throw new GlassmechError(`${what}: expected an array of numbers`);
  if (values.length < minLength)
    throw new GlassmechError(`${what}: needs at least ${minLength} value(s), got ${values.length}`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new GlassmechError(`${what}: entry ${i} is not a finite number (${String(v)})`);
  }
}

/** Throws unless `a` and `b` have the same length. */
export function requireSameLength(a: Numbers, b: Numbers, what: string): void {
  if (a.length !== b.length) throw new GlassmechError(`${what}: arrays differ in length (${a.length} vs ${b.length})`);
}

/** Throws unless `x` is a finite number > 0. */
export function requirePositive(x: number, what: string): void {
  if (typeof x !== "number" || !Number.isFinite(x) || x <= 0)
    throw new GlassmechError(`${what} must be a finite number > 0, got ${String(x)}`);
}

/** Throws unless `x` is an integer ≥ `min`. */
export function requireInteger(x: number, what: string, min: number): void {
  if (!Number.isInteger(x) || x < min) throw new GlassmechError(`${what} must be an integer ≥ ${min}, got ${String(x)}`);
}
