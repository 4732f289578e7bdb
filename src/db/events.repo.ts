import type { EventLog } from '../domain/ports.js';
import type { Db } from './client.js';
import { processedEvents } from './schema.js';

export function eventLog(db: Db): EventLog {
  return {
    markProcessed(eventId: string, now: Date): boolean {
      return db.insert(processedEvents).values({ eventId, receivedAt: now }).onConflictDoNothing().run().changes === 1;
    },
  };
}
