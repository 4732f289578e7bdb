import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, openPostgres, type PostgresStore } from '../../../src/db/postgres/client.js';
import { postgresStore } from '../../../src/db/postgres/store.js';
import type { NewIncident } from '../../../src/domain/ports.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server.js';
import { newIncident } from '../../contract/store/fixtures.js';

const declaration = (title: string): NewIncident => newIncident({ title, declaredBy: 'U1' });

/**
 * drizzle's transaction sends BEGIN before its try/finally: while PostgreSQL
 * restarts, a failing BEGIN kept its connection checked out for good, and the
 * process died of the connection's unheard 'error'. A pool of two, through
 * three restarts with transactions failing meanwhile, must still run two at once.
 */
describe.skipIf(!postgresAvailable('PostgreSQL pool across restarts'))('PostgreSQL pool across restarts', () => {
  let server: PostgresServer;
  let opened: PostgresStore;
  const idleErrors: Error[] = [];

  beforeAll(async () => {
    server = await startPostgres();
    opened = openPostgres(server.url, { poolSize: 2, onIdleError: (error) => idleErrors.push(error) });
    await migratePostgres(opened.db);
  });
  afterAll(async () => {
    await opened?.close();
    await server?.stop();
  });

  it('gives back every connection a failed BEGIN held, and survives the connections dying', async () => {
    const store = postgresStore(opened.db);
    for (let round = 0; round < 3; round++) {
      // Both connections checked out and idle inside transactions when the server goes.
      await Promise.all([store.incidents.create(declaration(`before ${round} a`)), store.incidents.create(declaration(`before ${round} b`))]);
      const stopping = server.restart();
      const during = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => store.transaction((tx) => tx.incidents.create(declaration(`during ${round} ${i}`)))));
      await stopping;
      // Some may have committed before the shutdown reached them; the rest failed and gave their connection back.
      expect(during.length).toBe(4);
      await expect.poll(async () => {
        try {
          await store.incidents.listOpen();
          return true;
        } catch {
          return false;
        }
      }, { timeout: 15_000 }).toBe(true);
    }
    // Two at once on a pool of two: a lost slot would leave one of them waiting for ever.
    const both = await Promise.all([store.transaction((tx) => tx.incidents.create(declaration('after a'))), store.transaction((tx) => tx.incidents.create(declaration('after b')))]);
    expect(both.map((i) => i.title).sort()).toEqual(['after a', 'after b']);
    expect(opened.pool.totalCount).toBeLessThanOrEqual(2);
  }, 60_000);
});
