import { is, type ExtractTablesWithRelations } from 'drizzle-orm';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import { PgTransaction, type PgDatabase } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

/**
 * What a PostgreSQL repository runs its statements on: the pool's database
 * (each statement on whichever connection is free) or one transaction (every
 * statement on its connection). drizzle's transactions are PgDatabases too,
 * so one repository serves both, and `transaction` on either opens a
 * transaction or a savepoint.
 */
export type PgExecutor = PgDatabase<NodePgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;

/**
 * Runs `fn` in the transaction `db` already is, or in a new one: for the few
 * methods whose statements must share one transaction (a lock, then the
 * statement it guards). Inside a transaction no savepoint is needed: a
 * failing statement aborts the caller's transaction on PostgreSQL anyway.
 */
export function inTransaction<T>(db: PgExecutor, fn: (tx: PgExecutor) => Promise<T>): Promise<T> {
  return is(db, PgTransaction) ? fn(db) : db.transaction(fn);
}
