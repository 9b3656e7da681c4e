/**
 * Running the malformed-input battery (battery.test.ts): each case is the built CLI in a child
 * process of its own group, in a fresh working folder that holds an `existing.xyz` and an
 * `existing.json`, with a time limit. What a case must do: exit 2 with exactly one stderr line
 * `glassmech: where: what` (no stack trace, no "internal error"), within the limit, and leave the
 * folder byte for byte as it was (no partial output, no temporary file, no damaged file).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

export interface BatteryCase {
  /** Class for the totals (e.g. "xyz file", "make options", "study spec"). */
  readonly cls: string;
  /** Short description shown on failure. */
  readonly name: string;
  /** Arguments after `glassmech`; outputs are relative (written into the case's folder). */
  readonly args: readonly string[];
  /** Time limit in ms (default 20 s). */
  readonly timeoutMs?: number;
}

export interface CaseResult {
  readonly c: BatteryCase;
  readonly status: number | null;
  readonly stderr: string;
  readonly ms: number;
  readonly timedOut: boolean;
  /** Why the case failed the battery's rule, or null. */
  readonly problem: string | null;
}

/** path → sha256 of every file under dir (dotfiles included). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        out.set(relative(dir, p) + "/", "dir");
        walk(p);
      } else out.set(relative(dir, p), createHash("sha256").update(readFileSync(p)).digest("hex"));
    }
  };
  walk(dir);
  return out;
}

function diff(before: Map<string, string>, after: Map<string, string>): string | null {
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const changed = [...before.keys()].filter((k) => after.has(k) && after.get(k) !== before.get(k));
  if (added.length + removed.length + changed.length === 0) return null;
  return [added.length ? `left ${added.join(", ")}` : "", removed.length ? `removed ${removed.join(", ")}` : "", changed.length ? `changed ${changed.join(", ")}` : ""]
    .filter((s) => s !== "")
    .join("; ");
}

/** One line, `glassmech: where: what`, nothing else on stderr. */
const ONE_LINE = /^glassmech: \S[^\n]*?: \S[^\n]*\n?$/;

function judge(status: number | null, stderr: string, timedOut: boolean, folder: string | null): string | null {
  if (timedOut) return "hang (time limit)";
  if (status !== 2) return `exit status ${status}`;
  if (/internal error|\n\s+at /.test(stderr)) return "stack trace";
  if (!ONE_LINE.test(stderr)) return `stderr is not one 'glassmech: where: what' line: ${JSON.stringify(stderr.slice(0, 300))}`;
  if (folder !== null) return `working folder: ${folder}`;
  return null;
}

/** How a child process ended: its status (null when killed), output, and whether the limit killed it. */
export interface GroupRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly killed: boolean;
}

/**
 * Runs the built CLI in a process group of its own and SIGKILLs the whole group after `limitMs`
 * (a hang, or a deliberate kill at a chosen moment), unless it ends first.
 */
export function runGroup(args: readonly string[], cwd: string, limitMs: number): Promise<GroupRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b) => (stdout += b));
    child.stderr.on("data", (b) => (stderr += b));
    let killed = false;
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
        killed = true;
      } catch {
        /* already gone */
      }
    }, limitMs);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, killed: killed && status === null });
    });
  });
}

/** Runs one case in `work/<k>` (created with the two existing files). */
export function runCase(c: BatteryCase, work: string, k: number, seeds: { xyz: string; json: string }): Promise<CaseResult> {
  const cwd = join(work, String(k));
  mkdirSync(cwd, { recursive: true });
  copyFileSync(seeds.xyz, join(cwd, "existing.xyz"));
  copyFileSync(seeds.json, join(cwd, "existing.json"));
  const before = snapshot(cwd);
  const limit = c.timeoutMs ?? 20_000;
  const t0 = Date.now();
  return runGroup(c.args, cwd, limit).then(({ status, stderr, killed }) => {
    const folder = diff(before, snapshot(cwd));
    return { c, status, stderr, ms: Date.now() - t0, timedOut: killed, problem: judge(status, stderr, killed, folder) };
  });
}

/** Runs all cases with at most `concurrency` at a time. */
export async function runAll(cases: readonly BatteryCase[], work: string, seeds: { xyz: string; json: string }, concurrency: number): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const k = next++;
      results[k] = await runCase(cases[k]!, work, k, seeds);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
