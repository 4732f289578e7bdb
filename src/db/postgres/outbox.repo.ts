// Placeholder until the PostgreSQL outbox lands: this whole file is replaced by it.
import type { outboxRepo as sqliteOutboxRepo } from '../outbox.repo.js';
import type { AsyncRepo } from '../store.js';
import type { PgExecutor } from './executor.js';
import { notYet } from './not-yet.js';

/** The outbox on PostgreSQL (not yet written). */
export function outboxRepo(_db: PgExecutor): AsyncRepo<ReturnType<typeof sqliteOutboxRepo>> {
  return notYet('outbox');
}
