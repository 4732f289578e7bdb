import { describe, expect, it } from 'vitest';
import { later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

describe.each(stores)('$name store: events', (factory) => {
  const store = storePerTest(factory);

  it('marks a Slack event processed once: a retried delivery finds it marked', async () => {
    expect(await store().events.markProcessed('Ev0A1B2C3D', later(0))).toBe(true);
    expect(await store().events.markProcessed('Ev0A1B2C3D', later(1_000))).toBe(false);
    expect(await store().events.markProcessed('Ev0A1B2C3E', later(1_000))).toBe(true);
  });

  it('lets one of many deliveries of an event at once through', async () => {
    const tries = await Promise.all(Array.from({ length: 8 }, () => store().transaction(async (tx) => tx.events.markProcessed('Ev0RETRIED', later(0)))));
    expect(tries.filter(Boolean)).toHaveLength(1);
  });

  it('forgets a mark made in a transaction that rolled back', async () => {
    await expect(
      store().transaction(async (tx) => {
        await tx.events.markProcessed('Ev0FAILED', later(0));
        throw new Error('the handler failed');
      }),
    ).rejects.toThrow('the handler failed');
    expect(await store().events.markProcessed('Ev0FAILED', later(1_000))).toBe(true);
  });
});
