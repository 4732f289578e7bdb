import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, openPostgres, type PostgresStore } from '../../../src/db/postgres/client.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server.js';

const MIGRATIONS = new URL('../../../migrations/postgres/', import.meta.url).pathname;
const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };

/** The migrations folder as a release that had only the first `count` of them shipped. */
function firstMigrations(count: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'incident-bot-pg-migrations-'));
  cpSync(MIGRATIONS, folder, { recursive: true });
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return folder;
}

/** What a database is made of, the way a query sees it: every column's type, default and nullability, every index and constraint. */
async function shape(store: PostgresStore): Promise<unknown> {
  const columns = await store.pool.query(
    `SELECT table_name, column_name, data_type, column_default, is_nullable, is_identity, identity_generation
     FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  const indexes = await store.pool.query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`);
  const constraints = await store.pool.query(
    `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def
     FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
  );
  return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
}

/**
 * A database made by an earlier release, then migrated by this one, is the
 * same as one this release creates, and keeps its rows: for every release
 * point along the journal.
 */
describe.skipIf(!postgresAvailable('PostgreSQL upgrades'))('PostgreSQL databases upgraded from an earlier release', () => {
  let server: PostgresServer;
  const opened: PostgresStore[] = [];
  const open = async (name: string) => {
    const store = openPostgres(await server.createDatabase(name), { poolSize: 1 });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startPostgres({ database: 'postgres_upgrade' });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await server?.stop();
  }, 30_000);

  it('has the columns, defaults, indexes and constraints of a fresh one, and its rows', async () => {
    const fresh = await open('fresh');
    await migratePostgres(fresh.db);
    const expected = await shape(fresh);
    expect(journal.entries.length).toBeGreaterThan(1);

    for (let shipped = 1; shipped < journal.entries.length; shipped++) {
      const upgraded = await open(`upgraded_from_${shipped}`);
      const folder = firstMigrations(shipped);
      try {
        await migrate(upgraded.db, { migrationsFolder: folder });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
      // Rows of the first release's tables, as a running bot leaves them.
      await upgraded.pool.query(`INSERT INTO outbox (kind, queue, payload, next_run_at, created_at) VALUES ('incident.sync', 'incident:1', '{"a": 1}', now(), now())`);
      await upgraded.pool.query(
        `INSERT INTO alerts (group_key, fingerprint, status, starts_at, labels, annotations, received_at, updated_at)
         VALUES ('g', 'f', 'firing', now(), '{"alertname": "X", "job": "api"}', '{}', now(), now())`,
      );
      await migratePostgres(upgraded.db);

      expect(await shape(upgraded), `upgraded from ${journal.entries[shipped - 1]!.tag}`).toEqual(expected);
      expect((await upgraded.pool.query('SELECT payload FROM outbox')).rows).toEqual([{ payload: { a: 1 } }]);
      expect((await upgraded.pool.query('SELECT labels FROM alerts')).rows).toEqual([{ labels: { alertname: 'X', job: 'api' } }]);
    }
  }, 60_000);
});
