import { GlassmechError } from "../core/errors.js";

/**
 * A share of a study's samples: shard `index` of `count` (0 ≤ index < count). Sample k of
 * ensemble e belongs to shard (e + k) mod count: round robin within every ensemble (so costly
 * ensembles spread over all shards), staggered across ensembles, and independent of the sample
 * counts, so growing a study never moves a sample to another shard. The whole study is 0/1.
 */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const WHOLE_STUDY: Shard = { index: 0, count: 1 };

/** Parses "I/N" (as in `--shard 3/8` or `$SLURM_ARRAY_TASK_ID/8`). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m === null) throw new GlassmechError(`--shard must be I/N with integers 0 ≤ I < N, got '${text}'`);
  const index = Number(m[1]), count = Number(m[2]);
  if (!(count >= 1 && count <= 100_000 && index < count)) throw new GlassmechError(`--shard ${text}: need 0 ≤ I < N ≤ 100000`);
  return { index, count };
}

export function shardOf(ensemble: number, sample: number, count: number): number {
  return (ensemble + sample) % count;
}

export function inShard(s: Shard, ensemble: number, sample: number): boolean {
  return shardOf(ensemble, sample, s.count) === s.index;
}

export function shardName(s: Shard): string {
  return `${s.index}/${s.count}`;
}
