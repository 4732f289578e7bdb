import type { Db } from '../db/client.js';

/**
 * Outbox jobs not done yet, due or waiting for a retry (a job a stop cut short
 * is among them: its lease runs out and the next start takes it again). A stop
 * leaves these for the next start and says how many.
 */
export function unfinishedOutboxJobs(db: Db): number {
  const row = db.$client.prepare<[], { n: number }>(`SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'running')`).get();
  return row?.n ?? 0;
}
