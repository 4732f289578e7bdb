import { Cron } from 'croner';

/**
 * How DIGEST_CRON is read, the same at start (config) and by the scheduler.
 * croner 10 began to accept a seventh field (years) and to refuse steps with
 * a numeric start such as `0/30`: five or six fields stay the rule the
 * configuration promises, and an expression that started the bot before
 * still starts it.
 */
const CRON_PATTERN = { mode: '5-or-6-parts', sloppyRanges: true } as const;

/** A paused schedule for `expression`, read in `timeZone` (the process's own when unset); throws on a bad expression. */
export function cronSchedule(expression: string, timeZone?: string): Cron {
  return new Cron(expression, { ...CRON_PATTERN, paused: true, ...(timeZone ? { timezone: timeZone } : {}) });
}
