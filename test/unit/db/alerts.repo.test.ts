import { describe, expect, it } from 'vitest';
import { memoryDeps } from '../../support/memory-store.js';

const base = { incidentId: null, action: 'declared' as const, offeredIncidentId: null, alertname: 'HighErrors', service: 'checkout-api', firstStartsAt: new Date(0), runbookUrl: null, status: 'firing' as const, noticeChannel: null, noticeTs: null };

describe('alerts repository', () => {
  it('refuses a second group with the same key: one group, one incident', async () => {
    const { store, clock } = memoryDeps();
    await store.alerts.createGroup({ ...base, groupKey: 'g1' }, clock.now());
    await expect(store.alerts.createGroup({ ...base, groupKey: 'g1' }, clock.now())).rejects.toThrow();
  });

  it('links a group no incident has yet, once, taking its alerts along', async () => {
    const { store, clock } = memoryDeps();
    const inc = await store.incidents.create({ title: 't', description: null, severity: 'sev2', isPrivate: false, declaredBy: 'U1', declaredAt: clock.now(), originChannelId: null, service: null });
    const group = await store.alerts.createGroup({ ...base, groupKey: 'g1' }, clock.now());
    await store.alerts.saveAlert({ groupKey: 'g1', fingerprint: 'f1', incidentId: null, status: 'firing', startsAt: new Date(0), endsAt: null, labels: { a: 'b' }, annotations: {}, generatorUrl: null }, clock.now());
    expect(await store.alerts.linkGroup(group.id, inc.id, clock.now())).toBe(true);
    expect(await store.alerts.linkGroup(group.id, inc.id, clock.now())).toBe(false);
    expect((await store.alerts.alertsOfIncident(inc.id)).map((a) => [a.fingerprint, a.labels])).toEqual([['f1', { a: 'b' }]]);
    expect(await store.alerts.openIncidentOfSameProblem('HighErrors', 'checkout-api', 'g2')).toBe(inc.id);
    expect(await store.alerts.openIncidentOfSameProblem('HighErrors', 'checkout-api', 'g1')).toBeUndefined();
  });
});
