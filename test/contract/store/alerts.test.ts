import { describe, expect, it } from 'vitest';
import type { AlertRecord, NewAlertGroup } from '../../../src/domain/ports.js';
import { declare, later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

describe.each(stores)('$name store: alerts', (factory) => {
  const store = storePerTest(factory);

  const group = (groupKey: string, overrides: Partial<NewAlertGroup> = {}): NewAlertGroup => ({
    groupKey,
    incidentId: null,
    action: 'declared',
    offeredIncidentId: null,
    alertname: 'HighErrorRate',
    service: 'checkout-api',
    firstStartsAt: new Date('2026-11-22T09:58:00.000Z'),
    runbookUrl: null,
    status: 'firing',
    noticeChannel: null,
    ...overrides,
  });
  const alert = (groupKey: string, fingerprint: string, overrides: Partial<AlertRecord> = {}): AlertRecord => ({
    groupKey,
    fingerprint,
    incidentId: null,
    status: 'firing',
    startsAt: new Date('2026-11-22T09:58:00.000Z'),
    endsAt: null,
    labels: { alertname: 'HighErrorRate', service: 'checkout-api' },
    annotations: {},
    generatorUrl: null,
    ...overrides,
  });

  it('keeps a group under its key, once: a second group with the key is refused', async () => {
    const created = await store().alerts.createGroup(group('{}:{alertname="HighErrorRate"}', { runbookUrl: 'https://runbooks.example/errors' }), later(0));
    expect(created).toEqual({ ...group('{}:{alertname="HighErrorRate"}', { runbookUrl: 'https://runbooks.example/errors' }), id: created.id, noticeTs: null });
    expect(await store().alerts.group('{}:{alertname="HighErrorRate"}')).toEqual(created);
    expect(await store().alerts.groupById(created.id)).toEqual(created);
    expect(await store().alerts.group('{}:{alertname="Other"}')).toBeUndefined();
    expect(await store().alerts.groupById(created.id + 1)).toBeUndefined();
    await expect(store().alerts.createGroup(group('{}:{alertname="HighErrorRate"}'), later(1))).rejects.toThrow();

    await store().alerts.recordNotice(created.id, 'C0ALERTS', '1764000000.000200');
    expect(await store().alerts.groupById(created.id)).toMatchObject({ noticeChannel: 'C0ALERTS', noticeTs: '1764000000.000200' });
  });

  it('links a group no incident has yet, once, taking its alerts along', async () => {
    const a = await declare(store());
    const b = await declare(store());
    const g = await store().alerts.createGroup(group('g1'), later(0));
    await store().alerts.saveAlert(alert('g1', 'f1'), later(0));
    await store().alerts.saveAlert(alert('g1', 'f2'), later(0));
    await store().alerts.saveAlert(alert('g2', 'f3'), later(0));

    expect(await store().alerts.linkGroup(g.id, a.id, later(1))).toBe(true);
    // A second press of the same button: someone already linked it.
    expect(await store().alerts.linkGroup(g.id, b.id, later(2))).toBe(false);
    expect((await store().alerts.group('g1'))?.incidentId).toBe(a.id);
    expect((await store().alerts.alertsOfIncident(a.id)).map((x) => x.fingerprint)).toEqual(['f1', 'f2']);
    expect(await store().alerts.alertsOfIncident(b.id)).toEqual([]);
    expect(await store().alerts.linkGroup(g.id + 1, a.id, later(4))).toBe(false);
  });

  it('supersedes a group: its key and alerts free for a new episode, its incident keeping what it had', async () => {
    const a = await declare(store());
    const b = await declare(store());
    const g = await store().alerts.createGroup(group('g1', { incidentId: a.id, runbookUrl: 'https://runbooks.example/errors' }), later(0));
    await store().alerts.saveAlert(alert('g1', 'f1', { incidentId: a.id }), later(5_000));
    await store().alerts.saveAlert(alert('g2', 'f1'), later(6_000));

    await store().alerts.supersedeGroup(g.id, later(3_600_000));
    expect(await store().alerts.group('g1')).toBeUndefined();
    expect(await store().alerts.alert('g1', 'f1')).toBeUndefined();
    expect((await store().alerts.groupById(g.id))).toMatchObject({ groupKey: `superseded:${g.id}:g1`, incidentId: a.id });
    expect((await store().alerts.alertsOfIncident(a.id)).map((x) => [x.groupKey, x.fingerprint])).toEqual([[`superseded:${g.id}:g1`, 'f1']]);
    expect(await store().alerts.firstReceivedAt(a.id)).toEqual(later(5_000));
    expect(await store().alerts.runbookFor(a.id)).toBe('https://runbooks.example/errors');
    // Another group's alert of the same fingerprint is not its.
    expect(await store().alerts.alert('g2', 'f1')).toBeDefined();

    // The new episode under the real key, detected when it arrives.
    const next = await store().alerts.createGroup(group('g1', { incidentId: b.id }), later(3_600_000));
    await store().alerts.saveAlert(alert('g1', 'f1', { incidentId: b.id }), later(3_600_000));
    expect(next.id).not.toBe(g.id);
    expect(await store().alerts.firstReceivedAt(b.id)).toEqual(later(3_600_000));
    expect(await store().alerts.firstReceivedAt(a.id)).toEqual(later(5_000));
    // A second supersede of the old one changes nothing.
    await store().alerts.supersedeGroup(g.id, later(3_700_000));
    expect((await store().alerts.groupById(g.id))?.groupKey).toBe(`superseded:${g.id}:g1`);
  });

  it('replaces an alert’s state on each receipt, keeping when it was first received', async () => {
    const { id } = await declare(store());
    const g = await store().alerts.createGroup(group('g1'), later(0));
    const labels = { alertname: 'HighErrorRate', service: 'checkout-api', summary: 'Errors > 5% — “checkout” 🚒', path: 'C:\\logs\\"quoted"' };
    await store().alerts.saveAlert(alert('g1', 'f1', { labels, annotations: { runbook_url: 'https://runbooks.example/errors' } }), later(10_000));
    expect(await store().alerts.alert('g1', 'f1')).toEqual(alert('g1', 'f1', { labels, annotations: { runbook_url: 'https://runbooks.example/errors' } }));

    const resolved = alert('g1', 'f1', { status: 'resolved', endsAt: new Date('2026-11-22T10:20:00.000Z'), labels: { alertname: 'HighErrorRate' }, generatorUrl: 'http://prometheus:9090/graph?g0.expr=up' });
    await store().alerts.saveAlert(resolved, later(20_000));
    expect(await store().alerts.alert('g1', 'f1')).toEqual(resolved);
    expect((await store().alerts.alertsOfGroup('g1')).map((x) => x.status)).toEqual(['resolved']);
    expect(await store().alerts.alert('g1', 'f2')).toBeUndefined();

    await store().alerts.linkGroup(g.id, id, later(30_000));
    // Linked from no incident: detected when the alert first arrived, not when it was linked or last received.
    expect(await store().alerts.firstReceivedAt(id)).toEqual(later(10_000));
  });

  it('counts detection from the first receipt when a notice’s group is linked later', async () => {
    const a = await declare(store());
    expect(await store().alerts.firstReceivedAt(a.id)).toBeNull();
    const g = await store().alerts.createGroup(group('g1'), later(0));
    await store().alerts.saveAlert(alert('g1', 'f1'), later(5_000));
    await store().alerts.saveAlert(alert('g1', 'f2'), later(7_000));
    await store().alerts.linkGroup(g.id, a.id, later(8_000));
    expect(await store().alerts.firstReceivedAt(a.id)).toEqual(later(5_000));
  });

  it('finds the open incident of the same alert name and service, from another group only', async () => {
    const open = await declare(store());
    const resolved = await declare(store());
    const noService = await declare(store());
    await store().alerts.createGroup(group('g-resolved', { incidentId: resolved.id }), later(0));
    await store().incidents.markResolved(resolved.id, later(1), null);
    await store().alerts.createGroup(group('g-open', { incidentId: open.id }), later(1));
    await store().alerts.createGroup(group('g-unlinked'), later(2));
    await store().alerts.createGroup(group('g-none', { service: null, incidentId: noService.id }), later(3));

    expect(await store().alerts.openIncidentOfSameProblem('HighErrorRate', 'checkout-api', 'g-new')).toBe(open.id);
    expect(await store().alerts.openIncidentOfSameProblem('HighErrorRate', 'checkout-api', 'g-open')).toBeUndefined();
    expect(await store().alerts.openIncidentOfSameProblem('HighErrorRate', null, 'g-new')).toBe(noService.id);
    expect(await store().alerts.openIncidentOfSameProblem('HighErrorRate', 'search', 'g-new')).toBeUndefined();
    expect(await store().alerts.openIncidentOfSameProblem('higherrorrate', 'checkout-api', 'g-new')).toBeUndefined();
  });

  it('names the runbook of the incident’s first linked group that has one', async () => {
    const { id } = await declare(store());
    expect(await store().alerts.runbookFor(id)).toBeNull();
    await store().alerts.createGroup(group('g1', { incidentId: id }), later(0));
    await store().alerts.createGroup(group('g2', { incidentId: id, runbookUrl: 'https://runbooks.example/second' }), later(1));
    await store().alerts.createGroup(group('g3', { incidentId: id, runbookUrl: 'https://runbooks.example/third' }), later(2));
    await store().alerts.createGroup(group('g4', { runbookUrl: 'https://runbooks.example/unlinked' }), later(3));
    expect(await store().alerts.runbookFor(id)).toBe('https://runbooks.example/second');
  });

  it('lets one of several links of a group made at once win, and one of several groups under one key', async () => {
    const incidents = await Promise.all([declare(store()), declare(store()), declare(store())]);
    const g = await store().alerts.createGroup(group('g1'), later(0));
    const links = await Promise.all(incidents.map((i) => store().transaction(async (tx) => tx.alerts.linkGroup(g.id, i.id, later(1)))));
    expect(links.filter(Boolean)).toHaveLength(1);
    expect((await store().alerts.group('g1'))?.incidentId).toBe(incidents[links.indexOf(true)]!.id);

    const created = await Promise.allSettled(Array.from({ length: 4 }, () => store().transaction(async (tx) => tx.alerts.createGroup(group('g2'), later(2)))));
    expect(created.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
  });
});
