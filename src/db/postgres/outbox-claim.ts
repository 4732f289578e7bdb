/**
 * The outbox claim on PostgreSQL: CLAIM_SQL's rules (src/db/outbox.repo.ts),
 * for several replicas claiming at once.
 *
 * Every candidate row is locked as it is picked (`FOR UPDATE SKIP LOCKED`):
 * a row another replica is claiming is passed over, not waited for, and a row
 * it claimed and committed meanwhile is checked again as it is now (running
 * under a live lease: no longer a candidate). A job whose queue has an earlier
 * job unfinished in this statement's snapshot waits, as on SQLite; one that a
 * concurrent claim is taking counts as unfinished (it is, in the snapshot).
 *
 * PostgreSQL allows no locking clause in a branch of UNION, so each branch is
 * its own locked subquery. The picked ids are gathered with ARRAY(…), an
 * initplan PostgreSQL runs exactly once: an `id IN (…)` semi-join could scan
 * the locked subquery again and, with a row unlocked in between, update more
 * rows than the limit.
 */
import { and, asc, desc, eq, exists, gte, inArray, lt, lte, ne, not, notExists, or, sql, type SQL } from 'drizzle-orm';
import { alias, QueryBuilder, unionAll, type PgColumn } from 'drizzle-orm/pg-core';
import { foregroundReserve } from '../outbox.repo.js';
import { BACKGROUND_KIND } from '../schema.js';
import type { PgExecutor } from './executor.js';
import { outbox } from './schema.js';

const qb = new QueryBuilder();
const UNFINISHED = ['pending', 'running'] as const;
// A literal, not a parameter: the planner matches it against the partial indexes' predicates.
const background = sql.raw(`'${BACKGROUND_KIND}'`);
const locked = { skipLocked: true } as const;

const o = alias(outbox, 'o');
const b = alias(outbox, 'b');
const e = alias(outbox, 'e');
const u = alias(outbox, 'u');

/**
 * No earlier job of the row's queue is unfinished. A queue holds captures only
 * or none (queueOf), so the earlier jobs are looked for in the row's own lane:
 * the same answer, and the planner reads them through that lane's index
 * rather than every unfinished job.
 */
function firstInQueue(row: { readonly queue: PgColumn; readonly id: PgColumn }, lane: 'foreground' | 'background'): SQL {
  const sameLane = lane === 'background' ? eq(e.kind, background) : ne(e.kind, background);
  return notExists(qb.select({ one: sql`1` }).from(e).where(and(sameLane, eq(e.queue, row.queue), inArray(e.status, UNFINISHED), lt(e.id, row.id))));
}

/** Some urgent job is running, or due and first in its queue: every non-urgent one waits (see ../outbox.repo.ts). Urgent jobs are never background ones. */
function urgentWaiting(now: Date): SQL {
  return exists(
    qb
      .select({ one: sql`1` })
      .from(u)
      .where(
        and(
          ne(u.kind, background),
          inArray(u.status, UNFINISHED),
          eq(u.urgent, true),
          or(and(eq(u.status, 'running'), gte(u.leaseUntil, now)), and(eq(u.status, 'pending'), lte(u.nextRunAt, now), firstInQueue(u, 'foreground'))),
        ),
      ),
  );
}

/**
 * The ids one claim takes: foreground jobs, urgent first, then by id; then at
 * most `backgroundLimit` captures (those whose lease ran out first, then the
 * pending ones in due order), none while an urgent job waits.
 */
function claimCandidates(db: PgExecutor, now: Date, limit: number, backgroundLimit: number): SQL {
  // The foreground lane's first `limit` in the final order are the only ones it can contribute.
  const foreground = qb
    .select({ id: o.id, urgent: o.urgent, lane: sql<number>`0`.as('lane') })
    .from(o)
    .where(
      and(
        ne(o.kind, background),
        inArray(o.status, UNFINISHED),
        or(and(eq(o.status, 'pending'), lte(o.nextRunAt, now)), and(eq(o.status, 'running'), lt(o.leaseUntil, now))),
        firstInQueue(o, 'foreground'),
        or(eq(o.urgent, true), not(urgentWaiting(now))),
      ),
    )
    .orderBy(desc(o.urgent), asc(o.id))
    .limit(limit)
    .for('update', locked)
    .as('f');

  // A lease that ran out: its process died mid-capture.
  const expired = qb
    .select({ id: b.id, step: sql<number>`0`.as('step'), due: sql<Date>`${b.nextRunAt}`.as('due') })
    .from(b)
    .where(and(eq(b.kind, background), eq(b.status, 'running'), lt(b.leaseUntil, now), firstInQueue(b, 'background'), not(urgentWaiting(now))))
    .orderBy(asc(b.id))
    .limit(backgroundLimit)
    .for('update', locked)
    .as('x');
  const due = qb
    .select({ id: b.id, step: sql<number>`1`.as('step'), due: sql<Date>`${b.nextRunAt}`.as('due') })
    .from(b)
    .where(and(eq(b.kind, background), eq(b.status, 'pending'), lte(b.nextRunAt, now), firstInQueue(b, 'background'), not(urgentWaiting(now))))
    .orderBy(asc(b.nextRunAt), asc(b.id))
    .limit(backgroundLimit)
    .for('update', locked)
    .as('d');
  const captures = unionAll(db.select().from(expired), db.select().from(due))
    .orderBy(sql`step`, sql`due`, sql`id`)
    .limit(backgroundLimit)
    .as('c');

  const picked = unionAll(
    db.select().from(foreground),
    db.select({ id: captures.id, urgent: sql<boolean>`false`.as('urgent'), lane: sql<number>`1`.as('lane') }).from(captures),
  )
    .orderBy(sql`urgent DESC`, sql`lane`, sql`id`)
    .limit(limit)
    .as('p');
  return sql`ARRAY(${qb.select({ id: picked.id }).from(picked)})`;
}

/**
 * The claim: up to `limit` due jobs set running under a lease, captures only
 * while `foregroundReserve(slots)` of the `limit` free slots stay free.
 */
export function claimStatement(db: PgExecutor, now: Date, leaseMs: number, limit: number, slots = limit) {
  // Never negative: PostgreSQL refuses a negative LIMIT.
  const backgroundLimit = Math.max(0, limit - foregroundReserve(slots));
  return db
    .update(outbox)
    .set({ status: 'running', attempts: sql`${outbox.attempts} + 1`, leaseUntil: new Date(now.getTime() + leaseMs) })
    .where(sql`${outbox.id} = ANY(${claimCandidates(db, now, Math.max(0, limit), backgroundLimit)})`)
    .returning({ id: outbox.id, kind: outbox.kind, incidentId: outbox.incidentId, payload: outbox.payload, attempts: outbox.attempts, createdAt: outbox.createdAt });
}
