import { describe, expect, it } from 'vitest';
import {
  averageErrorRatio,
  budgetConsumed,
  budgetRemaining,
  budgetSpentAtBurnRate,
  burnRate,
  errorBudgetMs,
  estimatedBudgetStatus,
  measuredBudgetStatus,
  measuredIncidentBudget,
  timeToExhaustionMs,
} from '../../../src/slo/budget.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const thirtyDays = { target: 0.999, window: { text: '30d', ms: 30 * DAY } };

describe('the error budget', () => {
  it('is (1 − target) × window: 99.9 % over 30 days is 43.2 minutes of a 43,200-minute window', () => {
    expect(30 * DAY).toBe(43_200 * MINUTE);
    expect(errorBudgetMs(0.999, 30 * DAY) / MINUTE).toBeCloseTo(43.2, 9);
  });

  it('is 50.4 minutes for 99.5 % over 7 days', () => {
    expect(errorBudgetMs(0.995, 7 * DAY) / MINUTE).toBeCloseTo(50.4, 9);
  });

  it('refuses a target that leaves no budget or is not a fraction', () => {
    expect(() => errorBudgetMs(1, DAY)).toThrow(RangeError);
    expect(() => errorBudgetMs(99.9, DAY)).toThrow(RangeError);
    expect(() => errorBudgetMs(0, DAY)).toThrow(RangeError);
  });
});

describe('burn rate', () => {
  it('is the error ratio ÷ (1 − target)', () => {
    expect(burnRate(0.0144, 0.999)).toBeCloseTo(14.4, 9);
    expect(burnRate(0.001, 0.999)).toBeCloseTo(1, 9);
    expect(burnRate(0, 0.999)).toBe(0);
  });

  it('14.4× sustained for an hour spends 2 % of a 30-day budget', () => {
    expect(budgetSpentAtBurnRate(14.4, HOUR, 30 * DAY)).toBeCloseTo(0.02, 12);
    // The same hour seen as an error ratio of 1.44 % for 60 minutes out of a 43.2-minute budget.
    expect(budgetConsumed(0.0144, HOUR, 0.999, 30 * DAY)).toBeCloseTo(0.02, 9);
  });

  it('refuses an error ratio that is not a number (Prometheus answers NaN when there is no traffic)', () => {
    expect(() => burnRate(Number.NaN, 0.999)).toThrow(RangeError);
    expect(() => burnRate(-0.1, 0.999)).toThrow(RangeError);
  });
});

describe('budget consumed, remaining and time to exhaustion', () => {
  it('an incident at 50 % errors for 30 minutes spends 15 bad minutes: 34.7 % of 43.2', () => {
    const use = measuredIncidentBudget(thirtyDays, { impactMs: 30 * MINUTE, errorRatio: 0.5 });
    expect(use.kind).toBe('measured');
    expect(use.badTimeMs).toBe(15 * MINUTE);
    expect(use.budgetMs / MINUTE).toBeCloseTo(43.2, 9);
    expect(use.consumed).toBeCloseTo(15 / 43.2, 9);
  });

  it('remaining is 1 − window error ratio ÷ (1 − target), and goes below 0 when overspent', () => {
    expect(budgetRemaining(0, 0.999)).toBe(1);
    expect(budgetRemaining(0.00075, 0.999)).toBeCloseTo(0.25, 9);
    expect(budgetRemaining(0.001, 0.999)).toBeCloseTo(0, 9);
    expect(budgetRemaining(0.0012, 0.999)).toBeCloseTo(-0.2, 9);
  });

  it('time to exhaustion is remaining × window ÷ burn rate', () => {
    // Half the budget left, burning at 14.4×: 0.5 × 30 days ÷ 14.4 = 25 hours.
    expect(timeToExhaustionMs(0.5, 14.4, 30 * DAY)).toBeCloseTo(25 * HOUR, 3);
    expect(timeToExhaustionMs(1, 1, 30 * DAY)).toBe(30 * DAY);
    expect(timeToExhaustionMs(0.5, 0, 30 * DAY)).toBeUndefined();
    expect(timeToExhaustionMs(0, 14.4, 30 * DAY)).toBe(0);
    expect(timeToExhaustionMs(-0.2, 0, 30 * DAY)).toBe(0);
  });

  it('a measured status puts them together', () => {
    const status = measuredBudgetStatus(thirtyDays, { windowErrorRatio: 0.0005, recentErrorRatio: 0.0144 });
    expect(status).toMatchObject({ kind: 'measured', windowErrorRatio: 0.0005 });
    if (status.kind !== 'measured') throw new Error('measured');
    expect(status.remaining).toBeCloseTo(0.5, 9);
    expect(status.burnRate).toBeCloseTo(14.4, 9);
    expect(status.timeToExhaustionMs).toBeCloseTo(25 * HOUR, 3);
  });

  it('an estimated status is the sum of the incidents spent, labelled an estimate', () => {
    const uses = [measuredIncidentBudget(thirtyDays, { impactMs: 30 * MINUTE, errorRatio: 0.5 }), measuredIncidentBudget(thirtyDays, { impactMs: 10 * MINUTE, errorRatio: 1 })];
    const status = estimatedBudgetStatus(thirtyDays, uses);
    expect(status.kind).toBe('estimate');
    expect(status.remaining).toBeCloseTo(1 - 25 / 43.2, 9);
    expect(estimatedBudgetStatus(thirtyDays, []).remaining).toBe(1);
  });
});

describe('the mean error ratio over an impact window, from samples', () => {
  it('is the trapezoid area ÷ the window', () => {
    const samples = [
      { atMs: 0, errorRatio: 0 },
      { atMs: 10 * MINUTE, errorRatio: 1 },
      { atMs: 20 * MINUTE, errorRatio: 1 },
      { atMs: 30 * MINUTE, errorRatio: 0 },
    ];
    // Area: 5 + 10 + 5 = 20 bad minutes over 30 minutes.
    expect(averageErrorRatio(samples, 0, 30 * MINUTE)).toBeCloseTo(20 / 30, 12);
  });

  it('clips to the window, interpolating at its edges and holding the end values flat', () => {
    const samples = [
      { atMs: 10 * MINUTE, errorRatio: 0 },
      { atMs: 20 * MINUTE, errorRatio: 1 },
    ];
    // 15..20 rises 0.5 → 1 (3.75 bad minutes), 20..25 is held at 1 (5): 8.75 over 10.
    expect(averageErrorRatio(samples, 15 * MINUTE, 25 * MINUTE)).toBeCloseTo(0.875, 12);
    // Unsorted samples give the same answer.
    expect(averageErrorRatio([...samples].reverse(), 15 * MINUTE, 25 * MINUTE)).toBeCloseTo(0.875, 12);
  });

  it('is undefined with no samples, and refuses an empty window', () => {
    expect(averageErrorRatio([], 0, MINUTE)).toBeUndefined();
    expect(() => averageErrorRatio([{ atMs: 0, errorRatio: 0 }], MINUTE, MINUTE)).toThrow(RangeError);
  });
});
