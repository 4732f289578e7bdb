import { describe, expect, it } from 'vitest';
import { declare, later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

describe.each(stores)('$name store: pages', (factory) => {
  const store = storePerTest(factory);

  it('records a page once per dedup key: a later ask refreshes the same record', async () => {
    const { id } = await declare(store());
    const first = await store().pages.requested(id, 'checkout', `inc-${id}-checkout`, 'U0ALICE', later(0));
    expect(first).toMatchObject({ incidentId: id, service: 'checkout', dedupKey: `inc-${id}-checkout`, deliveredJobId: null, deliveredAt: null, resolvedAt: null });
    await store().pages.resolved(`inc-${id}-checkout`, later(1_000));

    // Paged again after the resolve: the same page, open again.
    const again = await store().pages.requested(id, 'checkout', `inc-${id}-checkout`, 'U0BOB', later(2_000));
    expect(again).toMatchObject({ dedupKey: `inc-${id}-checkout`, resolvedAt: null });
    await store().pages.requested(id, 'search', `inc-${id}-search`, 'U0BOB', later(3_000));
    expect((await store().pages.forIncident(id)).map((p) => [p.service, p.resolvedAt])).toEqual([
      ['checkout', null],
      ['search', null],
    ]);
    expect(await store().pages.forIncident(id + 1)).toEqual([]);
  });

  it('refuses a page of an incident that does not exist', async () => {
    await expect(store().pages.requested(41, 'checkout', 'inc-41-checkout', 'U0ALICE', later(0))).rejects.toThrow();
  });

  it('records the delivery, and a later failure beside it until the next delivery clears it', async () => {
    const { id } = await declare(store());
    const key = `inc-${id}-default`;
    await store().pages.requested(id, 'default', key, 'U0ALICE', later(0));
    await store().pages.failed(key, 'PagerDuty answered 500');
    expect(await store().pages.byDedupKey(key)).toMatchObject({ deliveredJobId: null, deliveredAt: null, lastError: 'PagerDuty answered 500' });
    await store().pages.delivered(key, 17, later(5_000));
    expect(await store().pages.byDedupKey(key)).toMatchObject({ deliveredJobId: 17, deliveredAt: later(5_000), lastError: null });
    expect(await store().pages.byDedupKey('inc-99-default')).toBeUndefined();
  });

  it('keeps the first resolve of a page', async () => {
    const { id } = await declare(store());
    const key = `inc-${id}-default`;
    await store().pages.requested(id, 'default', key, 'U0ALICE', later(0));
    await store().pages.resolved(key, later(60_000));
    await store().pages.resolved(key, later(90_000));
    expect((await store().pages.byDedupKey(key))?.resolvedAt).toEqual(later(60_000));
  });

  it('keeps one record of a page asked for from several places at once', async () => {
    const { id } = await declare(store());
    const records = await Promise.all(
      ['U0ALICE', 'U0BOB', 'U0CAROL'].map((by, i) => store().transaction(async (tx) => tx.pages.requested(id, 'default', `inc-${id}-default`, by, later(i)))),
    );
    expect(records.map((r) => r.dedupKey)).toEqual(Array(3).fill(`inc-${id}-default`));
    expect(await store().pages.forIncident(id)).toHaveLength(1);
  });
});
