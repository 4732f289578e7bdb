/**
 * Reliability figures over a period, compared with the period before: pure,
 * over plain records, so every figure can be worked out by hand. Every figure
 * comes from a recorded timestamp; an incident that lacks the one a figure
 * needs (no acknowledgement, not resolved) is left out of it and counted as
 * unknown, never guessed.
 */
import { maySeeIncident, type Audience } from './access.js';
import { todayIn, type CalendarDay } from './due-date.js';
import { DECLARED_VIA, SEVERITIES, type ActionStatus, type DeclaredVia, type Severity } from './model.js';
import { inPeriod, type StatsPeriod } from './stats-period.js';
import { minutesBetween } from './time.js';

/** What one incident spent of one SLO's budget, as last stored; `consumed` null: the figure is missing. */
export interface StatsBurn {
  readonly sloId: string;
  readonly service: string;
  readonly name: string;
  readonly consumed: number | null;
  readonly estimate: boolean;
  /** The impact began before what Prometheus keeps: `consumed` is what its kept part burned, a floor. */
  readonly atLeast?: boolean;
}

/** An incident as the figures need it. */
export interface StatsIncident {
  readonly id: number;
  readonly title: string;
  readonly isPrivate: boolean;
  readonly channelId: string | null;
  readonly severity: Severity;
  readonly declaredVia: DeclaredVia;
  readonly declaredAt: Date;
  readonly acknowledgedAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly impactStartedAt: Date | null;
  readonly impactEndedAt: Date | null;
  readonly service: string | null;
  /** When the bot first received an alert now linked to it (the postmortem's "detected"). */
  readonly firstAlertAt: Date | null;
  /** The alert names of the alert groups linked to it. */
  readonly alertNames: readonly string[];
  readonly burns: readonly StatsBurn[];
}

/** A follow-up as the figures need it. */
export interface StatsFollowUp {
  readonly createdAt: Date;
  /** The due date now. */
  readonly dueDate: CalendarDay;
  readonly status: ActionStatus;
  readonly closedAt: Date | null;
  /** Each change of the due date (a snooze), oldest first, with the date in force before it. */
  readonly reschedules: readonly { readonly wasDue: CalendarDay; readonly at: Date }[];
}

/** The due date in force at `at`: the one the first later change replaced, else today's. */
export function dueDateAt(item: StatsFollowUp, at: Date): CalendarDay {
  return item.reschedules.find((r) => r.at > at)?.wasDue ?? item.dueDate;
}

/** The incidents declared in a period, and the follow-ups open at some time in it. */
export interface StatsRecords {
  readonly incidents: readonly StatsIncident[];
  readonly followUps: readonly StatsFollowUp[];
}

/** Where the records come from (src/db/stats.repo.ts). */
export interface StatsRepo {
  records(period: StatsPeriod): Promise<StatsRecords>;
}

/** Durations in whole minutes over the incidents that have both timestamps; `unknown` lack one. */
export interface DurationFigures {
  readonly measured: number;
  readonly unknown: number;
  readonly median: number | null;
  readonly p90: number | null;
  readonly mean: number | null;
}

export interface FollowUpFigures {
  readonly opened: number;
  readonly done: number;
  /** Of those done: closed on or before their due day, on the team's calendar. */
  readonly doneOnTime: number;
  /** Open at the period's end and due before its last day. */
  readonly overdue: number;
}

/** The figures of one period that count every incident, private ones included (none is named). */
export interface PeriodFigures {
  readonly incidents: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly bySource: Readonly<Record<DeclaredVia, number>>;
  /** Impact start → the first alert received (or the declaration, if a person came first). */
  readonly detect: DurationFigures;
  /** Declaration → the first acknowledgement of a page. */
  readonly acknowledge: DurationFigures;
  /** Impact start (else the declaration) → resolve. */
  readonly resolve: DurationFigures;
  /** The sum of impact windows that have ended; `unknown`: still open. */
  readonly impact: { readonly minutes: number; readonly measured: number; readonly unknown: number };
  /** Incidents of a service or an alert name already seen earlier in the period. */
  readonly repeats: number;
  readonly followUps: FollowUpFigures;
}

/** The value at rank ⌈q × n⌉ of the sorted values: always a recorded figure, never one between two. */
export function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

/** Whole minutes from `from` to `to`, 0 when `to` came first; null when either is unknown. */
function span(from: Date | null, to: Date | null): number | null {
  return from && to ? Math.max(0, minutesBetween(from, to)) : null;
}

export function durationFigures(values: readonly (number | null)[]): DurationFigures {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const sum = known.reduce((a, b) => a + b, 0);
  return {
    measured: known.length,
    unknown: values.length - known.length,
    median: nearestRank(known, 0.5),
    p90: nearestRank(known, 0.9),
    mean: known.length > 0 ? Math.round(sum / known.length) : null,
  };
}

export const timeToDetect = (i: StatsIncident): number | null =>
  i.firstAlertAt ? span(i.impactStartedAt, i.firstAlertAt < i.declaredAt ? i.firstAlertAt : i.declaredAt) : null;
export const timeToAcknowledge = (i: StatsIncident): number | null => span(i.declaredAt, i.acknowledgedAt);
export const timeToResolve = (i: StatsIncident): number | null => span(i.impactStartedAt ?? i.declaredAt, i.resolvedAt);
const impactMinutes = (i: StatsIncident): number | null => span(i.impactStartedAt ?? i.declaredAt, i.impactEndedAt ?? i.resolvedAt);

/** Which earlier incident of the period each repeat repeats (the first with that service or alert name), and by what. */
export interface Repeat {
  readonly incident: StatsIncident;
  readonly after: StatsIncident;
  readonly by: { readonly kind: 'service' | 'alert'; readonly name: string };
}

/** In declaration order: an incident whose service or one of whose alert names an earlier one had. */
export function repeatsOf(incidents: readonly StatsIncident[]): Repeat[] {
  const sorted = [...incidents].sort((a, b) => a.declaredAt.getTime() - b.declaredAt.getTime() || a.id - b.id);
  const first = new Map<string, StatsIncident>();
  const out: Repeat[] = [];
  for (const incident of sorted) {
    const keys = [...(incident.service ? [`service:${incident.service}`] : []), ...incident.alertNames.map((n) => `alert:${n}`)];
    const key = keys.find((k) => first.has(k));
    if (key) {
      const [kind, ...name] = key.split(':');
      out.push({ incident, after: first.get(key)!, by: { kind: kind as 'service' | 'alert', name: name.join(':') } });
    }
    // The first of each: a repeat is named after the incident it repeats, not after another repeat.
    for (const k of keys) if (!first.has(k)) first.set(k, incident);
  }
  return out;
}

function countBy<K extends string>(keys: readonly K[], values: readonly K[]): Record<K, number> {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const v of values) counts[v] += 1;
  return counts;
}

export function followUpFigures(items: readonly StatsFollowUp[], period: StatsPeriod, timeZone: string): FollowUpFigures {
  const lastDay = todayIn(period.to, timeZone);
  const done = items.filter((i) => i.status === 'done' && i.closedAt && inPeriod(i.closedAt, period));
  const openAtEnd = (i: StatsFollowUp) => i.createdAt < period.to && (i.status === 'open' || (i.closedAt !== null && i.closedAt >= period.to));
  return {
    opened: items.filter((i) => inPeriod(i.createdAt, period)).length,
    done: done.length,
    doneOnTime: done.filter((i) => todayIn(i.closedAt!, timeZone) <= dueDateAt(i, i.closedAt!)).length,
    // Overdue as things stood at the period's end: a snooze since then does not rewrite a past period.
    overdue: items.filter((i) => openAtEnd(i) && dueDateAt(i, period.to) < lastDay).length,
  };
}

/** The figures of one period that count every incident declared in it. */
export function periodFigures(records: StatsRecords, period: StatsPeriod, timeZone: string): PeriodFigures {
  const incidents = records.incidents.filter((i) => inPeriod(i.declaredAt, period));
  const impact = incidents.map(impactMinutes);
  const impactKnown = impact.filter((m): m is number => m !== null);
  return {
    incidents: incidents.length,
    bySeverity: countBy(SEVERITIES, incidents.map((i) => i.severity)),
    bySource: countBy(DECLARED_VIA, incidents.map((i) => i.declaredVia)),
    detect: durationFigures(incidents.map(timeToDetect)),
    acknowledge: durationFigures(incidents.map(timeToAcknowledge)),
    resolve: durationFigures(incidents.map(timeToResolve)),
    impact: { minutes: impactKnown.reduce((a, b) => a + b, 0), measured: impactKnown.length, unknown: impact.length - impactKnown.length },
    repeats: repeatsOf(incidents).length,
    followUps: followUpFigures(records.followUps, period, timeZone),
  };
}

/** The change from `previous` to `current` in whole percent; undefined when there is nothing to compare with. */
export function percentChange(current: number | null, previous: number | null): number | undefined {
  if (current === null || previous === null || previous === 0) return undefined;
  return Math.round(((current - previous) / previous) * 100);
}

/** The incidents of a period this audience may read about by name: the others are only counted. */
export function visibleTo(incidents: readonly StatsIncident[], audience: Audience): { visible: StatsIncident[]; hidden: number } {
  const visible = incidents.filter((i) => maySeeIncident(i, audience));
  return { visible, hidden: incidents.length - visible.length };
}
