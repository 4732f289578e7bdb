import type { Severity } from '../domain/model.js';
import type { SloDefinition } from './model.js';

/*
 * The error-budget maths, pure. Fractions throughout (0.999, not 99.9) and
 * milliseconds for time. The budget is counted in time: an error ratio r over
 * a time t spends r × t of "bad time", and the budget is (1 − target) × window
 * of it. A budget remaining below 0 means overspent and is kept as is.
 */

function checkRatio(errorRatio: number, what = 'an error ratio'): void {
  if (!Number.isFinite(errorRatio) || errorRatio < 0) throw new RangeError(`${what} must be a finite number of 0 or more, not ${errorRatio}`);
}

function checkDuration(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`an impact must be a finite number of milliseconds of 0 or more, not ${ms}`);
}

function checkTarget(target: number): void {
  if (!(target > 0 && target < 1)) throw new RangeError(`a target must be a fraction between 0 and 1, not ${target}`);
}

/** The error budget in ms: (1 − target) × window. 99.9 % over 30 days = 43.2 minutes. */
export function errorBudgetMs(target: number, windowMs: number): number {
  checkTarget(target);
  return (1 - target) * windowMs;
}

/** How many times faster than sustainable the budget is being spent: error ratio ÷ (1 − target). */
export function burnRate(errorRatio: number, target: number): number {
  checkRatio(errorRatio);
  checkTarget(target);
  return errorRatio / (1 - target);
}

/** The fraction of the budget a burn rate spends when sustained for a time: b × t ÷ window (14.4× for 1 h of 30 d = 0.02). */
export function budgetSpentAtBurnRate(rate: number, durationMs: number, windowMs: number): number {
  return (rate * durationMs) / windowMs;
}

/** The fraction of the budget an error ratio spends over a time: r × t ÷ budget. */
export function budgetConsumed(errorRatio: number, durationMs: number, target: number, windowMs: number): number {
  checkRatio(errorRatio);
  return (errorRatio * durationMs) / errorBudgetMs(target, windowMs);
}

/** The fraction of the budget left, from the error ratio over the whole SLO window: 1 − ratio ÷ (1 − target). */
export function budgetRemaining(windowErrorRatio: number, target: number): number {
  return 1 - burnRate(windowErrorRatio, target);
}

/**
 * How long until the budget is gone at a burn rate: remaining × window ÷ b.
 * 0 when already spent; undefined when nothing is burning. A rolling window
 * also forgets its oldest errors as it moves, so this is the usual
 * pessimistic reading, not a forecast.
 */
export function timeToExhaustionMs(remaining: number, rate: number, windowMs: number): number | undefined {
  if (remaining <= 0) return 0;
  if (!(rate > 0)) return undefined;
  return (remaining * windowMs) / rate;
}

/** One point of an error-ratio series (a Prometheus range query's sample). */
export interface ErrorRatioSample {
  readonly atMs: number;
  readonly errorRatio: number;
}

/**
 * The mean error ratio over [fromMs, toMs] from samples, by the trapezoid rule,
 * holding the first and last values flat out to the edges. Samples outside
 * the range only shape its edges. No samples: undefined (no data is not zero).
 */
export function averageErrorRatio(samples: readonly ErrorRatioSample[], fromMs: number, toMs: number): number | undefined {
  if (!(toMs > fromMs)) throw new RangeError('the impact window must end after it starts');
  const points = [...samples].sort((a, b) => a.atMs - b.atMs);
  points.forEach((p) => checkRatio(p.errorRatio, 'a sample error ratio'));
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return undefined;
  const at = (t: number): number => {
    if (t <= first.atMs) return first.errorRatio;
    if (t >= last.atMs) return last.errorRatio;
    const i = points.findIndex((p) => p.atMs >= t);
    const [a, b] = [points[i - 1] as ErrorRatioSample, points[i] as ErrorRatioSample];
    return a.errorRatio + ((b.errorRatio - a.errorRatio) * (t - a.atMs)) / (b.atMs - a.atMs);
  };
  const cuts = [fromMs, ...points.map((p) => p.atMs).filter((t) => t > fromMs && t < toMs), toMs];
  let area = 0;
  for (let i = 1; i < cuts.length; i += 1) {
    const [t0, t1] = [cuts[i - 1] as number, cuts[i] as number];
    area += ((at(t0) + at(t1)) / 2) * (t1 - t0);
  }
  return area / (toMs - fromMs);
}

interface IncidentBudgetUseCommon {
  /** How long the incident affected the SLO. */
  readonly impactMs: number;
  /** The mean error ratio over the impact. */
  readonly errorRatio: number;
  /** errorRatio × impactMs. */
  readonly badTimeMs: number;
  readonly budgetMs: number;
  /** badTimeMs ÷ budgetMs: the fraction of the window's budget the incident spent. */
  readonly consumed: number;
}

/**
 * What one incident spent of one SLO's budget: `measured` from Prometheus, or
 * an `estimate` from its severity, which a message must say it is.
 */
export type IncidentBudgetUse =
  | (IncidentBudgetUseCommon & {
      readonly kind: 'measured';
      /**
       * Set when the impact began before what Prometheus keeps (its time
       * retention): its first `ms` were not measured, and errorRatio and
       * badTimeMs are those of the rest, so what the incident burned is at
       * least this figure. Absent from figures stored before it was kept.
       */
      readonly notKept?: { readonly ms: number; readonly retentionText: string };
    })
  | (IncidentBudgetUseCommon & { readonly kind: 'estimate'; readonly severity: Severity });

/**
 * An incident's use of the budget from the error ratio Prometheus measured
 * over its impact, or, with `notKept`, over the impact's part after the
 * first `notKept.ms` that Prometheus no longer keeps.
 */
export function measuredIncidentBudget(
  slo: Pick<SloDefinition, 'target' | 'window'>,
  impact: { impactMs: number; errorRatio: number; notKept?: { ms: number; retentionText: string } | undefined },
): IncidentBudgetUse {
  checkRatio(impact.errorRatio);
  checkDuration(impact.impactMs);
  const notKept = impact.notKept && impact.notKept.ms > 0 ? { ms: Math.min(impact.notKept.ms, impact.impactMs), retentionText: impact.notKept.retentionText } : undefined;
  const budgetMs = errorBudgetMs(slo.target, slo.window.ms);
  const badTimeMs = impact.errorRatio * (impact.impactMs - (notKept?.ms ?? 0));
  return { kind: 'measured', impactMs: impact.impactMs, errorRatio: impact.errorRatio, badTimeMs, budgetMs, consumed: badTimeMs / budgetMs, ...(notKept ? { notKept } : {}) };
}

/** Prometheus's time retention (`15d`) when shorter than the SLO window it is set beside (`30d`). */
export interface KeptShorterThanWindow {
  readonly text: string;
  readonly ms: number;
  readonly windowText: string;
}

/** Where an SLO's budget stands over its window. */
export type BudgetStatus =
  | {
      readonly kind: 'measured';
      readonly budgetMs: number;
      /** Error ratio over the whole SLO window. */
      readonly windowErrorRatio: number;
      readonly remaining: number;
      /** From the error ratio over a recent, shorter range (the caller's choice, e.g. 1h). */
      readonly burnRate: number;
      readonly timeToExhaustionMs: number | undefined;
      /**
       * Set when Prometheus keeps less than the SLO window (its time retention,
       * `15d` of a 30d window): windowErrorRatio and remaining are then those of
       * the span kept, and every message showing them must say so. Not scaled:
       * what the forgotten days held is not known, neither none nor the same.
       */
      readonly retention?: KeptShorterThanWindow;
    }
  | {
      readonly kind: 'estimate';
      readonly budgetMs: number;
      /** 1 − the sum of the incidents' estimated consumption. */
      readonly remaining: number;
      readonly incidents: number;
    };

/** The budget as Prometheus measures it: the window's error ratio for what is left, a recent one for the burn rate. */
export function measuredBudgetStatus(
  slo: Pick<SloDefinition, 'target' | 'window'>,
  measured: { windowErrorRatio: number; recentErrorRatio: number; retention?: { readonly text: string; readonly ms: number } | undefined },
): BudgetStatus {
  const remaining = budgetRemaining(measured.windowErrorRatio, slo.target);
  const rate = burnRate(measured.recentErrorRatio, slo.target);
  const { retention } = measured;
  return {
    kind: 'measured',
    budgetMs: errorBudgetMs(slo.target, slo.window.ms),
    windowErrorRatio: measured.windowErrorRatio,
    remaining,
    burnRate: rate,
    timeToExhaustionMs: timeToExhaustionMs(remaining, rate, slo.window.ms),
    // Only a retention shorter than the window changes what the figure covers.
    ...(retention && retention.ms < slo.window.ms ? { retention: { text: retention.text, ms: retention.ms, windowText: slo.window.text } } : {}),
  };
}

/** The budget estimated from incidents alone (the caller passes those inside the window). */
export function estimatedBudgetStatus(slo: Pick<SloDefinition, 'target' | 'window'>, uses: readonly IncidentBudgetUse[]): BudgetStatus {
  return {
    kind: 'estimate',
    budgetMs: errorBudgetMs(slo.target, slo.window.ms),
    remaining: 1 - uses.reduce((sum, use) => sum + use.consumed, 0),
    incidents: uses.length,
  };
}
