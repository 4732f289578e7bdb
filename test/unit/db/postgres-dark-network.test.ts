import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, openPostgres, type PostgresStore } from '../../../src/db/postgres/client.js';
import { postgresStore } from '../../../src/db/postgres/store.js';
import type { NewIncident } from '../../../src/domain/ports.js';
import { DarkeningRelay } from '../../support/darkening-relay.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server.js';
import { newIncident } from '../../contract/store/fixtures.js';

const declaration = (title: string): NewIncident => newIncident({ title, declaredBy: 'U1' });

describe.skipIf(!postgresAvailable('PostgreSQL behind a network that goes dark'))('PostgreSQL behind a network that goes dark', () => {
  let server: PostgresServer;
  let relay: DarkeningRelay;
  let opened: PostgresStore;

  beforeAll(async () => {
    server = await startPostgres();
    relay = new DarkeningRelay(Number(new URL(server.url).port));
    await relay.listen();
    opened = openPostgres(relay.in(server.url), { poolSize: 2, queryTimeoutMs: 1_000 });
    await migratePostgres(opened.db);
  });
  afterAll(async () => {
    opened?.pool.removeAllListeners();
    await Promise.race([opened?.close(), new Promise((r) => setTimeout(r, 1_000))]);
    await relay?.close();
    await server?.stop();
  });

  it('fails the statements caught on a dark connection instead of hanging, and works again on fresh connections', async () => {
    const store = postgresStore(opened.db);
    // Both connections open and idle in the pool when the network goes dark.
    await Promise.all([store.transaction((tx) => tx.incidents.create(declaration('before a'))), store.transaction((tx) => tx.incidents.create(declaration('before b')))]);
    expect(opened.pool.totalCount).toBe(2);
    relay.goDark();

    // A read on the pool and a declaration in a transaction, each on a connection that will never answer.
    const during = await Promise.allSettled([store.incidents.listOpen(), store.transaction((tx) => tx.incidents.create(declaration('during')))]);
    expect(during.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    relay.lightUp();
    // A transaction that goes dark between its statements: its statement and its ROLLBACK fail in turn.
    // (It only reads: locks it took would be held by its session on the server, still alive behind the relay.)
    const midway = store.transaction(async (tx) => {
      await tx.incidents.listOpen();
      relay.goDark();
      return tx.incidents.listOpen();
    });
    await expect(midway).rejects.toThrow();

    relay.lightUp();
    // Neither connection went back to the pool still waiting for its answer: two at once run at once.
    const after = await Promise.all([store.transaction((tx) => tx.incidents.create(declaration('after a'))), store.transaction((tx) => tx.incidents.create(declaration('after b')))]);
    expect(after.map((i) => i.title).sort()).toEqual(['after a', 'after b']);
    // 'during' was never committed.
    expect((await store.incidents.listOpen()).map((i) => i.title).sort()).toEqual(['after a', 'after b', 'before a', 'before b']);
  }, 40_000);
});
