import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { OutboxJob, OutboxRepo } from '../../domain/ports.js';
import { COALESCING_KINDS, covers, queueOf, URGENT_KINDS, type Claim, type ClaimedJob, type OutboxStore } from '../outbox.repo.js';
import type { AsyncRepo } from '../store.js';
import { claimStatement } from './outbox-claim.js';
import type { PgExecutor } from './executor.js';
import { outbox } from './schema.js';

const UNFINISHED = ['pending', 'running'] as const;
const e = alias(outbox, 'e');

/** The job, while `claim` still holds it: running, under the attempt that claim made. */
const heldBy = (claim: Claim) => and(eq(outbox.id, claim.id), eq(outbox.status, 'running'), eq(outbox.attempts, claim.attempts));
const recorded = (rows: readonly unknown[]) => rows.length > 0;

/**
 * The outbox on PostgreSQL, where several replicas enqueue and claim at once:
 * the same queues, order, lanes and leases as the SQLite outbox
 * (src/db/outbox.repo.ts), each claim and lease change one statement.
 */
export function outboxRepo(db: PgExecutor) {
  return {
    /**
     * Coalescing: the pending job that makes this one redundant is locked
     * (FOR SHARE) until the enqueuing transaction commits, so no claim can
     * start it, and read the state, before that transaction's change is in.
     * A claim already under way holds the row: the lock waits for it, and
     * finds the job running, so a new one is queued. Two enqueues at once may
     * both queue one: a second sync or capture is only one more read.
     */
    async enqueue(job: OutboxJob, now: Date): Promise<void> {
      const queue = queueOf(job);
      if (COALESCING_KINDS.has(job.kind)) {
        const waiting = await db
          .select({ payload: outbox.payload })
          .from(outbox)
          .where(and(eq(outbox.queue, queue), eq(outbox.kind, job.kind), eq(outbox.status, 'pending')))
          .for('share');
        if (waiting.some((w) => covers(w.payload, job))) return;
      }
      await db.insert(outbox).values({ incidentId: job.incidentId, kind: job.kind, queue, urgent: URGENT_KINDS.has(job.kind), payload: job.payload, nextRunAt: now, createdAt: now });
    },

    /** As the SQLite outbox's claim; see outbox-claim.ts for how two replicas never take one job. */
    async claim(now: Date, leaseMs: number, limit: number, slots = limit): Promise<ClaimedJob[]> {
      return (await claimStatement(db, now, leaseMs, limit, slots)) as ClaimedJob[];
    },

    /** Only the attempt that was claimed: a job another replica took over after its lease ran out is left to it. */
    async renewLeases(jobs: readonly Claim[], now: Date, leaseMs: number): Promise<void> {
      if (jobs.length === 0) return;
      await db
        .update(outbox)
        .set({ leaseUntil: new Date(now.getTime() + leaseMs) })
        .where(or(...jobs.map(heldBy)));
    },

    async sloRefreshUnfinished(incidentId: number): Promise<boolean> {
      const queue = queueOf({ kind: 'slo.refresh', incidentId, payload: { final: false } });
      const rows = await db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.queue, queue), eq(outbox.kind, 'slo.refresh'), inArray(outbox.status, UNFINISHED)))
        .limit(1);
      return rows.length > 0;
    },

    /** As on SQLite: each returns false, and changes nothing, when `claim` no longer holds the job (see Claim). */
    async complete(claim: Claim, now: Date): Promise<boolean> {
      return recorded(await db.update(outbox).set({ status: 'done', finishedAt: now, leaseUntil: null, lastError: null }).where(heldBy(claim)).returning({ id: outbox.id }));
    },

    async retryAt(claim: Claim, at: Date, error: string): Promise<boolean> {
      return recorded(await db.update(outbox).set({ status: 'pending', nextRunAt: at, leaseUntil: null, lastError: error }).where(heldBy(claim)).returning({ id: outbox.id }));
    },

    async giveUp(claim: Claim, now: Date, error: string): Promise<boolean> {
      return recorded(await db.update(outbox).set({ status: 'failed', finishedAt: now, leaseUntil: null, lastError: error }).where(heldBy(claim)).returning({ id: outbox.id }));
    },

    /** Jobs that could be claimed now (due, and first in their queue) and jobs under a live lease. */
    async activity(now: Date): Promise<{ due: number; running: number }> {
      const earlier = db
        .select({ one: sql`1` })
        .from(e)
        .where(and(eq(e.queue, outbox.queue), inArray(e.status, UNFINISHED), sql`${e.id} < ${outbox.id}`));
      const [row] = await db
        .select({
          due: sql<number>`count(*) FILTER (WHERE ${and(eq(outbox.status, 'pending'), lte(outbox.nextRunAt, now))} AND NOT EXISTS (${earlier}))`.mapWith(Number),
          running: sql<number>`count(*) FILTER (WHERE ${outbox.status} = 'running' AND ${outbox.leaseUntil} >= ${now})`.mapWith(Number),
        })
        .from(outbox)
        .where(inArray(outbox.status, UNFINISHED));
      return row ?? { due: 0, running: 0 };
    },

    /** Every job, oldest first. */
    async list() {
      return db.select().from(outbox).orderBy(asc(outbox.id));
    },
  } satisfies AsyncRepo<OutboxStore> & OutboxRepo;
}
