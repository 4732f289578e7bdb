import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/model.js';
import type { Notice } from '../../../src/domain/ports.js';
import type { SloFigures } from '../../../src/domain/slo-figures.js';
import { estimateIncidentBudget } from '../../../src/slo/estimate.js';
import { measuredBudgetStatus, measuredIncidentBudget } from '../../../src/slo/budget.js';
import type { SloDefinition } from '../../../src/slo/model.js';
import { DEFAULT_ERROR_BUDGET_POLICY } from '../../../src/slo/policy.js';
import { announcementText } from '../../../src/slack/views/announcements.js';
import { incidentHeaderBlocks, type HeaderFacts } from '../../../src/slack/views/header.js';
import { noticeText } from '../../../src/slack/views/notices.js';
import { headerSloLine, thresholdNoticeText } from '../../../src/slack/views/slo-lines.js';
import { sloReport, type SloReportEntry } from '../../../src/slack/views/slo-report.js';
import { messageProblems } from '../../support/slack-limits.js';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const at = new Date('2026-11-30T00:00:00Z');
const angles = (length: number) => '<&>'.repeat(Math.ceil(length / 3)).slice(0, length);

const slo = (name: string): SloDefinition => ({
  id: `checkout-api/${name}`,
  service: 'checkout-api',
  name,
  description: undefined,
  target: 0.999,
  window: { text: '30d', ms: 30 * DAY },
  owner: undefined,
  sli: { kind: 'events', errorQuery: 'e[{{.window}}]', totalQuery: 't[{{.window}}]' },
  source: { file: 's.yaml', format: 'plain' },
});

function figures(name: string, parts: Pick<SloFigures, 'incident' | 'status'>): SloFigures {
  const s = slo(name);
  return { sloId: s.id, service: s.service, name, target: s.target, windowText: '30d', windowMs: s.window.ms, budgetMs: 43.2 * MINUTE, asked: [], ...parts };
}

const measured = figures('checkout_availability', {
  // 10 % over 43 min = 4.3 min of bad time, 10.0 % of the 43.2-minute budget.
  incident: measuredIncidentBudget(slo('x'), { impactMs: 43.2 * MINUTE, errorRatio: 0.1 }),
  status: measuredBudgetStatus(slo('x'), { windowErrorRatio: 0.000377, recentErrorRatio: 0.0021 }),
});

const incident: Incident = {
  id: 7,
  title: 'Payroll export leaking',
  description: null,
  severity: 'sev2',
  status: 'investigating',
  isPrivate: true,
  declaredBy: 'U0ALICE',
  declaredAt: at,
  resolvedAt: null,
  acknowledgedAt: null,
  resolveSummary: null,
  oncallUserIds: [],
  channelId: 'C0INC',
  channelName: 'inc-7',
  headerTs: '1.1',
  service: 'checkout-api',
  impactStartedAt: null,
  impactEndedAt: null,
};

describe('an SLO line in the header', () => {
  it('reads as the figures: burned, left, burn rate and, when burning faster than sustainable, when it runs out', () => {
    expect(headerSloLine(measured)).toBe(
      '*checkout_availability* (99.9 % / 30d): burned 4.3 min (10.0 % of budget) in this incident · 62.3 % left · burn rate 2.1× (1h) · gone in 8 d 21 h at this rate',
    );
  });

  it('says "at least" of an impact whose beginning Prometheus no longer keeps, and how long that beginning is', () => {
    // 10 % over the 33.2 kept minutes of 43.2 = 3.3 min, 7.7 % of the budget.
    const partly = figures('checkout_availability', {
      incident: measuredIncidentBudget(slo('x'), { impactMs: 43.2 * MINUTE, errorRatio: 0.1, notKept: { ms: 10 * MINUTE, retentionText: '<1h>' } }),
      status: measured.status,
    });
    expect(headerSloLine(partly)).toBe(
      '*checkout_availability* (99.9 % / 30d): burned at least 3.3 min (7.7 % of budget) in this incident: its first 10 minutes are past the &lt;1h&gt; Prometheus keeps · 62.3 % left · burn rate 2.1× (1h) · gone in 8 d 21 h at this rate',
    );
  });

  it('says estimate wherever a figure is one, and why a missing one is missing', () => {
    const estimate = figures('receipts', { incident: estimateIncidentBudget(slo('x'), { impactMs: 30 * MINUTE, severity: 'sev3' }), status: { kind: 'missing', reason: 'a <b> & c' } });
    expect(headerSloLine(estimate)).toBe(
      '*receipts* (99.9 % / 30d) _estimate_: burned ~3.0 min (6.9 % of budget) in this incident (estimate: SEV3 counted as 10.0 % of requests failing) · budget left unknown: a &lt;b&gt; &amp; c; computed again at the next refresh',
    );
  });

  it('keeps the header within Slack\'s limits with many SLOs and long reasons: one section, lines left out say so', () => {
    const many = Array.from({ length: 60 }, (_, i) => figures(`slo_${i}_${'x'.repeat(60)}`, { incident: { kind: 'missing', reason: angles(300) }, status: { kind: 'missing', reason: angles(300) } }));
    const facts: HeaderFacts = { timelineEmoji: 'pushpin', paging: { services: [], pageSeverities: [] }, postmortem: undefined, slo: { service: 'checkout-api', figures: many, pending: ['not_yet'] } };
    const blocks = incidentHeaderBlocks(incident, [], facts);
    expect(messageProblems({ blocks, text: 'x' })).toEqual([]);
    const section = JSON.stringify(blocks.filter((b) => JSON.stringify(b).includes('SLOs of checkout-api')));
    expect(section).toMatch(/…and \d+ more: `\/incident slo` shows every one/);
    expect(blocks.filter((b) => JSON.stringify(b).includes('SLOs of'))).toHaveLength(1);
  });

  it('shows an SLO not computed yet as being computed', () => {
    const facts: HeaderFacts = { timelineEmoji: 'pushpin', paging: { services: [], pageSeverities: [] }, postmortem: undefined, slo: { service: 'checkout-api', figures: [], pending: ['checkout_availability'] } };
    expect(JSON.stringify(incidentHeaderBlocks(incident, [], facts))).toContain('*checkout_availability*: being computed…');
  });
});

describe('a threshold notice', () => {
  const notice: Extract<Notice, { type: 'slo_threshold' }> = {
    type: 'slo_threshold',
    sloId: 'checkout-api/checkout_availability',
    service: 'checkout-api',
    name: 'checkout_availability',
    target: 0.999,
    windowText: '30d',
    threshold: 0.25,
    actions: ['freeze non-critical deployments', 'tell <!channel>'],
    remaining: 0.2,
    estimate: false,
    burnRate: 14.4,
    timeToExhaustionMs: (0.2 * 30 * DAY) / 14.4,
  };

  it('says what the policy says, with the figures, and escapes what the policy file wrote', () => {
    expect(thresholdNoticeText(notice)).toBe(
      ":chart_with_downwards_trend: *Error budget: checkout-api checkout_availability is down to 20.0 % left* (99.9 % over 30d), past the policy's 25 % threshold. The policy says: freeze non-critical deployments; tell &lt;!channel&gt;. Burn rate 14.4× over the last hour: at this rate the budget is gone in 10 h.",
    );
  });

  it('names a public incident in the announcement channel, and only the number of a private one', () => {
    expect(noticeText(notice, { ...incident, isPrivate: false }, [], 'announce')).toMatch(/^\*INC-7\* <#C0INC> :chart_with_downwards_trend:/);
    const announced = announcementText(notice, incident, [])!;
    expect(announced).toMatch(/^:lock: Measured during a private incident \(INC-7\): :chart_with_downwards_trend:/);
    expect(announced).not.toContain('Payroll');
    expect(announced).not.toContain('C0INC');
  });
});

describe('the /incident slo answer', () => {
  it('stays within one message for any number of SLOs', () => {
    const entry = (i: number): SloReportEntry => ({
      slo: slo(`slo_${i}_${'y'.repeat(80)}`),
      status: measured.status as SloReportEntry['status'],
      source: { kind: 'stored', computedAt: at, why: angles(300) },
      thresholds: DEFAULT_ERROR_BUDGET_POLICY.defaultThresholds,
      inEffect: DEFAULT_ERROR_BUDGET_POLICY.defaultThresholds[0],
      incidents: Array.from({ length: 200 }, () => ({ label: 'INC-1 '.repeat(20), use: measured.incident as SloReportEntry['incidents'][number]['use'] })),
      asked: [angles(2000), angles(2000)],
    });
    const report = sloReport('every service', Array.from({ length: 70 }, (_, i) => entry(i)));
    expect(messageProblems(report)).toEqual([]);
    expect(JSON.stringify(report.blocks.at(-1))).toContain('…and 22 more SLOs');
  });
});
