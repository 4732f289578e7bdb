import type { MissingFigure } from '../domain/slo-figures.js';
import { describePrometheusQuery } from '../prometheus/describe.js';
import { isPrometheusError } from '../prometheus/errors.js';
import type { PrometheusQueries } from '../prometheus/port.js';
import type { SliDefinition, SloWindow } from './model.js';
import { errorRatioQuery, renderQuery } from './query.js';

/*
 * Why an empty answer is asked about again: `sum(rate(errors[w]))` over a
 * label set with no series is an empty vector, not 0, and so is the ratio
 * built on it. A service that has not failed since its pods started has no
 * 5xx series at all (client libraries create a labelled counter at its first
 * increment), so the plain ratio says "no data" for the healthiest service;
 * a service whose fresh pods all fail has no "good" series, so an
 * OpenSLO good/total ratio says "no data" in the middle of a full outage.
 * Only the total tells these apart from a service Prometheus does not see.
 */

/** Where Prometheus is, for measuring; undefined: every figure is an estimate. */
export interface MeasuringPrometheus {
  readonly queries: PrometheusQueries;
  /** Named in what was asked (no credentials: PrometheusClient.server). */
  readonly server?: string;
}

/** `noSamples`: Prometheus answered, with no samples over the range (not a failure, nor no requests). */
export type Reading = { ok: true; ratio: number } | { ok: false; missing: MissingFigure; noSamples?: true };

/** An error ratio or why there is none, with every query asked for it in words. */
export interface ErrorRatioReading {
  readonly reading: Reading;
  readonly asked: readonly string[];
}

/** Slightly below 0 or above 1 is float noise (1 − good/total); past that the query is not a ratio. */
const RATIO_SLACK = 1e-9;

const missing = (reason: string): Reading => ({ ok: false, missing: { kind: 'missing', reason } });

type Answer = { kind: 'value'; value: number } | { kind: 'empty' } | { kind: 'failed'; reading: Reading };

/** Only a PrometheusError becomes a reason; anything else is a bug and is thrown. */
async function ask(prometheus: MeasuringPrometheus, expr: string, at: Date, asked: string[]): Promise<Answer> {
  asked.push(describePrometheusQuery({ kind: 'instant', expr, at }, prometheus.server));
  try {
    const value = await prometheus.queries.queryValue(expr, at);
    return value === null ? { kind: 'empty' } : { kind: 'value', value };
  } catch (error) {
    if (isPrometheusError(error)) return { kind: 'failed', reading: missing(error.reason) };
    throw error;
  }
}

function ratioOf(value: number, over: string): Reading {
  if (Number.isNaN(value)) return missing(`no requests over ${over} (Prometheus computed 0/0)`);
  if (!Number.isFinite(value) || value < -RATIO_SLACK || value > 1 + RATIO_SLACK) {
    return missing(`the SLI query gave ${value} over ${over}, not an error ratio between 0 and 1: check the SLO file`);
  }
  return { ok: true, ratio: Math.min(1, Math.max(0, value)) };
}

const noSamples = (over: string): Reading => ({ ok: false, missing: { kind: 'missing', reason: `Prometheus has no samples of this SLI over ${over}` }, noSamples: true });

/**
 * An empty ratio of a two-query SLI, asked apart: no total is no data; a
 * total of 0 is no requests; requests with no error series are a ratio of 0
 * (no good series: 1); both there but not divisible is the file's mistake.
 */
async function readEmptyRatio(
  prometheus: MeasuringPrometheus,
  sli: Extract<SliDefinition, { kind: 'events' | 'good-events' }>,
  range: SloWindow | number,
  at: Date,
  over: string,
  asked: string[],
): Promise<Reading> {
  const part = (template: string) => `(${renderQuery(template, range).trim()})`;
  const total = await ask(prometheus, part(sli.totalQuery), at, asked);
  if (total.kind === 'failed') return total.reading;
  if (total.kind === 'empty' || Number.isNaN(total.value)) return noSamples(over);
  if (total.value === 0) return missing(`no requests over ${over} (the total query gave 0)`);
  if (!(total.value > 0) || !Number.isFinite(total.value)) return missing(`the total query gave ${total.value} over ${over}, not a count of requests: check the SLO file`);
  const counted = sli.kind === 'events' ? 'error' : 'good';
  const partAnswer = await ask(prometheus, part(sli.kind === 'events' ? sli.errorQuery : sli.goodQuery), at, asked);
  if (partAnswer.kind === 'failed') return partAnswer.reading;
  if (partAnswer.kind === 'empty') return { ok: true, ratio: sli.kind === 'events' ? 0 : 1 };
  return missing(`the ${counted} query and the total query each give a series over ${over} but with different labels, so one cannot divide the other: aggregate both alike (like sum(...)) in the SLO file`);
}

/**
 * The SLI's error ratio over `range` (an SLO window, or a length in ms) at
 * `at`, from its one error-ratio expression; an empty answer of a two-query
 * SLI is asked about again, query by query (see above). Never rejects for
 * Prometheus's sake. The SLI must have queries (not 'text').
 */
export async function readErrorRatio(prometheus: MeasuringPrometheus, sli: SliDefinition, range: SloWindow | number, at: Date, over: string): Promise<ErrorRatioReading> {
  const expr = errorRatioQuery(sli, range);
  if (expr === undefined) return { reading: missing('this SLI is described in words only, with no query to ask'), asked: [] };
  const asked: string[] = [];
  const answer = await ask(prometheus, expr, at, asked);
  if (answer.kind === 'failed') return { reading: answer.reading, asked };
  if (answer.kind === 'value') return { reading: ratioOf(answer.value, over), asked };
  if (sli.kind !== 'events' && sli.kind !== 'good-events') return { reading: noSamples(over), asked };
  return { reading: await readEmptyRatio(prometheus, sli, range, at, over, asked), asked };
}
