import { and, asc, eq, ne } from 'drizzle-orm';
import type { TimelineEntry } from '../../domain/model.js';
import type { NewTimelineEntry } from '../../domain/ports.js';
import type { AsyncRepo } from '../store.js';
import type { timelineRepo as sqliteTimelineRepo } from '../timeline.repo.js';
import type { PgExecutor } from './executor.js';
import { timelineEntries } from './schema.js';

/** The timeline on PostgreSQL: the same answers as ../timeline.repo.ts. */
export function timelineRepo(db: PgExecutor) {
  const ofMessage = (incidentId: number, messageTs: string) =>
    and(eq(timelineEntries.incidentId, incidentId), eq(timelineEntries.messageTs, messageTs));
  return {
    async add(entry: NewTimelineEntry): Promise<TimelineEntry | undefined> {
      // The unique (incident, message) index makes a second pin of the same message a no-op,
      // on another replica too: its insert waits for the first's commit, then does nothing.
      const [row] = await db
        .insert(timelineEntries)
        .values({ messageTs: null, permalink: null, ...entry })
        .onConflictDoNothing()
        .returning();
      return row;
    },
    list(incidentId: number): Promise<TimelineEntry[]> {
      return db
        .select()
        .from(timelineEntries)
        .where(eq(timelineEntries.incidentId, incidentId))
        .orderBy(asc(timelineEntries.occurredAt), asc(timelineEntries.id));
    },
    async updateMessageText(incidentId: number, messageTs: string, text: string): Promise<boolean> {
      const changed = and(ofMessage(incidentId, messageTs), ne(timelineEntries.text, text));
      return ((await db.update(timelineEntries).set({ text }).where(changed)).rowCount ?? 0) > 0;
    },
    async removeMessage(incidentId: number, messageTs: string): Promise<boolean> {
      return ((await db.delete(timelineEntries).where(ofMessage(incidentId, messageTs))).rowCount ?? 0) > 0;
    },
  } satisfies AsyncRepo<ReturnType<typeof sqliteTimelineRepo>>;
}
