import { asc, count, inArray, min } from 'drizzle-orm';
import { ACTIVE_STATUSES, type Severity } from '../domain/model.js';
import type { Db } from './client.js';
import { incidents, outbox } from './schema.js';
import type { SyncRepo } from './store.js';

/** Outbox jobs not delivered yet: due, waiting for a retry, or running under a lease. */
export const UNFINISHED_OUTBOX_STATUSES = ['pending', 'running'] as const;

/** One kind's undelivered outbox jobs: how many, and when the oldest was enqueued. */
export interface OutboxBacklog {
  readonly kind: string;
  readonly n: number;
  readonly oldest: Date;
}

/**
 * What readiness, the scrape's gauges and the stop log read about the
 * bot's own state: a few small indexed reads, nothing written. Kinds and
 * severities only, never an incident: /readyz and /metrics are
 * unauthenticated and incidents may be private.
 */
export interface HealthRepo {
  /** Undelivered jobs per kind, kinds in alphabetical order; a kind with none is absent. */
  outboxBacklog(): Promise<OutboxBacklog[]>;
  /** The undelivered job enqueued first (the lowest id among equal times). */
  oldestUnfinishedJob(): Promise<{ kind: string; createdAt: Date } | undefined>;
  /** Active incidents per severity, severities in alphabetical order; a severity with none is absent. */
  openIncidentsBySeverity(): Promise<{ severity: Severity; n: number }[]>;
  /** How many jobs are undelivered (a job a stop cut short among them: its lease runs out and the next start takes it). */
  unfinishedJobs(): Promise<number>;
}

/** The health reads on SQLite, each prepared once: a probe may come every few seconds. */
export function healthRepo(db: Db): SyncRepo<HealthRepo> {
  const unfinished = inArray(outbox.status, [...UNFINISHED_OUTBOX_STATUSES]);
  const backlog = db
    .select({ kind: outbox.kind, n: count(), oldest: min(outbox.createdAt) })
    .from(outbox)
    .where(unfinished)
    .groupBy(outbox.kind)
    .orderBy(asc(outbox.kind))
    .prepare();
  const oldest = db.select({ kind: outbox.kind, createdAt: outbox.createdAt }).from(outbox).where(unfinished).orderBy(asc(outbox.createdAt), asc(outbox.id)).limit(1).prepare();
  const open = db
    .select({ severity: incidents.severity, n: count() })
    .from(incidents)
    .where(inArray(incidents.status, [...ACTIVE_STATUSES]))
    .groupBy(incidents.severity)
    .orderBy(asc(incidents.severity))
    .prepare();
  const total = db.select({ n: count() }).from(outbox).where(unfinished).prepare();
  return {
    // A group has at least one row, so its min is never null.
    outboxBacklog: () => backlog.all().map((row) => ({ kind: row.kind, n: row.n, oldest: row.oldest! })),
    oldestUnfinishedJob: () => oldest.get(),
    openIncidentsBySeverity: () => open.all(),
    unfinishedJobs: () => total.get()?.n ?? 0,
  };
}
