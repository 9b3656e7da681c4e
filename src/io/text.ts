import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { hostname } from "node:os";
import { GlassmechError } from "../core/errors.js";

/**
 * Shared text helpers of the file formats: strict number parsing with file/line errors, float64
 * formatting that round-trips bit for bit, the extended-XYZ key=value parser, and atomic writes.
 */

/** Where a value came from, for error messages (1-based line). */
export interface Where {
  readonly file?: string;
  readonly line?: number;
}

// A decimal float as C's strtod/Python's float() read it (no hex, no "Infinity", no empty string).
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT_RE = /^[+-]?\d+$/;

/** Parses a decimal number; throws `<file>:<line>: <what> '<token>' is not a number`. */
export function parseNumber(token: string | undefined, what: string, where: Where): number {
  if (token === undefined) throw new GlassmechError(`${what} is missing`, where);
  if (!FLOAT_RE.test(token)) throw new GlassmechError(`${what} '${token}' is not a number`, where);
  const v = Number(token);
  if (!Number.isFinite(v)) throw new GlassmechError(`${what} '${token}' is not a finite number`, where);
  return v;
}

/** Parses an integer (optionally signed); throws naming the file and line. */
export function parseInteger(token: string | undefined, what: string, where: Where): number {
  if (token === undefined) throw new GlassmechError(`${what} is missing`, where);
  if (!INT_RE.test(token)) throw new GlassmechError(`${what} '${token}' is not an integer`, where);
  const v = Number(token);
  if (!Number.isSafeInteger(v)) throw new GlassmechError(`${what} '${token}' is out of range`, where);
  return v;
}

/**
 * Formats a float64 so that reading it back gives the same bits: JavaScript's shortest
 * round-trip representation (never more than 17 significant digits; SPEC §2 asks for 17 so a
 * minimized glass reloads as a minimum, and the shortest round-trip string is exactly as precise).
 * −0 keeps its sign.
 */
export function formatFloat(x: number): string {
  if (Object.is(x, -0)) return "-0";
  return String(x);
}

/** Splits a file into lines (LF or CRLF). */
export function splitLines(text: string): string[] {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith("\r")) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** Whitespace-separated tokens of a line. */
export function tokens(line: string): string[] {
  const t = line.trim();
  return t === "" ? [] : t.split(/\s+/);
}

/** One `key=value` entry of an extended-XYZ comment line (value unquoted; bare keys get "T"). */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/**
 * Parses an extended-XYZ comment line the way ASE's `key_val_str_to_dict` does: whitespace
 * separates entries, values may be quoted with "…", '…', {…} or […], spaces around `=` are
 * tolerated, a bare key means `key=T`, and a backslash escapes the next character.
 */
export function parseKeyValues(line: string): KeyValue[] {
  const closing: Record<string, string> = { '"': '"', "'": "'", "{": "}", "[": "]" };
  const out: KeyValue[] = [];
  let i = 0;
  const n = line.length;
  const isSpace = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\n";
  const readWord = (stopAtEq: boolean): string => {
    let s = "";
    let delim: string | null = null;
    while (i < n) {
      const c = line[i]!;
      if (delim !== null) {
        if (c === "\\" && i + 1 < n) {
          s += line[i + 1];
          i += 2;
          continue;
        }
        if (c === delim) delim = null;
        else s += c;
        i++;
        continue;
      }
      if (c === "\\" && i + 1 < n) {
        s += line[i + 1];
        i += 2;
        continue;
      }
      if (isSpace(c) || (stopAtEq && c === "=")) break;
      if (closing[c] !== undefined) {
        delim = closing[c]!;
        i++;
        continue;
      }
      s += c;
      i++;
    }
    return s;
  };
  while (i < n) {
    while (i < n && isSpace(line[i]!)) i++;
    if (i >= n) break;
    const key = readWord(true);
    let j = i;
    while (j < n && isSpace(line[j]!)) j++;
    if (j < n && line[j] === "=") {
      i = j + 1;
      while (i < n && isSpace(line[i]!)) i++;
      const value = readWord(false);
      if (key !== "") out.push({ key, value });
    } else {
      if (key !== "") out.push({ key, value: "T" });
      if (key === "") i++; // a stray '=' or delimiter: skip it
    }
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "is a directory" : err.code === "EACCES" ? "permission denied" : err.message;
}

/** Reads a whole text file, turning file-system errors into one clear GlassmechError. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new GlassmechError(`cannot read: ${fsReason(e)}`, { file: path });
  }
}

/** Reads a whole binary file, with the same one-line errors as readTextFile. */
export function readBinaryFile(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new GlassmechError(`cannot read: ${fsReason(e)}`, { file: path });
  }
}

/**
 * Writes `text` to `path` atomically: the text goes to a temporary file in the same directory,
 * is flushed to disk, and is renamed over `path` only when complete. A failed or interrupted
 * write never damages an existing file.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const tmp = temporaryName(path);
  let fd: number | undefined;
  try {
    if (isDirectory(path)) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    fd = openSync(tmp, "wx");
    const buf = typeof text === "string" ? Buffer.from(text, "utf8") : text;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already failing */
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* the temporary file may not exist */
    }
    const err = e as NodeJS.ErrnoException;
    const reason =
      err.code === "ENOENT"
        ? "no such directory"
        : err.code === "EACCES"
          ? "permission denied"
          : err.code === "EISDIR"
            ? "is a directory"
            : err.code === "ENOSPC"
              ? "no space left on device"
              : err.message;
    throw new GlassmechError(`cannot write: ${reason}`, { file: path });
  }
}

/**
 * Writes several files as one: every content goes to its temporary file first, and only when
 * all are complete are they renamed into place. A failure before the renames leaves every
 * target as it was (an export must not leave a data file without its pair file, or replace one
 * of them and not the other).
 */
export function writeFilesAtomic(files: readonly { path: string; content: string | Uint8Array }[]): void {
  const staged: { tmp: string; path: string }[] = [];
  try {
    for (const { path, content } of files) {
      const tmp = temporaryName(path);
      writeFileAtomic(tmp, content);
      staged.push({ tmp, path });
    }
  } catch (e) {
    for (const s of staged) {
      try {
        unlinkSync(s.tmp);
      } catch {
        /* already gone */
      }
    }
    // Name the target, not the temporary file.
    if (e instanceof GlassmechError && e.file !== undefined) {
      const target = files[staged.length]!.path;
      throw new GlassmechError(e.message.slice(e.file.length + 2), { file: target });
    }
    throw e;
  }
  for (const s of staged) {
    try {
      renameSync(s.tmp, s.path);
    } catch (e) {
      throw new GlassmechError(`cannot write: ${(e as Error).message}`, { file: s.path });
    }
  }
}

/**
 * The temporary file of an atomic write of `path`: `.<name>.tmp-<host>-<pid>-<random>` next to it.
 * Host and pid say who wrote it, so a leftover of a killed writer can be told from a write in
 * progress, also on a filesystem shared by several hosts (a study on a cluster).
 */
export function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
}

/** A temporary file of another host is only taken for a leftover after this long (no write lasts that). */
const FOREIGN_TEMPORARY_SECONDS = 600;

/**
 * Removes the temporary files writeFileAtomic left next to `path` when its process was killed
 * mid-write (SIGKILL cannot be caught): those of this host whose pid is no longer running, and
 * those of another host older than FOREIGN_TEMPORARY_SECONDS. Files of a live writer are kept.
 */
export function removeStaleTemporaries(path: string): void {
  const prefix = `.${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return; // no directory: nothing to clean (the write will say why it fails)
  }
  const here = hostname();
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    // <host>-<pid>-<random>, or <pid>-<random> as written before the host was recorded
    const m = /^(?:(.*)-)?(\d+)-[a-z0-9]+$/.exec(name.slice(prefix.length));
    if (m === null) continue;
    const host = m[1] ?? here, pid = Number(m[2]);
    const file = join(dirname(path), name);
    const stale = host === here ? pid > 0 && pid !== process.pid && !processAlive(pid) : ageSeconds(file) > FOREIGN_TEMPORARY_SECONDS;
    if (!stale) continue;
    try {
      unlinkSync(file);
    } catch {
      /* removed by someone else meanwhile */
    }
  }
}

function ageSeconds(file: string): number {
  try {
    return (Date.now() - statSync(file).mtimeMs) / 1000;
  } catch {
    return 0;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by another user
  }
}
