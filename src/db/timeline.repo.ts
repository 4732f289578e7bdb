import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { TimelineEntry } from '../domain/model.js';
import type { NewTimelineEntry, TimelineRepo } from '../domain/ports.js';
import type { Db } from './client.js';
import type { SyncRepo } from './store.js';
import { timelineEntries } from './schema.js';

export function timelineRepo(db: Db): SyncRepo<TimelineRepo> {
  const ofMessage = (incidentId: number, messageTs: string) =>
    and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.messageTs, messageTs));
  const p = sql.placeholder;
  const insert = db
    .insert(timelineEntries)
    .values({
      incidentId: p('incidentId'),
      kind: p('kind'),
      text: p('text'),
      actorId: p('actorId'),
      occurredAt: p('occurredAt'),
      messageTs: p('messageTs'),
      permalink: p('permalink'),
    })
    .onConflictDoNothing()
    .returning()
    .prepare();
  return {
    add(entry: NewTimelineEntry): TimelineEntry | undefined {
      // The unique (incident, message) index makes a second pin of the same message a no-op.
      return insert.get({ messageTs: null, permalink: null, ...entry });
    },
    list(incidentId: number): TimelineEntry[] {
      return db
        .select()
        .from(timelineEntries)
        .where(eq(timelineEntries.incidentId, incidentId))
        .orderBy(asc(timelineEntries.occurredAt), asc(timelineEntries.id))
        .all();
    },
    updateMessageText(incidentId: number, messageTs: string, text: string): boolean {
      const changed = and(ofMessage(incidentId, messageTs), ne(timelineEntries.text, text));
      return db.update(timelineEntries).set({ text }).where(changed).run().changes > 0;
    },
    removeMessage(incidentId: number, messageTs: string): boolean {
      return db.delete(timelineEntries).where(ofMessage(incidentId, messageTs)).run().changes > 0;
    },
  };
}
