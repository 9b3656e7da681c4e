import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Rng } from "../../src/core/rng.js";
import { comparableCsv, comparableResult } from "./comparable.js";

/**
 * Kill -9 at random moments, then resume: a study killed 20 times (the whole process group), and
 * two shards of one study killed independently 10 times each, end with exactly the folder of an
 * uninterrupted run: no sample lost, none duplicated, none corrupt, no leftovers.
 */
const CLI = new URL("../../src/cli/main.js", import.meta.url).pathname;
const spec = {
  name: "kills",
  seed: 5,
  glass: { d: 2, n: 100, time: 2 },
  measure: { modes: 4, dipoles: 6 },
  ensembles: [
    { label: "soft", model: "model=pss rc=1.5", density: 0.7, tp: 1.5, samples: 5 },
    { label: "sticky", model: "model=pss rc=1.2", density: 0.7, tp: "auto", samples: 3 },
  ],
};

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** What must be equal between two study folders: every file, results up to their wall times, CSVs without timing columns. */
function assertSameFolder(got: string, want: string): void {
  assert.deepEqual(files(got), files(want));
  for (const f of files(want)) {
    const a = join(got, f), b = join(want, f);
    if (/result-\d+\.json$/.test(f)) assert.equal(comparableResult(a), comparableResult(b), f);
    else if (f === "summary.json" || f === "ensembles.csv" || f.endsWith(".xyz") || f.endsWith("tp-auto.json")) assert.equal(readFileSync(a, "utf8"), readFileSync(b, "utf8"), f);
    else if (f === "glasses.csv") assert.deepEqual(comparableCsv(a), comparableCsv(b), f);
  }
}

function start(specPath: string, dir: string, extra: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, "study", specPath, "-o", dir, "--threads", "1", "--quiet", ...extra], { detached: true, stdio: "ignore" });
}

/** Runs until exit or until `ms` has passed, then SIGKILLs the whole process group; true if it finished by itself. */
async function runFor(child: ChildProcess, ms: number): Promise<boolean> {
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let timeout: NodeJS.Timeout | undefined;
  const timer = new Promise<"timeout">((resolve) => (timeout = setTimeout(() => resolve("timeout"), ms)));
  const r = await Promise.race([exited, timer]);
  clearTimeout(timeout);
  if (r === "timeout") {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      /* exited meanwhile */
    }
    await exited;
    return false;
  }
  assert.equal(r, 0, "a study run that finishes by itself exits 0");
  return true;
}

test("a study killed (-9) at 20 random moments, and two shards killed independently, resume to the uninterrupted folder", { timeout: 240_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), "gm-kill-"));
  try {
    const specPath = join(root, "spec.json");
    writeFileSync(specPath, JSON.stringify(spec));
    const reference = join(root, "reference");
    const t0 = Date.now();
    const ref = spawnSync(process.execPath, [CLI, "study", specPath, "-o", reference, "--threads", "1", "--quiet"], { encoding: "utf8" });
    assert.equal(ref.status, 0, ref.stderr);
    const wholeMs = Date.now() - t0;
    const rng = Rng.forSample(77, 1);
    // the whole study, killed 20 times at moments spread over a run's length
    const killed = join(root, "killed");
    // Each run gets a short life (its start-up alone takes ~0.3 s), so 20 kills fit in one study.
    let kills = 0, finished = false;
    while (kills < 20 && !finished) {
      finished = await runFor(start(specPath, killed, []), 150 + (rng.uniform() * wholeMs) / 8);
      if (!finished) kills++;
    }
    assert.equal(kills, 20, "20 kills before the study was done");
    if (!finished) assert.ok(await runFor(start(specPath, killed, []), 600_000));
    assertSameFolder(killed, reference);
    // two shards at once, each killed at its own moments, then finished and merged
    const sharded = join(root, "sharded");
    for (let round = 0; round < 10; round++)
      await Promise.all([0, 1].map((i) => runFor(start(specPath, sharded, ["--shard", `${i}/2`]), 150 + (rng.uniform() * wholeMs) / 6)));
    await Promise.all([0, 1].map(async (i) => assert.ok(await runFor(start(specPath, sharded, ["--shard", `${i}/2`]), 600_000))));
    const merge = spawnSync(process.execPath, [CLI, "study", "merge", sharded], { encoding: "utf8" });
    assert.equal(merge.status, 0, merge.stderr);
    assertSameFolder(sharded, reference);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
