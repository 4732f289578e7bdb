import { duration } from '../domain/time.js';

/**
 * A postmortem's durations: `47 minutes`, `2 h 05 min`, and from a day on
 * `1 d 3 h 05 min` (`1 d 3 h` on the hour). An incident over a weekend read
 * `62 h 10 min`, which a reviewer had to divide by 24 to see it lasted days.
 */
export function longDuration(minutes: number): string {
  const day = 24 * 60;
  if (minutes < day) return duration(minutes);
  const d = Math.floor(minutes / day);
  const h = Math.floor((minutes % day) / 60);
  const m = minutes % 60;
  return `${d} d ${h} h${m === 0 ? '' : ` ${String(m).padStart(2, '0')} min`}`;
}
