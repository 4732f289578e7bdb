import { and, asc, eq, sql } from 'drizzle-orm';
import type { ActionItem } from '../../domain/model.js';
import type { NewActionItem } from '../../domain/ports.js';
import type { actionsRepo as sqliteActionsRepo } from '../actions.repo.js';
import type { AsyncRepo } from '../store.js';
import { inTransaction, type PgExecutor } from './executor.js';
import { actionItemReschedules, actionItems, incidents } from './schema.js';

/** Follow-ups on PostgreSQL: the same answers as ../actions.repo.ts. */
export function actionsRepo(db: PgExecutor) {
  const item = (incidentId: number, number: number) => and(eq(actionItems.incidentId, incidentId), eq(actionItems.number, number));
  const changed = async (query: PromiseLike<{ rowCount: number | null }>) => (await query).rowCount === 1;
  return {
    /**
     * Numbered by locking the incident's row, not by a retry on the unique
     * index: a unique violation would abort the caller's whole transaction.
     * Two replicas adding to one incident queue on the lock (FOR NO KEY
     * UPDATE: rows that only reference the incident do not wait for it), and
     * the number is read by the next statement, which sees the item the one
     * before committed.
     */
    add(newItem: NewActionItem): Promise<ActionItem> {
      return inTransaction(db, async (tx) => {
        await tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, newItem.incidentId)).for('no key update');
        const [row] = await tx
          .insert(actionItems)
          .values({
            ...newItem,
            number: sql`(SELECT coalesce(max(${actionItems.number}), 0) + 1 FROM ${actionItems} WHERE ${actionItems.incidentId} = ${newItem.incidentId})`,
          })
          .returning();
        return row!;
      });
    },
    async get(incidentId: number, number: number): Promise<ActionItem | undefined> {
      const [row] = await db.select().from(actionItems).where(item(incidentId, number)).limit(1);
      return row;
    },
    listForIncident(incidentId: number): Promise<ActionItem[]> {
      return db.select().from(actionItems).where(eq(actionItems.incidentId, incidentId)).orderBy(asc(actionItems.number));
    },
    listOpenForOwner(ownerId: string): Promise<ActionItem[]> {
      return db
        .select()
        .from(actionItems)
        .where(and(eq(actionItems.ownerId, ownerId), eq(actionItems.status, 'open')))
        .orderBy(asc(actionItems.dueDate), asc(actionItems.incidentId), asc(actionItems.number));
    },
    reschedule(incidentId: number, number: number, from: string, to: string, now: Date): Promise<boolean> {
      // The new date and its record together, as on SQLite (one connection there).
      return inTransaction(db, async (tx) => {
        const [row] = await tx
          .update(actionItems)
          .set({ dueDate: to })
          .where(and(item(incidentId, number), eq(actionItems.status, 'open'), eq(actionItems.dueDate, from)))
          .returning({ id: actionItems.id });
        if (!row) return false;
        await tx.insert(actionItemReschedules).values({ actionItemId: row.id, wasDue: from, due: to, at: now });
        return true;
      });
    },
    close(incidentId: number, number: number, status: 'done' | 'dropped', by: string, now: Date, reason: string | null): Promise<boolean> {
      return changed(
        db.update(actionItems).set({ status, closedBy: by, closedAt: now, dropReason: reason }).where(and(item(incidentId, number), eq(actionItems.status, 'open'))),
      );
    },
  } satisfies AsyncRepo<ReturnType<typeof sqliteActionsRepo>>;
}
