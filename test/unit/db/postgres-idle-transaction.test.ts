import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, openPostgres, type PostgresStore } from '../../../src/db/postgres/client.js';
import { postgresStore } from '../../../src/db/postgres/store.js';
import type { NewIncident } from '../../../src/domain/ports.js';
import { DarkeningRelay } from '../../support/darkening-relay.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server.js';
import { newIncident } from '../../contract/store/fixtures.js';

const declaration = (title: string): NewIncident => newIncident({ title, severity: 'sev1', declaredBy: 'U1' });

describe.skipIf(!postgresAvailable('PostgreSQL transaction of a replica gone dark'))('a PostgreSQL transaction whose replica goes dark', () => {
  let server: PostgresServer;
  let relay: DarkeningRelay;
  let darkened: PostgresStore;
  let direct: PostgresStore;

  beforeAll(async () => {
    server = await startPostgres();
    relay = new DarkeningRelay(Number(new URL(server.url).port));
    await relay.listen();
    // The bound is short here; the statements wait far longer than it before they give up.
    darkened = openPostgres(relay.in(server.url), { poolSize: 1, queryTimeoutMs: 1_000, idleInTransactionTimeoutMs: 300 });
    direct = openPostgres(server.url, { poolSize: 1, queryTimeoutMs: 5_000, idleInTransactionTimeoutMs: 300 });
    await migratePostgres(direct.db);
  });
  afterAll(async () => {
    darkened?.pool.removeAllListeners();
    await Promise.race([darkened?.close(), new Promise((r) => setTimeout(r, 1_000))]);
    await direct?.close();
    await relay?.close();
    await server?.stop();
  });

  it('is ended by the server once silent past the bound, so another replica declares instead of waiting on its incident-number lock', async () => {
    let holdsLock!: () => void;
    const locked = new Promise<void>((resolve) => (holdsLock = resolve));
    const lost = postgresStore(darkened.db).transaction(async (tx) => {
      await tx.incidents.create(declaration('never committed'));
      relay.goDark();
      holdsLock();
      return tx.incidents.listOpen();
    });
    const lostSettled = lost.then(
      () => 'committed',
      () => 'failed',
    );
    await locked;

    // Without the bound this waits for the lock until its own statement gives up (5 s), and fails.
    const declared = await postgresStore(direct.db).incidents.create(declaration('declared meanwhile'));
    expect(declared).toMatchObject({ id: 1, title: 'declared meanwhile' });
    const sessions = await direct.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'idle in transaction'`);
    expect(sessions.rows[0]!.n).toBe(0);

    expect(await lostSettled).toBe('failed');
    expect((await postgresStore(direct.db).incidents.listOpen()).map((i) => i.title)).toEqual(['declared meanwhile']);
  }, 20_000);

  it('bounds only the store\'s own transactions: a session used outside them afterwards (db:copy\'s snapshot) is not', async () => {
    await postgresStore(direct.db).transaction((tx) => tx.incidents.listOpen());
    const { rows } = await direct.pool.query<{ idle_in_transaction_session_timeout: string }>('SHOW idle_in_transaction_session_timeout');
    expect(rows[0]!.idle_in_transaction_session_timeout).toBe('0');
  });
});
