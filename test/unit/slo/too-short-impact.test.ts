import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { SloFigures } from '../../../src/domain/slo-figures.js';
import { SloRefreshScheduler } from '../../../src/jobs/slo-refresh-scheduler.js';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import type { PrometheusQueries, SeriesPoint } from '../../../src/prometheus/port.js';
import { measureSlo, type MeasureInput } from '../../../src/slo/measure.js';
import { headerSloLine } from '../../../src/slack/views/slo-lines.js';
import { memoryDeps } from '../../support/memory-store.js';
import { postmortemData, section } from '../postmortem/fixture.js';
import { stored } from '../postmortem/slo-fixture.js';
import { CHECKOUT_SLO as SLO } from '../../support/slo-fixtures.js';

/*
 * A one-minute false alarm: rate() over a range shorter than about two
 * scrape intervals has no samples, and asking again never changes that. The
 * figure is recorded as final once its samples can no longer come, instead
 * of the periodic refresh asking at every SLO_REFRESH for 30 days.
 */

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const NOW = new Date('2026-11-30T12:00:00Z');

/** Samples over the SLO window and the last hour; none over anything else (the impact's range) unless `window` is false too. */
class ShortRangePrometheus implements PrometheusQueries {
  constructor(private readonly window = true) {}
  async queryValue(expr: string): Promise<number | null> {
    if (!this.window) return null;
    if (expr.includes('[30d]')) return 0.0003;
    if (expr.includes('[1h]')) return 0.001;
    return null;
  }
  async querySeries(): Promise<SeriesPoint[]> {
    throw new Error('instant queries only');
  }
}

/** An impact of `impactMs` that ended `endedAgoMs` before now. */
function input(impactMs: number, endedAgoMs: number, prometheus: PrometheusQueries = new ShortRangePrometheus()): MeasureInput {
  const end = new Date(NOW.getTime() - endedAgoMs);
  return {
    slo: SLO,
    incident: { severity: 'sev3', declaredAt: new Date(end.getTime() - impactMs), resolvedAt: end, impactStartedAt: new Date(end.getTime() - impactMs), impactEndedAt: end },
    now: NOW,
    prometheus: { queries: prometheus, server: 'http://prom:9090' },
    estimates: { sev1: 1, sev2: 0.5, sev3: 0.1 },
    otherUses: [],
  };
}

describe('an impact too short for Prometheus to measure', () => {
  it('is recorded as final, too short to measure, once its samples can no longer come', async () => {
    const figures = await measureSlo(input(MINUTE, 20 * MINUTE));
    expect(figures.incident).toEqual({ kind: 'missing', settled: true, cause: 'too-short', reason: expect.stringMatching(/^too short to measure: the impact lasted 60 s, and Prometheus has no samples of this SLI within it/) });
    expect(figures.status.kind).toBe('measured');
    expect(headerSloLine(figures)).toContain('burned in this incident unknown: too short to measure: the impact lasted 60 s');
    expect(headerSloLine(figures)).toContain('none will come; not asked again ·');
    expect(headerSloLine(figures)).not.toContain('computed again');
  });

  // A longer impact with no samples is settled too, for another reason: impact-without-samples.test.ts.
  it('is asked again while its samples may still come, or when the SLI has no samples at all', async () => {
    const plain = { kind: 'missing', reason: expect.stringMatching(/^Prometheus has no samples of this SLI over the impact window/) };
    expect((await measureSlo(input(MINUTE, 5 * MINUTE))).incident).toEqual(plain);
    expect((await measureSlo(input(MINUTE, 20 * MINUTE, new ShortRangePrometheus(false)))).incident).toEqual(plain);
  });

  it('is not asked again by the periodic refresh, and the postmortem says what was done', async () => {
    const deps = memoryDeps();
    deps.clock.set(NOW);
    const { store } = deps;
    const scheduler = new SloRefreshScheduler(store, deps.clock, pino({ level: 'silent' }), 30 * DAY);
    const resolved = async (figures: SloFigures) => {
      const incident = await store.incidents.create({ title: 'False alarm', description: null, severity: 'sev3', isPrivate: false, declaredBy: 'U1', declaredAt: new Date(NOW.getTime() - DAY), originChannelId: null, service: 'checkout-api' });
      await store.incidents.markResolved(incident.id, new Date(NOW.getTime() - DAY + MINUTE), null);
      await store.sloFigures.save(incident.id, figures, NOW, true);
      return incident.id;
    };
    const tooShort = await measureSlo(input(MINUTE, 20 * MINUTE));
    await resolved(tooShort);
    // The same, with Prometheus down for the window's figure: that part is still to get.
    const windowDown = await resolved({ ...tooShort, status: { kind: 'missing', reason: 'Prometheus at http://prom:9090 could not be reached (ECONNREFUSED)' } });
    expect(await scheduler.tick()).toEqual([windowDown]);

    const markdown = renderPostmortem(postmortemData({ incident: { service: 'checkout-api' }, slo: { serviceSlos: ['checkout_availability'] }, sloFigures: [stored(tooShort)] }));
    const consumed = section(markdown, 'SLO impact').split('\n').find((l) => l.startsWith('| Consumed in this incident |'))!;
    expect(consumed).toContain('Not known: too short to measure: the impact lasted 60 s');
    expect(consumed).toContain('It is recorded so for this postmortem and not asked again');
    expect(markdown).not.toContain('asked again at each periodic SLO refresh');
  });
});
