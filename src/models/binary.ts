import { GlassmechError } from "../core/errors.js";
import type { PairScales } from "./types.js";

/**
 * Per-type pair tables (SPEC §1): the 50:50 binary mixture shared by QSS, PSS, IPL and HRZ, and a
 * general builder for other mixtures (KABLJ).
 */

/** SPEC §1.1: λ_ss = 1, λ_sl = 1.18, λ_ll = 1.4; type 0 = A = small, type 1 = B = large. */
export const BINARY_LAMBDA: readonly (readonly number[])[] = [
  [1, 1.18],
  [1.18, 1.4],
];

/** Species names of the binary mixtures (type 0 = A = small). */
export const BINARY_SPECIES: readonly string[] = ["A", "B"];

/** 50:50 composition. */
export const BINARY_COMPOSITION: readonly number[] = [0.5, 0.5];

/** A symmetric ntypes×ntypes table as a row-major Float64Array (checks shape, symmetry, positivity). */
export function typeTable(rows: readonly (readonly number[])[], what: string): Float64Array {
  const n = rows.length;
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    if (rows[i]!.length !== n) throw new GlassmechError(`${what} table must be ${n}×${n}`);
    for (let j = 0; j < n; j++) {
      const v = rows[i]![j]!;
      if (!(v > 0 && Number.isFinite(v))) throw new GlassmechError(`${what}[${i}][${j}] = ${v} must be positive and finite`);
      if (v !== rows[j]![i]) throw new GlassmechError(`${what} table must be symmetric ([${i}][${j}] ≠ [${j}][${i}])`);
      t[i * n + j] = v;
    }
  }
  return t;
}

/** Pair scales from λ_ab and ε_ab tables (kind "types"). */
export function typeScales(lambda: readonly (readonly number[])[], epsilon: readonly (readonly number[])[]): PairScales {
  if (lambda.length !== epsilon.length) throw new GlassmechError("λ and ε tables must have the same number of types");
  return {
    kind: "types",
    ntypes: lambda.length,
    lambda: typeTable(lambda, "λ"),
    epsilon: typeTable(epsilon, "ε"),
  };
}

/** The binary 50:50 scales of SPEC §1.1 with ε = 1 for every pair. */
export function binaryScales(): PairScales {
  return typeScales(BINARY_LAMBDA, [
    [1, 1],
    [1, 1],
  ]);
}
