import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../src/domain/ports.js';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { measuredBudgetStatus } from '../../../src/slo/budget.js';
import type { SloDefinition } from '../../../src/slo/model.js';
import { percentText, statusText, thresholdNoticeText } from '../../../src/slack/views/slo-lines.js';
import { postmortemData, section } from '../postmortem/fixture.js';
import { AVAILABILITY, MINUTE, measuredAvailability, sloFigures, stored } from '../postmortem/slo-fixture.js';

/*
 * A budget remaining is read against the policy's thresholds: rounded up it
 * reads as at a threshold it is past, rounded to 0 as spent while some is
 * left, and an overspent budget is not a negative amount "left".
 */

const DAY = 1440 * MINUTE;
const slo = { target: 0.999, window: { text: '30d', ms: 30 * DAY } } as Pick<SloDefinition, 'target' | 'window'>;
/** The measured status whose remaining is `remaining` (1 − ratio ÷ 0.001). */
const leaving = (remaining: number) => measuredBudgetStatus(slo, { windowErrorRatio: (1 - remaining) * 0.001, recentErrorRatio: 0 });

const notice = (remaining: number, threshold: number): Extract<Notice, { type: 'slo_threshold' }> => ({
  type: 'slo_threshold',
  sloId: 'checkout-api/checkout_availability',
  service: 'checkout-api',
  name: 'checkout_availability',
  target: 0.999,
  windowText: '30d',
  threshold,
  actions: ['notify'],
  remaining,
  estimate: false,
  burnRate: null,
  timeToExhaustionMs: null,
});

describe('the budget left, in Slack', () => {
  it('is never rounded up to a threshold it is past: 49.96 % is 49.9 %', () => {
    expect(statusText(leaving(0.4996))).toMatch(/^49\.9 % left · /);
    expect(thresholdNoticeText(notice(0.4996, 0.5))).toContain("is down to 49.9 % left* (99.9 % over 30d), past the policy's 50 % threshold.");
    expect(statusText(leaving(0.1246))).toMatch(/^12\.4 % left · /);
    expect(statusText(leaving(0.00996))).toMatch(/^0\.99 % left · /);
    // Elsewhere it is rounded as usual, like the share consumed beside it.
    expect(statusText(leaving(0.3056))).toMatch(/^30\.6 % left · /);
    // Exactly a threshold, a float's hair below it, is that threshold.
    expect(statusText(leaving(0.25 - 1e-15))).toMatch(/^25\.0 % left · /);
  });

  it('is never 0 while some is left', () => {
    expect(statusText(leaving(0.00004))).toMatch(/^less than 0\.01 % left · /);
    expect(thresholdNoticeText(notice(0.00004, 0.1))).toContain('is down to less than 0.01 % left*');
    expect(percentText(0.00004)).toBe('less than 0.01 %');
    expect(statusText(leaving(0))).toMatch(/^0 % left · /);
  });

  it('says an overspent budget is overspent, by how much, never a negative "left"', () => {
    expect(statusText(leaving(-0.123))).toMatch(/^budget overspent by 12\.3 % · burn rate/);
    const text = thresholdNoticeText(notice(-0.123, 0));
    expect(text).toContain('*Error budget: checkout-api checkout_availability is overspent by 12.3 %* (99.9 % over 30d), past the policy\'s 0 % threshold.');
    expect(text).not.toMatch(/-\d|down to budget/);
  });

  it('writes thresholds as the policy did: 50 %, not 50.0 %', () => {
    expect(thresholdNoticeText(notice(0.3, 0.5))).toContain("past the policy's 50 % threshold");
    expect(thresholdNoticeText(notice(0.1, 0.125))).toContain("past the policy's 12.5 % threshold");
  });
});

describe('the budget remaining, in the postmortem', () => {
  const remainingRow = (remaining: number) => {
    const status = { kind: 'estimate', budgetMs: 43.2 * MINUTE, remaining, incidents: 1 } as const;
    const slo = section(renderPostmortem(postmortemData({ incident: { service: 'checkout-api' }, slo: { serviceSlos: ['checkout_availability'] }, sloFigures: [stored(sloFigures(AVAILABILITY, measuredAvailability().incident, status))] })), 'SLO impact');
    return slo.split('\n').find((l) => l.startsWith('| Remaining after it |'))!;
  };

  it('is rounded down beside the policy state, and an overspent one says by how much', () => {
    expect(remainingRow(0.4996)).toMatch(/^\| Remaining after it \| 49\.9 % /);
    expect(remainingRow(0.3056)).toMatch(/^\| Remaining after it \| 30\.6 % /);
    expect(remainingRow(-0.25)).toMatch(/^\| Remaining after it \| overspent by 25\.0 % of the budget \(10\.8 minutes\)/);
  });
});
