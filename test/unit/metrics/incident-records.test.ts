import type { Counter, Histogram } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { declareIncident } from '../../../src/domain/declare.js';
import { resolveIncident } from '../../../src/domain/resolve.js';
import { meterIncidentRecords } from '../../../src/metrics/incident-records.js';
import { incidentsDeclared, timeToAcknowledge, timeToResolve } from '../../../src/metrics/registry.js';
import { memoryDeps } from '../../support/memory-store.js';

const alice = { type: 'slack', userId: 'U0ALICE', teamId: 'T1' } as const;
const MINUTE = 60_000;

/** A counter's series, or a histogram's `_count` or `_sum`, with these labels (0 when not there yet). */
async function value(metric: Counter | Histogram, labels: Record<string, string>, series?: '_count' | '_sum'): Promise<number> {
  const { values } = await metric.get();
  const found = values.find(
    (v) => (series === undefined || (v as { metricName?: string }).metricName?.endsWith(series)) && Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return found?.value ?? 0;
}
const declared = (severity: string, source: string) => value(incidentsDeclared, { severity, source });
const observations = (metric: Histogram, severity: string) => value(metric, { severity }, '_count');
const observedSum = (metric: Histogram, severity: string) => value(metric, { severity }, '_sum');

function metered() {
  return memoryDeps([meterIncidentRecords]);
}

describe('counting incident records at the repository', () => {
  it('counts a declaration by severity and source once its transaction commits', async () => {
    const deps = metered();
    const [command, form] = [await declared('sev2', 'command'), await declared('sev1', 'form')];
    await declareIncident(deps, alice, { severity: 'sev2', title: 'Search slow' });
    await declareIncident(deps, alice, { severity: 'sev1', title: 'Checkout down', declaredVia: 'form' });
    expect(await declared('sev2', 'command')).toBe(command + 1);
    expect(await declared('sev1', 'form')).toBe(form + 1);
  });

  it('counts nothing a rolled-back transaction wrote, and only the savepoint that failed inside one that commits', async () => {
    const deps = metered();
    const { store } = deps;
    const before = await declared('sev3', 'alert');
    const row = { title: 'x', description: null, severity: 'sev3', isPrivate: false, declaredBy: 'system:alertmanager', declaredAt: deps.clock.now(), originChannelId: null, service: null, declaredVia: 'alert' } as const;
    await expect(
      store.transaction(async (tx) => {
        await tx.incidents.create(row);
        throw new Error('refused after the write');
      }),
    ).rejects.toThrow('refused after the write');
    expect(await store.incidents.get(1)).toBeUndefined();
    expect(await declared('sev3', 'alert')).toBe(before);

    await store.transaction(async (tx) => {
      await tx.incidents.create(row);
      try {
        await tx.transaction(async (inner) => {
          await inner.incidents.create(row);
          throw new Error('inner');
        });
      } catch {
        // The savepoint is rolled back; the outer transaction goes on.
      }
    });
    expect(await store.incidents.listOpen()).toHaveLength(1);
    expect(await declared('sev3', 'alert')).toBe(before + 1);
  });

  it('observes the time to acknowledge from the declaration to the first acknowledgement only', async () => {
    const deps = metered();
    const incident = await declareIncident(deps, alice, { severity: 'sev1', title: 'Checkout down' });
    const [count, sum] = [await observations(timeToAcknowledge, 'sev1'), await observedSum(timeToAcknowledge, 'sev1')];
    const ackedAt = new Date(incident.declaredAt.getTime() + 5 * MINUTE);
    expect(await deps.store.incidents.recordAcknowledged(incident.id, ackedAt)).toBe(true);
    expect(await deps.store.incidents.recordAcknowledged(incident.id, new Date(ackedAt.getTime() + MINUTE))).toBe(false);
    expect(await observations(timeToAcknowledge, 'sev1')).toBe(count + 1);
    expect(await observedSum(timeToAcknowledge, 'sev1')).toBeCloseTo(sum + 300, 9);
  });

  it('observes the time to resolve at a resolve, not at a resolve refused', async () => {
    const deps = metered();
    const incident = await declareIncident(deps, alice, { severity: 'sev2', title: 'Search slow' });
    await deps.store.incidents.recordChannel(incident.id, 'C1', 'inc-1-search-slow');
    const [count, sum] = [await observations(timeToResolve, 'sev2'), await observedSum(timeToResolve, 'sev2')];
    deps.clock.advance(90 * MINUTE);
    await resolveIncident(deps, alice, { channelId: 'C1' }, 'Rolled back');
    await expect(resolveIncident(deps, alice, { channelId: 'C1' }, 'again')).rejects.toThrow(/already resolved/);
    expect(await observations(timeToResolve, 'sev2')).toBe(count + 1);
    expect(await observedSum(timeToResolve, 'sev2')).toBeCloseTo(sum + 5400, 9);
  });
});
