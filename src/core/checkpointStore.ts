/**
 * Where a long computation keeps its checkpoint text (protocols/makeGlass.ts). It is injected,
 * so the protocol knows no files: the CLI and the study runner pass io/checkpointFile.ts's file
 * store, tests may pass an in-memory one.
 */
export interface CheckpointStore {
  /** Names the checkpoint in error messages (the file path of a file store). */
  readonly where: string;
  /** The last saved text, or null when there is none. */
  load(): string | null;
  /** Replaces the saved text; a kill during save leaves the old text or the new one, never a mix. */
  save(text: string): void;
  /** Drops the checkpoint (none there is no error). */
  remove(): void;
}
