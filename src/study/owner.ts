import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/**
 * Who holds a lock or a claim in a study folder: process id, host, and the process's start time
 * (Linux /proc/<pid>/stat field 22), so that a reused pid is not mistaken for the old owner.
 */
export interface Owner {
  pid: number;
  host: string;
  /** Start time of the process in clock ticks since boot; null where /proc is not available. */
  startTicks: number | null;
}

export function currentOwner(): Owner {
  return { pid: process.pid, host: hostname(), startTicks: processStartTicks(process.pid) };
}

export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const v = Number(rest[19]); // field 22 of the whole line
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Whether `o` still runs, when it is on this host: its pid exists and (where known) started at
 * the same time. null when `o` is on another host: only a heartbeat can tell then.
 */
export function ownerAliveHere(o: Owner): boolean | null {
  if (o.host !== hostname()) return null;
  try {
    process.kill(o.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (o.startTicks === null) return true;
  const now = processStartTicks(o.pid);
  return now === null || now === o.startTicks;
}
