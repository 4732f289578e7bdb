import { describe, expect, it } from 'vitest';
import type { NewAlertGroup } from '../../../src/domain/ports.js';
import type { SloFigures } from '../../../src/domain/slo-figures.js';
import { declare, later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

function figures(sloId: string, consumed: number): SloFigures {
  return {
    sloId,
    service: sloId.split('/')[0]!,
    name: sloId.split('/')[1]!,
    target: 0.999,
    windowText: '30d',
    windowMs: 30 * 86_400_000,
    budgetMs: 2_592_000,
    incident: { kind: 'measured', impactMs: 600_000, errorRatio: 0.01, badTimeMs: 6_000, budgetMs: 2_592_000, consumed },
    status: { kind: 'missing', reason: 'not asked' },
    asked: [],
  };
}

const group = (groupKey: string, incidentId: number, alertname: string): NewAlertGroup => ({
  groupKey,
  incidentId,
  action: 'declared',
  offeredIncidentId: null,
  alertname,
  service: null,
  firstStartsAt: later(0),
  runbookUrl: null,
  status: 'firing',
  noticeChannel: null,
});

/**
 * Lists whose order a reader can see (the incidents that burned an SLO, equal
 * costs keeping their order; which alert name a repeat is named after) come
 * in one order on both stores: by id, and text bytewise as SQLite compares
 * it, whatever the PostgreSQL database's collation.
 */
describe.each(stores)('$name store: the order of listed rows', (factory) => {
  const store = storePerTest(factory);

  it('lists an SLO’s incidents by incident, whichever was computed first', async () => {
    const older = await declare(store());
    const newer = await declare(store());
    // The older incident got its service (and its figures) only after the newer one had its own.
    await store().sloFigures.save(newer.id, figures('checkout/availability', 0.2), later(1_000), false);
    await store().sloFigures.save(older.id, figures('checkout/availability', 0.2), later(2_000), false);
    expect((await store().sloFigures.forSlo('checkout/availability')).map((r) => r.incidentId)).toEqual([older.id, newer.id]);
  });

  it('lists an incident’s SLOs by id, bytewise', async () => {
    const { id } = await declare(store());
    for (const slo of ['checkout/latency', 'Checkout/availability', 'checkout/availability']) await store().sloFigures.save(id, figures(slo, 0.1), later(0), false);
    expect((await store().sloFigures.forIncident(id)).map((r) => r.figures.sloId)).toEqual(['Checkout/availability', 'checkout/availability', 'checkout/latency']);
  });

  it('gives the stats an incident’s alert names bytewise, and its burns by SLO id', async () => {
    const { id } = await declare(store());
    await store().alerts.createGroup(group('{}:{a}', id, 'alpha'), later(0));
    await store().alerts.createGroup(group('{}:{b}', id, 'Zeta'), later(0));
    await store().alerts.createGroup(group('{}:{c}', id, 'Beta'), later(0));
    for (const slo of ['search/latency', 'Search/availability']) await store().sloFigures.save(id, figures(slo, 0.1), later(0), false);
    const { incidents } = await store().stats.records({ from: later(-60_000), to: later(60_000) });
    expect(incidents.map((i) => i.alertNames)).toEqual([['Beta', 'Zeta', 'alpha']]);
    expect(incidents.map((i) => i.burns.map((b) => b.sloId))).toEqual([['Search/availability', 'search/latency']]);
  });
});
