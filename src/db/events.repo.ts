import { sql } from 'drizzle-orm';
import type { EventLog } from '../domain/ports.js';
import type { Db } from './client.js';
import type { SyncRepo } from './store.js';
import { processedEvents } from './schema.js';

export function eventLog(db: Db): SyncRepo<EventLog> {
  const insert = db
    .insert(processedEvents)
    .values({ eventId: sql.placeholder('eventId'), receivedAt: sql.placeholder('now') })
    .onConflictDoNothing()
    .prepare();
  return {
    markProcessed(eventId: string, now: Date): boolean {
      return insert.run({ eventId, now }).changes === 1;
    },
  };
}
