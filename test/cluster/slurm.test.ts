import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { samplePaths } from "../../src/study/store.js";
import { comparableResult } from "../study/comparable.js";

/**
 * A study through a real Slurm (started by scripts/test-cluster.sh: munged, slurmctld, slurmd on
 * this machine): submitted as a 4-task array with its merge job, one task made to fail, resubmitted
 * by rerunning `glassmech slurm`, and compared bit for bit with the same study run by `study`.
 */
const ON = process.env.GLASSMECH_CLUSTER === "1";
const CLI = new URL("../../src/cli/main.js", import.meta.url).pathname;

const spec = {
  name: "cluster",
  seed: 21,
  glass: { d: 2, n: 64, time: 1 },
  measure: { modes: 4, dipoles: 8 },
  ensembles: [
    { label: "soft", model: "model=pss rc=1.5", density: 0.7, tp: 1.5, samples: 5 },
    { label: "sticky", model: "model=pss rc=1.2", density: 0.7, tp: "auto", samples: 4 },
  ],
};

function gm(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, `glassmech ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** Waits until Slurm lists none of `ids` (finished, failed or cancelled). */
async function waitForJobs(ids: string[], seconds: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const out = execFileSync("squeue", ["-h", "-o", "%A %T %r", "-j", ids.join(",")], { encoding: "utf8" }).trim();
    if (out === "") return;
    if ((Date.now() - t0) / 1000 > seconds) throw new Error(`Slurm jobs still listed after ${seconds} s:\n${out}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}


test("a study as a Slurm job array: a failed task is listed and resubmitted; the result is bit-identical to `study`", { skip: ON ? false : "needs a running Slurm: npm run test:cluster" }, async () => {
  const sinfo = spawnSync("sinfo", ["-h", "-o", "%T"], { encoding: "utf8" });
  assert.equal(sinfo.status, 0, `sinfo failed: is Slurm running? ${sinfo.stderr}`);
  const root = mkdtempSync(join(tmpdir(), "gm-cluster-"));
  try {
    const specPath = join(root, "spec.json");
    writeFileSync(specPath, JSON.stringify(spec));
    const dir = join(root, "on-slurm");
    // soft#2 (shard (0 + 2) mod 4 = 2) cannot be written: its task fails, so the merge job never runs
    mkdirSync(samplePaths(dir, "soft", 2).glass, { recursive: true });
    const dry = gm("slurm", specPath, "-o", dir, "--tasks", "4", "--cpus-per-task", "1");
    assert.match(dry, /would submit/);
    const first = gm("slurm", specPath, "-o", dir, "--tasks", "4", "--submit");
    const ids = /array job (\d+).*merge job (\d+)/.exec(first);
    assert.ok(ids, first);
    await waitForJobs([ids[1], ids[2]], 300);
    assert.ok(!existsSync(join(dir, "summary.json")), "the merge job must not run after a failed task");
    const status = JSON.parse(gm("study", "status", dir, "--json")) as { total: Record<string, number>; failures: { label: string; sample: number }[]; shards: { withWork: number[]; withFailures: number[] } };
    assert.deepEqual(status.total, { planned: 9, done: 8, running: 0, failed: 1, missing: 0, interrupted: 0 });
    assert.deepEqual(status.failures.map((f) => `${f.label}#${f.sample}`), ["soft#2"]);
    assert.deepEqual(status.shards.withFailures, [2]);
    assert.match(readFileSync(join(dir, "slurm", "shard-2.out"), "utf8"), /glassmech: .*1 sample\(s\) failed/);
    // fix the cause and rerun `slurm`: only shard 2 and the merge job are submitted
    rmdirSync(samplePaths(dir, "soft", 2).glass);
    const second = gm("slurm", specPath, "-o", dir, "--tasks", "4", "--submit");
    const ids2 = /array job (\d+) \(shards 2\).*merge job (\d+)/.exec(second);
    assert.ok(ids2, second);
    await waitForJobs([ids2[1], ids2[2]], 300);
    assert.ok(existsSync(join(dir, "summary.json")), `merge job ran: ${readFileSync(join(dir, "slurm", "merge.out"), "utf8")}`);
    assert.ok(existsSync(join(dir, "report.html")), "merge job wrote the report");
    assert.match(gm("study", "status", dir), /9 of 9 done, 0 running, 0 failed, 0 missing/);
    // the same study without Slurm
    const direct = join(root, "direct");
    gm("study", specPath, "-o", direct, "--threads", "2", "--quiet");
    for (const e of spec.ensembles)
      for (let k = 0; k < e.samples; k++) {
        const a = samplePaths(dir, e.label, k), b = samplePaths(direct, e.label, k);
        assert.equal(readFileSync(a.glass, "utf8"), readFileSync(b.glass, "utf8"), `${e.label}#${k} glass`);
        assert.equal(comparableResult(a.result), comparableResult(b.result), `${e.label}#${k} result`);
      }
    assert.equal(readFileSync(join(dir, "summary.json"), "utf8"), readFileSync(join(direct, "summary.json"), "utf8"));
    assert.equal(readFileSync(join(dir, "ensembles.csv"), "utf8"), readFileSync(join(direct, "ensembles.csv"), "utf8"));
    assert.equal(readFileSync(join(dir, "sticky", "tp-auto.json"), "utf8"), readFileSync(join(direct, "sticky", "tp-auto.json"), "utf8"));
    // nothing left to submit
    assert.match(gm("slurm", specPath, "-o", dir, "--tasks", "4", "--submit"), /nothing to submit/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
