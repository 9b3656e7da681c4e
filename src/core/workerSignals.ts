/**
 * The hand-over between a calling thread and its worker threads over a shared Int32Array
 * (the threaded pair loop, forces/pairShards.ts, and the column threads of LOBPCG,
 * linalg/columnThreads.ts): the caller bumps `generation` to start `command`; each worker runs it
 * and counts itself in `done`; a worker that throws writes its message into a shared byte buffer
 * and its id into `error`, so the caller reports an error instead of hanging. No imports, so a
 * worker can always load it.
 */

/** Slots 0–3 of every control array (pools add their own slots from 4 on). */
export const SIGNAL = { generation: 0, command: 1, done: 2, error: 3 } as const;

/** Waits while ctrl[index] === value, at most timeoutMs (Atomics.wait, or a spin first). */
export type WaitFn = (ctrl: Int32Array, index: number, value: number, timeoutMs: number) => void;

export const blockingWait: WaitFn = (ctrl, index, value, timeoutMs) => void Atomics.wait(ctrl, index, value, timeoutMs);

/** Caller: starts `command` on every worker (done reset to 0). */
export function issueCommand(ctrl: Int32Array, command: number): void {
  Atomics.store(ctrl, SIGNAL.done, 0);
  Atomics.store(ctrl, SIGNAL.command, command);
  Atomics.add(ctrl, SIGNAL.generation, 1);
  Atomics.notify(ctrl, SIGNAL.generation);
}

/**
 * Caller: waits until `want` workers are done. Returns null, or what went wrong: a worker's
 * failure (its id and message) or a time-out after limitMs.
 */
export function awaitWorkers(ctrl: Int32Array, message: Uint8Array, want: number, limitMs: number, wait: WaitFn): { id: number; text: string } | "timeout" | null {
  const t0 = Date.now();
  for (;;) {
    const v = Atomics.load(ctrl, SIGNAL.done);
    if (v >= want) break;
    if (Date.now() - t0 > limitMs) return "timeout";
    wait(ctrl, SIGNAL.done, v, 1000);
  }
  const bad = Atomics.load(ctrl, SIGNAL.error);
  if (bad === 0) return null;
  return { id: bad - 1, text: new TextDecoder().decode(message.slice()).replace(/\0+$/, "") };
}

/**
 * Worker: runs commands until `stop`. `setup` (awaited once, e.g. dynamic imports and the
 * worker's own state) returns the command runner; a failure of either is reported, not thrown.
 */
export async function serveCommands(ctrl: Int32Array, message: Uint8Array, id: number, stop: number, wait: WaitFn, setup: () => Promise<(command: number) => void>): Promise<void> {
  const done = (): void => {
    Atomics.add(ctrl, SIGNAL.done, 1);
    Atomics.notify(ctrl, SIGNAL.done);
  };
  const fail = (e: unknown): void => {
    const text = e instanceof Error ? e.message : String(e);
    if (Atomics.compareExchange(ctrl, SIGNAL.error, 0, id + 1) === 0) {
      message.fill(0);
      new TextEncoder().encodeInto(text.slice(0, 1000), message);
    }
  };
  let generation = Atomics.load(ctrl, SIGNAL.generation);
  try {
    const run = await setup();
    done();
    for (;;) {
      wait(ctrl, SIGNAL.generation, generation, Infinity);
      if (Atomics.load(ctrl, SIGNAL.generation) === generation) continue;
      generation = Atomics.load(ctrl, SIGNAL.generation);
      const command = Atomics.load(ctrl, SIGNAL.command);
      if (command === stop) break;
      try {
        run(command);
      } catch (e) {
        fail(e);
      }
      done();
    }
  } catch (e) {
    fail(e);
    done();
  }
}
