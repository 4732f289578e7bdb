import { describe, expect, it } from 'vitest';
import type { SloFigures } from '../../../src/domain/slo-figures.js';
import { impactWindow } from '../../../src/slo/measure.js';
import { declare, later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

const DAY = 86_400_000;

/** Measured figures, with ratios that only come back exact if stored as the same double. */
function measured(sloId: string, consumed = 0.1 + 0.2): SloFigures {
  const budgetMs = 0.001 * 30 * DAY;
  return {
    sloId,
    service: sloId.split('/')[0]!,
    name: sloId.split('/')[1]!,
    target: 0.999,
    windowText: '30d',
    windowMs: 30 * DAY,
    budgetMs,
    incident: { kind: 'measured', impactMs: 1_380_000, errorRatio: 0.0421337, badTimeMs: 58_144.506, budgetMs, consumed },
    status: { kind: 'measured', budgetMs, windowErrorRatio: 1e-7, remaining: 0.6999999999999998, burnRate: 12.5, timeToExhaustionMs: undefined },
    asked: ['the error ratio of checkout over the impact', 'sum(rate(http_requests_total{code=~"5.."}[1h])) / sum(rate(http_requests_total[1h]))'],
  };
}

function missingStatus(sloId: string): SloFigures {
  return { ...measured(sloId), status: { kind: 'missing', reason: 'Prometheus answered 503' } };
}

describe.each(stores)('$name store: SLO figures and threshold claims', (factory) => {
  const store = storePerTest(factory);

  it('keeps one set of figures per incident and SLO, the last saved', async () => {
    const a = await declare(store());
    const b = await declare(store());
    await store().sloFigures.save(a.id, measured('checkout/availability', 0.25), later(0), false);
    await store().sloFigures.save(a.id, measured('checkout/latency'), later(0), false);
    await store().sloFigures.save(b.id, measured('checkout/availability', 0.5), later(1_000), true);
    await store().sloFigures.save(a.id, measured('checkout/availability'), later(60_000), true);

    const ofA = await store().sloFigures.forIncident(a.id);
    expect(ofA.sort((x, y) => x.figures.sloId.localeCompare(y.figures.sloId))).toEqual([
      { figures: measured('checkout/availability'), computedAt: later(60_000), final: true },
      { figures: measured('checkout/latency'), computedAt: later(0), final: false },
    ]);
    expect((await store().sloFigures.forSlo('checkout/availability')).sort((x, y) => x.incidentId - y.incidentId)).toEqual([
      { incidentId: a.id, figures: measured('checkout/availability'), computedAt: later(60_000), final: true },
      { incidentId: b.id, figures: measured('checkout/availability', 0.5), computedAt: later(1_000), final: true },
    ]);
    expect(await store().sloFigures.forSlo('search/availability')).toEqual([]);
  });

  it('reads the figures of a window: those of incidents whose impact window reaches it, as impactWindow draws it, with their incident', async () => {
    const now = later(40 * DAY);
    const since = later(10 * DAY);
    const around = { before: new Date(since.getTime() - 3_600_000), at: since, after: new Date(since.getTime() + 3_600_000) };
    const reaching: number[] = [];
    for (const declared of [around.before, around.after])
      for (const started of [null, around.before, around.after])
        for (const ended of [null, around.before, around.at, around.after])
          for (const resolved of [null, around.before, around.at, around.after]) {
            const { id } = await declare(store(), { declaredAt: declared });
            if (started) await store().incidents.setImpact(id, 'started', started, declared);
            if (ended) await store().incidents.setImpact(id, 'ended', ended, declared);
            if (resolved) await store().incidents.markResolved(id, resolved, null);
            await store().sloFigures.save(id, measured('checkout/availability'), declared, false);
            // Another SLO's figures are never read for this one.
            if (id % 7 === 0) await store().sloFigures.save(id, measured('search/latency'), declared, false);
            const incident = (await store().incidents.get(id))!;
            if (impactWindow(incident, now).end.getTime() >= since.getTime()) reaching.push(id);
          }
    const read = await store().sloFigures.inWindow('checkout/availability', since);
    expect(read.map((r) => r.incident.id)).toEqual(reaching);
    expect(reaching.length).toBeGreaterThan(20);
    expect(reaching.length).toBeLessThan(96);
    const first = read[0]!;
    expect(first).toEqual({ incident: await store().incidents.get(first.incident.id), figures: measured('checkout/availability'), computedAt: expect.any(Date), final: false });
    expect(await store().sloFigures.inWindow('nothing/here', since)).toEqual([]);
  });

  it('names the incidents whose final figures have a part missing, once each', async () => {
    const complete = await declare(store());
    const missingFinal = await declare(store());
    const missingNotFinal = await declare(store());
    const missingIncidentPart = await declare(store());
    await store().sloFigures.save(complete.id, measured('checkout/availability'), later(0), true);
    await store().sloFigures.save(missingFinal.id, missingStatus('checkout/availability'), later(0), true);
    await store().sloFigures.save(missingFinal.id, missingStatus('checkout/latency'), later(0), true);
    await store().sloFigures.save(missingNotFinal.id, missingStatus('checkout/availability'), later(0), false);
    await store().sloFigures.save(missingIncidentPart.id, { ...measured('checkout/availability'), incident: { kind: 'missing', reason: 'no data' } }, later(0), true);

    expect((await store().sloFigures.finalWithMissing()).sort((x, y) => x - y)).toEqual([missingFinal.id, missingIncidentPart.id]);
    await store().sloFigures.save(missingFinal.id, measured('checkout/availability'), later(1_000), true);
    await store().sloFigures.remove(missingFinal.id, 'checkout/latency');
    expect(await store().sloFigures.finalWithMissing()).toEqual([missingIncidentPart.id]);
    expect((await store().sloFigures.forIncident(missingFinal.id)).map((f) => f.figures.sloId)).toEqual(['checkout/availability']);
  });

  it('claims a threshold’s post once per SLO, window period and threshold', async () => {
    const { id } = await declare(store());
    expect(await store().thresholdPosts.claim('checkout/availability', 681, 5000, id, later(0))).toBe(true);
    expect(await store().thresholdPosts.claim('checkout/availability', 681, 5000, null, later(1_000))).toBe(false);
    expect(await store().thresholdPosts.claim('checkout/availability', 681, 2500, id, later(2_000))).toBe(true);
    expect(await store().thresholdPosts.claim('checkout/availability', 682, 5000, null, later(3_000))).toBe(true);
    expect(await store().thresholdPosts.claim('checkout/latency', 681, 5000, null, later(4_000))).toBe(true);
  });

  it('lets one of several claims of one threshold at once win', async () => {
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => store().transaction(async (tx) => tx.thresholdPosts.claim('checkout/availability', 681, 5000, null, later(i)))),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('frees a claim whose transaction rolled back', async () => {
    await expect(
      store().transaction(async (tx) => {
        expect(await tx.thresholdPosts.claim('checkout/availability', 681, 5000, null, later(0))).toBe(true);
        throw new Error('queueing the post failed');
      }),
    ).rejects.toThrow('queueing the post failed');
    expect(await store().thresholdPosts.claim('checkout/availability', 681, 5000, null, later(1_000))).toBe(true);
  });
});
