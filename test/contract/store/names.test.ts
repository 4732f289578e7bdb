import { describe, expect, it } from 'vitest';
import { later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

describe.each(stores)('$name store: names', (factory) => {
  const store = storePerTest(factory);

  it('says whether the name seen was new for the person', async () => {
    expect(await store().names.remember('U0ALICE', 'Alice', later(0))).toBe(true);
    expect(await store().names.remember('U0ALICE', 'Alice', later(1_000))).toBe(false);
    expect(await store().names.remember('U0ALICE', 'Alice Martin', later(2_000))).toBe(true);
    // Names differing only in case, or in accents, are different names.
    expect(await store().names.remember('U0ALICE', 'alice martin', later(3_000))).toBe(true);
    expect(await store().names.remember('U0ZOE', 'Zoé', later(4_000))).toBe(true);
    expect(await store().names.remember('U0ZOE', 'Zoe', later(5_000))).toBe(true);
    expect(await store().names.namesOf(['U0ALICE', 'U0ZOE'])).toEqual(new Map([['U0ALICE', 'alice martin'], ['U0ZOE', 'Zoe']]));
  });

  it('gives the recorded names of the people asked about, leaving out people never seen', async () => {
    await store().names.remember('U0ALICE', 'Alice', later(0));
    await store().names.remember('U0BOB', 'Bob 🚒', later(0));
    await store().names.remember('U0CAROL', 'Carol', later(0));
    expect(await store().names.namesOf(['U0BOB', 'U0NOBODY', 'U0ALICE', 'U0BOB'])).toEqual(new Map([['U0BOB', 'Bob 🚒'], ['U0ALICE', 'Alice']]));
    expect(await store().names.namesOf([])).toEqual(new Map());
  });
});
