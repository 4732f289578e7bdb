import { TZDate } from '@date-fns/tz';

const AGO = /^(?:(\d{1,3})\s*h)?\s*(?:(\d{1,4})\s*m(?:in)?)?\s+ago$/;
const CLOCK = /^(\d{1,2}):(\d{2})$/;
const DATE_AND_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/;

/**
 * No impact this bot records began before the Unix epoch: `0050-03-01` is a
 * typo (of 2050? of 2005?), not a date to store. The future is refused by the
 * verb, with its own answer.
 */
const EARLIEST_YEAR = 1970;

/** A wall-clock time in `timeZone` as an instant; undefined when the fields are not a real time. */
function wallClock(timeZone: string, y: number, mo: number, d: number, h: number, mi: number): Date | undefined {
  if (y < EARLIEST_YEAR || h > 23 || mi > 59 || mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  // Field by field, never through the Date constructor, which reads a year 0-99 as 1900-1999.
  const t = new TZDate(EARLIEST_YEAR, 0, 1, timeZone);
  t.setFullYear(y, mo - 1, d);
  t.setHours(h, mi, 0, 0);
  // 2026-02-30 rolls over to March: not a date someone meant.
  if (t.getDate() !== d || t.getMonth() !== mo - 1) return undefined;
  return new Date(t.getTime());
}

/**
 * When impact started or ended, as people say it during an incident:
 * `14:23` (the latest 14:23 that is not in the future, on the team's
 * calendar), `2026-09-25 14:23` (in the team's time zone), `25m ago`,
 * `2h ago`, `1h 30m ago`, or `now`. Undefined when it is none of these.
 */
export function parseImpactTime(text: string, now: Date, timeZone: string): Date | undefined {
  const e = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (e === 'now') return now;
  const ago = AGO.exec(e);
  if (ago && (ago[1] || ago[2])) return new Date(now.getTime() - (Number(ago[1] ?? 0) * 60 + Number(ago[2] ?? 0)) * 60_000);
  const full = DATE_AND_CLOCK.exec(e);
  if (full) return wallClock(timeZone, Number(full[1]), Number(full[2]), Number(full[3]), Number(full[4]), Number(full[5]));
  const clock = CLOCK.exec(e);
  if (clock) {
    const today = new TZDate(now.getTime(), timeZone);
    const at = wallClock(timeZone, today.getFullYear(), today.getMonth() + 1, today.getDate(), Number(clock[1]), Number(clock[2]));
    if (!at) return undefined;
    // A clock time later than now means yesterday's: impact is told after the fact.
    return at.getTime() > now.getTime() ? new Date(at.getTime() - 86_400_000) : at;
  }
  return undefined;
}
