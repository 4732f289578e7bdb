import { readFileSync } from 'node:fs';
import { is, type InferSelectModel, type Table } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { MIGRATION_LOCK_KEY, migratePostgres, openPostgres, type PostgresStore } from '../../../src/db/postgres/client.js';
import * as pgSchema from '../../../src/db/postgres/schema.js';
import * as sqliteSchema from '../../../src/db/schema.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server.js';

/** What a reader of the database cares about in a table, the same way for either dialect. */
interface TableShape {
  columns: string[];
  indexes: string[];
  uniques: string[];
  partial: string[];
  foreignKeys: string[];
}

type Config = ReturnType<typeof pgTableConfig> | ReturnType<typeof sqliteTableConfig>;

function shapeOf(config: Config): TableShape {
  const indexes = config.indexes.map((i) => i.config);
  return {
    columns: config.columns.map((c) => c.name).sort(),
    indexes: indexes.map((i) => i.name ?? '').sort(),
    uniques: indexes.filter((i) => i.unique).map((i) => i.name ?? '').sort(),
    partial: indexes.filter((i) => i.where).map((i) => i.name ?? '').sort(),
    foreignKeys: config.foreignKeys
      .map((fk) => fk.reference())
      .map((r) => `${r.columns.map((c) => c.name).join(',')} -> ${pgOrSqliteName(r.foreignTable)}(${r.foreignColumns.map((c) => c.name).join(',')})`)
      .sort(),
  };
}

function pgOrSqliteName(table: Table): string {
  return is(table, PgTable) ? pgTableConfig(table).name : sqliteTableConfig(table as SQLiteTable).name;
}

const pgTables = (Object.values(pgSchema) as unknown[]).filter((v): v is PgTable => is(v, PgTable));
const sqliteTables = (Object.values(sqliteSchema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable));
const pgShapes = Object.fromEntries(pgTables.map((t) => pgTableConfig(t)).map((c) => [c.name, shapeOf(c)]));
const sqliteShapes = Object.fromEntries(sqliteTables.map((t) => sqliteTableConfig(t)).map((c) => [c.name, shapeOf(c)]));

/** Each table's row type, by export name: what the repositories of both stores read and write. */
type Rows<S> = { [K in keyof S as S[K] extends Table ? K : never]: S[K] extends Table ? InferSelectModel<S[K]> : never };

describe('the PostgreSQL schema beside the SQLite one', () => {
  it('has the same tables, columns, indexes, uniques, partial indexes and foreign keys', () => {
    expect(pgTables.length).toBeGreaterThan(10);
    expect(pgShapes).toEqual(sqliteShapes);
  });

  it('reads and writes the same row types (checked by tsc)', () => {
    expectTypeOf<Rows<typeof pgSchema>>().toEqualTypeOf<Rows<typeof sqliteSchema>>();
  });
});

describe.skipIf(!postgresAvailable('PostgreSQL migrations'))('migratePostgres on a real PostgreSQL', () => {
  let server: PostgresServer;
  const opened: PostgresStore[] = [];
  const open = (url: string) => {
    const store = openPostgres(url, { poolSize: 2 });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startPostgres({ database: 'postgres_migrations' });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await server?.stop();
  }, 30_000);

  it('applies the migrations once when two replicas migrate at once, each waiting on the lock', async () => {
    const url = await server.createDatabase('two_replicas');
    const [holder, first, second] = [open(url), open(url), open(url)];
    // Someone else holds the lock: both replicas must queue behind it, so they surely overlap.
    const held = await holder.pool.connect();
    await held.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    const both = Promise.all([migratePostgres(first.db), migratePostgres(second.db)]);
    const waiting = async () =>
      (await holder.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rows[0]?.n;
    await expect.poll(waiting, { timeout: 10_000 }).toBe(2);
    await held.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
    held.release();

    await both;
    const journal = JSON.parse(readFileSync(new URL('../../../migrations/postgres/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] };
    const applied = await holder.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    expect(applied.rows[0]?.n).toBe(journal.entries.length);
    const locks = await holder.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`);
    expect(locks.rows[0]?.n).toBe(0);
    // And a later start finds nothing to do.
    await migratePostgres(first.db);
    expect((await holder.pool.query('SELECT 1 FROM drizzle.__drizzle_migrations')).rowCount).toBe(journal.entries.length);
  });

  it('creates every table with the columns and indexes of the schema', async () => {
    const { pool, db } = open(await server.createDatabase('columns'));
    await migratePostgres(db);
    const columns = await pool.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const indexes = await pool.query<{ tablename: string; indexname: string }>(
      `SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'`,
    );
    const inDatabase: Record<string, { columns: string[]; indexes: string[] }> = {};
    for (const r of columns.rows) (inDatabase[r.table_name] ??= { columns: [], indexes: [] }).columns.push(r.column_name);
    for (const r of indexes.rows) inDatabase[r.tablename]?.indexes.push(r.indexname);
    for (const t of Object.values(inDatabase)) {
      t.columns.sort();
      t.indexes.sort();
    }

    const expected = Object.fromEntries(Object.entries(sqliteShapes).map(([name, s]) => [name, { columns: s.columns, indexes: s.indexes }]));
    expect(inDatabase).toEqual(expected);
  });
});
