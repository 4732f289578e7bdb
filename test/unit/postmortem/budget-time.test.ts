import { describe, expect, it } from 'vitest';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { budgetTime } from '../../../src/postmortem/slo-format.js';
import { measuredBudgetStatus, measuredIncidentBudget } from '../../../src/slo/budget.js';
import { postmortemData, section } from './fixture.js';
import { MINUTE, sloFigures, stored, type TestSlo } from './slo-fixture.js';

/** 99.999 % over 30 days: a budget of 25.92 seconds. */
const FIVE_NINES: TestSlo = { name: 'checkout_availability', target: 0.99999, window: { text: '30d', ms: 30 * 1440 * MINUTE } };

describe('budget spans under a second', () => {
  it('read "less than a second", not "0 seconds", while there is some', () => {
    expect(budgetTime(400)).toBe('less than a second');
    expect(budgetTime(-300)).toBe('less than a second');
    expect(budgetTime(0)).toBe('0 seconds');
    expect(budgetTime(600)).toBe('1 second');
    expect(budgetTime(25_920)).toBe('26 seconds');
  });

  it('never tell a postmortem reader "0 seconds remaining" of a five-nines budget that is 1.5 % left', () => {
    // 20 s at full outage of a 25.92 s budget; the window leaves 1.5 % of it, 0.39 s.
    const figures = sloFigures(
      FIVE_NINES,
      measuredIncidentBudget(FIVE_NINES, { impactMs: 20_000, errorRatio: 1 }),
      measuredBudgetStatus(FIVE_NINES, { windowErrorRatio: 0.985 * (1 - 0.99999), recentErrorRatio: 0 }),
    );
    const markdown = renderPostmortem(postmortemData({ incident: { service: 'checkout-api' }, slo: { serviceSlos: ['checkout_availability'] }, sloFigures: [stored(figures)] }));
    expect(markdown).toContain('; less than a second remaining.');
    expect(section(markdown, 'SLO impact')).toContain('| Remaining after it | 1.5 % (less than a second), measured');
    expect(markdown).not.toMatch(/\b0 seconds/);
  });
});
