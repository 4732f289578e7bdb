import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { SloFigures } from '../../src/domain/slo-figures.js';
import { SloRefreshScheduler } from '../../src/jobs/slo-refresh-scheduler.js';
import { memoryDeps } from '../support/memory-store.js';

const DAY = 86_400_000;
const NOW = new Date('2026-11-30T12:00:00Z');

function figures(status: SloFigures['status']): SloFigures {
  return {
    sloId: 'checkout-api/checkout_availability',
    service: 'checkout-api',
    name: 'checkout_availability',
    target: 0.999,
    windowText: '30d',
    windowMs: 30 * DAY,
    budgetMs: 0.001 * 30 * DAY,
    incident: { kind: 'measured', impactMs: 60_000, errorRatio: 0.1, badTimeMs: 6_000, budgetMs: 0.001 * 30 * DAY, consumed: 6_000 / (0.001 * 30 * DAY) },
    status,
    asked: [],
  };
}

describe('the periodic SLO refresh', () => {
  function setUp() {
    const deps = memoryDeps();
    deps.clock.set(NOW);
    const { store } = deps;
    const declare = (title: string, service: string | null) =>
      store.incidents.create({ title, description: null, severity: 'sev2', isPrivate: false, declaredBy: 'U1', declaredAt: new Date(NOW.getTime() - DAY), originChannelId: null, service });
    const scheduler = new SloRefreshScheduler(store, deps.clock, pino({ level: 'silent' }), 30 * DAY);
    const queued = async () => (await store.outbox.list()).filter((j) => j.kind === 'slo.refresh' && j.status === 'pending').map((j) => [j.incidentId, j.payload]);
    return { store, clock: deps.clock, declare, scheduler, queued };
  }

  it('queues a refresh for each open incident linked to a service, and one per incident however many ticks (or instances)', async () => {
    const { declare, scheduler, queued } = setUp();
    await declare('Linked', 'checkout-api');
    await declare('Unlinked', null);
    expect(await scheduler.tick()).toEqual([1]);
    await scheduler.tick();
    expect(await queued()).toEqual([[1, { final: false }]]);
  });

  it('computes again the final figures of a resolved incident that have a part missing, while its impact is within the window', async () => {
    const { store, declare, scheduler, queued } = setUp();
    const down = await declare('Resolved while Prometheus was down', 'checkout-api');
    const fine = await declare('Resolved with figures', 'checkout-api');
    for (const incident of [down, fine]) await store.incidents.markResolved(incident.id, NOW, null);
    await store.sloFigures.save(down.id, figures({ kind: 'missing', reason: 'Prometheus at http://prom:9090 could not be reached (ECONNREFUSED)' }), NOW, true);
    await store.sloFigures.save(fine.id, figures({ kind: 'estimate', budgetMs: 1, remaining: 0.9, incidents: 1 }), NOW, true);
    expect(await scheduler.tick()).toEqual([down.id]);
    expect(await queued()).toEqual([[down.id, { final: true }]]);

    // Past the longest window, its figures no longer count: it is left alone.
    const later = setUp();
    const old = await later.declare('Long ago', 'checkout-api');
    await later.store.incidents.markResolved(old.id, NOW, null);
    await later.store.sloFigures.save(old.id, figures({ kind: 'missing', reason: 'down' }), NOW, true);
    later.clock.set(new Date(NOW.getTime() + 31 * DAY));
    expect(await later.scheduler.tick()).toEqual([]);
  });
});
