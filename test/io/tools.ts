/**
 * The outside tools of the cross-tool tests (Debian's python3-ase, python3-gsd, lammps). In the
 * default `npm test` a test whose tool is missing skips with a message; with
 * GLASSMECH_REQUIRE_TOOLS=1 (`npm run test:tools`, scripts/test-tools.sh, what CI runs) a missing
 * tool is a failure, so CI never skips silently.
 */
import { spawnSync } from "node:child_process";

/** Debian's interpreter (its dist-packages hold python3-ase and python3-gsd), not a pyenv shim. */
export const PYTHON = process.env.GLASSMECH_PYTHON ?? "/usr/bin/python3";

export const REQUIRE_TOOLS = process.env.GLASSMECH_REQUIRE_TOOLS === "1";

function pythonHas(module: string): boolean {
  const r = spawnSync(PYTHON, ["-c", `import ${module}`], { encoding: "utf8" });
  return r.error === undefined && r.status === 0;
}

function lmpFound(): boolean {
  return spawnSync("lmp", ["-h"], { encoding: "utf8" }).error === undefined;
}

/**
 * The `skip` option of node:test for a tool: false when present; a message when absent; and when
 * GLASSMECH_REQUIRE_TOOLS=1, throws so the test file fails loudly instead.
 */
export function toolSkip(tool: "ase" | "gsd" | "lmp"): false | string {
  const present = tool === "lmp" ? lmpFound() : pythonHas(tool);
  if (present) return false;
  const what = tool === "lmp" ? "lmp (Debian package lammps)" : `${PYTHON} -c 'import ${tool}' (Debian package python3-${tool})`;
  if (REQUIRE_TOOLS) throw new Error(`GLASSMECH_REQUIRE_TOOLS=1 but ${what} is not available; install it (scripts/test-tools.sh does)`);
  return `${what} not available (npm run test:tools installs it and makes this a failure)`;
}

/** Runs a Python script; returns stdout, throws with stderr on failure. */
export function runPython(script: string, args: string[] = []): string {
  const r = spawnSync(PYTHON, ["-c", script, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.error !== undefined || r.status !== 0) throw new Error(`python failed (status ${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Little-endian bytes of a float64 array as hex (what the Python side prints with tobytes().hex()). */
export function hex64(a: ArrayLike<number>): string {
  return Buffer.from(Float64Array.from(a).buffer).toString("hex");
}

/** Same for float32. */
export function hex32(a: ArrayLike<number>): string {
  return Buffer.from(Float32Array.from(a).buffer).toString("hex");
}
