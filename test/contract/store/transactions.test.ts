import { describe, expect, it, onTestFinished } from 'vitest';
import type { StoreDecorator } from '../../../src/db/store.js';
import { declare, later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

/** A promise the test settles itself: a transaction awaits it to stay open while the test looks on. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe.each(stores)('$name store: transactions', (factory) => {
  const store = storePerTest(factory);
  const severity = async (id: number) => (await store().incidents.get(id))?.severity;

  it('commits what its function wrote and answers with what it returned; it sees its own writes', async () => {
    const { id } = await declare(store());
    const answer = await store().transaction(async (tx) => {
      await tx.incidents.changeSeverity(id, 'sev2', 'sev1', later(1));
      await tx.timeline.add({ incidentId: id, kind: 'severity_changed', text: 'SEV2 → SEV1', actorId: 'U0ALICE', occurredAt: later(1) });
      return (await tx.incidents.get(id))?.severity;
    });
    expect(answer).toBe('sev1');
    expect(await severity(id)).toBe('sev1');
    expect((await store().timeline.list(id)).map((e) => e.text)).toEqual(['SEV2 → SEV1']);
  });

  it('rolls back everything its function wrote when it throws, and the store goes on', async () => {
    const { id } = await declare(store());
    await expect(
      store().transaction(async (tx) => {
        await tx.incidents.changeSeverity(id, 'sev2', 'sev1', later(1));
        await tx.actions.add({ incidentId: id, text: 'x', ownerId: 'U0BOB', dueDate: '2026-12-01', createdBy: 'U0BOB', createdAt: later(1) });
        await tx.outbox.enqueue({ kind: 'incident.sync', incidentId: id, payload: {} }, later(1));
        throw new Error('refused after the writes');
      }),
    ).rejects.toThrow('refused after the writes');
    expect(await severity(id)).toBe('sev2');
    expect(await store().actions.listForIncident(id)).toEqual([]);
    expect(await store().outbox.list()).toEqual([]);
    await store().transaction(async (tx) => tx.incidents.changeSeverity(id, 'sev2', 'sev3', later(2)));
    expect(await severity(id)).toBe('sev3');
  });

  it('rolls back a savepoint that throws, keeping the outer writes before and after it', async () => {
    const { id } = await declare(store());
    await store().transaction(async (tx) => {
      await tx.incidents.changeSeverity(id, 'sev2', 'sev1', later(1));
      await expect(
        tx.transaction(async (inner) => {
          await inner.incidents.changeStatus(id, 'investigating', 'identified', later(2));
          // A savepoint released inside the one that throws goes with it.
          await inner.transaction(async (innermost) => innermost.incidents.recordTopic(id, 'from the savepoint'));
          throw new Error('inner refused');
        }),
      ).rejects.toThrow('inner refused');
      expect(await tx.incidents.get(id)).toMatchObject({ severity: 'sev1', status: 'investigating' });
      await tx.incidents.changeStatus(id, 'investigating', 'monitoring', later(3));
    });
    expect(await store().incidents.get(id)).toMatchObject({ severity: 'sev1', status: 'monitoring' });
    expect((await store().incidents.setupProgress(id))?.topic).toBeNull();
  });

  it('keeps a released savepoint’s writes with the outer transaction, and drops them with it', async () => {
    const { id } = await declare(store());
    await store().transaction(async (tx) => tx.transaction(async (inner) => inner.incidents.changeSeverity(id, 'sev2', 'sev1', later(1))));
    expect(await severity(id)).toBe('sev1');
    await expect(
      store().transaction(async (tx) => {
        await tx.transaction(async (inner) => inner.incidents.changeSeverity(id, 'sev1', 'sev3', later(2)));
        throw new Error('outer refused');
      }),
    ).rejects.toThrow('outer refused');
    expect(await severity(id)).toBe('sev1');
  });

  it('never shows a write from outside before its transaction commits', async () => {
    const { id } = await declare(store());
    const held = gate();
    const written = gate();
    const running = store().transaction(async (tx) => {
      await tx.incidents.changeSeverity(id, 'sev2', 'sev1', later(1));
      written.open();
      await held.promise;
      throw new Error('rolled back');
    });
    await written.promise;
    // Answered at once (PostgreSQL) or once the transaction ends (SQLite): either way, never sev1.
    const read = severity(id);
    held.open();
    await expect(running).rejects.toThrow('rolled back');
    expect(await read).toBe('sev2');
  });

  it('lets one of several transactions changing the same thing at once win', async () => {
    const { id } = await declare(store());
    const wins = await Promise.all(
      (['sev1', 'sev3', 'sev1', 'sev3', 'sev1'] as const).map((to, i) => store().transaction(async (tx) => tx.incidents.changeSeverity(id, 'sev2', to, later(i)))),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    const resolves = await Promise.all(Array.from({ length: 5 }, (_, i) => store().transaction(async (tx) => tx.incidents.markResolved(id, later(i), `by ${i}`))));
    expect(resolves.filter(Boolean)).toHaveLength(1);
  });

  describe('afterCommit', () => {
    it('runs once the outermost transaction has committed, a released savepoint’s work too, in order', async () => {
      const { id } = await declare(store());
      const ran: string[] = [];
      const seen: Promise<string | undefined>[] = [];
      await store().transaction(async (tx) => {
        await tx.incidents.changeSeverity(id, 'sev2', 'sev1', later(1));
        tx.afterCommit(() => {
          ran.push('outer');
          // A read begun now, from outside, finds the write committed.
          seen.push(severity(id));
        });
        await tx.transaction(async (inner) => inner.afterCommit(() => ran.push('released savepoint')));
        expect(ran).toEqual([]);
      });
      expect(ran).toEqual(['outer', 'released savepoint']);
      expect(await Promise.all(seen)).toEqual(['sev1']);
    });

    it('is dropped with the transaction that rolls back, and with only its own savepoint', async () => {
      const ran: string[] = [];
      await expect(
        store().transaction(async (tx) => {
          tx.afterCommit(() => ran.push('outer, rolled back'));
          await tx.transaction(async (inner) => inner.afterCommit(() => ran.push('released, rolled back with the outer')));
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      await store().transaction(async (tx) => {
        tx.afterCommit(() => ran.push('outer, committed'));
        await expect(
          tx.transaction(async (inner) => {
            inner.afterCommit(() => ran.push('savepoint, rolled back'));
            throw new Error('inner refused');
          }),
        ).rejects.toThrow('inner refused');
      });
      expect(ran).toEqual(['outer, committed']);
    });

    it('runs at once outside a transaction, even while another one is open', async () => {
      const { id } = await declare(store());
      const ran: string[] = [];
      const held = gate();
      const written = gate();
      const running = store().transaction(async (tx) => {
        await tx.incidents.changeSeverity(id, 'sev2', 'sev1', later(1));
        written.open();
        await held.promise;
        throw new Error('rolled back');
      });
      await written.promise;
      store().afterCommit(() => ran.push('beside an open transaction'));
      expect(ran).toEqual(['beside an open transaction']);
      held.open();
      await expect(running).rejects.toThrow('rolled back');
      expect(ran).toEqual(['beside an open transaction']);
    });
  });

  it('shows every view of the store, each transaction’s and savepoint’s too, to the decorators', async () => {
    const declared: string[] = [];
    // As the metrics do: count a declaration once the transaction that wrote it commits.
    const countDeclarations: StoreDecorator = (repos, afterCommit) => {
      const create = repos.incidents.create;
      repos.incidents.create = async (input) => {
        const incident = await create(input);
        afterCommit(() => declared.push(incident.title));
        return incident;
      };
    };
    const opened = await factory.open([countDeclarations]);
    onTestFinished(() => opened.close());
    const decorated = opened.store;

    await declare(decorated, { title: 'outside' });
    await decorated.transaction(async (tx) => {
      await declare(tx, { title: 'in a transaction' });
      await tx.transaction(async (inner) => declare(inner, { title: 'in a savepoint' }));
      expect(declared).toEqual(['outside']);
    });
    await expect(
      decorated.transaction(async (tx) => {
        await declare(tx, { title: 'rolled back' });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(declared).toEqual(['outside', 'in a transaction', 'in a savepoint']);
  });
});
