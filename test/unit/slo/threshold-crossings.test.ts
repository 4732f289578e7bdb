import { describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../src/db/outbox.repo.js';
import { refreshSlo } from '../../../src/effects/refresh-slo.js';
import type { PrometheusQueries, SeriesPoint } from '../../../src/prometheus/port.js';
import { thresholdNoticeText, type ThresholdNotice } from '../../../src/slack/views/slo-lines.js';
import { sloRefreshWorld } from '../../support/slo-refresh-world.js';

/*
 * A budget can fall past several policy thresholds between two refreshes (a
 * bad hour, or the first computation of an incident linked late): the
 * channel gets one notice for the threshold now in effect, not one per
 * threshold, and none of them is posted again in the window period.
 */

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const NOW = new Date('2026-11-30T12:00:00Z');

/** Answers the SLO window's ratio with what leaves `remaining`, and 1 % failing elsewhere. */
class BudgetPrometheus implements PrometheusQueries {
  remaining = 1;
  /** Prometheus's time retention; undefined: not known (keeps everything asked). */
  keeps: { text: string; ms: number } | undefined;
  async storageRetention() {
    return this.keeps;
  }
  async queryValue(expr: string): Promise<number | null> {
    return expr.includes('[30d]') ? (1 - this.remaining) * 0.001 : 0.01;
  }
  async querySeries(): Promise<SeriesPoint[]> {
    throw new Error('instant queries only');
  }
}

async function setUp() {
  const prometheus = new BudgetPrometheus();
  const { deps, store, ctx, incident } = await sloRefreshWorld(NOW, prometheus);
  const job = { id: 1, kind: 'slo.refresh', incidentId: incident.id, attempts: 1, createdAt: NOW, payload: { final: false } } as unknown as ClaimedJob & { kind: 'slo.refresh' };
  const refreshAt = async (remaining: number) => {
    prometheus.remaining = remaining;
    await refreshSlo(ctx, job);
  };
  const notices = async () =>
    (await store.outbox.list()).flatMap((j) => (j.kind === 'slack.post' && (j.payload as { target: string }).target === 'incident' ? [(j.payload as { notice: ThresholdNotice }).notice] : []));
  const announced = async () => (await store.outbox.list()).filter((j) => j.kind === 'slack.post' && (j.payload as { target: string }).target === 'announce');
  const timeline = async () => (await store.timeline.list(incident.id)).filter((e) => e.kind === 'slo_threshold').map((e) => e.text);
  return { refreshAt, notices, announced, timeline, clock: deps.clock, prometheus };
}

describe('a budget falling past several thresholds in one computation', () => {
  it('posts one notice, for the lowest, naming the others passed too, and notes it once on the timeline', async () => {
    const { refreshAt, notices, announced, timeline } = await setUp();
    await refreshAt(0.05);
    const posted = await notices();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.threshold).toBe(0.1);
    expect(thresholdNoticeText(posted[0]!)).toContain(
      "is down to 5.0 % left* (99.9 % over 30d), past the policy's 10 % threshold (the 50 % and 25 % ones passed too). The policy says: freeze all deployments; reliability review meeting.",
    );
    expect(await announced()).toHaveLength(1);
    expect(await timeline()).toEqual([
      'Error budget of checkout-api checkout_availability down to 5.0 % left, past the 10 % threshold (the 50 % and 25 % ones passed too): freeze all deployments; reliability review meeting',
    ]);
  });

  it('records every threshold passed as posted: a recovery and a second fall in the period post none of them again', async () => {
    const { refreshAt, notices, timeline } = await setUp();
    await refreshAt(0.05);
    await refreshAt(0.6);
    await refreshAt(0.2);
    expect(await notices()).toHaveLength(1);
    // The one threshold not yet passed is posted alone when it is, overspent said as overspent.
    await refreshAt(-0.1);
    const posted = await notices();
    expect(posted.map((n) => n.threshold)).toEqual([0.1, 0]);
    expect(thresholdNoticeText(posted[1]!)).toContain("is overspent by 10.0 %* (99.9 % over 30d), past the policy's 0 % threshold. The policy says: reliability work only.");
    expect((await timeline())[1]).toBe('Error budget of checkout-api checkout_availability overspent by 10.0 %, past the 0 % threshold: reliability work only');
  });

  it('says in the notice that the figure covers only what Prometheus keeps, when that is less than the window', async () => {
    const { refreshAt, notices, prometheus } = await setUp();
    prometheus.keeps = { text: '15d', ms: 15 * DAY };
    await refreshAt(0.4);
    const [posted] = await notices();
    expect(posted!.retention).toEqual({ text: '15d', ms: 15 * DAY, windowText: '30d' });
    expect(thresholdNoticeText(posted!)).toContain("is down to 40.0 % left over the 15d Prometheus keeps, not the SLO's 30d* (99.9 % over 30d), past the policy's 50 % threshold.");
  });

  it('posts them again in the next window period, once', async () => {
    const { refreshAt, notices, clock } = await setUp();
    await refreshAt(0.05);
    await refreshAt(0.6);
    clock.set(new Date(NOW.getTime() + 30 * DAY));
    await refreshAt(0.2);
    expect((await notices()).map((n) => [n.threshold, n.alsoPassed])).toEqual([
      [0.1, [0.5, 0.25]],
      [0.25, [0.5]],
    ]);
  });
});
