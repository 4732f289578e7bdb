import { describe, expect, it } from 'vitest';
import type { OutboxJob } from '../../../src/domain/ports.js';
import { AT, later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

/** As Alertmanager sends them: by name (Go writes a map's keys sorted). */
const LABELS = { alertname: 'HighErrorRate', instance: 'api-7:9090', job: 'checkout', severity: 'critical' };
const ANNOTATIONS = { summary: 'Errors above 5 %', description: 'The checkout API answers 5xx', runbook_url: 'https://runbooks.example/errors' };

/**
 * JSON comes back with its keys in the order it was stored in: an alert's
 * labels are written out in that order on the timeline ("{alertname=…,
 * instance=…}"), so a store that reorders them (PostgreSQL's jsonb sorts keys
 * by length) prints the same alert differently.
 */
describe.each(stores)('$name store: JSON keys', (factory) => {
  const store = storePerTest(factory);

  it('an outbox job’s payload keeps its keys’ order', async () => {
    const job = {
      kind: 'alert.receive',
      incidentId: null,
      payload: {
        receivedAt: AT.toISOString(),
        notification: {
          groupKey: '{}:{alertname="HighErrorRate"}',
          status: 'firing',
          commonLabels: LABELS,
          alerts: [{ status: 'firing', labels: LABELS, annotations: ANNOTATIONS, startsAt: AT.toISOString(), endsAt: null, generatorUrl: null, fingerprint: 'f1' }],
        },
      },
    } satisfies OutboxJob;
    await store().outbox.enqueue(job, AT);
    const [claimed] = await store().outbox.claim(later(1), 60_000, 1);
    const payload = claimed!.payload as typeof job.payload;
    expect(Object.keys(payload)).toEqual(['receivedAt', 'notification']);
    expect(Object.keys(payload.notification.commonLabels)).toEqual(Object.keys(LABELS));
    expect(Object.keys(payload.notification.alerts[0]!.labels)).toEqual(Object.keys(LABELS));
    expect(Object.keys(payload.notification.alerts[0]!.annotations)).toEqual(Object.keys(ANNOTATIONS));
  });

  it('an alert’s labels and annotations keep their keys’ order', async () => {
    await store().alerts.saveAlert(
      { groupKey: 'g', fingerprint: 'f1', incidentId: null, status: 'firing', startsAt: AT, endsAt: null, labels: LABELS, annotations: ANNOTATIONS, generatorUrl: null },
      AT,
    );
    const saved = await store().alerts.alert('g', 'f1');
    expect(Object.keys(saved!.labels)).toEqual(Object.keys(LABELS));
    expect(Object.keys(saved!.annotations)).toEqual(Object.keys(ANNOTATIONS));
  });
});
