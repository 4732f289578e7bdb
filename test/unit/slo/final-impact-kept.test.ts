import { describe, expect, it } from 'vitest';
import type { ClaimedJob } from '../../../src/db/outbox.repo.js';
import { refreshSlo } from '../../../src/effects/refresh-slo.js';
import { PrometheusError } from '../../../src/prometheus/errors.js';
import type { PrometheusQueries, SeriesPoint } from '../../../src/prometheus/port.js';
import type { StorageRetention } from '../../../src/prometheus/retention.js';
import { sloRefreshWorld } from '../../support/slo-refresh-world.js';

/*
 * A resolved incident whose window figure was missing at the resolve (the
 * [30d] query timed out) is computed again by the periodic refresh, both
 * parts, for as long as the SLO window. Sixteen days on, a Prometheus keeping
 * 15 days has dropped the impact's samples: the use of the budget measured at
 * the resolve, which the postmortem states, must not turn into "not known".
 */

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const RESOLVED = new Date('2026-11-30T12:00:00Z');

/** At the resolve: the impact measured, the window timing out. Later: the window measured, the impact's samples gone. */
class ForgetfulPrometheus implements PrometheusQueries {
  later = false;
  async queryValue(expr: string, at: Date): Promise<number | null> {
    if (expr.includes('[30d]')) {
      if (!this.later) throw new PrometheusError('timeout', 'Prometheus at http://prom:9090 did not answer within 10 s', { query: { kind: 'instant', expr, at } });
      return 0.0003;
    }
    if (expr.includes('[1h]')) return 0.001;
    return this.later ? null : 0.1;
  }
  async querySeries(): Promise<SeriesPoint[]> {
    throw new Error('instant queries only');
  }
  async storageRetention(): Promise<StorageRetention> {
    return { text: '15d', ms: 15 * DAY };
  }
}

/** The same, but later only the impact's last 10 minutes are kept: 5 % failing, also what a range over all of it answers. */
class PartlyForgetfulPrometheus extends ForgetfulPrometheus {
  override async queryValue(expr: string, at: Date): Promise<number | null> {
    if (this.later && (expr.includes('[10m]') || expr.includes('[30m]'))) return 0.05;
    return super.queryValue(expr, at);
  }
}

async function resolvedIncident(prometheus: ForgetfulPrometheus) {
  const { deps, store, ctx, incident } = await sloRefreshWorld(RESOLVED, prometheus);
  await store.incidents.markResolved(incident.id, RESOLVED, null);
  const job = { id: 1, kind: 'slo.refresh', incidentId: incident.id, attempts: 1, createdAt: RESOLVED, payload: { final: true } } as unknown as ClaimedJob & { kind: 'slo.refresh' };
  return { deps, store, ctx, incident, job };
}

describe("a resolved incident's measured use of the budget", () => {
  it('is kept when a later refresh measures less of the impact: its beginning is past what Prometheus keeps', async () => {
    const prometheus = new PartlyForgetfulPrometheus();
    const { deps, store, ctx, incident, job } = await resolvedIncident(prometheus);
    await refreshSlo(ctx, job);
    const atResolve = (await store.sloFigures.forIncident(incident.id))[0]!;
    expect(atResolve.figures.incident).toMatchObject({ kind: 'measured', errorRatio: 0.1, impactMs: 30 * MINUTE });

    prometheus.later = true;
    // 15 days less 10 minutes on: the first 20 minutes of the impact are past the 15d kept.
    deps.clock.set(new Date(RESOLVED.getTime() + 15 * DAY - 10 * MINUTE));
    await refreshSlo(ctx, job);
    const later = (await store.sloFigures.forIncident(incident.id))[0]!;
    expect(later.figures.incident).toEqual(atResolve.figures.incident);
    expect(later.figures.status.kind).toBe('measured');
  });

  it('is kept when a later refresh for its missing window figure can no longer measure the impact', async () => {
    const prometheus = new ForgetfulPrometheus();
    const { deps, store, ctx, incident, job } = await resolvedIncident(prometheus);
    await refreshSlo(ctx, job);
    const atResolve = (await store.sloFigures.forIncident(incident.id))[0]!;
    expect(atResolve.final).toBe(true);
    expect(atResolve.figures.incident).toMatchObject({ kind: 'measured', errorRatio: 0.1, impactMs: 30 * MINUTE });
    expect(atResolve.figures.status.kind).toBe('missing');

    prometheus.later = true;
    deps.clock.set(new Date(RESOLVED.getTime() + 16 * DAY));
    await refreshSlo(ctx, job);
    const later = (await store.sloFigures.forIncident(incident.id))[0]!;
    expect(later.figures.incident).toEqual(atResolve.figures.incident);
    expect(later.figures.status.kind).toBe('measured');
  });
});
