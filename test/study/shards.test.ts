import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, rmdirSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { runStudy } from "../../src/study/runner.js";
import { parseStudySpec } from "../../src/study/spec.js";
import { inShard, parseShard, shardOf } from "../../src/study/shard.js";
import { lockPath, ShardLock } from "../../src/study/lock.js";
import { samplePaths } from "../../src/study/store.js";
import { comparableCsv, comparableResult } from "./comparable.js";
import { studyStatus } from "../../src/study/status.js";
import { summarizeStudy } from "../../src/study/summary.js";
import { arrayList, planSlurm, shellQuote, submitSlurm } from "../../src/study/slurm.js";
import { GlassmechError } from "../../src/core/errors.js";

const raw = {
  name: "shards",
  seed: 11,
  glass: { d: 2, n: 64, time: 1 },
  ensembles: [
    { label: "ipl", model: "model=ipl", tp: 1.0, samples: 3 },
    { label: "pss", model: "model=pss rc=1.3", density: 0.7, tp: 1.5, samples: 2 },
  ],
};
const spec = parseStudySpec(raw);
const tmp = (tag: string): string => mkdtempSync(join(tmpdir(), `gm-${tag}-`));
const deadPid = (): number => {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
};

test("shard assignment: every sample in exactly one shard, round robin per ensemble, unchanged when a study grows", () => {
  assert.deepEqual(parseShard("3/8"), { index: 3, count: 8 });
  for (const bad of ["3", "8/8", "-1/2", "1/0", "a/b", "1/2/3"]) assert.throws(() => parseShard(bad), GlassmechError, bad);
  for (let count = 1; count <= 5; count++)
    for (let e = 0; e < 3; e++) {
      const perShard = new Array(count).fill(0);
      for (let k = 0; k < 20; k++) {
        const owners = [...Array(count).keys()].filter((i) => inShard({ index: i, count }, e, k));
        assert.equal(owners.length, 1);
        assert.equal(owners[0], shardOf(e, k, count));
        perShard[owners[0]]++;
      }
      assert.ok(Math.max(...perShard) - Math.min(...perShard) <= 1, `balanced: ${perShard}`);
    }
});

test("two shards run at once give the same glasses, results, summary and tables as one whole run", async () => {
  const whole = tmp("whole"), sharded = tmp("sharded");
  try {
    const w = await runStudy(spec, whole, { threads: 0 });
    assert.equal(w.made, 5);
    const [a, b] = await Promise.all([runStudy(spec, sharded, { threads: 1, shard: { index: 0, count: 2 } }), runStudy(spec, sharded, { threads: 1, shard: { index: 1, count: 2 } })]);
    assert.equal(a.made + b.made, 5);
    assert.equal(a.summary, null);
    assert.ok(!existsSync(join(sharded, "summary.json")), "shards leave the summary to merge");
    summarizeStudy(spec, sharded);
    for (const e of spec.ensembles)
      for (let k = 0; k < e.samples; k++) {
        const pw = samplePaths(whole, e.label, k), ps = samplePaths(sharded, e.label, k);
        assert.equal(readFileSync(ps.glass, "utf8"), readFileSync(pw.glass, "utf8"), `${e.label}#${k} glass`);
        assert.equal(comparableResult(ps.result), comparableResult(pw.result), `${e.label}#${k} result`);
        assert.ok(!existsSync(ps.claim) && !existsSync(ps.checkpoint));
      }
    assert.equal(readFileSync(join(sharded, "summary.json"), "utf8"), readFileSync(join(whole, "summary.json"), "utf8"));
    assert.deepEqual(comparableCsv(join(sharded, "glasses.csv")), comparableCsv(join(whole, "glasses.csv")));
    assert.equal(readFileSync(join(sharded, "ensembles.csv"), "utf8"), readFileSync(join(whole, "ensembles.csv"), "utf8"));
    assert.deepEqual(readdirSync(join(sharded, ".locks")), [], "locks are released");
  } finally {
    rmSync(whole, { recursive: true, force: true });
    rmSync(sharded, { recursive: true, force: true });
  }
});

test("a shard lock held by a live process is refused with its pid and host; a dead or silent one is taken over", () => {
  const dir = tmp("lock");
  try {
    const s = { index: 1, count: 3 };
    const held = ShardLock.acquire(dir, s);
    assert.throws(() => ShardLock.acquire(dir, s), (e: Error) => e instanceof GlassmechError && e.message.includes(`pid ${process.pid}`) && e.message.includes("host"));
    ShardLock.acquire(dir, { index: 0, count: 3 }).release(); // other shards are independent
    held.release();
    assert.ok(!existsSync(lockPath(dir, s)));
    // a lock left by a killed process on this host
    writeFileSync(lockPath(dir, s), JSON.stringify({ owner: { pid: deadPid(), host: held.record.owner.host, startTicks: null }, shard: "1/3", token: "x", started: "then" }));
    ShardLock.acquire(dir, s).release();
    // a lock of another host: live while its heartbeat is fresh, stale after STALE_AFTER_SECONDS
    writeFileSync(lockPath(dir, s), JSON.stringify({ owner: { pid: 1, host: "elsewhere.invalid", startTicks: null }, shard: "1/3", token: "y", started: "then" }));
    assert.throws(() => ShardLock.acquire(dir, s), /elsewhere\.invalid/);
    const old = new Date(Date.now() - 3600_000);
    utimesSync(lockPath(dir, s), old, old);
    ShardLock.acquire(dir, s).release();
    // what a process killed in the middle of taking a lock or a claim leaves in .locks/ is swept
    const dead = deadPid();
    const here = hostname();
    for (const n of [`.stale.tmp-${here}-${dead}-ab12`, `.new.tmp-${here}-${dead}-cd34`, `.new.tmp-${here}-${process.ppid}-live`]) writeFileSync(join(dir, ".locks", n), "x");
    ShardLock.acquire(dir, s).release();
    assert.deepEqual(readdirSync(join(dir, ".locks")), [`.new.tmp-${here}-${process.ppid}-live`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("samples claimed by a live run are left to it, stale claims are taken over, failures are recorded and retried", async () => {
  const dir = tmp("claims");
  try {
    // ipl#1 is "being made" by a live process of this host (this one, under another lock);
    // ipl#2 was claimed by a process that died; pss#0 cannot be written (its glass path is a folder).
    mkdirSync(join(dir, "ipl"), { recursive: true });
    const other = ShardLock.acquire(dir, { index: 5, count: 7 });
    const claim = (k: number, pid: number): void =>
      writeFileSync(samplePaths(dir, "ipl", k).claim, JSON.stringify({ owner: { pid, host: other.record.owner.host, startTicks: null }, shard: "5/7", lock: ".locks/shard-5-of-7.json", token: other.record.token, started: "now" }));
    claim(1, process.pid);
    claim(2, deadPid());
    mkdirSync(samplePaths(dir, "pss", 0).glass, { recursive: true });
    const r = await runStudy(spec, dir, { threads: 0 });
    assert.equal(r.made, 3); // ipl#0, ipl#2 (taken over), pss#1
    assert.equal(r.elsewhere, 1);
    assert.equal(r.failed.length, 1);
    assert.equal(r.failed[0].label, "pss");
    assert.equal(r.failed[0].sample, 0);
    assert.ok(existsSync(samplePaths(dir, "pss", 0).failed));
    assert.deepEqual(r.summary!.incomplete, [{ label: "ipl", glasses: 2, planned: 3 }, { label: "pss", glasses: 1, planned: 2 }]);
    const st = studyStatus(dir, { shards: 2 });
    assert.deepEqual(st.total, { planned: 5, done: 3, running: 1, failed: 1, missing: 0, interrupted: 0 });
    assert.equal(st.running[0].label, "ipl");
    assert.equal(st.running[0].sample, 1);
    assert.match(st.failures[0].error, /glass-0000\.xyz|EISDIR|directory/i);
    assert.ok(st.meanSeconds !== null && st.meanSeconds > 0);
    assert.ok(st.etaSeconds !== null && st.etaSeconds > 0);
    assert.deepEqual(st.shards!.withFailures, [shardOf(1, 0, 2)]);
    // the live run finishes (here: goes away); the rerun makes what is left and clears the failure
    other.release();
    rmSync(samplePaths(dir, "ipl", 1).claim);
    rmdirSync(samplePaths(dir, "pss", 0).glass);
    const again = await runStudy(spec, dir, { threads: 0 });
    assert.equal(again.made, 2);
    assert.equal(again.failed.length, 0);
    assert.ok(!existsSync(samplePaths(dir, "pss", 0).failed));
    assert.deepEqual(studyStatus(dir).total, { planned: 5, done: 5, running: 0, failed: 0, missing: 0, interrupted: 0 });
    assert.deepEqual(again.summary!.incomplete, []);
    assert.deepEqual(again.summary!.errors, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("slurm: scripts, the array of shards with work left, a merge job after them, nothing when all is done", async () => {
  const dir = tmp("slurm");
  try {
    assert.equal(arrayList([0, 1, 2, 3, 7, 9, 10]), "0-3,7,9-10");
    assert.equal(shellQuote("/a b/it's"), `'/a b/it'\\''s'`);
    const specPath = join(dir, "in.json");
    writeFileSync(specPath, JSON.stringify(raw));
    const out = join(dir, "study");
    const opts = { tasks: 4, cpusPerTask: 2, partition: "short", time: "1:00:00", sbatchArgs: ["--constraint=avx2"] };
    const plan = planSlurm(spec, specPath, out, opts, ["/usr/bin/node", "/opt/gm/main.js"]);
    const script = readFileSync(plan.arrayScript, "utf8");
    for (const line of ["#SBATCH --array=0-3", "#SBATCH --cpus-per-task=2", "#SBATCH --partition=short", "#SBATCH --time=1:00:00", "#SBATCH --constraint=avx2", `--shard "\${SLURM_ARRAY_TASK_ID}/4"`, "/usr/bin/node /opt/gm/main.js study"])
      assert.ok(script.includes(line), line);
    assert.match(readFileSync(plan.mergeScript, "utf8"), /study merge .*\n.*report /);
    assert.equal(readFileSync(join(out, "slurm", "spec.json"), "utf8"), JSON.stringify(raw));
    assert.equal(plan.array, "0-2"); // sample k of ensemble e is in shard (e + k) mod 4: shard 3 has none
    // a stand-in sbatch that records its arguments and answers with job ids
    const log = join(dir, "sbatch.log");
    const fake = join(dir, "sbatch");
    writeFileSync(fake, `#!/bin/bash\necho "$@" >> ${log}\necho $(( $(wc -l < ${log}) + 100 ))\n`);
    chmodSync(fake, 0o755);
    const ids = submitSlurm(out, plan, 4, fake);
    assert.deepEqual(ids, { arrayJob: "101", mergeJob: "102" });
    const calls = readFileSync(log, "utf8").trim().split("\n");
    assert.equal(calls[0], `--parsable --array=0-2 ${plan.arrayScript}`);
    assert.equal(calls[1], `--parsable --kill-on-invalid-dep=yes --dependency=afterok:101 ${plan.mergeScript}`);
    // shard 2 ran; resubmitting asks only for the others
    await runStudy(spec, out, { threads: 0, shard: { index: 2, count: 4 } });
    assert.equal(planSlurm(spec, specPath, out, opts, ["node", "gm"]).array, "0-1");
    assert.throws(() => planSlurm(spec, specPath, out, { ...opts, tasks: 3 }, ["node", "gm"]), /submitted as 4 tasks/);
    await runStudy(spec, out, { threads: 0 });
    const done = planSlurm(spec, specPath, out, opts, ["node", "gm"]);
    assert.equal(done.array, null);
    assert.deepEqual(done.commands, [], "all done and summarized: nothing to submit");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const CLI = new URL("../../src/cli/main.js", import.meta.url).pathname;

test("glassmech … | head: a reader that goes away ends the command quietly (exit 0, no stack trace)", async () => {
  const dir = tmp("epipe");
  try {
    const specPath = join(dir, "s.json");
    writeFileSync(specPath, JSON.stringify({ ...raw, ensembles: [{ ...raw.ensembles[0], samples: 2 }] }));
    const run = spawnSync(process.execPath, [CLI, "study", specPath, "-o", join(dir, "s"), "--threads", "0", "--quiet"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const child = spawn(process.execPath, [CLI, "study", "merge", join(dir, "s"), "--json"], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // the reader is gone before the first write
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(stderr, "");
    assert.equal(code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("study CLI: bad thread counts, shards and output folders get one line and exit 2", () => {
  const dir = tmp("studycli");
  try {
    const specPath = join(dir, "s.json");
    writeFileSync(specPath, JSON.stringify(raw));
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    for (const args of [["--threads", "-1"], ["--threads", "x"], ["--shard", "2/2"], ["-o", file], ["-o", join(file, "sub")], ["-o", "/proc/glassmech-x", "--threads", "0"]]) {
      const r = spawnSync(process.execPath, [CLI, "study", specPath, "--quiet", ...(args[0] === "-o" ? [] : ["-o", join(dir, "out")]), ...args], { encoding: "utf8", timeout: 20_000 });
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /^glassmech: [^\n]+\n$/, args.join(" "));
    }
    assert.equal(readFileSync(file, "utf8"), "x");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("SIGTERM (a Slurm time limit) releases the shard lock; the claimed glass is resumed by the next run", async () => {
  const dir = tmp("sigterm");
  try {
    const specPath = join(dir, "s.json");
    writeFileSync(specPath, JSON.stringify({ ...raw, glass: { d: 2, n: 200, time: 20 } }));
    const out = join(dir, "out");
    const child = spawn(process.execPath, [CLI, "study", specPath, "-o", out, "--threads", "1", "--quiet", "--shard", "0/1"], { stdio: "ignore" });
    const lock = lockPath(out, { index: 0, count: 1 });
    for (let i = 0; i < 200 && !existsSync(samplePaths(out, "ipl", 0).claim); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(lock) && existsSync(samplePaths(out, "ipl", 0).claim), "the run holds its lock and a claim");
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    child.kill("SIGTERM");
    assert.equal(await exit, "SIGTERM");
    assert.ok(!existsSync(lock), "lock released");
    assert.equal(studyStatus(out).total.running, 0, "the claim of a dead run does not count as running");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
