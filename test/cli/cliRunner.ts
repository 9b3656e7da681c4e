import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { fileURLToPath } from "node:url";

/** The built CLI and the shared test glass (test/fixtures/pss3d_n200.xyz). */
export const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
export const GLASS = fileURLToPath(new URL("../../../test/fixtures/pss3d_n200.xyz", import.meta.url));

/**
 * A scratch folder for one test file (removed after it) and a runner of the built CLI in it:
 * `run("make", "--n", "64", …)` → status, stdout, stderr.
 */
export function cliRunner(tag: string): { dir: string; run: (...args: string[]) => { status: number | null; stdout: string; stderr: string } } {
  const dir = mkdtempSync(join(tmpdir(), `glassmech-${tag}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", cwd: dir });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { dir, run };
}
