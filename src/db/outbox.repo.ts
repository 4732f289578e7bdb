import { and, eq, sql } from 'drizzle-orm';
import type { OutboxJob, OutboxRepo } from '../domain/ports.js';
import type { Db } from './client.js';
import { outbox } from './schema.js';

export type ClaimedJob = OutboxJob & { readonly id: number; readonly attempts: number; readonly createdAt: Date };

/**
 * What a responder is waiting for: the channel and its pinned header, and the
 * page. Under a burst of declarations these take the CPU first; announcements,
 * topics and the rest follow a moment later.
 */
const URGENT_KINDS = new Set<string>(['incident.setup', 'pagerduty.event']);

/** Jobs that only bring Slack in line with the database: one pending is enough. */
const COALESCING_KINDS = new Set<string>(['incident.sync']);

interface RawJob {
  id: number;
  incident_id: number | null;
  kind: string;
  payload: string;
  attempts: number;
  created_at: number;
}

const p = sql.placeholder;

/**
 * Which jobs must run one after another. An incident's Slack changes wait for
 * its channel; a page waits only for earlier events of its own dedup key, never
 * for Slack, so PagerDuty is paged even while Slack is down.
 */
function queueOf(job: OutboxJob): string {
  if (job.kind === 'pagerduty.event') return `pagerduty:${job.payload.dedupKey}`;
  return `incident:${job.incidentId}`;
}

export function outboxRepo(db: Db) {
  const insert = db
    .insert(outbox)
    .values({ incidentId: p('incidentId'), kind: p('kind'), queue: p('queue'), urgent: p('urgent'), payload: p('payload'), nextRunAt: p('now'), createdAt: p('now') })
    .prepare();
  const waiting = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.incidentId, p('incidentId')), eq(outbox.kind, p('kind')), eq(outbox.status, 'pending')))
    .prepare();
  // One statement: pick and lease in the same step, so two processes never claim the same job.
  const claim = db.$client.prepare<{ now: number; lease: number; limit: number }, RawJob>(`
    UPDATE outbox SET status = 'running', attempts = attempts + 1, lease_until = @lease
    WHERE id IN (
      SELECT o.id FROM outbox o
      WHERE o.status IN ('pending', 'running')
        AND ((o.status = 'pending' AND o.next_run_at <= @now) OR (o.status = 'running' AND o.lease_until < @now))
        AND NOT EXISTS (
          SELECT 1 FROM outbox e
          WHERE e.queue = o.queue AND e.status IN ('pending', 'running') AND e.id < o.id)
        AND (o.urgent OR NOT EXISTS (
          SELECT 1 FROM outbox u
          WHERE u.status IN ('pending', 'running') AND u.urgent
            AND (u.status = 'running' AND u.lease_until >= @now OR u.status = 'pending' AND u.next_run_at <= @now)))
      ORDER BY o.urgent DESC, o.id LIMIT @limit)
    RETURNING id, incident_id, kind, payload, attempts, created_at`);
  const activity = db.$client.prepare<{ now: number }, { due: number; running: number }>(`
    SELECT
      coalesce(sum(o.status = 'pending' AND o.next_run_at <= @now AND NOT EXISTS (
        SELECT 1 FROM outbox e WHERE e.queue = o.queue AND e.status IN ('pending', 'running') AND e.id < o.id)), 0) AS due,
      coalesce(sum(o.status = 'running' AND o.lease_until >= @now), 0) AS running
    FROM outbox o WHERE o.status IN ('pending', 'running')`);
  const finish = db
    .update(outbox)
    .set({ status: sql`${p('status')}`, finishedAt: sql`${p('now')}`, leaseUntil: null, lastError: sql`${p('error')}` })
    .where(eq(outbox.id, p('id')))
    .prepare();
  const reschedule = db
    .update(outbox)
    .set({ status: 'pending', nextRunAt: sql`${p('at')}`, leaseUntil: null, lastError: sql`${p('error')}` })
    .where(eq(outbox.id, p('id')))
    .prepare();

  return {
    enqueue(job: OutboxJob, now: Date): void {
      // A pending sync will read the incident as it is when it runs: one is enough.
      if (COALESCING_KINDS.has(job.kind) && waiting.get({ incidentId: job.incidentId, kind: job.kind })) return;
      insert.run({ incidentId: job.incidentId, kind: job.kind, queue: queueOf(job), urgent: URGENT_KINDS.has(job.kind), payload: job.payload, now });
    },

    /**
     * Claims due jobs with a lease. A job waits while an earlier job of its
     * queue is unfinished, so Slack sees an incident's changes in order (the
     * channel exists before anything is posted in it). A running job whose lease
     * ran out belonged to a process that died: it is claimed again.
     */
    claim(now: Date, leaseMs: number, limit: number): ClaimedJob[] {
      const nowMs = now.getTime();
      return claim.all({ now: nowMs, lease: nowMs + leaseMs, limit }).map(
        (r) =>
          ({
            id: r.id,
            kind: r.kind,
            incidentId: r.incident_id,
            payload: JSON.parse(r.payload) as unknown,
            attempts: r.attempts,
            createdAt: new Date(r.created_at),
          }) as ClaimedJob,
      );
    },

    complete(id: number, now: Date): void {
      finish.run({ id, status: 'done', now: now.getTime(), error: null });
    },

    retryAt(id: number, at: Date, error: string): void {
      reschedule.run({ id, at: at.getTime(), error });
    },

    giveUp(id: number, now: Date, error: string): void {
      finish.run({ id, status: 'failed', now: now.getTime(), error });
    },

    /**
     * Jobs that could be claimed now (due, and first in their queue) and jobs
     * under a live lease: both zero means the outbox is idle.
     */
    activity(now: Date): { due: number; running: number } {
      return activity.get({ now: now.getTime() }) ?? { due: 0, running: 0 };
    },

    list() {
      return db.select().from(outbox).all();
    },
  } satisfies OutboxRepo & Record<string, unknown>;
}

export type OutboxStore = ReturnType<typeof outboxRepo>;
