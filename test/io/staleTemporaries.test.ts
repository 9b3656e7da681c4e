import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { removeStaleTemporaries, writeFileAtomic } from "../../src/io/text.js";

test("leftovers of killed atomic writes: this host's dead writers and old foreign ones go, live and fresh foreign ones stay", () => {
  const dir = mkdtempSync(join(tmpdir(), "gm-stale-"));
  try {
    const dead = Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
    const path = join(dir, "summary.json");
    const names = {
      deadHere: `.summary.json.tmp-${hostname()}-${dead}-abc123`,
      liveHere: `.summary.json.tmp-${hostname()}-${process.ppid}-abc123`,
      legacyDead: `.summary.json.tmp-${dead}-zz9`,
      foreignFresh: `.summary.json.tmp-node-07.cluster-${dead}-q1`,
      foreignOld: `.summary.json.tmp-node-08.cluster-${dead}-q2`,
      otherFile: `.glasses.csv.tmp-${hostname()}-${dead}-abc123`,
    };
    for (const n of Object.values(names)) writeFileSync(join(dir, n), "partial");
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(dir, names.foreignOld), old, old);
    removeStaleTemporaries(path);
    const left = new Set(readdirSync(dir));
    assert.deepEqual([...left].sort(), [names.foreignFresh, names.liveHere, names.otherFile].sort());
    // a write names its temporary with this host and pid, and leaves none behind
    writeFileAtomic(path, "{}\n");
    assert.ok(existsSync(path));
    assert.equal(readdirSync(dir).filter((n) => n.startsWith(".summary.json.tmp-") && n.includes(`-${process.pid}-`)).length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
