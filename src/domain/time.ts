import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';

/** Formats `date` as seen in `timeZone` (default UTC), with a date-fns pattern. */
export function formatInTimeZone(date: Date, pattern: string, timeZone = 'UTC'): string {
  return format(new TZDate(date.getTime(), timeZone), pattern);
}

export function minutesBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / 60_000);
}

/**
 * `47 minutes`, `2 h 05 min`, and from a day on `1 d 3 h 05 min` (`1 d 3 h`
 * on the hour): an incident over a weekend read `62 h 10 min`, which a reader
 * had to divide by 24 to see it lasted days.
 */
export function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const day = 24 * 60;
  const m = minutes % 60;
  if (minutes < day) return `${Math.floor(minutes / 60)} h ${String(m).padStart(2, '0')} min`;
  const h = Math.floor((minutes % day) / 60);
  return `${Math.floor(minutes / day)} d ${h} h${m === 0 ? '' : ` ${String(m).padStart(2, '0')} min`}`;
}
