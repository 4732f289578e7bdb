import { describe, expect, it } from 'vitest';
import type { NewAlertGroup } from '../../../src/domain/ports.js';
import { declare, later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

/** A promise the test settles itself: a transaction awaits it to stay open while the test looks on. */
function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const group = (groupKey: string, incidentId: number | null): NewAlertGroup => ({
  groupKey,
  incidentId,
  action: 'declared',
  offeredIncidentId: null,
  alertname: 'HighErrorRate',
  service: 'checkout-api',
  firstStartsAt: new Date('2026-11-22T09:58:00.000Z'),
  runbookUrl: null,
  status: 'firing',
  noticeChannel: null,
});

/**
 * Two groups of one problem (the same alert name and service under two group
 * keys: one per instance, say) applied at once, as an alert storm has them.
 * The second must find the incident the first declared and be offered a
 * merge, not declare a second incident: on SQLite the transactions run one
 * after the other; on PostgreSQL they run side by side, and the second's
 * look-up must wait for the first to commit.
 */
describe.each(stores)('$name store: two groups of one problem at once', (factory) => {
  const store = storePerTest(factory);

  it('the second group’s look-up finds the incident the first is declaring', async () => {
    const declared = gate();
    const held = gate();
    let incidentId = 0;
    const first = store().transaction(async (tx) => {
      const found = await tx.alerts.openIncidentOfSameProblem('HighErrorRate', 'checkout-api', '{}:{instance="a"}');
      incidentId = (await declare(tx)).id;
      await tx.alerts.createGroup(group('{}:{instance="a"}', incidentId), later(0));
      declared.open();
      await held.promise;
      return found;
    });
    await declared.promise;
    const second = store().transaction(async (tx) => tx.alerts.openIncidentOfSameProblem('HighErrorRate', 'checkout-api', '{}:{instance="b"}'));
    // On PostgreSQL: the look-up has answered (nothing to wait for) or waits for the first's lock.
    await Promise.race([second, factory.someoneWaitsForALock?.()]);
    held.open();
    expect(await first).toBeUndefined();
    expect(await second).toBe(incidentId);
  });

  it('groups of different problems do not wait for each other', async () => {
    const held = gate();
    const declared = gate();
    const first = store().transaction(async (tx) => {
      await tx.alerts.openIncidentOfSameProblem('HighErrorRate', 'checkout-api', '{}:{instance="a"}');
      await tx.alerts.createGroup(group('{}:{instance="a"}', null), later(0));
      declared.open();
      await held.promise;
    });
    await declared.promise;
    if (factory.name === 'postgres') {
      // Answered while the first is still open: another alert name, another service.
      expect(await store().transaction(async (tx) => tx.alerts.openIncidentOfSameProblem('DiskFull', 'checkout-api', '{}:{x}'))).toBeUndefined();
      expect(await store().transaction(async (tx) => tx.alerts.openIncidentOfSameProblem('HighErrorRate', null, '{}:{y}'))).toBeUndefined();
    }
    held.open();
    await first;
  });
});
