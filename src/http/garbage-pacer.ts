import { constants, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's `gc()`, as `--expose-gc` gives it. */
export type CollectGarbage = (options: { type: 'minor' | 'major' }) => void;

let exposed: CollectGarbage | undefined | null = null;

/**
 * V8's `gc()`, even when the process was started without `--expose-gc`: the
 * flag is set for as long as it takes to make one new context, which then has
 * `gc` (what jest-leak-detector does), and unset at once, so no other code
 * sees a global `gc`. Undefined if the runtime refuses; the bodies' garbage is
 * then left to V8's own schedule, as before.
 */
export function exposeGc(): CollectGarbage | undefined {
  if (exposed !== null) return exposed;
  const own = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') return (exposed = own as CollectGarbage);
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    exposed = typeof gc === 'function' ? (gc as CollectGarbage) : undefined;
  } catch {
    exposed = undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  return exposed;
}

let forced = 0;
let byV8: number | undefined;

/**
 * Collections in this process so far: those the pacers asked for, counted as
 * they are asked, and V8's own, counted when Node reports them (a forced one
 * is reported too, and skipped here, so as not to count it twice).
 */
export function collectionsSoFar(): number {
  if (byV8 === undefined) {
    byV8 = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const flags = (entry as unknown as { detail?: { flags?: number } }).detail?.flags ?? 0;
        if ((flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) === 0) byV8! += 1;
      }
    }).observe({ entryTypes: ['gc'] });
  }
  return forced + byV8;
}

/**
 * Asks V8 for a young-generation collection every `everyBytes` of garbage
 * the bodies made. Node copies each chunk of a body into memory of its own,
 * outside V8's heap, and only a collection frees it; but a chunk is a few
 * hundred bytes of heap, so reading bodies hardly ever fills the young
 * generation, and V8 starts collecting for memory outside its heap only once
 * tens of MiB of it have grown (64 MiB in V8 11). Twenty unsigned 64 MiB
 * posts, each cut at the 1 MiB limit, left 21 MiB of chunks behind them that
 * way. A young collection takes a millisecond or two, about what reading the
 * MiB that calls for it takes, so a flood cannot make collecting cost much
 * more than reading.
 */
export class GarbagePacer {
  private pending = 0;
  private scheduled = false;

  constructor(
    readonly everyBytes: number,
    private readonly collect: CollectGarbage | undefined = exposeGc(),
    /** Called just before each collection, with collectionsSoFar() before it. */
    private readonly beforeCollect: (collectionsBefore: number) => void = () => undefined,
  ) {}

  /** `bytes` that no one needs any more, and that only a collection frees. */
  discarded(bytes: number): void {
    if (!this.collect || bytes <= 0) return;
    this.pending += bytes;
    if (this.pending < this.everyBytes || this.scheduled) return;
    this.scheduled = true;
    // Once the code that held the last chunk has returned: a chunk still on the stack would live through the collection.
    queueMicrotask(() => {
      this.scheduled = false;
      this.pending = 0;
      this.beforeCollect(collectionsSoFar());
      forced += 1;
      this.collect?.({ type: 'minor' });
    });
  }
}
