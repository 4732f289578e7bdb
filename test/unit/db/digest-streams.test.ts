import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/client.js';
import { createRepositories, type Store } from '../../../src/db/repositories.js';
import type { ActionItem, Incident } from '../../../src/domain/model.js';

const AT = new Date('2026-11-22T10:00:00Z');
const DAY = '2026-11-23';
const UNTIL = '2026-11-30';
// Four due dates shared by three incidents: batch boundaries fall inside runs of equal dates.
const DUES = ['2026-11-01', '2026-11-10', '2026-11-23', '2026-11-30'];

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const x of stream) all.push(x);
  return all;
}

/**
 * The digest's streams through the store, on SQLite: more rows than one batch
 * (500), read batch by batch, and nothing held open on the connection while a
 * stream waits for its consumer.
 */
describe('digest streams', () => {
  let db: Db;
  let store: Store;
  let items: ActionItem[];

  beforeEach(async () => {
    db = openDatabase(':memory:');
    store = createRepositories(db);
    items = await store.transaction(async (tx) => {
      const incidents: Incident[] = [];
      for (let i = 0; i < 3; i++) incidents.push(await tx.incidents.create({ title: `Incident ${i}`, description: null, severity: 'sev2', isPrivate: false, declaredBy: 'U0ALICE', declaredAt: AT, originChannelId: null, service: null }));
      const added: ActionItem[] = [];
      const add = async (n: number, ownerId: string, dueDate: string) =>
        added.push(await tx.actions.add({ incidentId: incidents[n % 3]!.id, text: `Item ${n}`, ownerId, dueDate, createdBy: 'U0ALICE', createdAt: AT }));
      // U0BOB: exactly two batches; U0CAROL: one batch and one row more.
      for (let n = 0; n < 1000; n++) await add(n, 'U0BOB', DUES[n % DUES.length]!);
      for (let n = 0; n < 501; n++) await add(n, 'U0CAROL', DUES[n % DUES.length]!);
      // Not listed: due after the week, or someone else's.
      for (let n = 0; n < 20; n++) await add(n, 'U0BOB', '2026-12-01');
      for (let n = 0; n < 20; n++) await add(n, 'U0DAN', DUES[0]!);
      return added;
    });
  });

  afterEach(() => {
    db.$client.close();
  });

  it('reads the planned items in plan order across batches, whatever their status now', async () => {
    const plan = await store.digest.plan(DAY, UNTIL);
    expect(plan.itemIds.length).toBe(1000 + 501 + 20);
    const first = items[0]!;
    const last = items.find((i) => i.id === plan.itemIds.at(-1))!;
    for (const i of [first, last]) await store.actions.close(i.incidentId, i.number, 'done', 'U0BOB', AT, null);
    const streamed = await collect(store.digest.streamIds(plan.itemIds));
    expect(streamed.map((i) => i.id)).toEqual(plan.itemIds);
    expect(streamed.find((i) => i.id === first.id)).toMatchObject({ text: 'Item 0', ownerId: 'U0BOB', incidentTitle: 'Incident 0', isPrivate: false });
  });

  it('leaves the connection free between two items: a transaction commits while a stream waits', async () => {
    const plan = await store.digest.plan(DAY, UNTIL);
    const byIds = store.digest.streamIds(plan.itemIds)[Symbol.asyncIterator]();
    for (const stream of [byIds]) {
      expect((await stream.next()).done).toBe(false);
      // What the runner does between two messages: record the part posted, renew the lease.
      const added = await store.transaction((tx) => tx.actions.add({ incidentId: items[0]!.incidentId, text: 'Added meanwhile', ownerId: 'U0EVE', dueDate: DUES[0]!, createdBy: 'U0ALICE', createdAt: AT }));
      expect(await store.actions.get(added.incidentId, added.number)).toMatchObject({ text: 'Added meanwhile' });
      expect((await stream.next()).done).toBe(false);
      await stream.return(undefined);
    }
  });
});
