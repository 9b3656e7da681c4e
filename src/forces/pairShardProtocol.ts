/** The control words of the threaded pair loop (pairShards.ts), in a module without imports so a worker can always load it. */

/** Slots of the shared control array. */
export const CTRL = {
  /** Incremented by the main thread to start a command. */
  generation: 0,
  command: 1,
  /** Workers that finished the current command (or started up). */
  done: 2,
  /** 1 + the index of a thread whose command threw (0: none). */
  error: 3,
  /** Incremented when the box changes (workers rebuild their grid geometry). */
  boxVersion: 4,
  /** Per thread t: gather result (1 = list still valid) at okFlags + t. */
  okFlags: 8,
} as const;

export const COMMAND = { gather: 1, cells: 2, sort: 3, place: 4, scan: 5, forces: 6, energy: 7, reduce: 8, stop: 9 } as const;
