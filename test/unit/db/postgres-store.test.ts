import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, openPostgres, type PostgresStore } from '../../../src/db/postgres/client.js';
import { postgresStore } from '../../../src/db/postgres/store.js';
import type { Store, StoreDecorator } from '../../../src/db/store.js';
import type { Incident } from '../../../src/domain/model.js';
import type { NewIncident } from '../../../src/domain/ports.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server.js';

const NOW = new Date('2026-11-22T10:00:00Z');

const declaration = (title: string): NewIncident => ({
  title,
  description: null,
  severity: 'sev2',
  service: null,
  isPrivate: false,
  declaredBy: 'U1',
  declaredAt: NOW,
  originChannelId: null,
});

/** A promise the test settles itself: a transaction awaits it to stay open while the test looks on. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Counts declarations once committed, as the metrics decorator does: it must see every transaction's view. */
function declarationCounter(): { decorator: StoreDecorator; readonly titles: string[] } {
  const titles: string[] = [];
  const decorator: StoreDecorator = (repos, afterCommit) => {
    const create = repos.incidents.create;
    repos.incidents.create = async (input) => {
      const incident = await create(input);
      afterCommit(() => titles.push(incident.title));
      return incident;
    };
  };
  return { decorator, titles };
}

/**
 * One server for the file, a fresh database per test. Two stores on one
 * database are two replicas: separate pools, nothing shared but PostgreSQL.
 */
describe.skipIf(!postgresAvailable('PostgreSQL store'))('the PostgreSQL store', () => {
  let server: PostgresServer;
  const opened: PostgresStore[] = [];
  let databases = 0;

  /** A migrated database and `replicas` stores on it (the first with `decorators`). */
  async function replicasOf(replicas: number, decorators: readonly StoreDecorator[] = []): Promise<Store[]> {
    const url = await server.createDatabase(`store_${++databases}`);
    const pools = Array.from({ length: replicas }, () => openPostgres(url, { poolSize: 10 }));
    opened.push(...pools);
    await migratePostgres(pools[0]!.db);
    return pools.map((p, i) => postgresStore(p.db, i === 0 ? decorators : []));
  }

  beforeAll(async () => {
    server = await startPostgres({ database: 'postgres_store' });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await server?.stop();
  }, 30_000);

  describe('transactions', () => {
    it('commits: another replica sees nothing of the writes until the commit, then all of them', async () => {
      const [store, other] = await replicasOf(2);
      const incident = await store!.incidents.create(declaration('Checkout errors'));
      const inside = gate();
      const written = gate();
      const tx = store!.transaction(async (t) => {
        await t.incidents.changeSeverity(incident.id, 'sev2', 'sev1', NOW);
        await t.incidents.recordTopic(incident.id, 'Checkout is down');
        written.open();
        await inside.promise;
        return 'done';
      });
      await written.promise;
      expect((await other!.incidents.get(incident.id))?.severity).toBe('sev2');
      // Outside the transaction the store itself reads on another connection: it waits for nobody.
      expect((await store!.incidents.get(incident.id))?.severity).toBe('sev2');
      inside.open();
      await expect(tx).resolves.toBe('done');
      expect((await other!.incidents.get(incident.id))?.severity).toBe('sev1');
      expect((await other!.incidents.setupProgress(incident.id))?.topic).toBe('Checkout is down');
    });

    it('rolls back everything when fn throws, and rethrows', async () => {
      const [store] = await replicasOf(1);
      const incident = await store!.incidents.create(declaration('Checkout errors'));
      const failure = store!.transaction(async (t) => {
        await t.incidents.changeSeverity(incident.id, 'sev2', 'sev1', NOW);
        await t.timeline.add({ incidentId: incident.id, kind: 'note', text: 'seen', actorId: 'U1', occurredAt: NOW });
        throw new Error('refused');
      });
      await expect(failure).rejects.toThrow('refused');
      expect((await store!.incidents.get(incident.id))?.severity).toBe('sev2');
      expect(await store!.timeline.list(incident.id)).toEqual([]);
    });

    it('rolls a savepoint back alone: the outer writes before and after it commit', async () => {
      const [store] = await replicasOf(1);
      const incident = await store!.incidents.create(declaration('Checkout errors'));
      await store!.transaction(async (t) => {
        await t.incidents.changeSeverity(incident.id, 'sev2', 'sev1', NOW);
        await expect(
          t.transaction(async (s) => {
            await s.incidents.recordTopic(incident.id, 'rolled back');
            throw new Error('inner');
          }),
        ).rejects.toThrow('inner');
        // A failed statement aborts a PostgreSQL transaction: inside a savepoint, only the savepoint.
        await expect(t.transaction((s) => s.actions.add({ incidentId: 999, text: 'x', ownerId: 'U1', dueDate: '2026-12-01', createdBy: 'U1', createdAt: NOW }))).rejects.toThrow();
        await t.transaction(async (s) => {
          await s.incidents.recordTopic(incident.id, 'kept');
        });
        await t.incidents.changeStatus(incident.id, 'investigating', 'identified', NOW);
      });
      const after = await store!.incidents.setupProgress(incident.id);
      expect(after).toMatchObject({ severity: 'sev1', status: 'identified', topic: 'kept' });
      expect(await store!.actions.listForIncident(999)).toEqual([]);
    });

    it('runs afterCommit work after the outermost commit only, a savepoint’s with it, and drops a rolled-back one’s', async () => {
      const [store] = await replicasOf(1);
      const ran: string[] = [];
      await store!.transaction(async (t) => {
        t.afterCommit(() => ran.push('outer'));
        await t.transaction(async (s) => {
          s.afterCommit(() => ran.push('released savepoint'));
          await s.transaction(async (deeper) => deeper.afterCommit(() => ran.push('nested savepoint')));
        });
        await t.transaction(async (s) => {
          s.afterCommit(() => ran.push('rolled-back savepoint'));
          throw new Error('inner');
        }).catch(() => undefined);
        expect(ran).toEqual([]);
      });
      expect(ran).toEqual(['outer', 'released savepoint', 'nested savepoint']);

      await store!.transaction(async (t) => {
        t.afterCommit(() => ran.push('rolled back'));
        await t.transaction(async (s) => s.afterCommit(() => ran.push('savepoint of a rolled-back transaction')));
        throw new Error('outer');
      }).catch(() => undefined);
      expect(ran).toHaveLength(3);
    });

    it('runs the store’s own afterCommit at once, even while another transaction is open', async () => {
      const [store] = await replicasOf(1);
      const ran: string[] = [];
      const inside = gate();
      const opened = gate();
      const tx = store!.transaction(async (t) => {
        t.afterCommit(() => ran.push('transaction'));
        opened.open();
        await inside.promise;
      });
      await opened.promise;
      store!.afterCommit(() => ran.push('outside'));
      expect(ran).toEqual(['outside']);
      inside.open();
      await tx;
      expect(ran).toEqual(['outside', 'transaction']);
    });

    it('applies the decorators to every view: counted once committed, never for a rollback', async () => {
      const counter = declarationCounter();
      const [store] = await replicasOf(1, [counter.decorator]);
      await store!.incidents.create(declaration('outside'));
      await store!.transaction(async (t) => {
        await t.incidents.create(declaration('in a transaction'));
        await t.transaction((s) => s.incidents.create(declaration('in a savepoint')));
        await t.transaction(async (s) => {
          await s.incidents.create(declaration('in a rolled-back savepoint'));
          throw new Error('inner');
        }).catch(() => undefined);
        expect(counter.titles).toEqual(['outside']);
      });
      await store!.transaction(async (t) => {
        await t.incidents.create(declaration('rolled back'));
        throw new Error('outer');
      }).catch(() => undefined);
      expect(counter.titles).toEqual(['outside', 'in a transaction', 'in a savepoint']);
    });
  });

  describe('numbering under concurrency', () => {
    it('hands out 50 incident numbers declared at once on two replicas, unique and gapless', async () => {
      const [first, second] = await replicasOf(2);
      const created = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const store = i % 2 === 0 ? first! : second!;
          // Half of them inside a verb's transaction, as a declaration runs.
          return i % 4 < 2 ? store.incidents.create(declaration(`outside ${i}`)) : store.transaction((t) => t.incidents.create(declaration(`inside ${i}`)));
        }),
      );
      expect(created.map((i) => i.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect((await first!.incidents.listOpen()).map((i) => i.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('leaves no hole for a declaration rolled back, on SQLite’s terms', async () => {
      const [store, other] = await replicasOf(2);
      await store!.incidents.create(declaration('one'));
      await store!.transaction(async (t) => {
        expect((await t.incidents.create(declaration('rolled back'))).id).toBe(2);
        throw new Error('refused');
      }).catch(() => undefined);
      expect((await other!.incidents.create(declaration('two'))).id).toBe(2);
    });

    it('numbers 40 follow-ups added at once to one incident on two replicas 1..40', async () => {
      const [first, second] = await replicasOf(2);
      const incident: Incident = await first!.incidents.create(declaration('Checkout errors'));
      const items = await Promise.all(
        Array.from({ length: 40 }, (_, i) => {
          const store = i % 2 === 0 ? first! : second!;
          const item = { incidentId: incident.id, text: `follow-up ${i}`, ownerId: 'U1', dueDate: '2026-12-01', createdBy: 'U1', createdAt: NOW };
          return i % 3 === 0 ? store.transaction((t) => t.actions.add(item)) : store.actions.add(item);
        }),
      );
      expect(items.map((i) => i.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect((await second!.actions.listForIncident(incident.id)).map((i) => i.number)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });

    it('chains 20 role assignments made at once on two replicas: one current holder, each ending the one before', async () => {
      const [first, second] = await replicasOf(2);
      const incident = await first!.incidents.create(declaration('Checkout errors'));
      const users = Array.from({ length: 20 }, (_, i) => `U${i}`);
      const previous = await Promise.all(
        users.map((user, i) => (i % 2 === 0 ? first! : second!).roles.assign(incident.id, 'ic', user, 'U0', NOW)),
      );
      const history = await first!.roles.history(incident.id);
      expect(history).toHaveLength(20);
      expect(history.filter((t) => t.endedAt === null)).toHaveLength(1);
      // In the order they committed, each assignment ended the term of the one before it.
      expect(previous[users.indexOf(history[0]!.userId)]).toBeUndefined();
      for (let i = 1; i < history.length; i++) expect(previous[users.indexOf(history[i]!.userId)]).toBe(history[i - 1]!.userId);
      expect(await second!.roles.current(incident.id)).toEqual([{ role: 'ic', userId: history.at(-1)!.userId, assignedAt: NOW }]);
    });

    it('lets exactly one of 10 replicas’ conditional changes win', async () => {
      const [first, second] = await replicasOf(2);
      const incident = await first!.incidents.create(declaration('Checkout errors'));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? first! : second!).transaction((t) => t.incidents.markResolved(incident.id, NOW, `summary ${i}`))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const won = results.indexOf(true);
      expect((await second!.incidents.get(incident.id))?.resolveSummary).toBe(`summary ${won}`);
    });
  });
});
