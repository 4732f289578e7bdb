import { PrometheusError } from './errors.js';
import type { PrometheusQuery, SeriesPoint } from './port.js';
import { labelText, parseSampleValue, type QueryData } from './response.js';

const AGGREGATE_HINT = 'aggregate it (for example with sum(...)) so that it gives one';

function badQuery(query: PrometheusQuery, reason: string): PrometheusError {
  return new PrometheusError('bad-query', reason, { query });
}

function value(query: PrometheusQuery, text: string): number {
  const parsed = parseSampleValue(text);
  if (parsed === undefined) {
    throw new PrometheusError('bad-response', `Prometheus sent a sample value that is not a number: ${JSON.stringify(text.slice(0, 40))}`, { query });
  }
  return parsed;
}

function tooManySeries(query: PrometheusQuery, metrics: Record<string, string>[]): PrometheusError {
  const shown = metrics.slice(0, 2).map(labelText).join(', ');
  const more = metrics.length > 2 ? ', …' : '';
  return badQuery(query, `the query gave ${metrics.length} series (${shown}${more}), not one: ${AGGREGATE_HINT}`);
}

/** The one number an instant query gave: null for an empty vector (no data). */
export function singleValue(query: PrometheusQuery, data: QueryData): number | null {
  switch (data.resultType) {
    case 'scalar':
      return value(query, data.result[1]);
    case 'vector': {
      if (data.result.length === 0) return null;
      if (data.result.length > 1) throw tooManySeries(query, data.result.map((s) => s.metric));
      const sample = data.result[0]!.value;
      if (!sample) throw badQuery(query, `the query gave a native histogram, not a number: ${AGGREGATE_HINT} number (histogram_quantile, histogram_count…)`);
      return value(query, sample[1]);
    }
    case 'matrix':
      throw badQuery(query, 'the query is a range vector (it ends in [duration]): wrap it in a function such as rate(...) or increase(...) so that it gives a number');
    case 'string':
      throw badQuery(query, 'the query gave a string, not a number');
  }
}

/** The one series a range query gave, oldest point first: [] when there was none. */
export function singleSeries(query: PrometheusQuery, data: QueryData): SeriesPoint[] {
  if (data.resultType !== 'matrix') {
    // Prometheus answers a range query with a matrix whatever the expression; anything else is not its API.
    throw new PrometheusError('bad-response', `Prometheus answered a range query with a ${data.resultType}, not a matrix`, { query });
  }
  if (data.result.length === 0) return [];
  if (data.result.length > 1) throw tooManySeries(query, data.result.map((s) => s.metric));
  const values = data.result[0]!.values;
  if (!values) throw badQuery(query, `the query gave native histograms, not numbers: ${AGGREGATE_HINT} number per step`);
  return values.map(([seconds, text]) => ({ t: new Date(Math.round(seconds * 1000)), v: value(query, text) }));
}
