import { TZDate } from '@date-fns/tz';
import { addDays, addQuarters, differenceInCalendarDays, format, set, startOfQuarter } from 'date-fns';

/** What `/incident stats` can cover: the last 30 or 90 days, or the calendar quarter so far. */
export const STATS_SPANS = ['30d', '90d', 'quarter'] as const;
export type StatsSpan = (typeof STATS_SPANS)[number];

/** A stretch of time, `from` included and `to` not: an incident belongs to the period it was declared in. */
export interface StatsPeriod {
  readonly from: Date;
  readonly to: Date;
}

/** The period asked for and the one it is compared with, of the same length, each with how to name it. */
export interface StatsPeriods {
  readonly span: StatsSpan;
  readonly current: StatsPeriod;
  readonly previous: StatsPeriod;
  /** `the last 30 days`, `2026 Q4 so far`. */
  readonly label: string;
  /** `the 30 days before`, `the same 52 days of 2026 Q3`. */
  readonly previousLabel: string;
}

const DAY_MS = 86_400_000;

function quarterName(date: TZDate): string {
  return format(date, "yyyy 'Q'Q");
}

/**
 * The periods of a span ending `now`. `30d` and `90d` are rolling: the last
 * 30 × 24 hours against the 30 × 24 before them. `quarter` is the calendar
 * quarter to date on the team's calendar, against the same stretch from the
 * start of the quarter before: a review on 21 November compares 1 October –
 * 21 November with 1 July – 21 August. Against the whole previous quarter,
 * every count would read as a fall until the quarter ends.
 */
export function statsPeriods(span: StatsSpan, now: Date, timeZone: string): StatsPeriods {
  if (span === 'quarter') {
    const zonedNow = new TZDate(now.getTime(), timeZone);
    const start = startOfQuarter(zonedNow);
    const before = addQuarters(start, -1);
    // The same stretch of the quarter before on the team's calendar: as many days in, at the same
    // wall-clock time. Milliseconds elapsed would be an hour off across a daylight-saving change
    // (21 November 10:00 CET against 21 August 11:00 CEST); a calendar quarter back would compare
    // 31 May with 28 February, two days fewer. Quarters are 90 to 92 days: capped at this one's start.
    const daysIn = differenceInCalendarDays(zonedNow, start);
    const sameTime = set(addDays(before, daysIn), { hours: zonedNow.getHours(), minutes: zonedNow.getMinutes(), seconds: zonedNow.getSeconds(), milliseconds: zonedNow.getMilliseconds() });
    const previousTo = Math.min(sameTime.getTime(), start.getTime());
    const days = Math.max(1, Math.round((now.getTime() - start.getTime()) / DAY_MS));
    return {
      span,
      current: { from: new Date(start.getTime()), to: now },
      previous: { from: new Date(before.getTime()), to: new Date(previousTo) },
      label: `${quarterName(start)} so far`,
      previousLabel: previousTo === start.getTime() ? `all of ${quarterName(before)}` : `the same ${days} day${days === 1 ? '' : 's'} of ${quarterName(before)}`,
    };
  }
  const days = span === '30d' ? 30 : 90;
  const from = new Date(now.getTime() - days * DAY_MS);
  return {
    span,
    current: { from, to: now },
    previous: { from: new Date(from.getTime() - days * DAY_MS), to: from },
    label: `the last ${days} days`,
    previousLabel: `the ${days} days before`,
  };
}

/** Whether an instant falls in the period. */
export function inPeriod(at: Date, period: StatsPeriod): boolean {
  return at.getTime() >= period.from.getTime() && at.getTime() < period.to.getTime();
}

/**
 * The same wall-clock time `days` calendar days before `at` on the team's
 * calendar. A week back across a daylight-saving change is 167 or 169 hours:
 * 7 × 24 hours from one Monday 09:00 reached 08:00 or 10:00 the Monday before,
 * so consecutive weekly digests counted an hour's incidents twice or not at all.
 */
export function calendarDaysBefore(at: Date, days: number, timeZone: string): Date {
  return new Date(addDays(new TZDate(at.getTime(), timeZone), -days).getTime());
}
