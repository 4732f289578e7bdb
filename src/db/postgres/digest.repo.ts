import { and, eq, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { DigestItem, DigestPlan } from '../../domain/digest.js';
import type { ClaimOutcome, DigestRepo } from '../digest.repo.js';
import type { AsyncRepo } from '../store.js';
import type { PgExecutor } from './executor.js';
import { actionItems, digestParts, digestRuns, incidents } from './schema.js';

/** Rows read per query by the streams: a digest of any size holds no more than this many at once. */
const BATCH = 500;

const item = {
  id: actionItems.id,
  incidentId: actionItems.incidentId,
  number: actionItems.number,
  text: actionItems.text,
  ownerId: actionItems.ownerId,
  dueDate: actionItems.dueDate,
  incidentTitle: incidents.title,
  channelId: incidents.channelId,
  isPrivate: incidents.isPrivate,
};

/** An int[] parameter: one value however many ids (a list of parameters stops at 65,535). */
const idArray = (ids: readonly number[]): SQL => sql`${sql.param(ids)}::int[]`;

/**
 * The digest's reads and claims on PostgreSQL. The plan is one aggregate
 * (ids, owners and totals come back as one row of arrays, not a row per
 * item); the streams read BATCH rows per query, by keyset, so a digest over a
 * hundred thousand items keeps memory flat and each query stays short.
 * Owner ids sort as bytes (COLLATE "C"), as SQLite sorts them, whatever the
 * database's collation.
 */
export function digestRepo(db: PgExecutor) {
  const items = () => db.select(item).from(actionItems).innerJoin(incidents, eq(incidents.id, actionItems.incidentId));

  return {
    async privateCount(ids: readonly number[], channel: string, reader: string | null): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(actionItems)
        .innerJoin(incidents, eq(incidents.id, actionItems.incidentId))
        .where(
          and(
            sql`${actionItems.id} = ANY(${idArray(ids)})`,
            eq(incidents.isPrivate, true),
            sql`${incidents.channelId} IS DISTINCT FROM ${channel}`,
            sql`${actionItems.ownerId} IS DISTINCT FROM ${reader}`,
          ),
        );
      return row?.n ?? 0;
    },

    /** Ids in digest order (overdue by owner, then upcoming by date), the overdue owners, and the totals. */
    async plan(day: string, until: string): Promise<DigestPlan> {
      const a = actionItems;
      const overdue = lt(a.dueDate, day);
      const [row] = await db
        .select({
          itemIds: sql<number[]>`coalesce(array_agg(${a.id} ORDER BY ${a.dueDate} >= ${day}, CASE WHEN ${overdue} THEN ${a.ownerId} COLLATE "C" END, ${a.dueDate}, ${a.incidentId}, ${a.number}), '{}')`,
          owners: sql<string[]>`coalesce(array_agg(DISTINCT ${a.ownerId} COLLATE "C" ORDER BY ${a.ownerId} COLLATE "C") FILTER (WHERE ${overdue}), '{}')`,
          overdue: sql<number>`count(*) FILTER (WHERE ${overdue})`.mapWith(Number),
        })
        .from(a)
        .where(and(eq(a.status, 'open'), lte(a.dueDate, until)));
      const itemIds = row?.itemIds ?? [];
      const owners = row?.owners ?? [];
      const overdueCount = row?.overdue ?? 0;
      return { itemIds, owners, totals: { day, overdue: overdueCount, owners: owners.length, upcoming: itemIds.length - overdueCount } };
    },

    /** The planned items, in plan order, whatever their status now: a resumed run must cut the same messages. */
    async *streamIds(ids: readonly number[]): AsyncGenerator<DigestItem> {
      for (let i = 0; i < ids.length; i += BATCH) {
        const batch = ids.slice(i, i + BATCH);
        const rows = new Map((await items().where(sql`${actionItems.id} = ANY(${idArray(batch)})`)).map((r) => [r.id, r]));
        for (const id of batch) {
          const row = rows.get(id);
          if (row) yield row;
        }
      }
    },

    /**
     * A fresh period is claimed; a claimed one whose lease ran out is taken
     * over; a done one, or one under a live lease, is left alone. One
     * statement each, so two replicas cannot both win.
     */
    async claim(period: string, owner: string, day: string, now: Date, leaseMs: number): Promise<ClaimOutcome> {
      const lease = new Date(now.getTime() + leaseMs);
      const inserted = await db
        .insert(digestRuns)
        .values({ period, status: 'claimed', owner, leaseUntil: lease, day, createdAt: now })
        .onConflictDoNothing()
        .returning({ period: digestRuns.period });
      if (inserted.length === 1) return 'claimed';
      const taken = await db
        .update(digestRuns)
        .set({ owner, leaseUntil: lease })
        .where(and(eq(digestRuns.period, period), eq(digestRuns.status, 'claimed'), lt(digestRuns.leaseUntil, now)))
        .returning({ period: digestRuns.period });
      if (taken.length === 1) return 'taken-over';
      const [run] = await db.select({ status: digestRuns.status }).from(digestRuns).where(eq(digestRuns.period, period));
      return run?.status === 'done' ? 'done' : 'busy';
    },

    /** Extends our lease while we post; false when someone else holds the period now. */
    async renew(period: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
      const renewed = await db
        .update(digestRuns)
        .set({ leaseUntil: new Date(now.getTime() + leaseMs) })
        .where(and(eq(digestRuns.period, period), eq(digestRuns.owner, owner), eq(digestRuns.status, 'claimed')))
        .returning({ period: digestRuns.period });
      return renewed.length === 1;
    },

    async run(period: string) {
      const [run] = await db.select().from(digestRuns).where(eq(digestRuns.period, period));
      return run;
    },

    async setPlan(period: string, plan: DigestPlan): Promise<void> {
      await db.update(digestRuns).set({ plan }).where(eq(digestRuns.period, period));
    },

    async postedParts(period: string): Promise<Map<string, string>> {
      const parts = await db.select().from(digestParts).where(eq(digestParts.period, period));
      return new Map(parts.map((p) => [p.part, p.ts]));
    },

    async recordPart(period: string, part: string, ts: string): Promise<void> {
      await db.insert(digestParts).values({ period, part, ts }).onConflictDoNothing();
    },

    async finish(period: string, owner: string, now: Date): Promise<void> {
      await db
        .update(digestRuns)
        .set({ status: 'done', finishedAt: now })
        .where(and(eq(digestRuns.period, period), eq(digestRuns.owner, owner)));
    },
  } satisfies AsyncRepo<DigestRepo>;
}
