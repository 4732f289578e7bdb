import { describe, expect, it } from 'vitest';
import { declare, later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

describe.each(stores)('$name store: roles', (factory) => {
  const store = storePerTest(factory);

  it('hands back the previous holder when a role changes hands, and none for the first', async () => {
    const { id } = await declare(store());
    expect(await store().roles.assign(id, 'ic', 'U0ALICE', 'U0ALICE', later(0))).toBeUndefined();
    expect(await store().roles.assign(id, 'ic', 'U0BOB', 'U0ALICE', later(1_000))).toBe('U0ALICE');
    expect(await store().roles.assign(id, 'ic', 'U0CAROL', 'U0BOB', later(2_000))).toBe('U0BOB');
    // Another role, and the same role in another incident, are terms of their own.
    expect(await store().roles.assign(id, 'comms', 'U0DAN', 'U0BOB', later(3_000))).toBeUndefined();
    const other = await declare(store());
    expect(await store().roles.assign(other.id, 'ic', 'U0ERIN', 'U0ERIN', later(4_000))).toBeUndefined();
  });

  it('names the current holders in the order of the roles, whatever order they were given in', async () => {
    const { id } = await declare(store());
    await store().roles.assign(id, 'scribe', 'U0SCRIBE', 'U0ALICE', later(0));
    await store().roles.assign(id, 'comms', 'U0COMMS', 'U0ALICE', later(1));
    await store().roles.assign(id, 'ic', 'U0ALICE', 'U0ALICE', later(2));
    await store().roles.assign(id, 'tech', 'U0TECH', 'U0ALICE', later(3));
    await store().roles.assign(id, 'ic', 'U0BOB', 'U0ALICE', later(4));

    expect(await store().roles.current(id)).toEqual([
      { role: 'ic', userId: 'U0BOB', assignedAt: later(4) },
      { role: 'tech', userId: 'U0TECH', assignedAt: later(3) },
      { role: 'comms', userId: 'U0COMMS', assignedAt: later(1) },
      { role: 'scribe', userId: 'U0SCRIBE', assignedAt: later(0) },
    ]);
    expect(await store().roles.current((await declare(store())).id)).toEqual([]);
  });

  it('keeps every term in the order given, each ended when the next began', async () => {
    const { id } = await declare(store());
    await store().roles.assign(id, 'ic', 'U0ALICE', 'U0ALICE', later(0));
    await store().roles.assign(id, 'tech', 'U0TECH', 'U0ALICE', later(500));
    await store().roles.assign(id, 'ic', 'U0BOB', 'U0ALICE', later(1_000));
    // The same person again is a new term too.
    await store().roles.assign(id, 'ic', 'U0BOB', 'U0BOB', later(2_000));

    expect(await store().roles.history(id)).toEqual([
      { role: 'ic', userId: 'U0ALICE', assignedAt: later(0), endedAt: later(1_000) },
      { role: 'tech', userId: 'U0TECH', assignedAt: later(500), endedAt: null },
      { role: 'ic', userId: 'U0BOB', assignedAt: later(1_000), endedAt: later(2_000) },
      { role: 'ic', userId: 'U0BOB', assignedAt: later(2_000), endedAt: null },
    ]);
  });
});
