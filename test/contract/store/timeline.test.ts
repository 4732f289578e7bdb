import { describe, expect, it } from 'vitest';
import type { NewTimelineEntry } from '../../../src/domain/ports.js';
import { declare, later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

describe.each(stores)('$name store: timeline', (factory) => {
  const store = storePerTest(factory);

  const pinned = (incidentId: number, messageTs: string, text: string, at = later(0)): NewTimelineEntry => ({
    incidentId,
    kind: 'pinned_message',
    text,
    actorId: 'U0BOB',
    occurredAt: at,
    messageTs,
    permalink: `https://example.slack.com/archives/C0INC1/p${messageTs.replace('.', '')}`,
  });

  it('adds an entry and hands it back; a note needs no message', async () => {
    const { id } = await declare(store());
    const note = await store().timeline.add({ incidentId: id, kind: 'note', text: 'rolled back 4.2.1', actorId: 'U0ALICE', occurredAt: later(1_000) });
    expect(note).toMatchObject({ incidentId: id, kind: 'note', text: 'rolled back 4.2.1', actorId: 'U0ALICE', occurredAt: later(1_000), messageTs: null, permalink: null });
    expect(note?.id).toEqual(expect.any(Number));
    const system = await store().timeline.add({ incidentId: id, kind: 'declared', text: 'declared', actorId: null, occurredAt: later(0) });
    expect(system).toMatchObject({ actorId: null });
  });

  it('puts a message on the timeline once, in its incident; another incident may have the same ts', async () => {
    const a = await declare(store());
    const b = await declare(store());
    expect(await store().timeline.add(pinned(a.id, '1764000000.000100', 'the first pin'))).toMatchObject({ text: 'the first pin' });
    expect(await store().timeline.add(pinned(a.id, '1764000000.000100', 'the same message, pinned again'))).toBeUndefined();
    expect(await store().timeline.add(pinned(b.id, '1764000000.000100', 'in the other channel'))).toMatchObject({ incidentId: b.id });
    // Notes carry no message: any number of them.
    await store().timeline.add({ incidentId: a.id, kind: 'note', text: 'n1', actorId: null, occurredAt: later(0) });
    await store().timeline.add({ incidentId: a.id, kind: 'note', text: 'n2', actorId: null, occurredAt: later(0) });

    expect((await store().timeline.list(a.id)).map((e) => e.text)).toEqual(['the first pin', 'n1', 'n2']);
    expect((await store().timeline.list(b.id)).map((e) => e.text)).toEqual(['in the other channel']);
  });

  it('lists in the order things happened, then in the order they were added', async () => {
    const { id } = await declare(store());
    for (const [text, at] of [['third', 3_000], ['first', 1_000], ['second, added first', 2_000], ['second, added next', 2_000]] as const) {
      await store().timeline.add({ incidentId: id, kind: 'note', text, actorId: null, occurredAt: later(at) });
    }
    expect((await store().timeline.list(id)).map((e) => e.text)).toEqual(['first', 'second, added first', 'second, added next', 'third']);
    expect(await store().timeline.list(id + 1)).toEqual([]);
  });

  it('follows an edit of the message, saying whether anything changed', async () => {
    const { id } = await declare(store());
    await store().timeline.add(pinned(id, '1764000000.000100', 'DB at 95%'));
    expect(await store().timeline.updateMessageText(id, '1764000000.000100', 'DB at 99% — failing over')).toBe(true);
    expect(await store().timeline.updateMessageText(id, '1764000000.000100', 'DB at 99% — failing over')).toBe(false);
    expect(await store().timeline.updateMessageText(id, '1764000000.000999', 'never pinned')).toBe(false);
    expect(await store().timeline.updateMessageText(id + 1, '1764000000.000100', 'other incident')).toBe(false);
    expect((await store().timeline.list(id)).map((e) => e.text)).toEqual(['DB at 99% — failing over']);
  });

  it('removes the message’s entry once, and the message can come back', async () => {
    const { id } = await declare(store());
    await store().timeline.add(pinned(id, '1764000000.000100', 'pinned'));
    await store().timeline.add({ incidentId: id, kind: 'note', text: 'stays', actorId: null, occurredAt: later(5) });
    expect(await store().timeline.removeMessage(id, '1764000000.000100')).toBe(true);
    expect(await store().timeline.removeMessage(id, '1764000000.000100')).toBe(false);
    expect((await store().timeline.list(id)).map((e) => e.text)).toEqual(['stays']);
    expect(await store().timeline.add(pinned(id, '1764000000.000100', 'pinned again'))).toMatchObject({ text: 'pinned again' });
  });

  it('puts a message on the timeline once when it is pinned from several places at once', async () => {
    const { id } = await declare(store());
    const added = await Promise.all(
      Array.from({ length: 6 }, (_, i) => store().transaction(async (tx) => tx.timeline.add(pinned(id, '1764000000.000100', `try ${i}`)))),
    );
    expect(added.filter((e) => e !== undefined)).toHaveLength(1);
    expect(await store().timeline.list(id)).toHaveLength(1);
  });
});
