import type { MissingFigure } from '../domain/slo-figures.js';

/*
 * Why an impact can be too short to measure: rate() over a range needs two
 * samples in it, so an impact shorter than about two scrape intervals (a
 * one-minute false alarm scraped every 30 s or 1 m) has none, and the answer
 * stays empty however often it is asked. Left as an ordinary missing figure,
 * the periodic refresh would ask again at every SLO_REFRESH for the whole SLO
 * window (30 days of queries, and a postmortem saying "asked again" all that
 * time). Once the samples for the range can no longer arrive, the figure is
 * recorded as final, "too short to measure", and not asked again.
 *
 * Only when the SLI does have samples over the SLO window: then the series
 * exist and it is the range that is too short, not a query that matches
 * nothing (which stays missing, to be fixed in the SLO file).
 */

/** Impacts shorter than this can fall between two scrapes (intervals up to 2 min are common). */
export const TOO_SHORT_BELOW_MS = 5 * 60_000;

/**
 * How long after an impact's end its samples can still arrive: a scrape, and
 * a remote-write or agent pipeline's delay. After this, an empty answer is final.
 */
export const SAMPLES_SETTLED_AFTER_MS = 15 * 60_000;

/**
 * Why a missing figure is final: `too-short` (here), `not-scraped` (a long
 * impact with no samples, the target down or unscraped) or `not-kept` (its
 * samples are past Prometheus's retention): see impact-without-samples.ts.
 */
export const SETTLED_CAUSES = ['too-short', 'not-scraped', 'not-kept'] as const;
export type SettledCause = (typeof SETTLED_CAUSES)[number];

/** A missing figure that is final: it is not asked again (see above). */
export interface SettledMissingFigure extends MissingFigure {
  readonly settled: true;
  /** Absent in figures stored before there was more than one cause: those are `too-short`. */
  readonly cause?: SettledCause;
}

/** Why a settled figure is final, reading figures stored before `cause` existed as too short. */
export function settledCause(figure: SettledMissingFigure): SettledCause {
  return figure.cause ?? 'too-short';
}

/** Whether a stored part is a settled missing figure (stored figures are JSON: read the flag, not a class). */
export function isSettled(figure: { readonly kind: string }): figure is SettledMissingFigure {
  return figure.kind === 'missing' && (figure as { settled?: unknown }).settled === true;
}

export function minutesText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/**
 * The incident's part when Prometheus had no samples over its impact: settled
 * as too short to measure when it is short, its samples can no longer come,
 * and the SLI has samples over the SLO window; undefined otherwise (the
 * figure stays missing and is asked again).
 */
export function tooShortToMeasure(input: { impactMs: number; impactEnd: Date; now: Date; windowMeasured: boolean }): SettledMissingFigure | undefined {
  const { impactMs, impactEnd, now, windowMeasured } = input;
  if (!windowMeasured || impactMs >= TOO_SHORT_BELOW_MS || now.getTime() - impactEnd.getTime() < SAMPLES_SETTLED_AFTER_MS) return undefined;
  return {
    kind: 'missing',
    settled: true,
    cause: 'too-short',
    reason:
      `too short to measure: the impact lasted ${minutesText(impactMs)}, and Prometheus has no samples of this SLI within it ` +
      `(rate() needs two, so a range under about two scrape intervals has none); ${minutesText(SAMPLES_SETTLED_AFTER_MS)} after its end none will come`,
  };
}
