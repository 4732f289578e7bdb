import type { Notice } from '../../domain/ports.js';
import type { MissingFigure, SloFigures } from '../../domain/slo-figures.js';
import type { BudgetStatus, IncidentBudgetUse, KeptShorterThanWindow } from '../../slo/budget.js';
import { duration } from '../../domain/time.js';
import { roundRemainingPercent } from '../../slo/remaining-rounding.js';
import { isSettled } from '../../slo/too-short-impact.js';
import { safe } from '../text.js';
import { severityLabel } from './labels.js';

/*
 * How SLO figures read in Slack, in one place so the header, the notices and
 * `/incident slo` say the same thing the same way. An estimate says so in
 * every line it is in; a missing figure says why and when it is tried again.
 */

const MINUTE_MS = 60_000;

/** Decimals shown: one, two below 1 % so a small figure is not shown as 0.0. */
const digitsFor = (percent: number) => (Math.abs(percent) < 1 && percent !== 0 ? 2 : 1);
const SMALLEST = 'less than 0.01 %';

/**
 * 0.623 → `62.3 %` (one decimal; two below 1 %). A share that is not 0 is
 * never written as 0: 0.004 % is `less than 0.01 %`.
 */
export function percentText(fraction: number): string {
  const value = fraction * 100;
  const text = value.toFixed(digitsFor(value));
  if (value !== 0 && Number(text) === 0) return value > 0 ? SMALLEST : `-${SMALLEST}`;
  return `${text} %`;
}

/** Float noise around 0: 1 − 0.001 / (1 − 0.999) is 9e-16, a budget exactly spent. */
const FLOAT_NOISE = 1e-9;

/**
 * A budget remaining of 0 or more: never rounded up to a threshold it is past
 * (49.96 % is `49.9 %`, see roundRemainingPercent), and a sliver is `less than
 * 0.01 %`, since `0.00 %` reads as spent while some is left.
 */
export function remainingPercentText(remaining: number): string {
  if (remaining <= FLOAT_NOISE) return '0 %';
  const value = remaining * 100;
  const digits = digitsFor(value);
  const shown = roundRemainingPercent(value, digits);
  return shown === 0 ? SMALLEST : `${shown.toFixed(digits)} %`;
}

/** A policy threshold as the policy file wrote it: 0.5 → `50 %`, 0.125 → `12.5 %`. */
export function thresholdText(threshold: number): string {
  return `${Number((threshold * 100).toPrecision(12))} %`;
}

/**
 * Where a budget stands, after "is" or "Error budget of X": `down to 49.9 %
 * left`, `all spent (0 % left)`, or `overspent by 12.3 %` (never a negative
 * "left"). `~` marks an estimate.
 */
export function budgetStandingText(remaining: number, estimate: boolean): string {
  const tilde = estimate ? '~' : '';
  if (remaining < -FLOAT_NOISE) return `overspent by ${tilde}${percentText(-remaining)}`;
  if (remaining <= FLOAT_NOISE) return `all spent (${tilde}0 % left)`;
  return `down to ${tilde}${remainingPercentText(remaining)} left`;
}

/** 0.999 → `99.9 %`, 0.9995 → `99.95 %`: as the SLO file wrote it. */
export function targetText(target: number): string {
  return `${Number((target * 100).toPrecision(12))} %`;
}

/** Bad time or a budget: `4.3 min`, `2.5 h`, `3.1 d`. */
export function badTimeText(ms: number): string {
  const minutes = ms / MINUTE_MS;
  if (minutes < 100) return `${minutes.toFixed(1)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} d`;
}

/** 2.13 → `2.1×`; below 0.1, two decimals (`0.05×`) so a trickle is not shown as nothing. */
export function rateText(rate: number): string {
  return `${rate.toFixed(rate < 0.1 && rate > 0 ? 2 : 1)}×`;
}

/** A time to exhaustion: `3 d 4 h`, `5 h 10 min`, `12 min`. */
export function untilText(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / MINUTE_MS));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  const rest = minutes % 60;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${minutes} min`;
}

/** `checkout_availability (99.9 % / 30d)`. */
export function sloTitle(figures: Pick<SloFigures, 'name' | 'target' | 'windowText'>): string {
  return `*${safe(figures.name)}* (${targetText(figures.target)} / ${safe(figures.windowText)})`;
}

const AGAIN = 'computed again at the next refresh';

function missingText(what: string, figure: MissingFigure): string {
  // A figure settled as too short to measure is final: "computed again" would promise what never comes.
  return `${what} unknown: ${safe(figure.reason)}; ${isSettled(figure) ? 'not asked again' : AGAIN}`;
}

/** What the incident burned: `burned 3.0 min (6.9 % of budget) in this incident`. */
export function burnedText(use: IncidentBudgetUse | MissingFigure): string {
  if (use.kind === 'missing') return missingText('burned in this incident', use);
  const figure = `${badTimeText(use.badTimeMs)} (${percentText(use.consumed)} of budget)`;
  if (use.kind === 'measured') {
    // Its beginning is past what Prometheus keeps: what was measured is a floor.
    if (use.notKept) return `burned at least ${figure} in this incident: its first ${duration(Math.round(use.notKept.ms / 60_000))} are past the ${safe(use.notKept.retentionText)} Prometheus keeps`;
    return `burned ${figure} in this incident`;
  }
  return `burned ~${figure} in this incident (estimate: ${severityLabel(use.severity)} counted as ${percentText(use.errorRatio)} of requests failing)`;
}

/** `62.3 % left`, `budget overspent by 12.3 %`, `0 % left`, in a line of figures. */
function leftText(remaining: number, estimate: boolean): string {
  const tilde = estimate ? '~' : '';
  if (remaining < -FLOAT_NOISE) return `budget overspent by ${tilde}${percentText(-remaining)}`;
  return `${tilde}${remainingPercentText(remaining)} left`;
}

/**
 * ` over the 15d Prometheus keeps, not the SLO's 30d`, when it keeps less than
 * the window: the figure is then that span's, and reads as the window's without it.
 */
export function keptOnlyText(status: BudgetStatus | MissingFigure): string {
  return status.kind === 'measured' ? retentionText(status.retention) : '';
}

function retentionText(retention: KeptShorterThanWindow | undefined): string {
  return retention ? ` over the ${safe(retention.text)} Prometheus keeps, not the SLO's ${safe(retention.windowText)}` : '';
}

/** Where the budget stands: `62.3 % left · burn rate 2.1× (1h)`, or the estimate's and why it has no burn rate. */
export function statusText(status: BudgetStatus | MissingFigure): string {
  if (status.kind === 'missing') return missingText('budget left', status);
  if (status.kind === 'estimate') {
    return `${leftText(status.remaining, true)} (estimate from ${status.incidents} incident${status.incidents === 1 ? '' : 's'}) · burn rate not measured`;
  }
  const parts = [`${leftText(status.remaining, false)}${keptOnlyText(status)}`, `burn rate ${rateText(status.burnRate)} (1h)`];
  // Worth a word only when the budget is going faster than it comes back.
  if (status.burnRate > 1 && status.timeToExhaustionMs !== undefined && status.remaining > 0) parts.push(`gone in ${untilText(status.timeToExhaustionMs)} at this rate`);
  return parts.join(' · ');
}

/**
 * One SLO's line in the pinned header. Both parts missing for the same reason
 * (Prometheus down) say it once.
 */
export function headerSloLine(figures: SloFigures): string {
  const { incident, status } = figures;
  if (incident.kind === 'missing' && status.kind === 'missing' && incident.reason === status.reason) {
    return `${sloTitle(figures)}: figures missing: ${safe(incident.reason)}; ${AGAIN}`;
  }
  const estimate = incident.kind === 'estimate' || status.kind === 'estimate';
  return `${sloTitle(figures)}${estimate ? ' _estimate_' : ''}: ${burnedText(incident)} · ${statusText(status)}`;
}

/**
 * A threshold notice. `alsoPassed`: the higher thresholds crossed in the same
 * computation (a budget falling past 50 %, 25 % and 10 % at once is one
 * notice, for 10 %); absent in notices queued before it existed.
 */
export type ThresholdNotice = Extract<Notice, { type: 'slo_threshold' }>;

/** ` (the 50 % and 25 % ones passed too)`, or nothing. */
export function alsoPassedText(alsoPassed: readonly number[] | undefined): string {
  if (!alsoPassed || alsoPassed.length === 0) return '';
  const texts = alsoPassed.map(thresholdText);
  const list = texts.length === 1 ? texts[0]! : `${texts.slice(0, -1).join(', ')} and ${texts.at(-1)!}`;
  return ` (the ${list} ${texts.length === 1 ? 'one' : 'ones'} passed too)`;
}

/** What the policy says now that a threshold is crossed, with the figures. */
export function thresholdNoticeText(notice: ThresholdNotice): string {
  const what = `${safe(notice.service)} ${safe(notice.name)}`;
  const figures = notice.estimate
    ? ` Estimated from incidents' impact and severity (${targetText(notice.target)} over ${safe(notice.windowText)}), not measured.`
    : notice.burnRate === null
      ? ''
      : ` Burn rate ${rateText(notice.burnRate)} over the last hour` +
        (notice.burnRate > 1 && notice.timeToExhaustionMs !== null && notice.remaining > 0 ? `: at this rate the budget is gone in ${untilText(notice.timeToExhaustionMs)}.` : '.');
  return (
    `:chart_with_downwards_trend: *Error budget: ${what} is ${budgetStandingText(notice.remaining, notice.estimate)}${retentionText(notice.retention)}*` +
    ` (${targetText(notice.target)} over ${safe(notice.windowText)}), past the policy's ${thresholdText(notice.threshold)} threshold${alsoPassedText(notice.alsoPassed)}.` +
    ` The policy says: ${notice.actions.map(safe).join('; ')}.${figures}`
  );
}
