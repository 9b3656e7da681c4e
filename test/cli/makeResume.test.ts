/**
 * `make` killed and resumed (issue 16, item 5): a N = 2000 glass whose `make` is killed with
 * SIGKILL (to its whole process group) at 20 seeded random moments and rerun each time is the
 * bit-identical file of an uninterrupted run, with the same report numbers (checkpoints every 40
 * MD steps and 4 minimizer iterations, so kills hit every stage's resume path). A failed
 * `make` leaves no checkpoint that blocks the corrected rerun.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Rng } from "../../src/core/rng.js";
import { MAIN, runGroup, type GroupRun } from "./batteryRun.js";

const dir = mkdtempSync(join(tmpdir(), "glassmech-resume-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const KILLS = 20;
const ARGS = ["make", "--n", "2000", "--tp", "2", "--time", "2", "--seed", "5", "--checkpoint-every", "40", "--quiet", "--json"];

/** Runs make; kills its process group after `ms` unless it finishes first. */
function runUntil(out: string, ms: number): Promise<GroupRun> {
  return runGroup([...ARGS, "-o", out], dir, ms);
}

/** The report without wall-clock times. */
function physics(json: string): unknown {
  const r = JSON.parse(json);
  delete r.seconds;
  return r;
}

test(`make N = 2000 killed (SIGKILL) at ${KILLS} random moments and resumed: the bit-identical glass`, async () => {
  const t0 = Date.now();
  const ref = await runUntil("ref.xyz", 600_000);
  const wall = Date.now() - t0;
  assert.equal(ref.status, 0, ref.stderr);
  const rng = Rng.fromSeed(16);
  let kills = 0;
  let runs = 0;
  const moments: number[] = [];
  let last: GroupRun | null = null;
  for (;;) {
    // Kill moments uniform over 0.6 of the uninterrupted run's wall time (node start-up
    // included): a resumed run starts where the last one stopped, so later kills land in later
    // stages (overlap removal, MD, minimization, writing) while the test stays short.
    const ms = kills < KILLS ? Math.round(50 + rng.uniform() * 0.6 * wall) : 600_000;
    const r = await runUntil("glass.xyz", ms);
    runs++;
    if (r.killed) {
      kills++;
      moments.push(ms);
      continue;
    }
    assert.equal(r.status, 0, `run ${runs} failed: ${r.stderr}`);
    if (kills >= KILLS) {
      last = r;
      break;
    }
    // Finished before the kill: start over from scratch so every kill interrupts a real run.
    rmSync(join(dir, "glass.xyz"));
  }
  console.log(`make resume: ${kills} kills at ${moments.join(", ")} ms of a ${wall} ms run, ${runs} runs`);
  assert.ok(readFileSync(join(dir, "glass.xyz")).equals(readFileSync(join(dir, "ref.xyz"))), "the resumed glass differs from the uninterrupted one");
  assert.deepEqual(physics(last!.stdout), physics(ref.stdout));
  assert.ok(!existsSync(join(dir, "glass.xyz.checkpoint.json")), "checkpoint removed after success");
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith(".")), [], "no temporary files left behind");
});

/** Runs make (progress on stderr) and kills its process group at the first progress line of `stage`. */
function killAtStage(args: string[], out: string, stage: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args, "-o", out], { cwd: dir, detached: true, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    let killed = false;
    child.stderr.on("data", (b) => {
      err += b;
      if (!killed && err.includes(`make ${stage} `)) {
        killed = true;
        process.kill(-child.pid!, "SIGKILL");
      }
    });
    child.on("close", () => resolve(killed));
  });
}

// The first progress line of a stage comes right after the stage-boundary checkpoint: a resume
// from there once started MD with a neighbor list built elsewhere (U/N −4.49436 vs −4.49398).
for (const [name, extra, stages] of [
  ["instant quench", [], ["equilibrate", "minimize"]],
  ["continuous quench", ["--protocol", "continuous", "--rate", "2"], ["cool", "minimize"]],
  ["swap MC", ["--equilibrator", "swap", "--sweeps", "60"], ["minimize"]],
] as const)
  test(`make (${name}) killed right after each stage-boundary checkpoint resumes to the bit-identical glass`, async () => {
    const args = ["make", "--n", "600", "--tp", "2", "--time", "1", "--seed", "9", "--checkpoint-every", "100000", ...extra];
    const ref = spawnSync(process.execPath, [MAIN, ...args, "--quiet", "-o", `ref-${stages[0]}.xyz`], { cwd: dir, encoding: "utf8" });
    assert.equal(ref.status, 0, ref.stderr);
    for (const stage of stages) {
      const out = `stage-${stage}.xyz`;
      // On a loaded machine a short last stage can finish before the kill lands (the glass is
      // written and the checkpoint removed): then kill another run.
      for (let attempt = 0; ; attempt++) {
        assert.ok(await killAtStage(args, out, stage), `killed at the start of ${stage}`);
        if (!existsSync(join(dir, out)) || attempt === 4) break;
        rmSync(join(dir, out));
      }
      assert.ok(existsSync(join(dir, `${out}.checkpoint.json`)), `a checkpoint before ${stage}`);
      const r = spawnSync(process.execPath, [MAIN, ...args, "--quiet", "-o", out], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(readFileSync(join(dir, out)).equals(readFileSync(join(dir, `ref-${stages[0]}.xyz`))), `resumed at ${stage}: the glass differs`);
      rmSync(join(dir, out));
    }
  });

test("a failed make leaves no checkpoint in the way of the corrected rerun", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, "make", "--n", "50", "--seed", "2", "--quiet", ...args, "-o", "f.xyz"], { cwd: dir, encoding: "utf8" });
  // dt = 0.5 blows up in MD (after the overlap stage was checkpointed).
  const bad = run("--tp", "2", "--time", "5", "--dt", "0.5", "--checkpoint-every", "2");
  assert.equal(bad.status, 2, bad.stderr);
  assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
  assert.ok(!existsSync(join(dir, "f.xyz.checkpoint.json")), "the failed run's checkpoint is gone");
  assert.ok(!existsSync(join(dir, "f.xyz")));
  const good = run("--tp", "2", "--time", "1");
  assert.equal(good.status, 0, good.stderr);
  assert.ok(existsSync(join(dir, "f.xyz")));
});
