/**
 * What one reader is shown of the figures: the counts of every incident, and
 * by name (services, budgets, repeats) only the incidents they may read
 * about. A private incident is counted for everyone and named only to members
 * of its channel; its service is part of what is not named.
 */
import type { Audience } from './access.js';
import type { StatsPeriod, StatsPeriods } from './stats-period.js';
import { inPeriod } from './stats-period.js';
import { periodFigures, repeatsOf, visibleTo, type PeriodFigures, type Repeat, type StatsIncident, type StatsRecords } from './stats.js';

/** How many services, SLOs and repeats a report names at most. */
export const TOP = 5;

export interface ServiceFigure {
  readonly service: string;
  readonly incidents: number;
  readonly previous: number;
}

/** What the period's incidents spent of one SLO's budget, as fractions of it (0.25 = a quarter). */
export interface BudgetFigure {
  readonly sloId: string;
  readonly service: string;
  readonly name: string;
  readonly consumed: number;
  readonly previous: number;
  readonly incidents: number;
  /** Incidents whose figure for this SLO is missing (Prometheus could not say): left out of `consumed`. */
  readonly unknown: number;
  /** Some of `consumed` is estimated from severity and impact, not measured. */
  readonly estimate: boolean;
  /** An incident's impact began before what Prometheus keeps: `consumed` is a floor. */
  readonly atLeast?: boolean;
}

export interface StatsReport {
  readonly periods: StatsPeriods;
  readonly current: PeriodFigures;
  readonly previous: PeriodFigures;
  readonly services: readonly ServiceFigure[];
  readonly budgets: readonly BudgetFigure[];
  /** Incidents of the period this reader may not read about: in the counts, not in the services, budgets or repeats. */
  readonly hidden: number;
  /** Repeats whose incident and the one it repeats the reader may both read about, first ones first. */
  readonly repeats: readonly Repeat[];
  readonly hiddenRepeats: number;
}

function inIt(incidents: readonly StatsIncident[], period: StatsPeriod): StatsIncident[] {
  return incidents.filter((i) => inPeriod(i.declaredAt, period));
}

export function serviceFigures(current: readonly StatsIncident[], previous: readonly StatsIncident[]): ServiceFigure[] {
  const count = (list: readonly StatsIncident[], service: string) => list.filter((i) => i.service === service).length;
  const services = [...new Set(current.flatMap((i) => (i.service ? [i.service] : [])))];
  return services
    .map((service) => ({ service, incidents: count(current, service), previous: count(previous, service) }))
    .sort((a, b) => b.incidents - a.incidents || a.service.localeCompare(b.service));
}

export function budgetFigures(current: readonly StatsIncident[], previous: readonly StatsIncident[]): BudgetFigure[] {
  const spent = (list: readonly StatsIncident[], sloId: string) =>
    list.flatMap((i) => i.burns).filter((b) => b.sloId === sloId).reduce((sum, b) => sum + (b.consumed ?? 0), 0);
  const bySlo = new Map<string, BudgetFigure>();
  for (const burn of current.flatMap((i) => i.burns)) {
    const seen = bySlo.get(burn.sloId) ?? { sloId: burn.sloId, service: burn.service, name: burn.name, consumed: 0, previous: spent(previous, burn.sloId), incidents: 0, unknown: 0, estimate: false };
    bySlo.set(burn.sloId, {
      ...seen,
      consumed: seen.consumed + (burn.consumed ?? 0),
      incidents: seen.incidents + 1,
      unknown: seen.unknown + (burn.consumed === null ? 1 : 0),
      estimate: seen.estimate || (burn.consumed !== null && burn.estimate),
      ...(seen.atLeast || burn.atLeast ? { atLeast: true } : {}),
    });
  }
  return [...bySlo.values()].sort((a, b) => b.consumed - a.consumed || a.sloId.localeCompare(b.sloId));
}

/** The whole report for one reader: every figure of both periods, and what may be named to them. */
export function statsReport(periods: StatsPeriods, records: { readonly current: StatsRecords; readonly previous: StatsRecords }, audience: Audience, timeZone: string): StatsReport {
  const current = visibleTo(inIt(records.current.incidents, periods.current), audience);
  const previous = visibleTo(inIt(records.previous.incidents, periods.previous), audience);
  const repeats = repeatsOf(inIt(records.current.incidents, periods.current));
  const seen = new Set(current.visible.map((i) => i.id));
  const named = repeats.filter((r) => seen.has(r.incident.id) && seen.has(r.after.id));
  return {
    periods,
    current: periodFigures(records.current, periods.current, timeZone),
    previous: periodFigures(records.previous, periods.previous, timeZone),
    services: serviceFigures(current.visible, previous.visible).slice(0, TOP),
    budgets: budgetFigures(current.visible, previous.visible).slice(0, TOP),
    hidden: current.hidden,
    repeats: named,
    hiddenRepeats: repeats.length - named.length,
  };
}
