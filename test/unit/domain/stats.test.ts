/**
 * The reliability figures against a history worked out by hand: six
 * incidents in the last 30 days and three in the 30 before, eight
 * follow-ups. Every expected figure is written out with its arithmetic.
 * `/incident stats 30d` on 2026-11-21 12:00 UTC: the period is
 * [2026-10-22 12:00, 2026-11-21 12:00), the one before [2026-09-22 12:00, 2026-10-22 12:00).
 */
import { describe, expect, it } from 'vitest';
import type { Audience } from '../../../src/domain/access.js';
import { digestReliability } from '../../../src/domain/digest.js';
import { statsPeriods } from '../../../src/domain/stats-period.js';
import { statsReport } from '../../../src/domain/stats-report.js';
import { nearestRank, percentChange, periodFigures, type StatsFollowUp, type StatsIncident } from '../../../src/domain/stats.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const at = (iso: string) => new Date(`${iso}:00Z`);

function incident(fields: Partial<StatsIncident> & Pick<StatsIncident, 'id' | 'severity' | 'declaredVia' | 'declaredAt'>): StatsIncident {
  return {
    title: `Incident ${fields.id}`,
    isPrivate: false,
    channelId: `C0INC${fields.id}`,
    acknowledgedAt: null,
    resolvedAt: null,
    impactStartedAt: null,
    impactEndedAt: null,
    service: null,
    firstAlertAt: null,
    alertNames: [],
    burns: [],
    ...fields,
  };
}

const availability = (consumed: number | null, estimate = false) => ({ sloId: 'checkout-api/availability', service: 'checkout-api', name: 'availability', consumed, estimate });

// The last 30 days, with each incident's durations in minutes.
const CURRENT: StatsIncident[] = [
  // detect 10:00 → 10:04 (the alert came before the declaration) = 4; ack 10:05 → 10:09 = 4; resolve 10:00 → 11:20 = 80; impact 10:00 → 11:10 = 70.
  incident({ id: 11, severity: 'sev1', declaredVia: 'alert', service: 'checkout-api', alertNames: ['HighErrorRate'], impactStartedAt: at('2026-10-25T10:00'), firstAlertAt: at('2026-10-25T10:04'), declaredAt: at('2026-10-25T10:05'), acknowledgedAt: at('2026-10-25T10:09'), impactEndedAt: at('2026-10-25T11:10'), resolvedAt: at('2026-10-25T11:20'), burns: [availability(0.3)] }),
  // No alert, no impact start, no ack: detect and ack unknown; resolve and impact from the declaration, 09:00 → 09:45 = 45.
  incident({ id: 12, severity: 'sev3', declaredVia: 'command', service: 'search', declaredAt: at('2026-11-01T09:00'), resolvedAt: at('2026-11-01T09:45') }),
  // detect 14:00 → 14:10 = 10; ack 14:12 → 14:30 = 18; resolve 14:00 → 16:00 = 120; impact (no end recorded) to the resolve = 120. Repeats 11 (checkout-api).
  incident({ id: 13, severity: 'sev2', declaredVia: 'alert', service: 'checkout-api', alertNames: ['HighErrorRate'], impactStartedAt: at('2026-11-05T14:00'), firstAlertAt: at('2026-11-05T14:10'), declaredAt: at('2026-11-05T14:12'), acknowledgedAt: at('2026-11-05T14:30'), resolvedAt: at('2026-11-05T16:00'), burns: [availability(0.2, true), { sloId: 'checkout-api/latency', service: 'checkout-api', name: 'latency', consumed: null, estimate: false }] }),
  // Private. No alert: detect unknown; ack 08:00 → 08:05 = 5; resolve 07:30 → 09:00 = 90; impact 90.
  incident({ id: 14, severity: 'sev3', declaredVia: 'form', isPrivate: true, channelId: 'C0SECRET', title: 'Payroll export leaking', service: 'payments', impactStartedAt: at('2026-11-10T07:30'), declaredAt: at('2026-11-10T08:00'), acknowledgedAt: at('2026-11-10T08:05'), resolvedAt: at('2026-11-10T09:00'), burns: [{ sloId: 'payments/availability', service: 'payments', name: 'availability', consumed: 0.1, estimate: false }] }),
  // Declared by a person at 20:00, its alert received at 20:02: detected at the declaration, 19:50 → 20:00 = 10. Open: ack, resolve and impact unknown. Repeats 12 (search).
  incident({ id: 15, severity: 'sev1', declaredVia: 'form', service: 'search', alertNames: ['SearchLatency'], impactStartedAt: at('2026-11-20T19:50'), declaredAt: at('2026-11-20T20:00'), firstAlertAt: at('2026-11-20T20:02') }),
  // Private, in another channel. ack 12:00 → 12:01 = 1; resolve and impact 12:00 → 12:30 = 30. Repeats 11, the first on checkout-api.
  incident({ id: 16, severity: 'sev3', declaredVia: 'form', isPrivate: true, channelId: 'C0OTHER', service: 'checkout-api', declaredAt: at('2026-11-15T12:00'), acknowledgedAt: at('2026-11-15T12:01'), resolvedAt: at('2026-11-15T12:30') }),
  // Declared at the very end of the period (now): not in it.
  incident({ id: 17, severity: 'sev1', declaredVia: 'command', declaredAt: NOW }),
];

// The 30 days before.
const PREVIOUS: StatsIncident[] = [
  // Declared at the very start of the period (in it). ack 12:00 → 12:20 = 20; resolve and impact 12:00 → 13:40 = 100.
  incident({ id: 1, severity: 'sev2', declaredVia: 'command', service: 'checkout-api', declaredAt: at('2026-09-22T12:00'), acknowledgedAt: at('2026-09-22T12:20'), resolvedAt: at('2026-09-22T13:40'), burns: [availability(0.05)] }),
  // detect 03:00 → 03:12 = 12; ack 03:13 → 03:40 = 27; resolve 03:00 → 05:00 = 120; impact 03:00 → 04:30 = 90. Repeats 1 (checkout-api).
  incident({ id: 2, severity: 'sev1', declaredVia: 'alert', service: 'checkout-api', alertNames: ['HighErrorRate'], impactStartedAt: at('2026-10-01T03:00'), firstAlertAt: at('2026-10-01T03:12'), declaredAt: at('2026-10-01T03:13'), acknowledgedAt: at('2026-10-01T03:40'), impactEndedAt: at('2026-10-01T04:30'), resolvedAt: at('2026-10-01T05:00') }),
  // ack unknown; resolve and impact 10:00 → 10:30 = 30.
  incident({ id: 3, severity: 'sev3', declaredVia: 'command', declaredAt: at('2026-10-15T10:00'), resolvedAt: at('2026-10-15T10:30') }),
];

// The team is in Paris (UTC+2 until 25 October, then UTC+1): "done on time" is by its calendar.
const TZ = 'Europe/Paris';
const item = (createdAt: string, dueDate: string, status: StatsFollowUp['status'], closedAt: string | null, reschedules: StatsFollowUp['reschedules'] = []): StatsFollowUp => ({
  createdAt: at(createdAt),
  dueDate,
  status,
  closedAt: closedAt ? at(closedAt) : null,
  reschedules,
});
const FOLLOW_UPS: StatsFollowUp[] = [
  /* F1 */ item('2026-10-01T10:00', '2026-10-10', 'done', '2026-10-09T10:00'),
  /* F2 */ item('2026-10-05T10:00', '2026-10-20', 'done', '2026-10-25T10:00'),
  /* F3 */ item('2026-10-30T10:00', '2026-11-03', 'done', '2026-11-03T23:30'), // 4 November in Paris: late
  /* F4 */ item('2026-11-02T10:00', '2026-11-12', 'open', null),
  /* F5 */ item('2026-11-05T10:00', '2026-11-30', 'open', null),
  /* F6 */ item('2026-11-06T10:00', '2026-11-10', 'dropped', '2026-11-08T10:00'),
  /* F7 */ item('2026-09-01T10:00', '2026-09-15', 'dropped', '2026-10-30T10:00'),
  /* F8 */ item('2026-11-10T09:00', '2026-11-20', 'done', '2026-11-19T23:30'), // 20 November in Paris: on time
];

const periods = statsPeriods('30d', NOW, TZ);
const records = { current: { incidents: CURRENT, followUps: FOLLOW_UPS }, previous: { incidents: PREVIOUS, followUps: FOLLOW_UPS } };

describe('reliability figures over two periods', () => {
  it('cuts the last 30 days and the 30 before', () => {
    expect(periods.current).toEqual({ from: new Date('2026-10-22T12:00:00Z'), to: NOW });
    expect(periods.previous).toEqual({ from: new Date('2026-09-22T12:00:00Z'), to: new Date('2026-10-22T12:00:00Z') });
  });

  it('counts every incident of the period, private ones included, by severity and source', () => {
    const now = periodFigures(records.current, periods.current, TZ);
    // 11–16; 17 was declared at the period's end.
    expect(now.incidents).toBe(6);
    // SEV1: 11, 15. SEV2: 13. SEV3: 12, 14, 16.
    expect(now.bySeverity).toEqual({ sev1: 2, sev2: 1, sev3: 3 });
    // command: 12. form: 14, 15, 16. alert: 11, 13.
    expect(now.bySource).toEqual({ command: 1, form: 3, alert: 2 });
    const before = periodFigures(records.previous, periods.previous, TZ);
    expect(before.incidents).toBe(3);
    expect(before.bySeverity).toEqual({ sev1: 1, sev2: 1, sev3: 1 });
    expect(before.bySource).toEqual({ command: 2, form: 0, alert: 1 });
  });

  it('gives median, p90 and mean of each duration over the incidents that have it, and counts the rest as unknown', () => {
    const now = periodFigures(records.current, periods.current, TZ);
    // detect: 11 = 4, 13 = 10, 15 = 10 → [4, 10, 10]; median rank ⌈1.5⌉ = 2 → 10; p90 rank ⌈2.7⌉ = 3 → 10; mean 24 / 3 = 8. 12, 14, 16 had no alert.
    expect(now.detect).toEqual({ measured: 3, unknown: 3, median: 10, p90: 10, mean: 8 });
    // ack: [1, 4, 5, 18]; median rank 2 → 4; p90 rank ⌈3.6⌉ = 4 → 18; mean 28 / 4 = 7. 12 and 15 never acknowledged.
    expect(now.acknowledge).toEqual({ measured: 4, unknown: 2, median: 4, p90: 18, mean: 7 });
    // resolve: [30, 45, 80, 90, 120]; median rank ⌈2.5⌉ = 3 → 80; p90 rank ⌈4.5⌉ = 5 → 120; mean 365 / 5 = 73. 15 is open.
    expect(now.resolve).toEqual({ measured: 5, unknown: 1, median: 80, p90: 120, mean: 73 });
    // impact: 70 + 45 + 120 + 90 + 30 = 355 over 5; 15 still going.
    expect(now.impact).toEqual({ minutes: 355, measured: 5, unknown: 1 });
    // 13 after 11 (checkout-api), 16 after 11 (checkout-api), 15 after 12 (search).
    expect(now.repeats).toBe(3);

    const before = periodFigures(records.previous, periods.previous, TZ);
    expect(before.detect).toEqual({ measured: 1, unknown: 2, median: 12, p90: 12, mean: 12 });
    // ack: [20, 27]; median rank 1 → 20; p90 rank ⌈1.8⌉ = 2 → 27; mean 47 / 2 = 23.5 → 24.
    expect(before.acknowledge).toEqual({ measured: 2, unknown: 1, median: 20, p90: 27, mean: 24 });
    // resolve: [30, 100, 120]; median rank 2 → 100; p90 rank 3 → 120; mean 250 / 3 = 83.3 → 83.
    expect(before.resolve).toEqual({ measured: 3, unknown: 0, median: 100, p90: 120, mean: 83 });
    expect(before.impact).toEqual({ minutes: 100 + 90 + 30, measured: 3, unknown: 0 });
    expect(before.repeats).toBe(1);
  });

  it('counts follow-ups opened, done, done by their due day on the team calendar, and overdue at the period end', () => {
    // Opened: F3 F4 F5 F6 F8. Done in it: F2 (25 Oct), F3, F8; by the due day only F8 (F2 was due 20 Oct, F3 closed on 4 Nov in Paris).
    // Overdue on 21 Nov: F4 (due 12 Nov, open); F5 is not due yet, F6 and F7 were dropped.
    expect(periodFigures(records.current, periods.current, TZ).followUps).toEqual({ opened: 5, done: 3, doneOnTime: 1, overdue: 1 });
    // Opened: F1 F2 (F7 before). Done: F1, on time. Overdue on 22 Oct: F2 (due 20 Oct, done 25 Oct) and F7 (due 15 Sep, dropped 30 Oct).
    expect(periodFigures(records.previous, periods.previous, TZ).followUps).toEqual({ opened: 2, done: 1, doneOnTime: 1, overdue: 2 });
  });

  it('counts a follow-up overdue by the due date it had at the period end, whatever a later snooze made it', () => {
    // Due 15 Oct, still open on 22 Oct (overdue then); snoozed on 1 Nov to 8 Nov and on 8 Nov to 1 Dec.
    const snoozed = item('2026-10-01T10:00', '2026-12-01', 'open', null, [
      { wasDue: '2026-10-15', at: at('2026-11-01T09:00') },
      { wasDue: '2026-11-08', at: at('2026-11-08T09:00') },
    ]);
    const figures = (period: typeof periods.current) => periodFigures({ incidents: [], followUps: [snoozed] }, period, TZ).followUps;
    expect(figures(periods.previous)).toMatchObject({ overdue: 1 });
    expect(figures(periods.current)).toMatchObject({ overdue: 0 });
    // Done on 5 Nov, while it was due 8 Nov: on time, though the 15 Oct date had passed.
    const done = item('2026-10-01T10:00', '2026-11-08', 'done', '2026-11-05T10:00', [{ wasDue: '2026-10-15', at: at('2026-11-01T09:00') }]);
    expect(periodFigures({ incidents: [], followUps: [done] }, periods.current, TZ).followUps).toMatchObject({ done: 1, doneOnTime: 1 });
  });

  it('gives the change in whole percent, and none where there is nothing to compare with', () => {
    expect(percentChange(6, 3)).toBe(100);
    // MTTR 73 against 83: −10 / 83 = −12.05 %.
    expect(percentChange(73, 83)).toBe(-12);
    expect(percentChange(3, 0)).toBeUndefined();
    expect(percentChange(null, 5)).toBeUndefined();
    expect(nearestRank([], 0.5)).toBeNull();
  });

  it('names services, budgets and repeats of the incidents a non-member may read about, and counts the private ones', () => {
    const outsider: Audience = { type: 'person', userId: 'U0BOB', channelId: 'C0GENERAL', memberOf: new Set() };
    const report = statsReport(periods, records, outsider, TZ);
    // Visible: 11, 12, 13, 15. checkout-api: 11 and 13 (before: 1 and 2); search: 12 and 15 (before: none). A tie of 2: by name.
    expect(report.services).toEqual([
      { service: 'checkout-api', incidents: 2, previous: 2 },
      { service: 'search', incidents: 2, previous: 0 },
    ]);
    // availability: 0.3 (11) + 0.2 (13, estimated) = 0.5, was 0.05 (1); latency: 13's figure is missing.
    expect(report.budgets).toEqual([
      { sloId: 'checkout-api/availability', service: 'checkout-api', name: 'availability', consumed: 0.5, previous: 0.05, incidents: 2, unknown: 0, estimate: true },
      { sloId: 'checkout-api/latency', service: 'checkout-api', name: 'latency', consumed: 0, previous: 0, incidents: 1, unknown: 1, estimate: false },
    ]);
    expect(report.hidden).toBe(2);
    // 16 after 11 is private: counted, not named.
    expect(report.repeats.map((r) => [r.incident.id, r.after.id, r.by])).toEqual([
      [13, 11, { kind: 'service', name: 'checkout-api' }],
      [15, 12, { kind: 'service', name: 'search' }],
    ]);
    expect(report.hiddenRepeats).toBe(1);
    // The counts are everyone's.
    expect(report.current.incidents).toBe(6);
  });

  it('names a private incident to a member of its channel, and where it is posted in that channel', () => {
    const member: Audience = { type: 'person', userId: 'U0ALICE', channelId: 'C0GENERAL', memberOf: new Set(['C0SECRET']) };
    const report = statsReport(periods, records, member, TZ);
    expect(report.services.map((s) => s.service)).toEqual(['checkout-api', 'search', 'payments']);
    expect(report.budgets.map((b) => b.sloId)).toEqual(['checkout-api/availability', 'payments/availability', 'checkout-api/latency']);
    expect(report.hidden).toBe(1);
    const posted = statsReport(periods, records, { type: 'channel', channelId: 'C0OTHER' }, TZ);
    expect(posted.repeats.map((r) => r.incident.id)).toEqual([13, 16, 15]);
    expect(posted.hidden).toBe(1);
  });
});

describe('the weekly digest\'s reliability section', () => {
  it('counts every incident, gives MTTR, and the budgets of the incidents its channel may read about', () => {
    const section = digestReliability(records, periods, { type: 'channel', channelId: 'C0ANNOUNCE' }, TZ);
    // MTTR 365 / 5 = 73 against 250 / 3 = 83; budgets as for a non-member (14 and 16 are private), in plain numbers for the stored plan.
    expect(section).toEqual({
      days: 30,
      incidents: 6,
      previousIncidents: 3,
      mttr: 73,
      previousMttr: 83,
      resolved: 5,
      budgets: [
        { service: 'checkout-api', name: 'availability', consumed: 0.5, previous: 0.05, estimate: true },
        { service: 'checkout-api', name: 'latency', consumed: 0, previous: 0, estimate: false },
      ],
      hidden: 2,
    });
  });
});

describe('the quarter', () => {
  it('is the calendar quarter so far on the team calendar, beside the same stretch of the quarter before', () => {
    const q = statsPeriods('quarter', new Date('2026-11-21T15:00:00Z'), 'Europe/Paris');
    // 1 October 00:00 in Paris is 30 September 22:00 UTC; now is 21 November 16:00 CET.
    expect(q.current).toEqual({ from: new Date('2026-09-30T22:00:00Z'), to: new Date('2026-11-21T15:00:00Z') });
    // 21 August 16:00 CEST, by the calendar; stepping by elapsed time made it 17:00, the hour DST ended in October.
    expect(q.previous).toEqual({ from: new Date('2026-06-30T22:00:00Z'), to: new Date('2026-08-21T14:00:00Z') });
    expect([q.label, q.previousLabel]).toEqual(['2026 Q4 so far', 'the same 52 days of 2026 Q3']);
  });

  it('ends the stretch before at the same wall-clock time across a daylight-saving change', () => {
    // 21 November 10:00 CET against 21 August 10:00 CEST, not 11:00.
    expect(statsPeriods('quarter', new Date('2026-11-21T09:00:00Z'), 'Europe/Paris').previous.to).toEqual(new Date('2026-08-21T08:00:00Z'));
    // And into summer time: 10 May 10:00 CEST is 39 days into Q2; 39 days into Q1 is 9 February, at 10:00 CET, not 09:00.
    expect(statsPeriods('quarter', new Date('2026-05-10T08:00:00Z'), 'Europe/Paris').previous.to).toEqual(new Date('2026-02-09T09:00:00Z'));
    // Without a change in between, as before: UTC has none.
    expect(statsPeriods('quarter', new Date('2026-11-21T09:00:00Z'), 'UTC').previous.to).toEqual(new Date('2026-08-21T09:00:00Z'));
  });

  it('compares as many days of the quarter before, and the whole of it when the current one is longer', () => {
    // 31 May noon is 60 days and 12 hours into Q2: 2 March noon is as far into Q1, not 28 February.
    const q = statsPeriods('quarter', new Date('2026-05-31T12:00:00Z'), 'UTC');
    expect(q.previous).toEqual({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-03-02T12:00:00Z') });
    expect(q.previousLabel).toBe('the same 61 days of 2026 Q1');
    // Q3 has 92 days, Q2 91: on 30 September at 23:00, the stretch before is all of Q2.
    const last = statsPeriods('quarter', new Date('2026-09-30T23:00:00Z'), 'UTC');
    expect(last.previous).toEqual({ from: new Date('2026-04-01T00:00:00Z'), to: new Date('2026-07-01T00:00:00Z') });
    expect(last.previousLabel).toBe('all of 2026 Q2');
  });
});
