import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How far below the listeners the outbox thread runs: a kernel share of about a tenth when both want the CPU. */
export const BACKGROUND_NICENESS = 10;

/**
 * Lowers the CPU priority of the calling thread only (Linux `nice`, per
 * thread, by `by` steps from where it is), leaving the rest of the process as
 * it was. Returns whether it could:
 * elsewhere there is no per-thread handle to give, and nothing changes.
 *
 * The outbox thread runs at a lower priority than the listeners: when both
 * want the CPU (a burst of declarations on a small machine), the kernel runs
 * the acknowledgements first and the set-up a moment later, which is the
 * order Slack's 3-second deadline asks for. When the listeners are idle the
 * outbox thread has the CPU to itself, so in quiet times nothing is slower.
 */
export function lowerThisThreadPriority(by: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // "<pid>/task/<tid>": the kernel's id of this very thread, which setpriority(2) accepts.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, Math.min(19, getPriority(tid) + by));
    return true;
  } catch {
    return false;
  }
}
