import type { PrometheusQuery } from './port.js';

const UNITS: readonly [string, number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/**
 * A whole number of seconds as a PromQL duration ("30d", "1h30m", "90s" → "1m30s";
 * no weeks, since SLO windows are spoken of in days),
 * the form a range selector such as `[{{.window}}]` needs. Milliseconds are
 * refused rather than rounded: a window that silently shrinks misstates a budget.
 */
export function prometheusDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new RangeError(`a PromQL duration needs a positive whole number of seconds, not ${seconds}`);
  }
  let rest = seconds;
  let text = '';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}

/** 2026-11-29T12:15:00Z: seconds are all Prometheus evaluates to here, so milliseconds are noise. */
function instant(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * What was asked, as one plain sentence for the bot to show beside a figure
 * (or beside why it is missing). Plain text: escape it before Slack mrkdwn,
 * since PromQL may hold backticks, `<` and `&`.
 *
 *   instant query sum(rate(x[5m])) at 2026-11-29T12:15:00Z
 *   range query sum(rate(x[5m])) from 2026-11-29T12:00:00Z to 2026-11-29T14:00:00Z (2h), every 1m
 */
export function describePrometheusQuery(query: PrometheusQuery, server?: string): string {
  const where = server ? ` on ${server}` : '';
  if (query.kind === 'instant') return `instant query ${query.expr} at ${instant(query.at)}${where}`;
  const spanSeconds = Math.round((query.end.getTime() - query.start.getTime()) / 1000);
  const span = spanSeconds > 0 ? ` (${prometheusDuration(spanSeconds)})` : '';
  const step = Number.isInteger(query.stepSeconds) && query.stepSeconds > 0 ? prometheusDuration(query.stepSeconds) : `${query.stepSeconds}s`;
  return `range query ${query.expr} from ${instant(query.start)} to ${instant(query.end)}${span}, every ${step}${where}`;
}
