import { describe, expect, it } from 'vitest';
import type { NewActionItem } from '../../../src/domain/ports.js';
import { AT, declare, later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

describe.each(stores)('$name store: action items', (factory) => {
  const store = storePerTest(factory);

  const item = (incidentId: number, text: string, overrides: Partial<NewActionItem> = {}): NewActionItem => ({
    incidentId,
    text,
    ownerId: 'U0BOB',
    dueDate: '2026-12-01',
    createdBy: 'U0ALICE',
    createdAt: AT,
    ...overrides,
  });

  it('numbers each incident’s items from 1, apart from the others', async () => {
    const a = await declare(store());
    const b = await declare(store());
    const first = await store().actions.add(item(a.id, 'add an alert on the queue depth'));
    expect(first).toMatchObject({
      incidentId: a.id,
      number: 1,
      text: 'add an alert on the queue depth',
      ownerId: 'U0BOB',
      dueDate: '2026-12-01',
      status: 'open',
      dropReason: null,
      createdBy: 'U0ALICE',
      createdAt: AT,
      closedBy: null,
      closedAt: null,
    });
    expect((await store().actions.add(item(b.id, 'b1'))).number).toBe(1);
    expect((await store().actions.add(item(a.id, 'a2'))).number).toBe(2);
    expect(await store().actions.get(a.id, 2)).toMatchObject({ text: 'a2' });
    expect(await store().actions.get(b.id, 2)).toBeUndefined();
    expect((await store().actions.listForIncident(a.id)).map((i) => [i.number, i.text])).toEqual([
      [1, 'add an alert on the queue depth'],
      [2, 'a2'],
    ]);
  });

  it('never gives one number twice to items added at once', async () => {
    const { id } = await declare(store());
    const added = await Promise.all(Array.from({ length: 12 }, (_, i) => store().transaction(async (tx) => tx.actions.add(item(id, `item ${i}`)))));
    expect(added.map((a) => a.number).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('moves a due date only from the one the caller saw, and only while the item is open', async () => {
    const { id } = await declare(store());
    await store().actions.add(item(id, 'one'));
    expect(await store().actions.reschedule(id, 1, '2026-11-30', '2026-12-08', later(0))).toBe(false);
    expect(await store().actions.reschedule(id, 1, '2026-12-01', '2026-12-08', later(0))).toBe(true);
    expect(await store().actions.reschedule(id, 1, '2026-12-01', '2026-12-15', later(0))).toBe(false);
    expect((await store().actions.get(id, 1))?.dueDate).toBe('2026-12-08');
    await store().actions.close(id, 1, 'done', 'U0BOB', later(1_000), null);
    expect(await store().actions.reschedule(id, 1, '2026-12-08', '2026-12-15', later(0))).toBe(false);
    expect(await store().actions.reschedule(id, 2, '2026-12-01', '2026-12-15', later(0))).toBe(false);
  });

  it('keeps each due date a reschedule replaced, for the figures of a past period', async () => {
    const { id } = await declare(store());
    await store().actions.add(item(id, 'one'));
    await store().actions.add(item(id, 'two'));
    expect(await store().actions.reschedule(id, 1, '2026-12-01', '2026-12-08', later(1_000))).toBe(true);
    expect(await store().actions.reschedule(id, 1, '2026-12-08', '2026-12-15', later(2_000))).toBe(true);
    // Refused: nothing recorded.
    expect(await store().actions.reschedule(id, 2, '2026-11-30', '2026-12-15', later(3_000))).toBe(false);
    const { followUps } = await store().stats.records({ from: later(-3_600_000), to: later(3_600_000) });
    expect(followUps.map((f) => [f.dueDate, f.reschedules])).toEqual([
      ['2026-12-15', [{ wasDue: '2026-12-01', at: later(1_000) }, { wasDue: '2026-12-08', at: later(2_000) }]],
      ['2026-12-01', []],
    ]);
  });

  it('closes an item once: whoever comes second finds it closed', async () => {
    const { id } = await declare(store());
    await store().actions.add(item(id, 'one'));
    await store().actions.add(item(id, 'two'));
    expect(await store().actions.close(id, 1, 'done', 'U0BOB', later(1_000), null)).toBe(true);
    expect(await store().actions.close(id, 1, 'dropped', 'U0CAROL', later(2_000), 'not needed')).toBe(false);
    expect(await store().actions.close(id, 2, 'dropped', 'U0CAROL', later(3_000), 'covered by one')).toBe(true);
    expect(await store().actions.get(id, 1)).toMatchObject({ status: 'done', closedBy: 'U0BOB', closedAt: later(1_000), dropReason: null });
    expect(await store().actions.get(id, 2)).toMatchObject({ status: 'dropped', closedBy: 'U0CAROL', closedAt: later(3_000), dropReason: 'covered by one' });
  });

  it('lists an owner’s open items across incidents, soonest due first', async () => {
    const a = await declare(store());
    const b = await declare(store());
    await store().actions.add(item(a.id, 'a1 late', { dueDate: '2026-12-20' }));
    await store().actions.add(item(a.id, 'a2 someone else', { ownerId: 'U0CAROL', dueDate: '2026-11-25' }));
    await store().actions.add(item(b.id, 'b1 soon', { dueDate: '2026-11-28' }));
    await store().actions.add(item(a.id, 'a3 done', { dueDate: '2026-11-26' }));
    await store().actions.add(item(b.id, 'b2 same day', { dueDate: '2026-12-20' }));
    await store().actions.add(item(a.id, 'a4 same day', { dueDate: '2026-12-20' }));
    await store().actions.close(a.id, 3, 'done', 'U0BOB', later(1), null);

    // Same day: by incident, then by number.
    expect((await store().actions.listOpenForOwner('U0BOB')).map((i) => i.text)).toEqual(['b1 soon', 'a1 late', 'a4 same day', 'b2 same day']);
    expect((await store().actions.listOpenForOwner('U0CAROL')).map((i) => i.text)).toEqual(['a2 someone else']);
    expect(await store().actions.listOpenForOwner('U0NOBODY')).toEqual([]);
  });
});
