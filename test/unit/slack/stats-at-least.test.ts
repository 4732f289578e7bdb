/**
 * A budget figure measured over only part of an impact (its beginning past
 * what Prometheus keeps) is a floor: `/incident stats` and the digest's
 * reliability section say "at least" beside the SLO whose sum it is in.
 */
import { describe, expect, it } from 'vitest';
import { digestReliability } from '../../../src/domain/digest.js';
import { statsPeriods } from '../../../src/domain/stats-period.js';
import { budgetFigures, statsReport } from '../../../src/domain/stats-report.js';
import type { StatsIncident } from '../../../src/domain/stats.js';
import { toBurn } from '../../../src/db/rows.js';
import { measuredIncidentBudget } from '../../../src/slo/budget.js';
import { digestReliabilityBlock } from '../../../src/slack/views/digest.js';
import { statsBlocks } from '../../../src/slack/views/stats.js';
import { measuredAvailability, AVAILABILITY, MINUTE } from '../postmortem/slo-fixture.js';

const NOW = new Date('2026-11-21T12:00:00Z');

function incident(id: number, notKeptMs: number): StatsIncident {
  const declaredAt = new Date(NOW.getTime() - id * 3_600_000);
  const use = measuredIncidentBudget(AVAILABILITY, { impactMs: 47 * MINUTE, errorRatio: 0.3, notKept: notKeptMs > 0 ? { ms: notKeptMs, retentionText: '1h' } : undefined });
  return {
    id, title: `Checkout ${id}`, isPrivate: false, channelId: `C0INC${id}`, severity: 'sev2', declaredVia: 'command', declaredAt,
    acknowledgedAt: null, resolvedAt: null, impactStartedAt: null, impactEndedAt: null, service: 'checkout-api', firstAlertAt: null, alertNames: [],
    burns: [toBurn({ ...measuredAvailability(), incident: use })],
  };
}

describe('a budget sum holding a figure measured over part of its impact', () => {
  const everyone = { type: 'channel', channelId: 'C0GENERAL' } as const;

  it('is marked at least in /incident stats and in the digest, and left unmarked when every impact was kept whole', () => {
    const periods = statsPeriods('30d', NOW, 'UTC');
    const partly = { current: { incidents: [incident(1, 10 * MINUTE), incident(2, 0)], followUps: [] }, previous: { incidents: [], followUps: [] } };
    expect(budgetFigures(partly.current.incidents, [])[0]).toMatchObject({ atLeast: true, incidents: 2 });
    const stats = JSON.stringify(statsBlocks(statsReport(periods, partly, everyone, 'UTC'), 'UTC').blocks);
    expect(stats).toMatch(/of its budget, over 2 incidents _\(at least: an impact began before what Prometheus keeps\)_/);
    const week = { current: periods.current, previous: periods.previous };
    expect(JSON.stringify(digestReliabilityBlock(digestReliability(partly, week, everyone, 'UTC')))).toContain('_(at least: an impact began before what Prometheus keeps)_');

    const whole = { current: { incidents: [incident(2, 0)], followUps: [] }, previous: { incidents: [], followUps: [] } };
    expect(budgetFigures(whole.current.incidents, [])[0]).not.toHaveProperty('atLeast');
    expect(JSON.stringify(statsBlocks(statsReport(periods, whole, everyone, 'UTC'), 'UTC').blocks)).not.toContain('at least');
  });
});
