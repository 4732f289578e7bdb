import { format } from 'date-fns';
import { TZDate } from '@date-fns/tz';

/** Formats `date` as seen in `timeZone` (default UTC), with a date-fns pattern. */
export function formatInTimeZone(date: Date, pattern: string, timeZone = 'UTC'): string {
  return format(new TZDate(date.getTime(), timeZone), pattern);
}
