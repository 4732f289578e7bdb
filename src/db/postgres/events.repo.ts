import type { eventLog as sqliteEventLog } from '../events.repo.js';
import type { AsyncRepo } from '../store.js';
import type { PgExecutor } from './executor.js';
import { processedEvents } from './schema.js';

/** Slack event ids already applied, on PostgreSQL: the same answers as ../events.repo.ts. */
export function eventLog(db: PgExecutor) {
  return {
    async markProcessed(eventId: string, now: Date): Promise<boolean> {
      // Of two replicas handed the same retry, the second's insert waits for the first's commit and inserts nothing.
      const result = await db.insert(processedEvents).values({ eventId, receivedAt: now }).onConflictDoNothing();
      return result.rowCount === 1;
    },
  } satisfies AsyncRepo<ReturnType<typeof sqliteEventLog>>;
}
