import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

/**
 * What a PostgreSQL repository runs its statements on: the pool's database
 * (each statement on whichever connection is free) or one transaction (every
 * statement on its connection). drizzle's transactions are PgDatabases too,
 * so one repository serves both, and `transaction` on either opens a
 * transaction or a savepoint.
 */
export type PgExecutor = PgDatabase<NodePgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;
