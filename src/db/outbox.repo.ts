import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { OutboxJob, OutboxRepo } from '../domain/ports.js';
import type { Db } from './client.js';
import { outbox } from './schema.js';

export type ClaimedJob = OutboxJob & { readonly id: number; readonly attempts: number; readonly createdAt: Date };

/** Jobs that only bring Slack in line with the database: one pending is enough. */
const COALESCING_KINDS = new Set<string>(['incident.sync']);

export function outboxRepo(db: Db) {
  return {
    enqueue(job: OutboxJob, now: Date): void {
      if (COALESCING_KINDS.has(job.kind)) {
        const waiting = db
          .select({ id: outbox.id })
          .from(outbox)
          .where(and(eq(outbox.incidentId, job.incidentId), eq(outbox.kind, job.kind), eq(outbox.status, 'pending')))
          .get();
        if (waiting) return;
      }
      db.insert(outbox)
        .values({ incidentId: job.incidentId, kind: job.kind, payload: job.payload, nextRunAt: now, createdAt: now })
        .run();
    },

    /**
     * Claims due jobs with a lease. A job waits while an earlier job of the same
     * incident is unfinished, so Slack sees an incident's changes in order (the
     * channel exists before anything is posted in it). A running job whose lease
     * ran out belonged to a process that died: it is claimed again.
     */
    claim(now: Date, leaseMs: number, limit: number): ClaimedJob[] {
      const nowMs = now.getTime();
      const rows = db.all<{ id: number }>(sql`
        SELECT o.id FROM outbox o
        WHERE ((o.status = 'pending' AND o.next_run_at <= ${nowMs})
            OR (o.status = 'running' AND o.lease_until < ${nowMs}))
          AND NOT EXISTS (
            SELECT 1 FROM outbox p
            WHERE p.incident_id = o.incident_id AND p.id < o.id AND p.status IN ('pending', 'running'))
        ORDER BY o.id LIMIT ${limit}`);
      if (rows.length === 0) return [];
      return db
        .update(outbox)
        .set({ status: 'running', attempts: sql`${outbox.attempts} + 1`, leaseUntil: new Date(nowMs + leaseMs) })
        .where(inArray(outbox.id, rows.map((r) => r.id)))
        .returning()
        .all()
        .map((r) => ({
          id: r.id,
          kind: r.kind,
          incidentId: r.incidentId,
          payload: r.payload,
          attempts: r.attempts,
          createdAt: r.createdAt,
        }) as ClaimedJob);
    },

    complete(id: number, now: Date): void {
      db.update(outbox).set({ status: 'done', finishedAt: now, leaseUntil: null }).where(eq(outbox.id, id)).run();
    },

    retryAt(id: number, at: Date, error: string): void {
      db.update(outbox)
        .set({ status: 'pending', nextRunAt: at, leaseUntil: null, lastError: error })
        .where(eq(outbox.id, id))
        .run();
    },

    giveUp(id: number, now: Date, error: string): void {
      db.update(outbox)
        .set({ status: 'failed', finishedAt: now, leaseUntil: null, lastError: error })
        .where(eq(outbox.id, id))
        .run();
    },

    /** Jobs not yet finished; the earliest time one of them is due. */
    unfinished(): { count: number; nextRunAt: Date | null } {
      const row = db
        .select({ count: count(), next: sql<number | null>`min(${outbox.nextRunAt})` })
        .from(outbox)
        .where(inArray(outbox.status, ['pending', 'running']))
        .get();
      return { count: row?.count ?? 0, nextRunAt: row?.next == null ? null : new Date(row.next) };
    },

    list() {
      return db.select().from(outbox).all();
    },
  } satisfies OutboxRepo & Record<string, unknown>;
}

export type OutboxStore = ReturnType<typeof outboxRepo>;
