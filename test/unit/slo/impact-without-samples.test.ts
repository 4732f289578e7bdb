import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { SloFigures } from '../../../src/domain/slo-figures.js';
import { SloRefreshScheduler } from '../../../src/jobs/slo-refresh-scheduler.js';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import type { PrometheusQueries, SeriesPoint } from '../../../src/prometheus/port.js';
import type { StorageRetention } from '../../../src/prometheus/retention.js';
import { measureSlo, type MeasureInput } from '../../../src/slo/measure.js';
import { headerSloLine } from '../../../src/slack/views/slo-lines.js';
import { memoryDeps } from '../../support/memory-store.js';
import { postmortemData, section } from '../postmortem/fixture.js';
import { stored } from '../postmortem/slo-fixture.js';
import { CHECKOUT_SLO as SLO } from '../../support/slo-fixtures.js';

/*
 * A long impact with no samples: the target was down, every scrape failed,
 * and rate() over the impact is empty however often it is asked. Like an
 * impact too short to measure, it is recorded as final once its samples can
 * no longer come, instead of the periodic refresh asking at every
 * SLO_REFRESH for 30 days; so is an impact past Prometheus's retention.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = new Date('2026-11-30T12:00:00Z');

/** Samples over the SLO window and the last hour; none over any other range (the impact's), or none at all. */
class TargetDownPrometheus implements PrometheusQueries {
  constructor(
    private readonly window = true,
    private readonly retention?: StorageRetention,
  ) {}
  async queryValue(expr: string): Promise<number | null> {
    if (!this.window) return null;
    if (expr.includes('[30d]')) return 0.0003;
    if (expr.includes('[1h]')) return 0.001;
    return null;
  }
  async querySeries(): Promise<SeriesPoint[]> {
    throw new Error('instant queries only');
  }
  async storageRetention(): Promise<StorageRetention | undefined> {
    return this.retention;
  }
}

function input(impactMs: number, endedAgoMs: number, prometheus: PrometheusQueries = new TargetDownPrometheus()): MeasureInput {
  const end = new Date(NOW.getTime() - endedAgoMs);
  const start = new Date(end.getTime() - impactMs);
  return {
    slo: SLO,
    incident: { severity: 'sev1', declaredAt: start, resolvedAt: end, impactStartedAt: start, impactEndedAt: end },
    now: NOW,
    prometheus: { queries: prometheus, server: 'http://prom:9090' },
    estimates: { sev1: 1, sev2: 0.5, sev3: 0.1 },
    otherUses: [],
  };
}

describe('a long impact with no samples of the SLI', () => {
  it('is recorded as final once its samples can no longer come, saying the target may not have been scraped', async () => {
    const figures = await measureSlo(input(2 * HOUR + 10 * MINUTE, 20 * MINUTE));
    expect(figures.incident).toEqual({
      kind: 'missing',
      settled: true,
      cause: 'not-scraped',
      reason: expect.stringMatching(/^Prometheus has no samples of the SLI over the impact \(2 h 10 min\), though it has some over the SLO window: was the target scraped\?/),
    });
    expect(headerSloLine(figures)).toContain('none will come; not asked again ·');
    expect(headerSloLine(figures)).not.toContain('computed again');
  });

  it('is asked again while its samples may still come, or when the SLI has no samples at all', async () => {
    const plain = { kind: 'missing', reason: expect.stringMatching(/^Prometheus has no samples of this SLI over the impact window/) };
    expect((await measureSlo(input(2 * HOUR, 5 * MINUTE))).incident).toEqual(plain);
    expect((await measureSlo(input(2 * HOUR, 20 * MINUTE, new TargetDownPrometheus(false)))).incident).toEqual(plain);
  });

  it("is recorded as final when it ended before what Prometheus keeps, even with no samples left over the window", async () => {
    const keepsADay = new TargetDownPrometheus(false, { text: '1d', ms: DAY });
    expect((await measureSlo(input(2 * HOUR, 2 * DAY, keepsADay))).incident).toEqual({
      kind: 'missing',
      settled: true,
      cause: 'not-kept',
      reason: 'Prometheus keeps 1d of samples, and this impact ended before that: its samples are no longer kept',
    });
    // Within what it keeps, an SLI with no samples at all stays to be fixed in the SLO file.
    expect((await measureSlo(input(2 * HOUR, 20 * MINUTE, keepsADay))).incident).not.toHaveProperty('settled');
  });

  it('is not asked again by the periodic refresh, and the postmortem says why it is not known', async () => {
    const deps = memoryDeps();
    deps.clock.set(NOW);
    const { store } = deps;
    const scheduler = new SloRefreshScheduler(store, deps.clock, pino({ level: 'silent' }), 30 * DAY);
    const resolved = async (figures: SloFigures) => {
      const incident = await store.incidents.create({ title: 'Checkout down', description: null, severity: 'sev1', isPrivate: false, declaredBy: 'U1', declaredAt: new Date(NOW.getTime() - DAY), originChannelId: null, service: 'checkout-api' });
      await store.incidents.markResolved(incident.id, new Date(NOW.getTime() - DAY + 2 * HOUR), null);
      await store.sloFigures.save(incident.id, figures, NOW, true);
      return incident.id;
    };
    const notScraped = await measureSlo(input(2 * HOUR, 20 * MINUTE));
    await resolved(notScraped);
    expect(await scheduler.tick()).toEqual([]);

    const markdown = renderPostmortem(postmortemData({ incident: { service: 'checkout-api' }, slo: { serviceSlos: ['checkout_availability'] }, sloFigures: [stored(notScraped)] }));
    const row = (name: string) => section(markdown, 'SLO impact').split('\n').find((l) => l.startsWith(`| ${name} |`))!;
    expect(row('Consumed in this incident')).toContain('Not known: Prometheus has no samples of the SLI over the impact (2 h), though it has some over the SLO window: was the target scraped?');
    expect(row('Consumed in this incident')).toContain("It is recorded so for this postmortem and not asked again (`/incident impact started|ended <time>` also recomputes the figures, if the impact's times are wrong)");
    expect(row('Postmortem')).toBe('| Postmortem | Not known: Prometheus has no samples of the SLI over the impact |');
    expect(markdown).not.toContain('asked again at each periodic SLO refresh');
  });
});
