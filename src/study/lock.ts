import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { randomBytes } from "node:crypto";
import { GlassmechError } from "../core/errors.js";
import { removeStaleTemporaries, temporaryName } from "../io/text.js";
import { currentOwner, ownerAliveHere, type Owner } from "./owner.js";
import { shardName, type Shard } from "./shard.js";

/**
 * Who works on a study folder, without a server: one lock file per running shard
 * (`.locks/shard-I-of-N.json`) and one claim file per sample being made
 * (`<label>/.claim-000k.json`). Both are created atomically and exclusively (a complete temporary
 * file hard-linked to its name: link fails if the name exists, also on NFS), so two processes
 * can never both hold one. Different shards share no lock; claims keep any two runs that overlap
 * (a whole-study run beside shards, a grown study) from making the same glass twice.
 *
 * A lock or claim whose owner is gone is stale and is taken over: on the owner's host that is
 * known from its pid and start time; from another host (a shared cluster filesystem) from the
 * lock's heartbeat, its modification time, which the owner touches every HEARTBEAT_SECONDS.
 */
export const HEARTBEAT_SECONDS = 30;
/** A lock of another host not touched for this long is stale. */
export const STALE_AFTER_SECONDS = 600;

export interface LockRecord {
  owner: Owner;
  shard: string;
  token: string;
  started: string;
}

export interface ClaimRecord {
  owner: Owner;
  shard: string;
  /** The holder's shard lock (folder-relative) and its token: the claim lives while that lock does. */
  lock: string;
  token: string;
  started: string;
}

export function lockPath(dir: string, s: Shard): string {
  return join(dir, ".locks", `shard-${s.index}-of-${s.count}.json`);
}

/**
 * Creates `path` holding `text`, only if it does not exist; false if it does. The temporary file
 * lives in the study's `.locks/` (same filesystem, so it can be linked), where a killed process's
 * leftovers are swept by the next ShardLock.acquire instead of littering the sample folders.
 */
function createExclusive(dir: string, path: string, text: string): boolean {
  const tmp = temporaryName(join(dir, ".locks", "new"));
  mkdirSync(dirname(tmp), { recursive: true });
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Removes what killed processes left in `.locks/`: half-made locks and claims and stale ones moved
 * aside but not yet deleted; the rule of removeStaleTemporaries (this host's dead pids at once,
 * another host's after 10 min).
 */
function sweepLockTemporaries(dir: string): void {
  removeStaleTemporaries(join(dir, ".locks", "new"));
  removeStaleTemporaries(join(dir, ".locks", "stale"));
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function readRecord<T>(path: string): T | null {
  const text = readText(path);
  try {
    return text === null ? null : (JSON.parse(text) as T);
  } catch {
    return null; // not ours: treated as stale by the callers
  }
}

function ageSeconds(path: string): number {
  try {
    return (Date.now() - statSync(path).mtimeMs) / 1000;
  } catch {
    return Infinity;
  }
}

/**
 * Removes the stale lock or claim at `path` whose text was `judged`: it is moved into `.locks/`
 * first (atomic), and if what was moved is not what was judged stale — another process replaced
 * it meanwhile — it is put back. A kill in between leaves only a temporary `.stale.tmp-…` file in
 * `.locks/`, swept by the next ShardLock.acquire.
 */
function removeStale(dir: string, path: string, judged: string | null): void {
  const aside = temporaryName(join(dir, ".locks", "stale"));
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return; // removed by someone else
    throw e;
  }
  if (judged !== null && readText(aside) !== judged) {
    try {
      linkSync(aside, path);
    } catch {
      /* the name was taken again meanwhile: that holder wins */
    }
  }
  unlinkSync(aside);
}

function lockAlive(path: string, rec: LockRecord | null): boolean {
  if (rec === null) return ageSeconds(path) < 5; // being written this instant, or garbage
  return ownerAliveHere(rec.owner) ?? ageSeconds(path) < STALE_AFTER_SECONDS;
}

/** Whether the claim at `claimPath` (of study folder `dir`) is held by a running process. */
export function claimAlive(dir: string, claimPath: string): { alive: boolean; record: ClaimRecord | null } {
  const rec = readRecord<ClaimRecord>(claimPath);
  if (rec === null) return { alive: ageSeconds(claimPath) < 5, record: null };
  const here = ownerAliveHere(rec.owner);
  if (here !== null) return { alive: here, record: rec };
  const lock = readRecord<LockRecord>(join(dir, rec.lock));
  return { alive: lock !== null && lock.token === rec.token && ageSeconds(join(dir, rec.lock)) < STALE_AFTER_SECONDS, record: rec };
}

/** The lock of one shard of a study folder, held while this process runs it. */
export class ShardLock {
  private timer: NodeJS.Timeout | null;

  private constructor(readonly dir: string, readonly path: string, readonly record: LockRecord) {
    this.timer = setInterval(() => {
      try {
        utimesSync(path, new Date(), new Date());
      } catch {
        /* a heartbeat that fails is noticed by others as staleness; nothing to do here */
      }
    }, HEARTBEAT_SECONDS * 1000);
    this.timer.unref();
  }

  /** Takes the lock of shard `s`; a GlassmechError names the live holder if there is one. */
  static acquire(dir: string, s: Shard): ShardLock {
    const path = lockPath(dir, s);
    mkdirSync(dirname(path), { recursive: true });
    const record: LockRecord = { owner: currentOwner(), shard: shardName(s), token: randomBytes(8).toString("hex"), started: new Date().toISOString() };
    sweepLockTemporaries(dir);
    for (let attempt = 0; attempt < 5; attempt++) {
      if (createExclusive(dir, path, JSON.stringify(record) + "\n")) return new ShardLock(dir, path, record);
      const raw = readText(path);
      const held = readRecord<LockRecord>(path);
      if (lockAlive(path, held)) {
        const who = held === null ? "another process" : `pid ${held.owner.pid} on host ${held.owner.host} (since ${held.started})`;
        throw new GlassmechError(`shard ${shardName(s)} of this study is already being run by ${who}; wait for it to finish, or if that process is gone delete the lock`, { file: path });
      }
      removeStale(dir, path, raw);
    }
    throw new GlassmechError(`could not take the lock of shard ${shardName(s)}: it keeps changing hands`, { file: path });
  }

  /** What a worker thread needs to claim samples under this lock (plain, cloneable data). */
  get holder(): LockHolder {
    return { dir: this.dir, lock: relative(this.dir, this.path), record: this.record };
  }

  release(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    const now = readRecord<LockRecord>(this.path);
    if (now !== null && now.token === this.record.token) unlinkSync(this.path);
  }
}

export interface LockHolder {
  dir: string;
  /** The lock file, relative to `dir`. */
  lock: string;
  record: LockRecord;
}

/**
 * Claims one sample under lock `h`: "busy" when a live process already makes it, "taken-over"
 * when a dead run's claim was replaced (its half-written files may be lying around), else "new".
 */
export function claimSample(h: LockHolder, claimPath: string): "new" | "taken-over" | "busy" {
  const rec: ClaimRecord = { owner: h.record.owner, shard: h.record.shard, lock: h.lock, token: h.record.token, started: new Date().toISOString() };
  let stale = false;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createExclusive(h.dir, claimPath, JSON.stringify(rec) + "\n")) return stale ? "taken-over" : "new";
    const raw = readText(claimPath);
    if (claimAlive(h.dir, claimPath).alive) return "busy";
    removeStale(h.dir, claimPath, raw);
    stale = true;
  }
  return "busy";
}

/** Removes a claim of ours (after its sample is done or has failed). */
export function releaseClaim(claimPath: string): void {
  try {
    unlinkSync(claimPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}
