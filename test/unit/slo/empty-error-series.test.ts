import { describe, expect, it } from 'vitest';
import type { PrometheusQueries, SeriesPoint } from '../../../src/prometheus/port.js';
import { measureSlo, type MeasureInput } from '../../../src/slo/measure.js';
import type { SliDefinition, SloDefinition } from '../../../src/slo/model.js';

/*
 * `sum(rate(x{status=~"5.."}[w]))` over no series is an empty vector, not 0:
 * a service with no 5xx since its pods started has no such series, and the
 * ratio built on it is empty too. That is no error, not no data.
 */

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const NOW = new Date('2026-11-30T00:00:00Z');

const EVENTS: SliDefinition = { kind: 'events', errorQuery: 'sum(rate(err[{{.window}}]))', totalQuery: 'sum(rate(all[{{.window}}]))' };
const GOOD: SliDefinition = { kind: 'good-events', goodQuery: 'sum(rate(ok[{{.window}}]))', totalQuery: 'sum(rate(all[{{.window}}]))' };

const slo = (sli: SliDefinition): SloDefinition => ({
  id: 'checkout-api/availability',
  service: 'checkout-api',
  name: 'availability',
  description: undefined,
  target: 0.999,
  window: { text: '30d', ms: 30 * DAY },
  owner: undefined,
  sli,
  source: { file: 'slo.yaml', format: 'plain' },
});

/** Answers each exact expression it is given; anything else is the test's mistake. */
class ExactPrometheus implements PrometheusQueries {
  readonly asked: string[] = [];
  constructor(private readonly answers: Record<string, number | null>) {}
  async queryValue(expr: string): Promise<number | null> {
    this.asked.push(expr);
    if (!(expr in this.answers)) throw new Error(`unexpected query ${expr}`);
    return this.answers[expr]!;
  }
  async querySeries(): Promise<SeriesPoint[]> {
    throw new Error('instant queries only');
  }
}

/** Every range (impact 30m, window 30d, last hour 1h) answered alike by `answer(range)`. */
function everyRange(answer: (range: string) => Record<string, number | null>): Record<string, number | null> {
  return Object.assign({}, ...['30m', '30d', '1h'].map(answer));
}

function input(sli: SliDefinition, prometheus: PrometheusQueries): MeasureInput {
  return {
    slo: slo(sli),
    incident: { severity: 'sev2', declaredAt: new Date('2026-11-29T23:00:00Z'), resolvedAt: null, impactStartedAt: new Date('2026-11-29T23:00:00Z'), impactEndedAt: new Date('2026-11-29T23:30:00Z') },
    now: NOW,
    prometheus: { queries: prometheus, server: 'http://prom:9090' },
    estimates: { sev1: 1, sev2: 0.5, sev3: 0.1 },
    otherUses: [],
  };
}

describe('an SLI whose error series does not exist', () => {
  it('is an error ratio of 0 when there were requests: the whole budget left, nothing burned, and each query asked is listed', async () => {
    const prometheus = new ExactPrometheus(
      everyRange((r) => ({ [`(sum(rate(err[${r}]))) / (sum(rate(all[${r}])))`]: null, [`(sum(rate(all[${r}])))`]: 12.5, [`(sum(rate(err[${r}])))`]: null })),
    );
    const figures = await measureSlo(input(EVENTS, prometheus));
    expect(figures.incident).toMatchObject({ kind: 'measured', errorRatio: 0, consumed: 0 });
    expect(figures.status).toMatchObject({ kind: 'measured', windowErrorRatio: 0, remaining: 1, burnRate: 0 });
    expect(figures.asked).toContain('instant query (sum(rate(all[30d]))) at 2026-11-30T00:00:00Z on http://prom:9090');
    expect(figures.asked).toContain('instant query (sum(rate(err[30d]))) at 2026-11-30T00:00:00Z on http://prom:9090');
    expect(figures.asked).toHaveLength(9);
  });

  it('is still no data when the total has no samples either, and no requests when the total is 0', async () => {
    const none = await measureSlo(input(EVENTS, new ExactPrometheus(everyRange((r) => ({ [`(sum(rate(err[${r}]))) / (sum(rate(all[${r}])))`]: null, [`(sum(rate(all[${r}])))`]: null })))));
    expect(none.status).toEqual({ kind: 'missing', reason: 'Prometheus has no samples of this SLI over the SLO window (30d)' });
    const idle = await measureSlo(input(EVENTS, new ExactPrometheus(everyRange((r) => ({ [`(sum(rate(err[${r}]))) / (sum(rate(all[${r}])))`]: null, [`(sum(rate(all[${r}])))`]: 0 })))));
    expect(idle.incident).toEqual({ kind: 'missing', reason: 'no requests over the impact window (30 min) (the total query gave 0)' });
  });

  it('names a file whose error and total series cannot be divided (different labels) instead of calling it 0', async () => {
    const prometheus = new ExactPrometheus(
      everyRange((r) => ({ [`(sum(rate(err[${r}]))) / (sum(rate(all[${r}])))`]: null, [`(sum(rate(all[${r}])))`]: 10, [`(sum(rate(err[${r}])))`]: 0.2 })),
    );
    const figures = await measureSlo(input(EVENTS, prometheus));
    expect(figures.status).toMatchObject({ kind: 'missing', reason: expect.stringContaining('different labels') });
  });
});

describe('a good/total SLI whose good series does not exist', () => {
  it('is every request failing when there were requests (fresh pods all failing), not no data', async () => {
    const prometheus = new ExactPrometheus(
      everyRange((r) => ({ [`1 - ((sum(rate(ok[${r}]))) / (sum(rate(all[${r}]))))`]: null, [`(sum(rate(all[${r}])))`]: 3, [`(sum(rate(ok[${r}])))`]: null })),
    );
    const figures = await measureSlo(input(GOOD, prometheus));
    // 30 minutes of every request failing: 30 of a 43.2-minute budget.
    expect(figures.incident).toMatchObject({ kind: 'measured', errorRatio: 1 });
    expect(figures.incident.kind === 'measured' && figures.incident.consumed).toBeCloseTo(30 / 43.2, 9);
  });
});

describe('a ratio that came back', () => {
  it('is used as it is, with no second question', async () => {
    const prometheus = new ExactPrometheus(everyRange((r) => ({ [`(sum(rate(err[${r}]))) / (sum(rate(all[${r}])))`]: 0.0005 })));
    const figures = await measureSlo(input(EVENTS, prometheus));
    expect(figures.status).toMatchObject({ kind: 'measured', windowErrorRatio: 0.0005 });
    expect(prometheus.asked).toHaveLength(3);
  });
});
