import cliProgress from "cli-progress";

/**
 * Progress for long work: a bar with ETA on a terminal (stderr), and plain periodic lines
 * otherwise (Slurm logs, CI), at most one every `intervalSeconds`. Stages with an unknown total
 * (minimizations) show their count and detail only.
 */
export interface ProgressReporter {
  update(stage: string, done: number, total: number, detail: string): void;
  stop(): void;
}

export function progressReporter(label: string, o: { quiet?: boolean; intervalSeconds?: number } = {}): ProgressReporter {
  if (o.quiet) return { update() {}, stop() {} };
  if (process.stderr.isTTY) return new TerminalProgress(label);
  return new PlainProgress(label, (o.intervalSeconds ?? 10) * 1000);
}

class TerminalProgress implements ProgressReporter {
  private bar: cliProgress.SingleBar | null = null;
  private stage = "";
  private lastDraw = 0;

  constructor(private readonly label: string) {}

  update(stage: string, done: number, total: number, detail: string): void {
    const known = Number.isFinite(total) && total > 0;
    if (stage !== this.stage || this.bar === null) {
      this.stop();
      this.stage = stage;
      this.bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: known
            ? `${this.label} {stage} |{bar}| {percentage}% {value}/{total} ETA {eta_formatted} {detail}`
            : `${this.label} {stage} {value} {detail}`,
          hideCursor: true,
          etaBuffer: 50,
          fps: 5,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(known ? total : 0, done, { stage, detail });
    }
    const now = Date.now();
    if (now - this.lastDraw < 100 && done !== total) return;
    this.lastDraw = now;
    this.bar.update(done, { stage, detail });
  }

  stop(): void {
    if (this.bar !== null) this.bar.stop();
    this.bar = null;
  }
}

class PlainProgress implements ProgressReporter {
  private last = 0;
  private stage = "";
  private stageStart = Date.now();
  private stageDone0 = 0;

  constructor(private readonly label: string, private readonly intervalMs: number) {}

  update(stage: string, done: number, total: number, detail: string): void {
    const now = Date.now();
    if (stage !== this.stage) {
      this.stage = stage;
      this.stageStart = now;
      this.stageDone0 = done;
      this.last = 0;
    }
    if (now - this.last < this.intervalMs && !(done === total)) return;
    this.last = now;
    let line = `${this.label} ${stage} ${done}`;
    if (Number.isFinite(total) && total > 0) {
      const rate = (done - this.stageDone0) / Math.max(1e-3, (now - this.stageStart) / 1000);
      const eta = rate > 0 ? (total - done) / rate : NaN;
      line += `/${total} (${((100 * done) / total).toFixed(1)}%) ETA ${formatSeconds(eta)}`;
    }
    process.stderr.write(`${line} ${detail}\n`);
  }

  stop(): void {}
}

/** A duration as "1h05m", "10m36s" or "42s" (never "10:36", which reads as a clock time). */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  return m > 0 ? `${m}m${String(sec).padStart(2, "0")}s` : `${sec}s`;
}
