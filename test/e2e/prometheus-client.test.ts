/**
 * The Prometheus adapter against a real Prometheus holding 35 days of
 * backfilled, synthetic checkout-api traffic with known outages, so that every
 * figure it returns can be checked against arithmetic done by hand below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../src/prometheus/client.js';
import { prometheusDuration } from '../../src/prometheus/describe.js';
import { PrometheusError } from '../../src/prometheus/errors.js';
import { expectedErrorRatio, expectedRequests, expectedWindowRatio, requestsOpenMetrics, type SyntheticTraffic } from '../support/openmetrics.js';
import { PrometheusServer, requirePrometheus } from '../support/prometheus-server.js';

const NOW = new Date('2026-11-30T00:00:00Z');
const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

/** 10 % errors for 30 minutes, 2 % for 2 hours: both inside the 30-day SLO window. */
const SHARP = { start: at('2026-11-20T10:00:00Z'), end: at('2026-11-20T10:30:00Z'), errorRatio: 0.1 };
const LONG = { start: at('2026-11-26T14:00:00Z'), end: at('2026-11-26T16:00:00Z'), errorRatio: 0.02 };
/** 20 % for an hour 34 days ago: outside the 30-day window, inside the 35 days kept. */
const OLD = { start: at('2026-10-27T08:00:00Z'), end: at('2026-10-27T09:00:00Z'), errorRatio: 0.2 };

const TRAFFIC: SyntheticTraffic = {
  job: 'checkout-api',
  requestsPerSecond: 100,
  backgroundErrorRatio: 0.0005,
  outages: [OLD, SHARP, LONG],
  start: new Date(NOW.getTime() - 35 * DAY),
  end: NOW,
  stepSeconds: 60,
};

const ERRORS = 'http_requests_total{job="checkout-api",status=~"5.."}';
const ALL = 'http_requests_total{job="checkout-api"}';
/** The SLI as an SLO file would write it, `{{.window}}` standing for the window. */
const SLI = `sum(rate(${ERRORS}[{{.window}}])) / sum(rate(${ALL}[{{.window}}]))`;
const sli = (windowSeconds: number) => SLI.replaceAll('{{.window}}', prometheusDuration(windowSeconds));
const increaseRatio = (window: string) => `sum(increase(${ERRORS}[${window}])) / sum(increase(${ALL}[${window}]))`;

async function rejection(promise: Promise<unknown>): Promise<PrometheusError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PrometheusError);
  return error as PrometheusError;
}

describe.skipIf(!requirePrometheus())('the Prometheus adapter against a real Prometheus', () => {
  let prometheus: PrometheusServer;
  let client: PrometheusClient;
  beforeAll(async () => {
    prometheus = await PrometheusServer.start({ openMetrics: requestsOpenMetrics(TRAFFIC) });
    client = new PrometheusClient({ url: prometheus.url, timeoutMs: 5_000 });
  }, 40_000);

  afterAll(async () => {
    await prometheus?.dispose();
  });

  it('gives the outage error ratio at an instant: 10 % in the middle of the sharp outage', async () => {
    // [5m] at 10:15 holds only outage samples (10:10..10:15): 10 % exactly.
    expect(await client.queryValue(sli(300), at('2026-11-20T10:15:00Z'))).toBeCloseTo(0.1, 12);
    // [30m] at 10:30 is the outage itself, 10:00..10:30.
    expect(await client.queryValue(sli(1800), SHARP.end)).toBeCloseTo(0.1, 12);
    // [30m] at 10:15 is half background: (15 min × 0.1 + 15 min × 0.0005) / 30 min = 0.05025.
    const halfway = await client.queryValue(sli(1800), at('2026-11-20T10:15:00Z'));
    expect(halfway).toBeCloseTo(0.05025, 12);
    expect(halfway).toBeCloseTo(expectedWindowRatio(TRAFFIC, at('2026-11-20T10:15:00Z'), 1800), 12);
  });

  it('gives the series over the outage, step by step, as worked out from the outage list', async () => {
    const start = at('2026-11-20T09:50:00Z');
    const end = at('2026-11-20T10:40:00Z');
    const points = await client.querySeries(sli(300), start, end, 300);
    expect(points.map((p) => p.t.toISOString())).toEqual(
      Array.from({ length: 11 }, (_, i) => new Date(start.getTime() + i * 300_000).toISOString()),
    );
    for (const point of points) expect(point.v).toBeCloseTo(expectedWindowRatio(TRAFFIC, point.t, 300), 12);
    // By hand: background until the window reaches in, 10 % while it is inside, background after.
    expect(points.map((p) => Number(p.v.toFixed(6)))).toEqual([0.0005, 0.0005, 0.0005, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.0005, 0.0005]);
  });

  it('gives the 30-day SLO window figure worked out by hand', async () => {
    // 30 days = 2,592,000 s at 100 req/s: 259,200,000 requests. Errors:
    //   background 0.05 % over 2,592,000 − 1,800 − 7,200 s → 2,583,000 × 100 × 0.0005 = 129,150
    //   sharp outage 1,800 s × 100 × 0.10 = 18,000; long outage 7,200 s × 100 × 0.02 = 14,400
    //   (the old outage, 34 days ago, is outside the window)
    // 161,550 / 259,200,000 = 0.000623263…: 62.33 % of a 99.9 % SLO's 259,200-error budget.
    const byHand = 161_550 / 259_200_000;
    expect(expectedErrorRatio(TRAFFIC, new Date(NOW.getTime() - 30 * DAY), NOW)).toBeCloseTo(byHand, 15);
    // Why 1e-12 and not looser: the window's ends fall on samples, so increase()/rate()
    // need no extrapolation, and where they would extrapolate both sums scale by the same
    // factor (same sample times, no resets), which cancels in the ratio. What is left is
    // float rounding (≈1e-16 relative) and the 6-decimal counters in the file (< 1e-12).
    expect(await client.queryValue(increaseRatio('30d'), NOW)).toBeCloseTo(byHand, 12);
    expect(await client.queryValue(sli(30 * 86_400), NOW)).toBeCloseTo(byHand, 12);
    const budgetUsed = (await client.queryValue(increaseRatio('30d'), NOW))! / 0.001;
    expect(budgetUsed).toBeCloseTo(0.623264, 6);
  });

  it('gives the impact window figure: the long outage burned 2 % over its two hours', async () => {
    expect(await client.queryValue(increaseRatio(prometheusDuration(7_200)), LONG.end)).toBeCloseTo(0.02, 12);
    // 7,200 s × 100 req/s × 2 % = 14,400 failed requests.
    expect(await client.queryValue(`sum(increase(${ERRORS}[2h]))`, LONG.end)).toBeCloseTo(14_400, 6);
    expect(expectedRequests(TRAFFIC, LONG.start, LONG.end).errors).toBeCloseTo(14_400, 9);
  });

  it('keeps the backfilled samples from 35 days ago, and their old outage', async () => {
    // 35 days = 3,024,000 s; background over 3,024,000 − 3,600 − 1,800 − 7,200 s = 3,011,400 s
    // → 150,570 errors; old outage 3,600 × 100 × 0.2 = 72,000; + 18,000 + 14,400 = 254,970.
    expect(await client.queryValue(`sum(increase(${ERRORS}[35d]))`, NOW)).toBeCloseTo(254_970, 4);
    expect(await client.queryValue(`count(${ALL} @ ${TRAFFIC.start.getTime() / 1000})`, NOW)).toBe(2);
  });

  it('says "no data" (null) where there is none, and NaN where Prometheus computes NaN', async () => {
    expect(await client.queryValue(sli(300), new Date(TRAFFIC.start.getTime() - DAY))).toBeNull();
    expect(await client.queryValue('sum(rate(no_such_metric_total[5m]))', NOW)).toBeNull();
    expect(await client.queryValue('0/0', NOW)).toBeNaN();
    expect(await client.queryValue('1/0', NOW)).toBe(Number.POSITIVE_INFINITY);
    expect(await client.querySeries('sum(rate(no_such_metric_total[5m]))', SHARP.start, SHARP.end, 60)).toEqual([]);
  });

  it('refuses a query Prometheus cannot parse, as a bad query with its reason', async () => {
    const error = await rejection(client.queryValue('sum(rate(http_requests_total[5m])', NOW));
    expect(error.kind).toBe('bad-query');
    expect(error.errorType).toBe('bad_data');
    expect(error.reason).toMatch(/^Prometheus refused the query: .*parse error/);
    expect(error.retryable).toBe(false);
    expect(error.query).toEqual({ kind: 'instant', expr: 'sum(rate(http_requests_total[5m])', at: NOW });
  });

  it('refuses a query that gives several series where one number is needed, naming them', async () => {
    const error = await rejection(client.queryValue(`rate(${ALL}[5m])`, NOW));
    expect(error.kind).toBe('bad-query');
    expect(error.reason).toContain('gave 2 series');
    expect(error.reason).toContain('status="500"');
    expect(error.reason).toContain('sum(');
    const range = await rejection(client.querySeries(`rate(${ALL}[5m])`, SHARP.start, SHARP.end, 60));
    expect(range.kind).toBe('bad-query');
  });

  it('refuses a range too fine for Prometheus, saying which step would do', async () => {
    const error = await rejection(client.querySeries(sli(300), new Date(NOW.getTime() - 30 * DAY), NOW, 60));
    expect(error.kind).toBe('bad-query');
    expect(error.reason).toContain('use a step of at least 236 s'); // 2,592,000 s / 11,000 points
    // The step it names is accepted by Prometheus itself.
    const points = await client.querySeries(sli(300), new Date(NOW.getTime() - 30 * DAY), NOW, 236);
    expect(points.length).toBe(10_984);
  });

  it('says Prometheus is unreachable, quickly, while it is stopped, and answers again once it is back', async () => {
    await prometheus.stop();
    const began = Date.now();
    const error = await rejection(client.queryValue(sli(300), NOW));
    expect(error.kind).toBe('unreachable');
    expect(error.reason).toBe(`Prometheus at ${prometheus.url} could not be reached (ECONNREFUSED)`);
    expect(error.retryable).toBe(true);
    expect(Date.now() - began).toBeLessThan(1_000);

    await prometheus.restart(); // same port, same data
    expect(await client.queryValue(increaseRatio('30d'), NOW)).toBeCloseTo(161_550 / 259_200_000, 12);
  });
});
