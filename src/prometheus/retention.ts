import { z } from 'zod';

/*
 * How far back Prometheus keeps samples, as GET /api/v1/status/runtimeinfo
 * says: `storageRetention` is the time limit (Go's model.Duration: `15d`,
 * `1d12h`, `2w`, `1y`), the size limit (`10GiB`), or both joined by " or "
 * (`1d12h or 1GiB`), as Prometheus 2.x writes it in cmd/prometheus/main.go.
 * A query over a longer range is answered from what is kept, silently: a
 * 30-day error ratio from a Prometheus that keeps 15 days is the ratio of
 * those 15 days. Only the time limit can be compared with a window; a size
 * limit alone says nothing of the time covered.
 */

/** Prometheus's time retention, as it wrote it and in milliseconds. */
export interface StorageRetention {
  /** As Prometheus wrote it: `15d`, `1d12h`. */
  readonly text: string;
  readonly ms: number;
}

const UNIT_MS: Record<string, number> = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
/** model.Duration's units, largest first, each at most once. */
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNITS_IN_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;

function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text === '') return undefined;
  let ms = 0;
  UNITS_IN_ORDER.forEach((unit, i) => {
    const count = match[i + 1];
    if (count !== undefined) ms += Number(count) * UNIT_MS[unit]!;
  });
  return ms > 0 ? ms : undefined;
}

/**
 * The time part of `storageRetention` (`15d`, `15d or 10GiB` → 15 days);
 * undefined for a size only, an empty or unknown text.
 */
export function parseStorageRetention(answer: string): StorageRetention | undefined {
  for (const part of answer.split(' or ').map((p) => p.trim())) {
    const ms = durationMs(part);
    if (ms !== undefined) return { text: part, ms };
  }
  return undefined;
}

/** The part of runtimeinfo's answer read here; anything else in it is ignored. */
export const runtimeInfoAnswer = z.object({
  status: z.literal('success'),
  data: z.object({ storageRetention: z.string().optional() }),
});

/**
 * How long what runtimeinfo said is kept: it changes only when Prometheus is
 * restarted with other flags, and a refresh tick asks it for every SLO. An
 * answer that failed (an older Prometheus, a proxy that forbids the status
 * pages, or Thanos and the like that have none) is kept as long, so a refused
 * endpoint costs one request per period, not one per query.
 */
export const STORAGE_RETENTION_KEPT_MS = 10 * 60_000;

/** One answer at a time, shared while in flight and for STORAGE_RETENTION_KEPT_MS after. */
export class StorageRetentionCache {
  private entry: { at: number; answer: Promise<StorageRetention | undefined> } | undefined;

  constructor(
    private readonly ask: () => Promise<StorageRetention | undefined>,
    private readonly now: () => number = Date.now,
    private readonly keptMs = STORAGE_RETENTION_KEPT_MS,
  ) {}

  get(): Promise<StorageRetention | undefined> {
    const now = this.now();
    if (this.entry && now - this.entry.at < this.keptMs && now >= this.entry.at) return this.entry.answer;
    // Never rejects: not knowing the retention leaves the figures as they are, unflagged.
    const answer = this.ask().catch(() => undefined);
    this.entry = { at: now, answer };
    return answer;
  }
}
