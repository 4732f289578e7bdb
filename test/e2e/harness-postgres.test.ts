/**
 * The harness on PostgreSQL, as the e2e-postgres project relies on it: each
 * harness's bot on a database of its own that looks freshly migrated even
 * when another harness used it before (stopped harnesses' databases are
 * emptied and handed on), and a restart on the same database file finding
 * the same database again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { releaseHarnessPostgres } from '../support/harness-postgres.js';
import { postgresAvailable } from '../support/postgres-server.js';
import { sharedWorld } from '../support/shared-world.js';
import { count, query } from '../support/store-sql.js';

/** Rows in every table of the schema, by table. */
async function rowsByTable(h: Harness): Promise<Record<string, number>> {
  const tables = await query<{ tablename: string }>(h, "select tablename from pg_tables where schemaname = 'public' order by tablename");
  const counts: Record<string, number> = {};
  for (const { tablename } of tables) counts[tablename] = await count(h, `select count(*) from "${tablename}"`);
  return counts;
}

describe.skipIf(!postgresAvailable('harness on PostgreSQL'))('the harness on PostgreSQL', () => {
  // Outside the e2e-postgres project this file's process started its own server: it goes here.
  afterAll(() => releaseHarnessPostgres(), 30_000);

  it('gives each harness an empty, migrated database, the same one again once the last harness stopped', async () => {
    const first = await Harness.start({ store: 'postgres' });
    expect(first.bot.database.dialect).toBe('postgres');
    await first.run('declare sev2 Search latency high');
    const channel = (await first.incidentChannel(1)).id;
    await first.run('action Add an alert on queue depth <@U0DAN>', { channelId: channel });
    await first.run('resolve Drained', { channelId: channel });
    const used = await rowsByTable(first);
    // Something in most tables, so that a table emptying missed would show below.
    expect(Object.values(used).filter((n) => n > 0).length).toBeGreaterThan(5);
    const database = first.bot.config.database.url;
    await first.stop();

    const second = await Harness.start({ store: 'postgres' });
    try {
      expect(second.bot.config.database.url).toBe(database);
      expect(await rowsByTable(second)).toEqual(Object.fromEntries(Object.keys(used).map((table) => [table, 0])));
      // Identities restarted too: numbering starts again at INC-1.
      await second.run('declare sev3 Second life');
      expect((await second.bot.store.incidents.get(1))?.title).toBe('Second life');
    } finally {
      await second.stop();
    }
  });

  it('gives two harnesses at once two databases, and a restart on one database file the same database', async () => {
    const world = await sharedWorld();
    const other = await Harness.start({ store: 'postgres' });
    try {
      const before = await Harness.start({ store: 'postgres', slack: world.slack, databaseFile: world.databaseFile });
      expect(before.bot.config.database.url).not.toBe(other.bot.config.database.url);
      await before.run('declare sev1 Checkout errors spiking');
      await before.stop();
      const after = await Harness.start({ store: 'postgres', slack: world.slack, databaseFile: world.databaseFile });
      try {
        expect(after.bot.config.database.url).toBe(before.bot.config.database.url);
        expect((await after.bot.store.incidents.get(1))?.title).toBe('Checkout errors spiking');
      } finally {
        await after.stop();
      }
    } finally {
      await other.stop();
      await world.dispose();
    }
  });
});
