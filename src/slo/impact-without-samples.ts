import type { StorageRetention } from '../prometheus/retention.js';
import { minutesText, SAMPLES_SETTLED_AFTER_MS, tooShortToMeasure, type SettledMissingFigure } from './too-short-impact.js';

/*
 * When an impact's empty answer is final, whatever the impact's length. A
 * short impact can fall between two scrapes (too-short-impact.ts). A long one
 * has no samples when the target was not scraped over it: down, so every
 * scrape failed (which is often the outage itself), or dropped by the scrape
 * config; a later scrape never fills the past in. And an impact past
 * Prometheus's retention has lost its samples for good. Left as an ordinary
 * missing figure, each is asked again at every SLO_REFRESH for the whole SLO
 * window (30 days) with the same empty answer; settled, it is not asked
 * again, and the postmortem says why the figure is not known.
 *
 * Settled only once its samples can no longer arrive (SAMPLES_SETTLED_AFTER_MS
 * after the impact's end), and, but for the retention case, only when the SLI
 * has samples over the SLO window: a query that matches nothing at all is the
 * SLO file's mistake, and stays missing until it is fixed.
 */

function lengthText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return minutesText(ms);
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

export interface ImpactWithoutSamples {
  readonly impactMs: number;
  readonly impactEnd: Date;
  readonly now: Date;
  /** Whether the SLO window's figure was measured (the SLI's series exist). */
  readonly windowMeasured: boolean;
  /** Prometheus's time retention, when known. */
  readonly retention: StorageRetention | undefined;
}

/**
 * The incident's part when Prometheus had no samples over its impact: a
 * settled missing figure saying why, once none can come; undefined while
 * they may (the figure stays missing and is asked again).
 */
export function impactWithoutSamples(input: ImpactWithoutSamples): SettledMissingFigure | undefined {
  const { impactMs, impactEnd, now, windowMeasured, retention } = input;
  const sinceEndMs = now.getTime() - impactEnd.getTime();
  if (sinceEndMs < SAMPLES_SETTLED_AFTER_MS) return undefined;
  if (retention && sinceEndMs > retention.ms) {
    return {
      kind: 'missing',
      settled: true,
      cause: 'not-kept',
      reason: `Prometheus keeps ${retention.text} of samples, and this impact ended before that: its samples are no longer kept`,
    };
  }
  if (!windowMeasured) return undefined;
  const short = tooShortToMeasure({ impactMs, impactEnd, now, windowMeasured });
  if (short) return short;
  return {
    kind: 'missing',
    settled: true,
    cause: 'not-scraped',
    reason:
      `Prometheus has no samples of the SLI over the impact (${lengthText(impactMs)}), though it has some over the SLO window: was the target scraped? ` +
      `(while it is down every scrape fails, and rate() has nothing to count); ${minutesText(SAMPLES_SETTLED_AFTER_MS)} after its end none will come`,
  };
}
