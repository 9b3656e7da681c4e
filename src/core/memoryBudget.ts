/**
 * What memory this process may use, per-phase estimates, and the check before a phase that may
 * not fit (issue 15 item 4): a clear GlassmechError instead of an out-of-memory crash.
 *
 * Budget = the smallest of os.totalmem(), a cgroup limit (v2 /sys/fs/cgroup/memory.max, v1
 * /sys/fs/cgroup/memory/memory.limit_in_bytes; read only, never created) and a user limit
 * (`--max-memory` or GLASSMECH_MAX_MEMORY, e.g. "16G"). A wasm32 memory is capped at 4 GiB
 * (WASM32_MEMORY_BYTES): the Cholesky factor lives in wasm memories (src/linalg), so no single
 * memory of it can grow beyond that whatever the budget.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { GlassmechError } from "./errors.js";

/** The cap of one wasm32 memory (65536 pages of 64 KiB). */
export const WASM32_MEMORY_BYTES = 4 * 2 ** 30;

export interface MemoryBudget {
  readonly bytes: number;
  /** Where the limit came from: "--max-memory 16G", "GLASSMECH_MAX_MEMORY=16G", "cgroup memory.max", "os.totalmem()". */
  readonly source: string;
}

const UNITS: Record<string, number> = { "": 1, B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** "16G", "512M", "1.5g", "2GiB", "1000000" (bytes) → bytes; anything else throws a GlassmechError naming `what`. */
export function parseMemorySize(text: string, what = "memory size"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(?:i?[bB])?\s*$/.exec(text);
  const value = m === null ? NaN : Number(m[1]) * (UNITS[m[2]!.toUpperCase()] ?? NaN);
  if (!(Number.isFinite(value) && value > 0))
    throw new GlassmechError(`${what}: '${text}' is not a memory size (a positive number with an optional unit K, M, G or T, e.g. 16G or 512M)`);
  return Math.floor(value);
}

/** A cgroup memory limit file's content → bytes, or undefined for "max" / the v1 "unlimited" sentinel / garbage. */
export function parseCgroupLimit(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined; // "max" (v2, no limit)
  const v = Number(t);
  // cgroup v1 reports "no limit" as a huge page-aligned number (≈ 2^63).
  return Number.isFinite(v) && v > 0 && v < 2 ** 60 ? v : undefined;
}

const CGROUP_FILES = ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"];

function cgroupLimit(files: readonly string[]): { bytes: number; file: string } | undefined {
  for (const file of files) {
    try {
      const v = parseCgroupLimit(readFileSync(file, "utf8"));
      if (v !== undefined) return { bytes: v, file };
    } catch {
      // absent or unreadable: no limit from this file
    }
  }
  return undefined;
}

export interface BudgetOptions {
  /** The `--max-memory` flag's value, if given (wins over the environment). */
  readonly maxMemory?: string;
  /** Environment (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** cgroup files to read (tests; default the v2 then the v1 file). */
  readonly cgroupFiles?: readonly string[];
  /** Machine RAM (tests; default os.totalmem()). */
  readonly totalMemory?: number;
}

/** The memory this process may use and where that limit came from. */
export function memoryBudget(opts: BudgetOptions = {}): MemoryBudget {
  const candidates: MemoryBudget[] = [{ bytes: opts.totalMemory ?? os.totalmem(), source: "os.totalmem()" }];
  const cg = cgroupLimit(opts.cgroupFiles ?? CGROUP_FILES);
  if (cg !== undefined) candidates.push({ bytes: cg.bytes, source: `cgroup ${cg.file}` });
  const env = (opts.env ?? process.env).GLASSMECH_MAX_MEMORY;
  if (opts.maxMemory !== undefined) candidates.push({ bytes: parseMemorySize(opts.maxMemory, "--max-memory"), source: `--max-memory ${opts.maxMemory}` });
  else if (env !== undefined && env !== "") candidates.push({ bytes: parseMemorySize(env, "GLASSMECH_MAX_MEMORY"), source: `GLASSMECH_MAX_MEMORY=${env}` });
  return candidates.reduce((a, b) => (b.bytes < a.bytes ? b : a));
}

/** Bytes in a short human form: "226 MB", "5.50 GiB". */
export function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(0)} MiB`;
  return `${(b / 2 ** 10).toFixed(0)} KiB`;
}

/**
 * Per-phase estimates (bytes), calibrated on this machine (2026-12-03) by the peak RSS of
 * `make` (3D PSS r_c = 1.2, ρ = 0.6, --time 1, /usr/bin/time): 127.5 MB at N = 2·10⁴ and 251 MB
 * at N = 8·10⁴ on one thread (so ≈ 2100 B per particle over an 86 MB base), 154 / 293 MB on two
 * threads (≈ 2300 B per particle over 108 MB). Other d: scaled by d/3 (vectors) times 1.5^(d−3)
 * (the neighbor shell), not measured. The Hessian figure is the README's N = 10⁵ assembly peak.
 */
export const MEMORY_MODEL = {
  /** `make` on one thread: bytes per particle in 3D, and the base. */
  makeBytesPerParticle3d: 2100,
  makeBase: 86 * 2 ** 20,
  /** Each further pair-loop thread: bytes per particle and base (its buffers, list and isolate). */
  threadBytesPerParticle3d: 200,
  threadBase: 22 * 2 ** 20,
  /** Hessian assembly (pair records + BSR blocks + assembly scratch) bytes per particle in 3D: README N = 10⁵ 226 MB. */
  hessianBytesPerParticle3d: 2300,
  /** Node's own baseline RSS (a fresh `node` with the program loaded). */
  baseline: 60 * 2 ** 20,
} as const;

/** The d-dependence of per-particle memory relative to 3D (see MEMORY_MODEL). */
function perParticleScale(d: number): number {
  return (d / 3) * Math.pow(1.5, d - 3);
}

/** Making a glass of n particles in d dimensions (MD + minimization) on `threads` pair-loop threads. */
export function makeGlassBytes(n: number, d: number, threads = 1): number {
  const c = MEMORY_MODEL;
  const extra = Math.max(0, threads - 1);
  return c.makeBase + extra * c.threadBase + n * perParticleScale(d) * (c.makeBytesPerParticle3d + extra * c.threadBytesPerParticle3d);
}

/** Assembling the Hessian of n particles in d dimensions (blocks d×d per pair and per particle). */
export function hessianBytes(n: number, d: number): number {
  const c = MEMORY_MODEL;
  return c.baseline + n * c.hessianBytesPerParticle3d * ((d * d) / 9) * Math.pow(1.5, d - 3);
}

/**
 * The check before a phase: throws a GlassmechError when `estimate` exceeds the budget, naming
 * the phase, both numbers, the budget's source and what to do; above half the budget, logs the
 * estimate (through `log`, the progress channel) before the phase starts.
 */
export function checkFits(phase: string, estimate: number, budget: MemoryBudget, hint: string, log?: (line: string) => void): void {
  if (estimate > budget.bytes)
    throw new GlassmechError(
      `${phase} needs about ${formatBytes(estimate)} but this process may use ${formatBytes(budget.bytes)} (${budget.source}); ${hint}, or raise the limit with --max-memory / GLASSMECH_MAX_MEMORY if the machine has the memory`,
    );
  if (estimate > budget.bytes / 2 && log !== undefined) log(`${phase}: estimated ${formatBytes(estimate)} of ${formatBytes(budget.bytes)} (${budget.source})`);
}
