/**
 * SLO figures as the SLO job stores them, built with the real budget maths
 * (src/slo/budget.ts, estimate.ts) so their shape is the stored one; the
 * tests check the text against numbers worked out by hand.
 */
import type { MissingFigure, SloFigures, StoredSloFigures } from '../../../src/domain/slo-figures.js';
import { errorBudgetMs, estimatedBudgetStatus, measuredBudgetStatus, measuredIncidentBudget, type BudgetStatus, type IncidentBudgetUse } from '../../../src/slo/budget.js';
import { estimateIncidentBudget } from '../../../src/slo/estimate.js';
import { at } from './fixture.js';

const DAY = 86_400_000;
export const MINUTE = 60_000;

export interface TestSlo {
  readonly name: string;
  readonly target: number;
  readonly window: { readonly text: string; readonly ms: number };
}

/** 99.9 % over 30 days: a budget of 43.2 minutes. */
export const AVAILABILITY: TestSlo = { name: 'checkout_availability', target: 0.999, window: { text: '30d', ms: 30 * DAY } };
/** 99.5 % over 7 days: a budget of 50.4 minutes. */
export const LATENCY: TestSlo = { name: 'checkout_latency', target: 0.995, window: { text: '7d', ms: 7 * DAY } };

export const missing = (reason: string): MissingFigure => ({ kind: 'missing', reason });

export function sloFigures(slo: TestSlo, incident: IncidentBudgetUse | MissingFigure, status: BudgetStatus | MissingFigure, asked: string[] = []): SloFigures {
  return {
    sloId: `checkout-api/${slo.name}`,
    service: 'checkout-api',
    name: slo.name,
    target: slo.target,
    windowText: slo.window.text,
    windowMs: slo.window.ms,
    budgetMs: errorBudgetMs(slo.target, slo.window.ms),
    incident,
    status,
    asked,
  };
}

/** Stored as at the resolve of the fixture's incident (10:47), final. */
export function stored(figures: SloFigures, computedAt = at(47), final = true): StoredSloFigures {
  return { figures, computedAt, final };
}

/**
 * Measured: 30 % of requests failing over the 47 minutes = 14.1 minutes of a
 * 43.2-minute budget = 32.6 %; the window's error ratio is the one that
 * leaves 29 of the 43.2 minutes.
 */
export function measuredAvailability(): SloFigures {
  const remaining = 29 / 43.2;
  return sloFigures(
    AVAILABILITY,
    measuredIncidentBudget(AVAILABILITY, { impactMs: 47 * MINUTE, errorRatio: 0.3 }),
    measuredBudgetStatus(AVAILABILITY, { windowErrorRatio: (1 - remaining) * 0.001, recentErrorRatio: 0.0005 }),
    ['The error ratio of checkout_availability over 30d at 10:47 UTC: sum(rate(http_requests_total{status=~"5.."}[30d])) / sum(rate(http_requests_total[30d]))'],
  );
}

/** Estimated from severity over `impactMinutes`, the incident alone in the window. */
export function estimated(slo: TestSlo, severity: 'sev1' | 'sev2' | 'sev3', impactMinutes: number): SloFigures {
  const use = estimateIncidentBudget(slo, { impactMs: impactMinutes * MINUTE, severity });
  return sloFigures(slo, use, estimatedBudgetStatus(slo, [use]));
}
