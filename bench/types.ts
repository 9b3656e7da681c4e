/**
 * The shape of a benchmark file (`bench/<name>.bench.ts`, named like the tests): it exports
 * `bench`, which `bench/run.ts` discovers, runs, prints as a table and saves as
 * `bench/results/<name>.json`.
 */
export interface BenchContext {
  /** Smaller sizes / fewer repetitions (GLASSMECH_BENCH_QUICK=1 or `--quick`). */
  readonly quick: boolean;
  /** Progress line (stderr), so long runs show life. */
  log(message: string): void;
}

export type BenchValue = number | string | boolean | null;

export interface BenchReport {
  /** Column order of the printed table (keys of the rows). */
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, BenchValue>[];
  /** Free-form remarks printed under the table and saved with the results. */
  readonly notes: readonly string[];
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(ctx: BenchContext): Promise<BenchReport> | BenchReport;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}
