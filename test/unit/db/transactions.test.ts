import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/client.js';
import { createRepositories, type Store } from '../../../src/db/repositories.js';
import type { Incident } from '../../../src/domain/model.js';

const NOW = new Date('2026-11-22T10:00:00Z');

/** A promise the test settles itself: a transaction awaits it to stay open while the test looks on. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Lets every queued promise callback and I/O callback run: whatever could go on has. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Whether `promise` has settled yet, without waiting for it. */
function watch(promise: Promise<unknown>): { readonly settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

/**
 * The listeners and the outbox thread each have a connection to one file, so
 * these run on a file with a second, plain connection beside the store's: it
 * reads only what has been committed.
 */
describe('store transactions', () => {
  let dir: string;
  let db: Db;
  let other: Database.Database;
  let store: Store;
  let incident: Incident;

  /** The incident's row as the other connection sees it: committed data only. */
  const committed = () => other.prepare('SELECT title, severity, status, topic FROM incidents WHERE id = ?').get(incident.id) as Record<string, unknown>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'incident-tx-'));
    db = openDatabase(join(dir, 'incidents.db'));
    other = new Database(join(dir, 'incidents.db'));
    other.pragma('busy_timeout = 0');
    store = createRepositories(db);
    incident = await store.incidents.create({
      title: 'Checkout errors',
      description: null,
      severity: 'sev2',
      service: null,
      isPrivate: false,
      declaredBy: 'U1',
      declaredAt: NOW,
      originChannelId: null,
    });
  });

  afterEach(() => {
    other.close();
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // A verb's transaction reads, then writes; if the other connection committed
  // in between, a deferred transaction would fail (SQLITE_BUSY_SNAPSHOT) where
  // it should simply have gone first.
  it('holds the write lock from the start, so a read-then-write transaction never meets a newer snapshot', async () => {
    let otherWrite: unknown = 'not tried';

    await store.transaction(async (tx) => {
      const before = await tx.incidents.get(incident.id);
      expect(before?.severity).toBe('sev2');
      // The other connection (the outbox thread, say) tries to commit now.
      try {
        other.prepare('UPDATE incidents SET title = ? WHERE id = ?').run('changed meanwhile', incident.id);
        otherWrite = 'committed';
      } catch (error) {
        otherWrite = (error as { code?: string }).code;
      }
      await tx.incidents.recordTopic(incident.id, 'SEV2 | investigating');
    });

    expect(otherWrite).toBe('SQLITE_BUSY');
    expect((await store.incidents.setupProgress(incident.id))?.topic).toBe('SEV2 | investigating');
    expect((await store.incidents.get(incident.id))?.title).toBe('Checkout errors');
  });

  it('answers with what its function returns, and rolls everything back when it throws', async () => {
    await expect(store.transaction(async (tx) => tx.incidents.changeSeverity(incident.id, 'sev2', 'sev1', NOW))).resolves.toBe(true);
    expect(committed()).toMatchObject({ severity: 'sev1' });

    await expect(
      store.transaction(async (tx) => {
        await tx.incidents.changeSeverity(incident.id, 'sev1', 'sev3', NOW);
        await tx.incidents.recordTopic(incident.id, 'SEV3');
        throw new Error('refused after the writes');
      }),
    ).rejects.toThrow('refused after the writes');
    expect(committed()).toMatchObject({ severity: 'sev1', topic: null });
    // The connection is free again: the next transaction begins and commits.
    await store.transaction(async (tx) => tx.incidents.recordTopic(incident.id, 'SEV1'));
    expect(committed()).toMatchObject({ topic: 'SEV1' });
  });

  it('rolls back a nested transaction (a savepoint) that throws, and keeps the outer one’s writes before and after it', async () => {
    await store.transaction(async (tx) => {
      await tx.incidents.changeSeverity(incident.id, 'sev2', 'sev1', NOW);
      await expect(
        tx.transaction(async (inner) => {
          await inner.incidents.changeStatus(incident.id, 'investigating', 'identified', NOW);
          // A savepoint inside the savepoint that commits: it goes with its parent.
          await inner.transaction(async (innermost) => innermost.incidents.recordTopic(incident.id, 'from the savepoint'));
          throw new Error('inner refused');
        }),
      ).rejects.toThrow('inner refused');
      // Inside the outer transaction the savepoint's writes are already gone.
      expect(await tx.incidents.get(incident.id)).toMatchObject({ severity: 'sev1', status: 'investigating' });
      await tx.incidents.changeStatus(incident.id, 'investigating', 'monitoring', NOW);
    });

    expect(committed()).toEqual({ title: 'Checkout errors', severity: 'sev1', status: 'monitoring', topic: null });
  });

  it('keeps a nested transaction’s writes when it returns, and drops them with the outer one', async () => {
    await store.transaction(async (tx) => {
      await tx.transaction(async (inner) => inner.incidents.changeSeverity(incident.id, 'sev2', 'sev1', NOW));
      expect(committed()).toMatchObject({ severity: 'sev2' });
    });
    expect(committed()).toMatchObject({ severity: 'sev1' });

    await expect(
      store.transaction(async (tx) => {
        await tx.transaction(async (inner) => inner.incidents.recordTopic(incident.id, 'released savepoint'));
        throw new Error('outer refused');
      }),
    ).rejects.toThrow('outer refused');
    expect(committed()).toMatchObject({ severity: 'sev1', topic: null });
  });

  describe('a call from outside while a transaction awaits', () => {
    /** Opens a transaction that changes the severity and then waits on `held` before it commits or throws. */
    async function openTransaction(held: Promise<void>, end: 'commit' | 'rollback') {
      const written = gate();
      const running = store.transaction(async (tx) => {
        await tx.incidents.changeSeverity(incident.id, 'sev2', 'sev1', NOW);
        written.open();
        await held;
        if (end === 'rollback') throw new Error('rolled back');
      });
      await written.promise;
      // In an object: an async function returning the promise itself would wait for it.
      return { running };
    }

    it('waits for the commit and then sees the committed write', async () => {
      const held = gate();
      const { running } = await openTransaction(held.promise, 'commit');

      const read = store.incidents.get(incident.id);
      const state = watch(read);
      await turn();
      expect(state.settled).toBe(false);

      held.open();
      await running;
      expect(await read).toMatchObject({ severity: 'sev1' });
    });

    it('never sees the uncommitted write of a transaction that rolls back', async () => {
      const held = gate();
      const { running } = await openTransaction(held.promise, 'rollback');

      const read = store.incidents.get(incident.id);
      const state = watch(read);
      await turn();
      expect(state.settled).toBe(false);

      held.open();
      await expect(running).rejects.toThrow('rolled back');
      expect(await read).toMatchObject({ severity: 'sev2' });
    });

    it('holds back a second transaction until the first has committed', async () => {
      const held = gate();
      const { running: first } = await openTransaction(held.promise, 'commit');

      const second = store.transaction(async (tx) => (await tx.incidents.get(incident.id))?.severity);
      const state = watch(second);
      await turn();
      expect(state.settled).toBe(false);

      held.open();
      await first;
      await expect(second).resolves.toBe('sev1');
    });
  });

  describe('afterCommit', () => {
    it('runs once the outermost transaction has committed, for a released savepoint’s work too', async () => {
      const ran: string[] = [];
      await store.transaction(async (tx) => {
        await tx.incidents.changeSeverity(incident.id, 'sev2', 'sev1', NOW);
        // What each sees is what another connection sees: only committed data.
        tx.afterCommit(() => ran.push(`outer saw ${String(committed().severity)}`));
        await tx.transaction(async (inner) => {
          await inner.incidents.recordTopic(incident.id, 'SEV1');
          inner.afterCommit(() => ran.push(`savepoint saw ${String(committed().topic)}`));
        });
        expect(ran).toEqual([]);
      });
      expect(ran).toEqual(['outer saw sev1', 'savepoint saw SEV1']);
    });

    it('is dropped when its transaction rolls back, and only its own savepoint’s when that one does', async () => {
      const ran: string[] = [];
      await expect(
        store.transaction(async (tx) => {
          tx.afterCommit(() => ran.push('outer, rolled back'));
          await tx.transaction(async (inner) => inner.afterCommit(() => ran.push('released savepoint, rolled back with the outer')));
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(ran).toEqual([]);

      await store.transaction(async (tx) => {
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
      const ran: string[] = [];
      store.afterCommit(() => ran.push('idle'));
      expect(ran).toEqual(['idle']);

      const held = gate();
      const written = gate();
      const running = store.transaction(async (tx) => {
        await tx.incidents.changeSeverity(incident.id, 'sev2', 'sev1', NOW);
        written.open();
        await held.promise;
        throw new Error('rolled back');
      });
      await written.promise;
      // Not this transaction's work: it must neither wait for it nor go with its rollback.
      store.afterCommit(() => ran.push('beside an open transaction'));
      expect(ran).toEqual(['idle', 'beside an open transaction']);
      held.open();
      await expect(running).rejects.toThrow('rolled back');
      expect(ran).toEqual(['idle', 'beside an open transaction']);
    });
  });
});
