import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, openPostgres, type PostgresStore } from '../../../src/db/postgres/client.js';
import { CONFLICT_ATTEMPTS } from '../../../src/db/postgres/conflicts.js';
import { postgresStore } from '../../../src/db/postgres/store.js';
import type { Store } from '../../../src/db/store.js';
import type { NewIncident } from '../../../src/domain/ports.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server.js';
import { newIncident } from '../../contract/store/fixtures.js';

const declaration = (title: string): NewIncident => newIncident({ title, declaredBy: 'U1' });

/** Resolves for everyone once `parties` have arrived: each transaction holds its first row until the other holds its own. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    if (++arrived === parties) release();
    return all;
  };
}

describe.skipIf(!postgresAvailable('PostgreSQL transactions run again after a conflict'))('PostgreSQL transactions run again after a conflict', () => {
  let server: PostgresServer;
  const opened: PostgresStore[] = [];
  let databases = 0;

  /** Two replicas (two pools) on a fresh migrated database. */
  async function twoReplicas(): Promise<[Store, Store]> {
    const url = await server.createDatabase(`retry_${++databases}`);
    const pools = [openPostgres(url, { poolSize: 2 }), openPostgres(url, { poolSize: 2 })];
    opened.push(...pools);
    await migratePostgres(pools[0]!.db);
    return [postgresStore(pools[0]!.db), postgresStore(pools[1]!.db)];
  }

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await Promise.all(opened.map((o) => o.close()));
    await server?.stop();
  });

  it('two replicas locking two incidents in opposite orders both commit: the deadlock victim runs again from its start, once', async () => {
    const [a, b] = await twoReplicas();
    const one = await a.incidents.create(declaration('one'));
    const two = await a.incidents.create(declaration('two'));
    const bothHoldOne = barrier(2);
    const runs = { UA: 0, UB: 0 };
    const nestedRuns = { UA: 0, UB: 0 };
    const committed: string[] = [];

    // UA's updates run in a savepoint: it must not run again on its own, only with its transaction.
    const swap = (store: Store, who: 'UA' | 'UB', first: number, second: number) =>
      store.transaction(async (tx) => {
        const run = ++runs[who];
        tx.afterCommit(() => committed.push(who));
        const updates = async (t: Store) => {
          nestedRuns[who]++;
          await t.incidents.recordOncall(first, [who]);
          if (run === 1) await bothHoldOne();
          await t.incidents.recordOncall(second, [who]);
        };
        await (who === 'UA' ? tx.transaction(updates) : updates(tx));
      });

    const settled = await Promise.allSettled([swap(a, 'UA', one.id, two.id), swap(b, 'UB', two.id, one.id)]);
    expect(settled.map((s) => (s.status === 'rejected' ? String(s.reason?.cause ?? s.reason) : s.status))).toEqual(['fulfilled', 'fulfilled']);

    // PostgreSQL chose one victim; it ran twice, the other once, and each ran its after-commit work once.
    expect(runs.UA + runs.UB).toBe(3);
    expect(nestedRuns).toEqual(runs);
    expect(committed.sort()).toEqual(['UA', 'UB']);
    // The victim's second run committed after the other: it wrote both rows last.
    const victim = runs.UA === 2 ? 'UA' : 'UB';
    const rows = await Promise.all([a.incidents.get(one.id), a.incidents.get(two.id)]);
    expect(rows.map((r) => r?.oncallUserIds)).toEqual([[victim], [victim]]);
  }, 20_000);

  it('runs a transaction that keeps conflicting a bounded number of times, then gives its error; any other error at once', async () => {
    const [a] = await twoReplicas();
    let conflicting = 0;
    const serializationFailure = Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
    await expect(
      a.transaction(async (tx) => {
        conflicting++;
        await tx.incidents.listOpen();
        throw serializationFailure;
      }),
    ).rejects.toBe(serializationFailure);
    expect(conflicting).toBe(CONFLICT_ATTEMPTS);

    let failing = 0;
    const unique = a.transaction(async (tx) => {
      failing++;
      await tx.incidents.create(declaration('rolled back'));
      throw new Error('a refusal');
    });
    await expect(unique).rejects.toThrow();
    expect(failing).toBe(1);
    expect(await a.incidents.listOpen()).toEqual([]);
  });
});
