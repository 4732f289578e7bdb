import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWebhookPayload } from '../../../src/alertmanager/payload.js';
import { declareFromAlertNotice } from '../../../src/domain/alert-group-actions.js';
import { defaultAlertRules } from '../../../src/domain/alert-rules.js';
import { receiveAlerts, type AlertNotification } from '../../../src/domain/alerts.js';
import type { OutboxJob } from '../../../src/domain/ports.js';
import { loadPostmortemData } from '../../../src/postmortem/data.js';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { memoryDeps, noteQueuedJobs } from '../../support/memory-store.js';
import { at, postmortemData, section } from './fixture.js';

const FIRING = JSON.parse(readFileSync('test/fixtures/alertmanager/firing.json', 'utf8')) as Record<string, unknown> & { alerts: Record<string, unknown>[] };

function notification(body: unknown): AlertNotification {
  const parsed = parseWebhookPayload(JSON.stringify(body));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.notification;
}

const impactRows = (markdown: string) =>
  section(markdown, 'Impact')
    .split('\n')
    .filter((l) => l.startsWith('| ') && l !== '| | |');

describe('the postmortem of an incident its alerts detected', () => {
  it('shows when the first alert was received, and times detection to it and declaration to the declaration', () => {
    // Impact from 09:45 (the alerts' start), first alert received 09:52, declared 10:00, acknowledged 10:04.
    const markdown = renderPostmortem(
      postmortemData({ incident: { impactStartedAt: at(-15), acknowledgedAt: at(4), declaredBy: 'system:alertmanager' }, firstAlertReceivedAt: at(-8) }),
    );
    expect(impactRows(markdown).slice(0, 9)).toEqual([
      '| Impact started | 2026-11-16 09:45 UTC |',
      '| Detected (first alert received) | 2026-11-16 09:52 UTC |',
      '| Declared | 2026-11-16 10:00 UTC |',
      '| Acknowledged | 2026-11-16 10:04 UTC |',
      '| Resolved | 2026-11-16 10:47 UTC |',
      '| Time to detect | 7 minutes |',
      '| Time to declare | 15 minutes |',
      '| Time to acknowledge | 4 minutes |',
      '| Time to resolve | 1 h 02 min |',
    ]);
    expect(section(markdown, 'Impact')).toContain('_Time to detect: from the start of impact to its first detection: the first alert received, or the declaration if that came first.');
    const detection = section(markdown, 'Detection');
    expect(detection).toContain('- The first alert (Alertmanager) reached the bot at 09:52 UTC, 8 minutes before the declaration.');
    expect(detection).toContain('- Impact began at 09:45 UTC (the earliest start of its alerts), 15 minutes before the declaration.');
    expect(detection).not.toContain('How it was first noticed');
  });

  it('times detection to the declaration when a person declared before any alert came', () => {
    const impact = section(renderPostmortem(postmortemData({ incident: { impactStartedAt: at(-15) }, firstAlertReceivedAt: at(5) })), 'Impact');
    expect(impact).toContain('| Detected (first alert received) | 2026-11-16 10:05 UTC |');
    expect(impact).toContain('| Time to detect | 15 minutes |\n| Time to declare | 15 minutes |');
  });

  it('has no Detected row without alerts', () => {
    expect(impactRows(renderPostmortem(postmortemData())).some((r) => r.startsWith('| Detected'))).toBe(false);
  });

  it('reads the first receive time from the alerts: a notice declared later by a person, repeats not moving it', async () => {
    const jobs: OutboxJob[] = [];
    const deps = memoryDeps([noteQueuedJobs(jobs)]);
    const rules = defaultAlertRules('C0ANNOUNCE');
    // A warning: the default rules only post a notice. Its alert started 14:54:45, reached the bot at 15:00.
    const warning = {
      ...FIRING,
      groupKey: '{}:{alertname="SlowCheckout"}',
      commonLabels: {},
      alerts: [{ ...FIRING.alerts[0]!, labels: { alertname: 'SlowCheckout', severity: 'warning' } }],
    };
    deps.clock.set('2026-12-03T15:00:00Z');
    expect((await receiveAlerts(deps, rules, notification(warning))).kind).toBe('notified');
    deps.clock.set('2026-12-03T15:04:00Z');
    await receiveAlerts(deps, rules, notification(warning)); // Alertmanager's repeat_interval: the same alert again
    deps.clock.set('2026-12-03T15:10:00Z');
    const groupId = (jobs.find((j) => j.kind === 'alert.post')!.payload as { notice: { groupId: number } }).notice.groupId;
    const incident = await declareFromAlertNotice(deps, { type: 'slack', userId: 'U1', teamId: 'T1' }, groupId, { channelId: 'C0ANNOUNCE' });
    deps.clock.set('2026-12-03T15:12:00Z');
    await receiveAlerts(deps, rules, notification(warning));

    const data = await loadPostmortemData(deps.store, (await deps.store.incidents.get(incident.id))!, deps.slo);
    expect(data.firstAlertReceivedAt).toEqual(new Date('2026-12-03T15:00:00Z'));
    const impact = section(renderPostmortem(data), 'Impact');
    expect(impact).toContain('| Impact started | 2026-12-03 14:54 UTC |\n| Detected (first alert received) | 2026-12-03 15:00 UTC |\n| Declared | 2026-12-03 15:10 UTC |');
    expect(impact).toContain('| Time to detect | 5 minutes |\n| Time to declare | 15 minutes |');
  });

  it('restarts the receive time when the group fires long after its incident was resolved and opens a new one', async () => {
    const deps = memoryDeps();
    const rules = defaultAlertRules('C0ANNOUNCE');
    deps.clock.set('2026-12-03T15:00:00Z');
    const first = await receiveAlerts(deps, rules, notification(FIRING));
    await deps.store.incidents.markResolved(first.incidentId!, deps.clock.now(), null);
    deps.clock.set('2026-12-03T17:21:00Z');
    const later = await receiveAlerts(deps, rules, notification({ ...FIRING, alerts: [{ ...FIRING.alerts[0]!, startsAt: '2026-12-03T17:20:00.000Z' }] }));
    expect(later.kind).toBe('declared');
    expect(await deps.store.alerts.firstReceivedAt(later.incidentId!)).toEqual(new Date('2026-12-03T17:21:00Z'));
  });

  it('counts from the arrival of the webhook, however late the outbox applied it (a restart in between)', async () => {
    const deps = memoryDeps();
    const rules = defaultAlertRules('C0ANNOUNCE');
    // Received 15:00; the bot restarted and applied the recorded notification at 15:03.
    deps.clock.set('2026-12-03T15:03:00Z');
    const { incidentId } = await receiveAlerts(deps, rules, notification(FIRING), new Date('2026-12-03T15:00:00Z'));
    expect(await deps.store.alerts.firstReceivedAt(incidentId!)).toEqual(new Date('2026-12-03T15:00:00Z'));
    expect((await deps.store.incidents.get(incidentId!))!.declaredAt).toEqual(new Date('2026-12-03T15:03:00Z'));

    // Resolved 15:30; the group fires again, received 16:20 (within reopen_within, 1 h), applied 16:40: offered back, not a new incident.
    await deps.store.incidents.markResolved(incidentId!, new Date('2026-12-03T15:30:00Z'), null);
    deps.clock.set('2026-12-03T16:40:00Z');
    const again = await receiveAlerts(deps, rules, notification({ ...FIRING, alerts: [{ ...FIRING.alerts[0]!, startsAt: '2026-12-03T16:19:00.000Z' }] }), new Date('2026-12-03T16:20:00Z'));
    expect(again).toEqual({ kind: 'reopen_offered', incidentId });
  });
});
