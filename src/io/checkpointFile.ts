import { existsSync, readFileSync, rmSync } from "node:fs";
import type { CheckpointStore } from "../core/checkpointStore.js";
import { writeFileAtomic } from "./text.js";

/** A checkpoint kept in the file `path`, written atomically (temporary file + rename). */
export function fileCheckpointStore(path: string): CheckpointStore {
  return {
    where: path,
    load: () => (existsSync(path) ? readFileSync(path, "utf8") : null),
    save: (text) => writeFileAtomic(path, text),
    remove: () => rmSync(path, { force: true }),
  };
}
