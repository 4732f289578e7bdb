import { and, asc, eq, sql } from 'drizzle-orm';
import type { ActionItem } from '../domain/model.js';
import type { ActionItemRepo, NewActionItem } from '../domain/ports.js';
import type { Db } from './client.js';
import type { SyncRepo } from './store.js';
import { actionItemReschedules, actionItems } from './schema.js';

export function actionsRepo(db: Db): SyncRepo<ActionItemRepo> {
  return {
    add(item: NewActionItem): ActionItem {
      // The next number is read and used in one statement, inside the caller's transaction.
      return db
        .insert(actionItems)
        .values({
          ...item,
          number: sql`(SELECT coalesce(max(${actionItems.number}), 0) + 1 FROM ${actionItems} WHERE ${actionItems.incidentId} = ${item.incidentId})`,
        })
        .returning()
        .get();
    },
    get(incidentId: number, number: number): ActionItem | undefined {
      return db.select().from(actionItems).where(and(eq(actionItems.incidentId, incidentId), eq(actionItems.number, number))).get();
    },
    listForIncident(incidentId: number): ActionItem[] {
      return db.select().from(actionItems).where(eq(actionItems.incidentId, incidentId)).orderBy(asc(actionItems.number)).all();
    },
    listOpenForOwner(ownerId: string): ActionItem[] {
      return db
        .select()
        .from(actionItems)
        .where(and(eq(actionItems.ownerId, ownerId), eq(actionItems.status, 'open')))
        .orderBy(asc(actionItems.dueDate), asc(actionItems.incidentId), asc(actionItems.number))
        .all();
    },
    reschedule(incidentId: number, number: number, from: string, to: string, now: Date): boolean {
      const row = db
        .update(actionItems)
        .set({ dueDate: to })
        .where(and(eq(actionItems.incidentId, incidentId), eq(actionItems.number, number), eq(actionItems.status, 'open'), eq(actionItems.dueDate, from)))
        .returning({ id: actionItems.id })
        .get();
      if (!row) return false;
      db.insert(actionItemReschedules).values({ actionItemId: row.id, wasDue: from, due: to, at: now }).run();
      return true;
    },
    close(incidentId: number, number: number, status: 'done' | 'dropped', by: string, now: Date, reason: string | null): boolean {
      return (
        db
          .update(actionItems)
          .set({ status, closedBy: by, closedAt: now, dropReason: reason })
          .where(and(eq(actionItems.incidentId, incidentId), eq(actionItems.number, number), eq(actionItems.status, 'open')))
          .run().changes === 1
      );
    },
  };
}
