/**
 * The one error type glassmech throws for bad input or failed numerics.
 *
 * Every error says *what* went wrong and, when it comes from a file, *where*
 * (file and 1-based line). The CLI prints `message` alone (no stack trace) and
 * exits with status 2, so a user sees one clear line.
 */
export class GlassmechError extends Error {
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(message: string, where: { file?: string; line?: number } = {}) {
    const prefix =
      where.file !== undefined
        ? where.line !== undefined
          ? `${where.file}:${where.line}: `
          : `${where.file}: `
        : "";
    super(prefix + message);
    this.name = "GlassmechError";
    this.file = where.file;
    this.line = where.line;
  }
}

/** Throws a GlassmechError unless `condition` holds. */
export function check(condition: unknown, message: string, where: { file?: string; line?: number } = {}): asserts condition {
  if (!condition) throw new GlassmechError(message, where);
}
