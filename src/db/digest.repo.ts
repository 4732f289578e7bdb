import { and, eq, lt } from 'drizzle-orm';
import type { DigestItem, DigestPlan } from '../domain/digest.js';
import type { Db } from './client.js';
import { digestParts, digestRuns } from './schema.js';

type Row = { id: number; incident_id: number; number: number; text: string; owner_id: string; due_date: string; title: string; channel_id: string | null; is_private: number };

const toItem = (r: Row): DigestItem => ({
  id: r.id,
  incidentId: r.incident_id,
  number: r.number,
  text: r.text,
  ownerId: r.owner_id,
  dueDate: r.due_date,
  incidentTitle: r.title,
  channelId: r.channel_id,
  isPrivate: r.is_private === 1,
});

export type ClaimOutcome = 'claimed' | 'taken-over' | 'done' | 'busy';

/**
 * The digest's reads and its claims. The stream of planned items is an async generator
 * that reads one batch of BATCH rows per step, each with a single statement
 * run to its end: a digest over a hundred thousand items keeps memory flat,
 * and no statement stays open across a yield, so while the consumer awaits
 * Slack the connection is free for every other statement and transaction.
 * The other methods are synchronous, lifted to promises by the store.
 */
export function digestRepo(db: Db) {
  const select = `SELECT a.id, a.incident_id, a.number, a.text, a.owner_id, a.due_date, i.title, i.channel_id, i.is_private
    FROM action_items a JOIN incidents i ON i.id = a.incident_id`;
  // The plan needs ids in digest order, not the text: no join, three columns.
  const planRows = db.$client.prepare<{ day: string; until: string }, { id: number; owner_id: string; due_date: string }>(
    `SELECT a.id, a.owner_id, a.due_date FROM action_items a WHERE a.status = 'open' AND a.due_date <= @until
     ORDER BY a.due_date >= @day, CASE WHEN a.due_date < @day THEN a.owner_id END, a.due_date, a.incident_id, a.number`,
  );
  // Rows per statement of the streams, as on PostgreSQL.
  const BATCH = 500;
  // A batch of planned items, whatever their status now: a resumed run must cut the same messages.
  const byIds = db.$client.prepare<[string], Row>(`${select} WHERE a.id IN (SELECT value FROM json_each(?))`);
  // Planned items of private incidents other than the one whose channel the digest goes to.
  const privateOutside = db.$client.prepare<[string, string, string | null], { n: number }>(
    `SELECT count(*) AS n FROM action_items a JOIN incidents i ON i.id = a.incident_id
     WHERE a.id IN (SELECT value FROM json_each(?)) AND i.is_private = 1 AND i.channel_id IS NOT ? AND a.owner_id IS NOT ?`,
  );
  return {
    /**
     * How many of `ids` belong to private incidents whose channel is not
     * `channel` (and, for a reply to one person, that they do not own):
     * counted, not named, there.
     */
    privateCount(ids: readonly number[], channel: string, reader: string | null): number {
      return privateOutside.get(JSON.stringify(ids), channel, reader)?.n ?? 0;
    },
    /** Ids of the items a digest lists, in its order, with its totals: one streamed pass. */
    plan(day: string, until: string): DigestPlan {
      const itemIds: number[] = [];
      const owners = new Set<string>();
      let overdue = 0;
      for (const row of planRows.iterate({ day, until })) {
        itemIds.push(row.id);
        if (row.due_date < day) {
          overdue += 1;
          owners.add(row.owner_id);
        }
      }
      return { itemIds, owners: [...owners], totals: { day, overdue, owners: owners.size, upcoming: itemIds.length - overdue } };
    },
    /** The planned items, in plan order, read in batches. */
    async *streamIds(ids: readonly number[]): AsyncGenerator<DigestItem> {
      for (let i = 0; i < ids.length; i += BATCH) {
        const batch = ids.slice(i, i + BATCH);
        const rows = new Map(byIds.all(JSON.stringify(batch)).map((r) => [r.id, r]));
        for (const id of batch) {
          const row = rows.get(id);
          if (row) yield toItem(row);
        }
      }
    },
    /**
     * Claims a period for `owner`. A fresh period is claimed; a claimed one
     * whose lease ran out is taken over; a done one, or one under a live
     * lease, is left alone. One statement each, so two processes cannot both win.
     */
    claim(period: string, owner: string, day: string, now: Date, leaseMs: number): ClaimOutcome {
      const lease = new Date(now.getTime() + leaseMs);
      const inserted = db.insert(digestRuns).values({ period, status: 'claimed', owner, leaseUntil: lease, day, createdAt: now }).onConflictDoNothing().run();
      if (inserted.changes === 1) return 'claimed';
      const taken = db
        .update(digestRuns)
        .set({ owner, leaseUntil: lease })
        .where(and(eq(digestRuns.period, period), eq(digestRuns.status, 'claimed'), lt(digestRuns.leaseUntil, now)))
        .run();
      if (taken.changes === 1) return 'taken-over';
      return db.select({ status: digestRuns.status }).from(digestRuns).where(eq(digestRuns.period, period)).get()?.status === 'done' ? 'done' : 'busy';
    },
    /** Extends our lease while we post; false when someone else holds the period now. */
    renew(period: string, owner: string, now: Date, leaseMs: number): boolean {
      return (
        db
          .update(digestRuns)
          .set({ leaseUntil: new Date(now.getTime() + leaseMs) })
          .where(and(eq(digestRuns.period, period), eq(digestRuns.owner, owner), eq(digestRuns.status, 'claimed')))
          .run().changes === 1
      );
    },
    run(period: string) {
      return db.select().from(digestRuns).where(eq(digestRuns.period, period)).get();
    },
    setPlan(period: string, plan: DigestPlan): void {
      db.update(digestRuns).set({ plan }).where(eq(digestRuns.period, period)).run();
    },
    postedParts(period: string): Map<string, string> {
      return new Map(db.select().from(digestParts).where(eq(digestParts.period, period)).all().map((p) => [p.part, p.ts]));
    },
    recordPart(period: string, part: string, ts: string): void {
      db.insert(digestParts).values({ period, part, ts }).onConflictDoNothing().run();
    },
    finish(period: string, owner: string, now: Date): void {
      db.update(digestRuns).set({ status: 'done', finishedAt: now }).where(and(eq(digestRuns.period, period), eq(digestRuns.owner, owner))).run();
    },
  };
}

export type DigestRepo = ReturnType<typeof digestRepo>;
