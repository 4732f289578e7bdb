/** How the postmortem writes SLO figures: percentages, budgets in time, windows, and what an estimate assumes. */
import type { IncidentBudgetUse } from '../slo/budget.js';
import { duration } from '../domain/time.js';
import { cell } from './markdown.js';
import { roundRemainingPercent } from '../slo/remaining-rounding.js';

/** `69.4 %`; a share under 0.1 % keeps two significant digits (`0.042 %`) rather than reading as nothing. */
export function percent(fraction: number): string {
  const value = fraction * 100;
  const text = value === 0 || Math.abs(value) >= 0.1 ? value.toFixed(1) : value.toPrecision(2);
  return `${text === '-0.0' ? '0.0' : text} %`;
}

/**
 * A budget remaining of 0 or more, as `percent` writes shares, but never
 * rounded up to a threshold it is past (49.96 % is `49.9 %`, not `50.0 %`
 * beside a policy state of "50 % or less left"; see roundRemainingPercent).
 */
export function remainingPercent(fraction: number): string {
  if (fraction <= 1e-9) return '0.0 %';
  const value = fraction * 100;
  const decimals = value >= 0.1 ? 1 : 1 - Math.floor(Math.log10(value));
  return `${roundRemainingPercent(value, decimals).toFixed(decimals)} %`;
}

/** A percentage as configured: 0.999 → `99.9 %`, 0.5 → `50 %` (no rounding of what someone wrote). */
export function configuredPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(12))} %`;
}

/**
 * A span of budget: `43.2 minutes`, `1 h 24 min`, `2.5 days`. A sliver is
 * `less than a second`, never `0 seconds`: 99.999 % over 30 days is a
 * 26-second budget, and a part of it left is not nothing left.
 */
export function budgetTime(ms: number): string {
  const minutes = Math.abs(ms) / 60_000;
  if (minutes < 1) {
    const seconds = Math.round(Math.abs(ms) / 1000);
    if (seconds === 0 && ms !== 0) return 'less than a second';
    return `${seconds} second${seconds === 1 ? '' : 's'}`;
  }
  if (minutes < 60) {
    const text = String(Number(minutes.toFixed(1)));
    return `${text} minute${text === '1' ? '' : 's'}`;
  }
  if (minutes < 48 * 60) return duration(Math.round(minutes));
  return `${Number((minutes / 1440).toFixed(1))} days`;
}

const UNIT_WORDS: Record<string, string> = { m: 'minute', h: 'hour', d: 'day', w: 'week' };

function windowParts(text: string): { count: number; unit: string } | undefined {
  const m = /^(\d+)([mhdw])$/.exec(text);
  return m ? { count: Number(m[1]), unit: UNIT_WORDS[m[2]!]! } : undefined;
}

/** `30d` → `30-day`, as in "the 30-day budget"; a window written otherwise is kept as written. */
export function windowAdjective(text: string): string {
  const p = windowParts(text);
  return p ? `${p.count}-${p.unit}` : text;
}

/** `30d` → `30 days`. */
export function windowNoun(text: string): string {
  const p = windowParts(text);
  return p ? `${p.count} ${p.unit}${p.count === 1 ? '' : 's'}` : text;
}

/** What an estimate assumed: `SEV1 counted as a full outage (every request failing)`. */
export function estimateAssumption(use: Extract<IncidentBudgetUse, { kind: 'estimate' }>): string {
  const sev = use.severity.toUpperCase();
  return use.errorRatio >= 1
    ? `${sev} counted as a full outage (every request failing)`
    : `${sev} counted as ${configuredPercent(use.errorRatio)} of requests failing`;
}

/** How long an impact lasted, in the draft's words: `30 minutes`, `5 h 00 min`. */
export function impactDuration(ms: number): string {
  return duration(Math.round(ms / 60_000));
}

/**
 * What Prometheus was asked, as one line of Markdown that reads back as the
 * PromQL it was: a reader copies it to check the figures, and Markdown would
 * eat a regex's `\\` (`"5\\d\\d"`), turn `(a)*(b)*c` and `{__name__=~...}`
 * into emphasis, and open code at a backtick. Those are escaped; an
 * underscore inside a name (`http_requests_total`) needs none.
 */
export function askedText(text: string): string {
  const inName = (all: string, i: number) => /[A-Za-z0-9]/.test(all[i - 1] ?? '') && /[A-Za-z0-9]/.test(all[i + 1] ?? '');
  // Escaped before cell(), so the backslashes cell() adds (before a pipe) stay single.
  const escaped = text.replace(/[\\*`]/g, (c) => `\\${c}`).replace(/_/g, (u, i: number, all: string) => (inName(all, i) ? u : '\\_'));
  return cell(escaped);
}
