import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { GlassmechError } from "./errors.js";

/**
 * Writes `data` to `path` atomically: into a temporary file beside it, flushed, then renamed over
 * the target. A crash or kill at any moment leaves either the old file or the new one, never a
 * truncated mix (DEVELOPERS' rule: nothing already written is damaged).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "w");
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* the temporary file may not exist */
    }
    throw new GlassmechError(`cannot write ${path}: ${(e as Error).message}`);
  }
}
