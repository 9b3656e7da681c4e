/** Small helpers the ensemble reducers of the registry entries share. */
import { GlassmechError } from "../core/errors.js";
import { meanWithError } from "../statistics/index.js";
import type { GlassResult } from "./types.js";

/** A value with its standard error. */
export interface ValueWithError {
  value: number;
  stdError: number;
}

/** Mean ± standard error as a ValueWithError. */
export function meanValue(a: number[]): ValueWithError {
  const m = meanWithError(a);
  return { value: m.mean, stdError: m.stdError };
}

/** The value as an array of finite numbers, or null. */
export function numberArray(v: unknown): number[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x)) ? (v as number[]) : null;
}

/** A scalar key of every result (NaN where absent). */
export function numbers(results: readonly GlassResult[], key: string): number[] {
  return results.map((r) => (typeof r[key] === "number" ? (r[key] as number) : NaN));
}

/** Turns a GlassmechError of a fit into a "what: why" warning; anything else is a bug and is rethrown. */
export function warnOf(warn: (line: string) => void, what: string, e: unknown): void {
  if (!(e instanceof GlassmechError)) throw e;
  warn(`${what}: ${e.message}`);
}

/** A scalar key of every result; a GlassmechError when one lacks a finite value. */
export function finiteColumn(results: readonly GlassResult[], key: string): number[] {
  return results.map((r) => {
    const v = r[key];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new GlassmechError(`ensemble: a result has no finite '${key}'`);
    return v;
  });
}
