import { and, eq, sql } from 'drizzle-orm';
import type { OutboxJob, OutboxRepo } from '../domain/ports.js';
import type { Db } from './client.js';
import type { SyncRepo } from './store.js';
import { BACKGROUND_KIND, outbox } from './schema.js';

export type ClaimedJob = OutboxJob & { readonly id: number; readonly attempts: number; readonly createdAt: Date };

/**
 * One claim of a job: its id and the attempt the claim made. A job whose
 * lease ran out while its process was still at it may have been claimed again
 * (another replica, or this one): the later attempt holds it, and the earlier
 * one's outcome (done, retry later, given up) is not recorded. Were it, a
 * retry would put the job back in the queue while the later attempt still
 * ran, and a third run would start beside it.
 */
export type Claim = Pick<ClaimedJob, 'id' | 'attempts'>;

/**
 * What a responder is waiting for: the channel and its pinned header, and the
 * page, and the alert notification that may declare one. Under a burst of
 * declarations these take the CPU first; announcements, topics and the rest
 * follow a moment later.
 */
export const URGENT_KINDS: ReadonlySet<string> = new Set<string>(['incident.setup', 'pagerduty.event', 'alert.receive']);

/**
 * Jobs that read the current state when they run (a sync reads the incident,
 * a capture reads the message in Slack): one pending in a queue is enough.
 * Only a pending one will do: a running one may have read before the change.
 */
export const COALESCING_KINDS: ReadonlySet<string> = new Set<string>(['incident.sync', BACKGROUND_KIND, 'slo.refresh']);

/**
 * Whether a pending job makes a new one of its kind redundant. An SLO refresh
 * reads the incident when it runs too, but a final one (at resolve: the
 * figures the postmortem states) is never left to a pending ordinary one.
 */
export function covers(pendingPayload: unknown, job: OutboxJob): boolean {
  if (job.kind !== 'slo.refresh' || !job.payload.final) return true;
  return typeof pendingPayload === 'object' && pendingPayload !== null && 'final' in pendingPayload && pendingPayload.final === true;
}

/**
 * How many of a worker's `slots` background jobs leave free. A capture holds
 * its slot through three Slack reads, and in a flood those are the calls Slack
 * rate-limits, slows or leaves hanging until the client's timeout: with every
 * slot taken by captures, a status post would wait for one of them even though
 * the claim prefers it. A few slots kept for the foreground mean it never
 * waits for a read; captures still get all the others (56 of the default 64,
 * more than Slack's per-minute read limits keep busy). A worker of 1-3 slots
 * reserves none, so captures still run on it.
 */
export function foregroundReserve(slots: number): number {
  return Math.min(8, Math.floor(slots / 4));
}

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
 * for Slack, so PagerDuty is paged even while Slack is down. A timeline capture
 * waits only for an earlier capture of the same message (two reads of one
 * message must not land out of order); it needs nothing else done first (its
 * channel exists: the reaction was added in it) and nothing else reads what it
 * writes in order with it, so it never holds up a status post.
 */
export function queueOf(job: OutboxJob): string {
  if (job.kind === 'pagerduty.event') return `pagerduty:${job.payload.dedupKey}`;
  if (job.kind === BACKGROUND_KIND) return `timeline:${job.incidentId}:${job.payload.messageTs}`;
  // Prometheus may be slow or down: a refresh waiting on it never holds up the incident's Slack work.
  if (job.kind === 'slo.refresh') return `slo:${job.incidentId}`;
  // A group's notifications apply in the order they arrived; groups apart from each other.
  if (job.kind === 'alert.receive') return `alerts:${job.payload.notification.groupKey}`;
  // A notice of a group that has no incident (notify-only, a merge offer) waits only for its
  // group's earlier notices: one being retried (its channel archived) holds up no other group's.
  if (job.kind === 'alert.post' && job.incidentId === null && 'groupId' in job.payload.notice) return `alert-group:${job.payload.notice.groupId}`;
  return `incident:${job.incidentId}`;
}

/** No earlier job of the row's queue is unfinished (`alias`: the outer row's name). */
const firstInQueue = (alias: string) => `NOT EXISTS (
  SELECT 1 FROM outbox e
  WHERE e.queue = ${alias}.queue AND e.status IN ('pending', 'running') AND e.id < ${alias}.id)`;

/**
 * Some urgent job is running, or due and first in its queue (one that could be
 * claimed now): every non-urgent one waits. An urgent job waiting behind an
 * earlier one of its queue holds up nothing: a page's resolve behind a trigger
 * that PagerDuty keeps refusing would otherwise stop every incident's posts
 * until PagerDuty answers. Urgent jobs are never background ones.
 */
const urgentWaiting = `EXISTS (
  SELECT 1 FROM outbox u INDEXED BY outbox_foreground_due_idx
  WHERE u.kind <> '${BACKGROUND_KIND}' AND u.status IN ('pending', 'running') AND u.urgent
    AND (u.status = 'running' AND u.lease_until >= @now OR u.status = 'pending' AND u.next_run_at <= @now AND ${firstInQueue('u')}))`;

/**
 * Picks and leases due jobs in one statement, so two processes never claim the
 * same job. Two lanes, each read through a partial index of its own (named,
 * so the plan holds without ANALYZE statistics; a missing index fails the
 * prepare at start rather than slowing every kick):
 *
 * - foreground (every kind but BACKGROUND_KIND): all of its due jobs are read
 *   and sorted, urgent first, then by id. There are few of them; the thousands
 *   of captures a flood queues are not in its index.
 * - background (timeline captures): read in due order from its index and
 *   stopped after `@background` hits, so a claim costs the same with ten or ten
 *   thousand captures queued. Order between captures of different messages
 *   does not matter; first due, first taken.
 *
 * Background jobs come after every foreground one, and at most `@background`
 * of them per claim (the reserve, see foregroundReserve).
 */
export const CLAIM_SQL = `
  UPDATE outbox SET status = 'running', attempts = attempts + 1, lease_until = @lease
  WHERE id IN (
    SELECT id FROM (
      SELECT o.id, o.urgent, 0 AS background FROM outbox o INDEXED BY outbox_foreground_due_idx
      WHERE o.kind <> '${BACKGROUND_KIND}' AND o.status IN ('pending', 'running')
        AND ((o.status = 'pending' AND o.next_run_at <= @now) OR (o.status = 'running' AND o.lease_until < @now))
        AND ${firstInQueue('o')}
        AND (o.urgent OR NOT ${urgentWaiting})
      UNION ALL
      SELECT id, 0, 1 FROM (
        -- A lease that ran out: its process died mid-capture.
        SELECT b.id FROM outbox b INDEXED BY outbox_background_due_idx
        WHERE b.kind = '${BACKGROUND_KIND}' AND b.status = 'running' AND b.lease_until < @now AND ${firstInQueue('b')}
        UNION ALL
        SELECT id FROM (
          SELECT b.id FROM outbox b INDEXED BY outbox_background_due_idx
          WHERE b.kind = '${BACKGROUND_KIND}' AND b.status = 'pending' AND b.next_run_at <= @now AND ${firstInQueue('b')}
          ORDER BY b.next_run_at, b.id LIMIT @background)
        LIMIT @background)
      WHERE NOT ${urgentWaiting})
    ORDER BY urgent DESC, background, id LIMIT @limit)
  RETURNING id, incident_id, kind, payload, attempts, created_at`;

export function outboxRepo(db: Db) {
  const insert = db
    .insert(outbox)
    .values({ incidentId: p('incidentId'), kind: p('kind'), queue: p('queue'), urgent: p('urgent'), payload: p('payload'), nextRunAt: p('now'), createdAt: p('now') })
    .prepare();
  const waiting = db
    .select({ id: outbox.id, payload: outbox.payload })
    .from(outbox)
    .where(and(eq(outbox.queue, p('queue')), eq(outbox.kind, p('kind')), eq(outbox.status, 'pending')))
    .prepare();
  const unfinishedRefresh = db.$client.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM outbox WHERE queue = ? AND kind = 'slo.refresh' AND status IN ('pending', 'running')`,
  );
  const claim = db.$client.prepare<{ now: number; lease: number; limit: number; background: number }, RawJob>(CLAIM_SQL);
  const activity = db.$client.prepare<{ now: number }, { due: number; running: number }>(`
    SELECT
      coalesce(sum(o.status = 'pending' AND o.next_run_at <= @now AND NOT EXISTS (
        SELECT 1 FROM outbox e WHERE e.queue = o.queue AND e.status IN ('pending', 'running') AND e.id < o.id)), 0) AS due,
      coalesce(sum(o.status = 'running' AND o.lease_until >= @now), 0) AS running
    FROM outbox o WHERE o.status IN ('pending', 'running')`);
  // A lease is renewed, and an outcome recorded, only for the attempt that holds the job (see Claim).
  const heldBy = and(eq(outbox.id, p('id')), eq(outbox.status, 'running'), eq(outbox.attempts, p('attempts')));
  const finish = db
    .update(outbox)
    .set({ status: sql`${p('status')}`, finishedAt: sql`${p('now')}`, leaseUntil: null, lastError: sql`${p('error')}` })
    .where(heldBy)
    .prepare();
  const renew = db.update(outbox).set({ leaseUntil: sql`${p('lease')}` }).where(heldBy).prepare();
  const renewAll = db.$client.transaction((jobs: readonly Claim[], lease: number) => {
    for (const job of jobs) renew.run({ id: job.id, attempts: job.attempts, lease });
  });
  const reschedule = db
    .update(outbox)
    .set({ status: 'pending', nextRunAt: sql`${p('at')}`, leaseUntil: null, lastError: sql`${p('error')}` })
    .where(heldBy)
    .prepare();

  return {
    enqueue(job: OutboxJob, now: Date): void {
      const queue = queueOf(job);
      // A pending sync or capture will read the state as it is when it runs: one is enough.
      if (COALESCING_KINDS.has(job.kind) && waiting.all({ queue, kind: job.kind }).some((w) => covers(w.payload, job))) return;
      insert.run({ incidentId: job.incidentId, kind: job.kind, queue, urgent: URGENT_KINDS.has(job.kind), payload: job.payload, now });
    },

    /**
     * Claims up to `limit` due jobs with a lease: urgent ones first, timeline
     * captures last, and captures only while `foregroundReserve(slots)` of the
     * `limit` free slots stay free (`slots`: the worker's concurrency). A job
     * waits while an earlier job of its queue is unfinished, so Slack sees an
     * incident's changes in order (the channel exists before anything is posted
     * in it). A running job whose lease ran out belonged to a process that
     * died: it is claimed again.
     */
    claim(now: Date, leaseMs: number, limit: number, slots = limit): ClaimedJob[] {
      const nowMs = now.getTime();
      // Never negative: SQLite reads a negative LIMIT as no limit at all.
      const background = Math.max(0, limit - foregroundReserve(slots));
      return claim.all({ now: nowMs, lease: nowMs + leaseMs, limit, background }).map(
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

    /**
     * Moves on the leases of jobs this process is still running, so that only
     * a process that died loses its jobs to another (or to itself after a
     * restart). Only the attempt that was claimed: a job another process took
     * over after a lease ran out is left to it.
     */
    renewLeases(jobs: readonly Claim[], now: Date, leaseMs: number): void {
      if (jobs.length > 0) renewAll(jobs, now.getTime() + leaseMs);
    },

    /** Whether an SLO refresh of this incident is still to run (or running): its figures are not in yet. */
    sloRefreshUnfinished(incidentId: number): boolean {
      return (unfinishedRefresh.get(queueOf({ kind: 'slo.refresh', incidentId, payload: { final: false } }))?.n ?? 0) > 0;
    },

    /** Each of these three returns false, and changes nothing, when `claim` no longer holds the job. */
    complete(claim: Claim, now: Date): boolean {
      return finish.run({ id: claim.id, attempts: claim.attempts, status: 'done', now: now.getTime(), error: null }).changes > 0;
    },

    retryAt(claim: Claim, at: Date, error: string): boolean {
      return reschedule.run({ id: claim.id, attempts: claim.attempts, at: at.getTime(), error }).changes > 0;
    },

    giveUp(claim: Claim, now: Date, error: string): boolean {
      return finish.run({ id: claim.id, attempts: claim.attempts, status: 'failed', now: now.getTime(), error }).changes > 0;
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
  } satisfies SyncRepo<OutboxRepo> & Record<string, unknown>;
}

export type OutboxStore = ReturnType<typeof outboxRepo>;
