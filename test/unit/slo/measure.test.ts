import { describe, expect, it } from 'vitest';
import { PrometheusError } from '../../../src/prometheus/errors.js';
import type { PrometheusQueries, SeriesPoint } from '../../../src/prometheus/port.js';
import { estimateIncidentBudget } from '../../../src/slo/estimate.js';
import { impactWindow, measureSlo, type MeasureInput } from '../../../src/slo/measure.js';
import type { SloDefinition } from '../../../src/slo/model.js';
import { CHECKOUT_SLO as SLO } from '../../support/slo-fixtures.js';

const MINUTE = 60_000;
const NOW = new Date('2026-11-30T00:00:00Z');

/** Answers by the range in the query: `[30m]`, `[30d]`, `[1h]`; records what was asked. */
class FakePrometheus implements PrometheusQueries {
  readonly asked: { expr: string; at: Date }[] = [];
  constructor(private readonly answers: Record<string, number | null | Error>) {}
  async queryValue(expr: string, at: Date): Promise<number | null> {
    this.asked.push({ expr, at });
    const range = /\[([^\]]+)\]/.exec(expr)?.[1] ?? '';
    const answer = this.answers[range];
    if (answer instanceof Error) throw answer;
    if (answer === undefined) throw new Error(`unexpected range ${range}`);
    return answer;
  }
  async querySeries(): Promise<SeriesPoint[]> {
    throw new Error('measure asks instant queries only');
  }
}

/** The same, for a Prometheus whose runtimeinfo says it keeps `retention`. */
class FakePrometheusKeeping extends FakePrometheus {
  constructor(
    answers: Record<string, number | null | Error>,
    private readonly retention: { text: string; ms: number },
  ) {
    super(answers);
  }
  async storageRetention(): Promise<{ text: string; ms: number }> {
    return this.retention;
  }
}

const unreachable = () =>
  new PrometheusError('unreachable', 'Prometheus at http://prom:9090 could not be reached (ECONNREFUSED)', { query: { kind: 'instant', expr: 'x', at: NOW } });

function input(prometheus: FakePrometheus | undefined, over: Partial<MeasureInput> = {}): MeasureInput {
  return {
    slo: SLO,
    // Impact 23:00..23:30 the day before NOW: 30 minutes, declared earlier.
    incident: { severity: 'sev2', declaredAt: new Date('2026-11-29T22:50:00Z'), resolvedAt: null, impactStartedAt: new Date('2026-11-29T23:00:00Z'), impactEndedAt: new Date('2026-11-29T23:30:00Z') },
    now: NOW,
    prometheus: prometheus && { queries: prometheus, server: 'http://prom:9090' },
    estimates: { sev1: 1, sev2: 0.5, sev3: 0.1 },
    otherUses: [],
    ...over,
  };
}

describe('the impact window', () => {
  it('is the recorded edges, else declaration to resolve, else to now', () => {
    const declaredAt = new Date('2026-11-29T10:00:00Z');
    expect(impactWindow({ declaredAt, resolvedAt: null, impactStartedAt: null, impactEndedAt: null }, NOW)).toEqual({ start: declaredAt, end: NOW });
    const resolvedAt = new Date('2026-11-29T12:00:00Z');
    expect(impactWindow({ declaredAt, resolvedAt, impactStartedAt: null, impactEndedAt: null }, NOW).end).toEqual(resolvedAt);
    const impactEndedAt = new Date('2026-11-29T11:00:00Z');
    expect(impactWindow({ declaredAt, resolvedAt, impactStartedAt: null, impactEndedAt }, NOW).end).toEqual(impactEndedAt);
  });
});

describe('measured figures', () => {
  it('asks the SLI over the impact at its end, over the SLO window and the last hour at now, and computes from the answers', async () => {
    const prometheus = new FakePrometheus({ '30m': 0.1, '30d': 0.0004, '1h': 0.0021 });
    const figures = await measureSlo(input(prometheus));
    // 10 % of 30 minutes = 3 minutes of bad time, of a 43.2-minute budget.
    expect(figures.incident).toMatchObject({ kind: 'measured', impactMs: 30 * MINUTE, errorRatio: 0.1 });
    expect(figures.incident.kind === 'measured' && figures.incident.badTimeMs).toBeCloseTo(3 * MINUTE, 6);
    expect(figures.incident.kind === 'measured' && figures.incident.consumed).toBeCloseTo(3 / 43.2, 9);
    expect(figures.status).toMatchObject({ kind: 'measured', windowErrorRatio: 0.0004 });
    expect(figures.status.kind === 'measured' && figures.status.remaining).toBeCloseTo(0.6, 9);
    expect(figures.status.kind === 'measured' && figures.status.burnRate).toBeCloseTo(2.1, 9);
    expect(figures.budgetMs).toBeCloseTo(43.2 * MINUTE, 6);
    expect(prometheus.asked.map((q) => [q.expr, q.at.toISOString()])).toEqual([
      ['(sum(rate(err[30m]))) / (sum(rate(all[30m])))', '2026-11-29T23:30:00.000Z'],
      ['(sum(rate(err[30d]))) / (sum(rate(all[30d])))', NOW.toISOString()],
      ['(sum(rate(err[1h]))) / (sum(rate(all[1h])))', NOW.toISOString()],
    ]);
    expect(figures.asked).toEqual([
      'instant query (sum(rate(err[30m]))) / (sum(rate(all[30m]))) at 2026-11-29T23:30:00Z on http://prom:9090',
      'instant query (sum(rate(err[30d]))) / (sum(rate(all[30d]))) at 2026-11-30T00:00:00Z on http://prom:9090',
      'instant query (sum(rate(err[1h]))) / (sum(rate(all[1h]))) at 2026-11-30T00:00:00Z on http://prom:9090',
    ]);
  });

  it('measures an impact that began before what Prometheus keeps over the kept part only, and says how much was not measured', async () => {
    const HOUR = 60 * MINUTE;
    // Impact 2026-11-28 18:00 to NOW, 30 hours; Prometheus keeps one day: the first 6 hours are gone.
    const prometheus = new FakePrometheusKeeping({ '1d6h': 0.5, '1d': 0.01, '30d': 0.0004, '1h': 0.0021 }, { text: '1d', ms: 24 * HOUR });
    const incident = { severity: 'sev2' as const, declaredAt: new Date('2026-11-28T18:00:00Z'), resolvedAt: null, impactStartedAt: new Date('2026-11-28T18:00:00Z'), impactEndedAt: null };
    const figures = await measureSlo(input(prometheus, { incident }));
    expect(figures.incident).toMatchObject({ kind: 'measured', impactMs: 30 * HOUR, errorRatio: 0.01, notKept: { ms: 6 * HOUR, retentionText: '1d' } });
    // 1 % of the 24 measured hours, never 1 % (or the whole range's 50 %) of 30.
    expect(figures.incident.kind === 'measured' && figures.incident.badTimeMs).toBeCloseTo(0.24 * HOUR, 6);
    expect(prometheus.asked.map((q) => q.expr)).toContain('(sum(rate(err[1d]))) / (sum(rate(all[1d])))');
    expect(figures.asked[0]).toBe('instant query (sum(rate(err[1d]))) / (sum(rate(all[1d]))) at 2026-11-30T00:00:00Z on http://prom:9090');

    // All of it kept: measured whole, no flag, one impact query.
    const kept = new FakePrometheusKeeping({ '30m': 0.1, '30d': 0.0004, '1h': 0.0021 }, { text: '1d', ms: 24 * HOUR });
    const whole = await measureSlo(input(kept));
    expect(whole.incident).toMatchObject({ kind: 'measured', impactMs: 30 * MINUTE, errorRatio: 0.1 });
    expect(whole.incident).not.toHaveProperty('notKept');
    expect(kept.asked).toHaveLength(3);
  });

  it('says why a part is missing when Prometheus fails, and keeps the parts it could get', async () => {
    const down = await measureSlo(input(new FakePrometheus({ '30m': unreachable(), '30d': unreachable(), '1h': unreachable() })));
    expect(down.incident).toEqual({ kind: 'missing', reason: 'Prometheus at http://prom:9090 could not be reached (ECONNREFUSED)' });
    expect(down.status).toEqual({ kind: 'missing', reason: 'Prometheus at http://prom:9090 could not be reached (ECONNREFUSED)' });
    expect(down.asked).toHaveLength(3);

    const halfway = await measureSlo(input(new FakePrometheus({ '30m': 0.1, '30d': unreachable(), '1h': 0.001 })));
    expect(halfway.incident.kind).toBe('measured');
    expect(halfway.status.kind).toBe('missing');
  });

  it('says "no requests" for NaN (0/0) and "no samples" for an empty answer, never a made-up 0', async () => {
    const figures = await measureSlo(input(new FakePrometheus({ '30m': Number.NaN, '30d': null, '1h': 0 })));
    expect(figures.incident).toEqual({ kind: 'missing', reason: 'no requests over the impact window (30 min) (Prometheus computed 0/0)' });
    expect(figures.status).toEqual({ kind: 'missing', reason: 'Prometheus has no samples of this SLI over the SLO window (30d)' });
  });

  it('refuses an answer that is not a ratio, pointing at the SLO file', async () => {
    const figures = await measureSlo(input(new FakePrometheus({ '30m': 4.2, '30d': 0.0001, '1h': Number.POSITIVE_INFINITY })));
    expect(figures.incident).toMatchObject({ kind: 'missing', reason: expect.stringContaining('gave 4.2 over the impact window') });
    expect(figures.status).toMatchObject({ kind: 'missing', reason: expect.stringContaining('check the SLO file') });
  });

  it('throws what is not a Prometheus error: a bug is not a missing figure', async () => {
    await expect(measureSlo(input(new FakePrometheus({ '30m': new TypeError('bug'), '30d': 0, '1h': 0 })))).rejects.toThrow('bug');
  });
});

describe('many incidents of one SLO refreshed at once', () => {
  it('asks the SLO window and the last hour once for all of them, and again at the next refresh', async () => {
    const fake = new FakePrometheus({ '30m': 0.02, '30d': 0.0004, '1h': 0.001 });
    const prometheus = { queries: fake, server: 'http://prom:9090' };
    const tick = () => Promise.all(Array.from({ length: 50 }, () => measureSlo(input(undefined, { prometheus }))));
    const first = await tick();
    const ranges = (asked: { expr: string }[]) => asked.map((a) => /\[([^\]]+)\]/.exec(a.expr)?.[1]);
    // 50 impact queries, one window query, one burn-rate query.
    expect(ranges(fake.asked).filter((r) => r === '30m')).toHaveLength(50);
    expect(ranges(fake.asked).filter((r) => r === '30d')).toHaveLength(1);
    expect(ranges(fake.asked).filter((r) => r === '1h')).toHaveLength(1);
    // Each incident still gets the whole status, and says what was asked.
    expect(new Set(first.map((f) => JSON.stringify(f.status))).size).toBe(1);
    expect(first.every((f) => f.asked.length === 3)).toBe(true);
    // Answered, the question is forgotten: the next refresh asks again, never showing an older figure.
    await tick();
    expect(ranges(fake.asked).filter((r) => r === '30d')).toHaveLength(2);
  });
});

describe('estimated figures', () => {
  it('estimates from the impact and severity without Prometheus, adding the other incidents of the window', async () => {
    const other = estimateIncidentBudget(SLO, { impactMs: 10 * MINUTE, severity: 'sev1' });
    const figures = await measureSlo(input(undefined, { otherUses: [other] }));
    // SEV2 = half the requests failing: 30 min × 0.5 = 15 min of 43.2.
    expect(figures.incident).toMatchObject({ kind: 'estimate', severity: 'sev2', errorRatio: 0.5, impactMs: 30 * MINUTE });
    expect(figures.incident.kind === 'estimate' && figures.incident.consumed).toBeCloseTo(15 / 43.2, 9);
    // And the other incident's 10 minutes of full outage: 25 of 43.2 minutes spent.
    expect(figures.status).toMatchObject({ kind: 'estimate', incidents: 2 });
    expect(figures.status.kind === 'estimate' && figures.status.remaining).toBeCloseTo(1 - 25 / 43.2, 9);
    expect(figures.asked).toEqual([]);
  });

  it('estimates an SLI written in words even with Prometheus, and asks it nothing', async () => {
    const prometheus = new FakePrometheus({});
    const words: SloDefinition = { ...SLO, sli: { kind: 'text', numerator: 'late receipts', denominator: 'payments' } };
    const figures = await measureSlo(input(prometheus, { slo: words, estimates: { sev1: 1, sev2: 0.2, sev3: 0.1 } }));
    expect(figures.incident).toMatchObject({ kind: 'estimate', errorRatio: 0.2 });
    expect(figures.status.kind).toBe('estimate');
    expect(prometheus.asked).toEqual([]);
  });
});
