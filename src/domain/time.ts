import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';

/** Formats `date` as seen in `timeZone` (default UTC), with a date-fns pattern. */
export function formatInTimeZone(date: Date, pattern: string, timeZone = 'UTC'): string {
  return format(new TZDate(date.getTime(), timeZone), pattern);
}

export function minutesBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / 60_000);
}

/** `47 minutes`, `2 h 05 min`. */
export function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const h = Math.floor(minutes / 60);
  return `${h} h ${String(minutes % 60).padStart(2, '0')} min`;
}
