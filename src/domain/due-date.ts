import { addDays, addWeeks, format, isValid, nextDay, parse, type Day } from 'date-fns';
import { TZDate } from '@date-fns/tz';

/** A calendar day as `YYYY-MM-DD`. */
export type CalendarDay = string;

// A Map, not an object: `due next constructor` found Object's constructor and handed date-fns a function as a weekday.
const WEEKDAYS: ReadonlyMap<string, Day> = new Map(
  Object.entries({
    sunday: 0, sun: 0, monday: 1, mon: 1, tuesday: 2, tue: 2, tues: 2, wednesday: 3, wed: 3,
    thursday: 4, thu: 4, thurs: 4, friday: 5, fri: 5, saturday: 6, sat: 6,
  } as const),
);

/** Today in `timeZone`: a due date is a day on the team's calendar, not an instant. */
export function todayIn(now: Date, timeZone: string): CalendarDay {
  return format(new TZDate(now.getTime(), timeZone), 'yyyy-MM-dd');
}

/** Calendar arithmetic on plain days, at noon so no daylight-saving change can move the day. */
function asDate(day: CalendarDay): Date {
  return parse(`${day} 12`, 'yyyy-MM-dd HH', new Date(0));
}

function asDay(date: Date): CalendarDay {
  return format(date, 'yyyy-MM-dd');
}

export function addCalendarDays(day: CalendarDay, days: number): CalendarDay {
  return asDay(addDays(asDate(day), days));
}

/**
 * Whole days from `from` to `to` (positive when `to` is later). An ISO date
 * alone parses as UTC midnight, where no day is 23 or 25 hours long; and it is
 * fast, which matters when a digest counts days for twenty thousand items.
 */
export function daysBetween(from: CalendarDay, to: CalendarDay): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/**
 * Reads a due date relative to `today`: `2026-12-01`, `today`, `tomorrow`,
 * `in 3d` / `in 3 days`, `in 2w` / `in 2 weeks`, `monday` or `next monday`
 * (the first Monday after today). Undefined when it is none of these.
 */
export function parseDueDate(expression: string, today: CalendarDay): CalendarDay | undefined {
  const e = expression.trim().toLowerCase().replace(/\s+/g, ' ');
  if (/^\d{4}-\d{2}-\d{2}$/.test(e)) {
    // date-fns keeps a year 0050 as 50 (no 1900s rule), but a follow-up due then is a typo, not "very overdue".
    if (Number(e.slice(0, 4)) < EARLIEST_DUE_YEAR) return undefined;
    const date = parse(`${e} 12`, 'yyyy-MM-dd HH', new Date(0));
    return isValid(date) && asDay(date) === e ? e : undefined;
  }
  if (e === 'today') return today;
  if (e === 'tomorrow') return addCalendarDays(today, 1);
  const relative = /^in (\d{1,3}) ?(d|days?|w|weeks?)$/.exec(e);
  if (relative) {
    const n = Number(relative[1]);
    return relative[2]!.startsWith('w') ? asDay(addWeeks(asDate(today), n)) : addCalendarDays(today, n);
  }
  const weekday = WEEKDAYS.get(/^(?:next )?([a-z]+)$/.exec(e)?.[1] ?? '');
  if (weekday === undefined) return undefined;
  const next = nextDay(asDate(today), weekday);
  // `today` is the caller's; should it ever be no date, that is no due date rather than a RangeError from format.
  return isValid(next) ? asDay(next) : undefined;
}

/** Before the Unix epoch no follow-up of this bot's could have been due. */
const EARLIEST_DUE_YEAR = 1970;

/** Whether text after `due` was meant as a date (and so deserves an error when it is not one). */
export function looksLikeDate(expression: string): boolean {
  const e = expression.trim().toLowerCase();
  return /^(\d|in (\d|(an?|one|two|three|four|five|six|seven|eight|nine|ten)\b)|today|tomorrow|next )/.test(e) || WEEKDAYS.has(e);
}
