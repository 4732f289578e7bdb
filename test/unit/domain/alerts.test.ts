import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWebhookPayload } from '../../../src/alertmanager/payload.js';
import { declareFromAlertNotice, mergeAlertGroup, reopenFromAlerts, takeIncidentCommand } from '../../../src/domain/alert-group-actions.js';
import { defaultAlertRules, type AlertRules } from '../../../src/domain/alert-rules.js';
import { receiveAlerts, startImpactEarlier, type AlertNotification } from '../../../src/domain/alerts.js';
import type { OutboxJob } from '../../../src/domain/ports.js';
import { loadSloCatalog } from '../../../src/slo/catalog.js';
import { memoryDeps, noteQueuedJobs } from '../../support/memory-store.js';

const FIRING = JSON.parse(readFileSync('test/fixtures/alertmanager/firing.json', 'utf8')) as Record<string, unknown> & { alerts: Record<string, unknown>[] };
const RESOLVED = JSON.parse(readFileSync('test/fixtures/alertmanager/resolved.json', 'utf8')) as typeof FIRING;

function notification(body: unknown): AlertNotification {
  const parsed = parseWebhookPayload(JSON.stringify(body));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.notification;
}

/** The fixture's group with other alerts: same labels but `instance`, its own fingerprint. */
function withAlerts(base: typeof FIRING, alerts: Record<string, unknown>[], overrides: Record<string, unknown> = {}) {
  return { ...base, alerts, ...overrides };
}

function extraAlert(n: number, status: 'firing' | 'resolved' = 'firing', startsAt = '2026-12-03T14:56:00.000Z') {
  const first = FIRING.alerts[0]!;
  return { ...first, status, labels: { ...(first.labels as object), instance: `i-${n}` }, fingerprint: `fp-${n}`, startsAt, endsAt: status === 'resolved' ? '2026-12-03T15:10:00.000Z' : '0001-01-01T00:00:00Z' };
}

function world(rules?: Partial<AlertRules>) {
  const jobs: OutboxJob[] = [];
  const deps = memoryDeps([noteQueuedJobs(jobs)]);
  const slo = { ...deps.slo, catalog: loadSloCatalog(['examples/slo/checkout-api.yaml']).catalog };
  deps.clock.set('2026-12-03T15:00:00Z');
  return { deps: { ...deps, slo }, store: deps.store, clock: deps.clock, jobs, rules: { ...defaultAlertRules('C0ANNOUNCE'), ...rules } };
}

const slackActor = (userId: string) => ({ type: 'slack', userId, teamId: 'T1' }) as const;

describe('receiveAlerts', () => {
  it('declares one incident from a firing group: summary, description, service, impact start, IC unassigned, alert on the timeline', async () => {
    const { deps, store, rules } = world();
    const outcome = await receiveAlerts(deps, rules, notification(FIRING));
    expect(outcome.kind).toBe('declared');
    const incident = (await store.incidents.get(outcome.incidentId!))!;
    expect(incident).toMatchObject({
      title: 'checkout-api checkout_availability is burning its error budget too fast (page)',
      severity: 'sev2',
      service: 'checkout-api',
      declaredBy: 'system:alertmanager',
      impactStartedAt: new Date('2026-12-03T14:54:45.572Z'),
      isPrivate: false,
    });
    expect(incident.description).toMatch(/burned error budget/);
    expect(await store.roles.current(incident.id)).toEqual([]);
    const fired = (await store.timeline.list(incident.id)).filter((e) => e.kind === 'alert_fired');
    expect(fired).toHaveLength(1);
    expect(fired[0]!.text).toContain('sloth_slo="checkout_availability"');
    expect(fired[0]!.text).toContain('http://prometheus.example:9090/graph?g0.expr=');
    expect(await store.alerts.runbookFor(incident.id)).toBe('https://runbooks.example.com/slo/checkout-api/checkout_availability');
  });

  it('declares from a critical alert whose summary has nothing visible, titled by its name and service', async () => {
    const { deps, store, rules } = world();
    for (const summary of ['\u200b', '\u0301\u0301', '   ']) {
      const alert = { ...FIRING.alerts[0]!, annotations: { ...(FIRING.alerts[0]!.annotations as object), summary } };
      const outcome = await receiveAlerts(deps, rules, notification(withAlerts(FIRING, [alert], { groupKey: `{}:{summary=${JSON.stringify(summary)}}` })));
      expect(outcome.kind).toBe('declared');
      expect((await store.incidents.get(outcome.incidentId!))!.title).toBe('CheckoutAvailabilityFastBurn on checkout-api');
      // Resolved, so that the next group is not offered to merge into it.
      await store.incidents.markResolved(outcome.incidentId!, deps.clock.now(), null);
    }
  });

  it('changes nothing on a repeat of the same group: no timeline entry, no job', async () => {
    const { deps, store, rules, jobs } = world();
    const { incidentId } = await receiveAlerts(deps, rules, notification(FIRING));
    const entries = (await store.timeline.list(incidentId!)).length;
    const queued = jobs.length;
    expect(await receiveAlerts(deps, rules, notification(FIRING))).toEqual({ kind: 'unchanged', incidentId });
    expect(await store.timeline.list(incidentId!)).toHaveLength(entries);
    expect(jobs).toHaveLength(queued);
    expect(await store.incidents.listOpen()).toHaveLength(1);
  });

  it('puts a new alert of the group on the same incident, then offers a Resolve once every alert has resolved', async () => {
    const { deps, store, rules, jobs } = world();
    const { incidentId } = await receiveAlerts(deps, rules, notification(FIRING));
    await receiveAlerts(deps, rules, notification(withAlerts(FIRING, [FIRING.alerts[0]!, extraAlert(2)])));
    expect(await store.incidents.listOpen()).toHaveLength(1);
    expect((await store.timeline.list(incidentId!)).filter((e) => e.kind === 'alert_fired')).toHaveLength(2);
    // One of two resolved: no offer yet.
    await receiveAlerts(deps, rules, notification(withAlerts(FIRING, [RESOLVED.alerts[0]!, extraAlert(2)])));
    expect(jobs.filter((j) => j.kind === 'alert.post')).toHaveLength(0);
    await receiveAlerts(deps, rules, notification(withAlerts(RESOLVED, [RESOLVED.alerts[0]!, extraAlert(2, 'resolved')])));
    const posts = jobs.filter((j) => j.kind === 'alert.post');
    expect(posts).toEqual([{ kind: 'alert.post', incidentId, payload: { channel: null, notice: { type: 'alert_all_resolved', resolved: 2 } } }]);
    const resolvedEntries = (await store.timeline.list(incidentId!)).filter((e) => e.kind === 'alert_resolved');
    expect(resolvedEntries.map((e) => e.text)).toEqual([expect.stringContaining(`resolved at ${new Date(RESOLVED.alerts[0]!.endsAt as string).toISOString()}`), expect.stringContaining('resolved at 2026-12-03T15:10:00.000Z')]);
    expect((await store.incidents.get(incidentId!))!.status).not.toBe('resolved');
    // The resolved payload again: nothing more.
    await receiveAlerts(deps, rules, notification(withAlerts(RESOLVED, [RESOLVED.alerts[0]!, extraAlert(2, 'resolved')])));
    expect(jobs.filter((j) => j.kind === 'alert.post')).toHaveLength(1);
  });

  it('resolves the incident as the system when resolve_with_alerts is on', async () => {
    const { deps, store, rules } = world({ resolveWithAlerts: true });
    const { incidentId } = await receiveAlerts(deps, rules, notification(FIRING));
    await store.incidents.recordChannel(incidentId!, 'C0INC1', 'inc-1');
    await receiveAlerts(deps, rules, notification(RESOLVED));
    expect((await store.incidents.get(incidentId!))!.status).toBe('resolved');
    expect((await store.timeline.list(incidentId!)).find((e) => e.kind === 'resolved')?.actorId).toBe('system:alertmanager');
  });

  it('sends a group firing again within reopen_within back to its incident with a Reopen offer; later, a new incident', async () => {
    const { deps, store, rules, jobs, clock } = world();
    const { incidentId } = await receiveAlerts(deps, rules, notification(FIRING));
    await store.incidents.recordChannel(incidentId!, 'C0INC1', 'inc-1');
    await receiveAlerts(deps, rules, notification(RESOLVED));
    await store.incidents.markResolved(incidentId!, clock.now(), null);
    clock.advance(10 * 60_000);
    const flap = withAlerts(FIRING, [{ ...FIRING.alerts[0]!, startsAt: '2026-12-03T15:09:00.000Z' }]);
    expect(await receiveAlerts(deps, rules, notification(flap))).toEqual({ kind: 'reopen_offered', incidentId });
    expect(await store.incidents.listOpen()).toHaveLength(0);
    expect(jobs.filter((j) => j.kind === 'alert.post').map((j) => j.payload)).toContainEqual({ channel: null, notice: { type: 'alert_reopen_offer', alertname: 'CheckoutAvailabilityFastBurn', firing: 1 } });
    expect((await store.timeline.list(incidentId!)).filter((e) => e.kind === 'alert_fired').at(-1)!.text).toContain('fired again');
    await expect(reopenFromAlerts(deps, slackActor('U1'), incidentId!, { channelId: 'C0OTHER' })).rejects.toThrow(/does not belong/);
    expect((await reopenFromAlerts(deps, slackActor('U1'), incidentId!, { channelId: 'C0INC1' })).status).toBe('investigating');

    // Resolved again, and the group fires two hours later: a new problem.
    await receiveAlerts(deps, rules, notification(RESOLVED));
    await store.incidents.markResolved(incidentId!, clock.now(), null);
    clock.advance(2 * 3_600_000);
    const later = await receiveAlerts(deps, rules, notification(withAlerts(FIRING, [{ ...FIRING.alerts[0]!, startsAt: '2026-12-03T17:20:00.000Z' }])));
    expect(later.kind).toBe('declared');
    expect(later.incidentId).not.toBe(incidentId);
    expect((await store.alerts.group(FIRING.groupKey as string))!.incidentId).toBe(later.incidentId);
    // The first incident keeps its alerts, its detection and its runbook; the new one is detected now.
    expect((await store.alerts.alertsOfIncident(incidentId!)).map((a) => a.fingerprint)).toEqual([FIRING.alerts[0]!.fingerprint]);
    expect(await store.alerts.firstReceivedAt(incidentId!)).toEqual(new Date('2026-12-03T15:00:00Z'));
    expect(await store.alerts.runbookFor(incidentId!)).toBe('https://runbooks.example.com/slo/checkout-api/checkout_availability');
    expect(await store.alerts.firstReceivedAt(later.incidentId!)).toEqual(clock.now());
    expect((await store.alerts.alertsOfIncident(later.incidentId!)).map((a) => a.status)).toEqual(['firing']);
    const stats = (await store.stats.records({ from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-31T00:00:00Z') })).incidents;
    expect(stats.map((i) => [i.id, i.alertNames, i.firstAlertAt])).toEqual([
      [incidentId, ['CheckoutAvailabilityFastBurn'], new Date('2026-12-03T15:00:00Z')],
      [later.incidentId, ['CheckoutAvailabilityFastBurn'], clock.now()],
    ]);
  });

  it('notices a notify-only group afresh when it fires again after all its alerts resolved; the old notice’s button is out of date', async () => {
    const { deps, rules, jobs, clock } = world();
    const alert = { ...FIRING.alerts[0]!, labels: { alertname: 'SlowCheckout', severity: 'warning', service: 'checkout-api' } };
    const warning = withAlerts(FIRING, [alert], { groupKey: '{}:{alertname="SlowCheckout"}', commonLabels: {} });
    expect((await receiveAlerts(deps, rules, notification(warning))).kind).toBe('notified');
    const oldGroupId = (jobs[0]!.payload as { notice: { groupId: number } }).notice.groupId;
    // Still the same episode: recorded, the notice not repeated.
    expect((await receiveAlerts(deps, rules, notification(withAlerts(warning, [alert, { ...extraAlert(2), labels: { ...alert.labels, instance: 'i-2' } }])))).kind).toBe('recorded');
    await receiveAlerts(deps, rules, notification(withAlerts(warning, [{ ...alert, status: 'resolved', endsAt: '2026-12-03T15:10:00.000Z' }, { ...extraAlert(2, 'resolved'), labels: { ...alert.labels, instance: 'i-2' } }], { status: 'resolved' })));
    expect(jobs.filter((j) => j.kind === 'alert.post')).toHaveLength(1);

    clock.advance(7 * 24 * 3_600_000);
    const again = await receiveAlerts(deps, rules, notification(withAlerts(warning, [{ ...alert, startsAt: '2026-12-10T14:00:00.000Z' }])));
    expect(again.kind).toBe('notified');
    const notices = jobs.filter((j) => j.kind === 'alert.post');
    expect(notices).toHaveLength(2);
    const newGroupId = (notices[1]!.payload as { notice: { groupId: number } }).notice.groupId;
    expect(newGroupId).not.toBe(oldGroupId);
    await expect(declareFromAlertNotice(deps, slackActor('U1'), oldGroupId, { channelId: 'C0ANNOUNCE' })).rejects.toThrow(/fired again since/);
    const incident = await declareFromAlertNotice(deps, slackActor('U1'), newGroupId, { channelId: 'C0ANNOUNCE' });
    // Impact from this episode's start, not last week's.
    expect(incident.impactStartedAt).toEqual(new Date('2026-12-10T14:00:00.000Z'));
  });

  it('declares a group whose merge offer nobody took once it fires again after resolving', async () => {
    const { deps, store, rules, jobs, clock } = world();
    const first = await receiveAlerts(deps, rules, notification(FIRING));
    const secondKey = '{}/{team="b"}:{alertname="CheckoutAvailabilityFastBurn"}';
    expect((await receiveAlerts(deps, rules, notification(withAlerts(FIRING, [extraAlert(9)], { groupKey: secondKey })))).kind).toBe('merge_offered');
    await receiveAlerts(deps, rules, notification(withAlerts(RESOLVED, [extraAlert(9, 'resolved')], { groupKey: secondKey })));
    await store.incidents.markResolved(first.incidentId!, clock.now(), null);
    clock.advance(3 * 24 * 3_600_000);
    const again = await receiveAlerts(deps, rules, notification(withAlerts(FIRING, [extraAlert(9, 'firing', '2026-12-06T15:00:00.000Z')], { groupKey: secondKey })));
    expect(again.kind).toBe('declared');
    expect((await store.incidents.listOpen()).map((i) => i.id)).toEqual([again.incidentId]);
    expect(jobs.filter((j) => j.kind === 'alert.post')).toHaveLength(1);
  });

  it('asks for no Resolve while the group still fires alerts max_alerts left out of the webhook', async () => {
    const { deps, store, rules, jobs } = world({ resolveWithAlerts: true });
    // Two alerts fire; with max_alerts: 1 the bot is sent only the first.
    const { incidentId } = await receiveAlerts(deps, rules, notification(withAlerts(FIRING, [FIRING.alerts[0]!], { truncatedAlerts: 1 })));
    await store.incidents.recordChannel(incidentId!, 'C0INC1', 'inc-1');
    await receiveAlerts(deps, rules, notification(withAlerts(FIRING, [RESOLVED.alerts[0]!], { status: 'firing', truncatedAlerts: 1 })));
    expect((await store.timeline.list(incidentId!)).filter((e) => e.kind === 'alert_resolved')).toHaveLength(1);
    expect((await store.incidents.get(incidentId!))!.status).not.toBe('resolved');
    expect(jobs.filter((j) => j.kind === 'alert.post')).toHaveLength(0);
    // The second resolves too: the group is resolved, and so is the incident.
    await receiveAlerts(deps, rules, notification(withAlerts(RESOLVED, [RESOLVED.alerts[0]!], { status: 'resolved', truncatedAlerts: 0 })));
    expect((await store.incidents.get(incidentId!))!.status).toBe('resolved');
  });

  it('moves the impact start back when an alert joining the incident started earlier, on the timeline', async () => {
    const { deps, store, rules } = world();
    const { incidentId } = await receiveAlerts(deps, rules, notification(FIRING));
    expect((await store.incidents.get(incidentId!))!.impactStartedAt).toEqual(new Date('2026-12-03T14:54:45.572Z'));
    await receiveAlerts(deps, rules, notification(withAlerts(FIRING, [FIRING.alerts[0]!, extraAlert(2, 'firing', '2026-12-03T14:40:00.000Z')])));
    expect((await store.incidents.get(incidentId!))!.impactStartedAt).toEqual(new Date('2026-12-03T14:40:00.000Z'));
    expect((await store.timeline.list(incidentId!)).filter((e) => e.kind === 'impact_changed').map((e) => [e.text, e.actorId])).toEqual([
      ['Impact started at 2026-12-03T14:40:00.000Z: when alert CheckoutAvailabilityFastBurn started firing', 'system:alertmanager'],
    ]);
    // One that started later moves nothing; a firing alert whose start moved has not "fired again".
    await receiveAlerts(deps, rules, notification(withAlerts(FIRING, [{ ...FIRING.alerts[0]!, startsAt: '2026-12-03T14:30:00.000Z' }, extraAlert(2, 'firing', '2026-12-03T14:40:00.000Z'), extraAlert(3)])));
    expect((await store.incidents.get(incidentId!))!.impactStartedAt).toEqual(new Date('2026-12-03T14:30:00.000Z'));
    expect((await store.timeline.list(incidentId!)).some((e) => e.text.includes('fired again'))).toBe(false);
  });

  it('moves the impact start by what is stored, not by a copy of the incident read before another group moved it', async () => {
    const { deps, store, rules } = world();
    const { incidentId } = await receiveAlerts(deps, rules, notification(FIRING));
    const readBefore = (await store.incidents.get(incidentId!))!;
    // A second group of the incident, applied beside this one, moves the start to 14:30.
    await startImpactEarlier(deps, readBefore, [{ startsAt: new Date('2026-12-03T14:30:00.000Z'), labels: { alertname: 'Second' } }], deps.clock.now());
    // This one's alert started at 14:40: earlier than what it read, later than what is stored.
    await startImpactEarlier(deps, readBefore, [{ startsAt: new Date('2026-12-03T14:40:00.000Z'), labels: { alertname: 'First' } }], deps.clock.now());
    expect((await store.incidents.get(incidentId!))!.impactStartedAt).toEqual(new Date('2026-12-03T14:30:00.000Z'));
    expect((await store.timeline.list(incidentId!)).filter((e) => e.kind === 'impact_changed').map((e) => e.text)).toEqual([
      'Impact started at 2026-12-03T14:30:00.000Z: when alert Second started firing',
    ]);
  });

  it('posts a notice for a notify-only group; its Declare button declares (presser is IC) only from that channel, and links the group', async () => {
    const { deps, store, rules, jobs } = world();
    const warning = withAlerts(FIRING, [{ ...FIRING.alerts[0]!, labels: { alertname: 'SlowCheckout', severity: 'warning', service: 'checkout-api' } }], { groupKey: '{}:{alertname="SlowCheckout"}', commonLabels: {} });
    expect((await receiveAlerts(deps, rules, notification(warning))).kind).toBe('notified');
    expect(await store.incidents.listOpen()).toHaveLength(0);
    const post = jobs.find((j) => j.kind === 'alert.post')!;
    expect(post).toMatchObject({ incidentId: null, payload: { channel: 'C0ANNOUNCE', notice: { type: 'alert_notify', alertname: 'SlowCheckout', service: 'checkout-api', firing: 1 } } });
    const groupId = (post.payload as { notice: { groupId: number } }).notice.groupId;
    await expect(declareFromAlertNotice(deps, slackActor('U1'), groupId, { channelId: 'C0ELSEWHERE' })).rejects.toThrow(/does not belong/);
    expect(await store.incidents.listOpen()).toHaveLength(0);
    const incident = await declareFromAlertNotice(deps, slackActor('U1'), groupId, { channelId: 'C0ANNOUNCE' });
    expect((await store.roles.current(incident.id)).map((h) => [h.role, h.userId])).toEqual([['ic', 'U1']]);
    await expect(declareFromAlertNotice(deps, slackActor('U2'), groupId, { channelId: 'C0ANNOUNCE' })).rejects.toThrow(/already INC-/);
    // A later alert of the group lands on it.
    await receiveAlerts(deps, rules, notification(withAlerts(warning, [warning.alerts[0]!, { ...extraAlert(3), labels: { alertname: 'SlowCheckout', instance: 'i-3' } }])));
    expect((await store.timeline.list(incident.id)).filter((e) => e.kind === 'alert_fired')).toHaveLength(2);
    expect(await store.incidents.listOpen()).toHaveLength(1);
  });

  it('offers a second group of the same alert name and service to merge into the open incident, never merging it silently', async () => {
    const { deps, store, rules, jobs } = world();
    const first = await receiveAlerts(deps, rules, notification(FIRING));
    await store.incidents.recordChannel(first.incidentId!, 'C0INC1', 'inc-1');
    const second = withAlerts(FIRING, [extraAlert(9)], { groupKey: '{}/{team="b"}:{alertname="CheckoutAvailabilityFastBurn"}' });
    expect(await receiveAlerts(deps, rules, notification(second))).toEqual({ kind: 'merge_offered', incidentId: first.incidentId });
    expect(await store.incidents.listOpen()).toHaveLength(1);
    expect(await store.alerts.alertsOfIncident(first.incidentId!)).toHaveLength(1);
    const offer = jobs.find((j) => j.kind === 'alert.post')!;
    expect(offer).toMatchObject({ incidentId: first.incidentId, payload: { channel: null, notice: { type: 'alert_merge_offer' } } });
    const groupId = (offer.payload as { notice: { groupId: number } }).notice.groupId;
    await expect(mergeAlertGroup(deps, slackActor('U1'), groupId, { channelId: 'C0ANNOUNCE' })).rejects.toThrow(/does not belong/);
    await mergeAlertGroup(deps, slackActor('U1'), groupId, { channelId: 'C0INC1' });
    expect(await store.alerts.alertsOfIncident(first.incidentId!)).toHaveLength(2);
    await expect(mergeAlertGroup(deps, slackActor('U1'), groupId, { channelId: 'C0INC1' })).rejects.toThrow(/already on INC-/);
  });

  it('lets someone take IC of an alert-declared incident once, from its channel', async () => {
    const { deps, store, rules } = world();
    const { incidentId } = await receiveAlerts(deps, rules, notification(FIRING));
    await store.incidents.recordChannel(incidentId!, 'C0INC1', 'inc-1');
    await expect(takeIncidentCommand(deps, slackActor('U1'), incidentId!, { channelId: 'C0OTHER' })).rejects.toThrow(/does not belong/);
    await takeIncidentCommand(deps, slackActor('U1'), incidentId!, { channelId: 'C0INC1' });
    expect((await store.roles.current(incidentId!)).map((h) => [h.role, h.userId])).toEqual([['ic', 'U1']]);
    await expect(takeIncidentCommand(deps, slackActor('U2'), incidentId!, { channelId: 'C0INC1' })).rejects.toThrow(/already Incident Commander/);
  });
});
