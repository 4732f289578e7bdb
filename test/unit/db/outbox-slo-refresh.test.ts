import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.js';
import { outboxRepo, type OutboxStore } from '../../../src/db/outbox.repo.js';
import type { OutboxJob } from '../../../src/domain/ports.js';

/** SLO refreshes: a queue of their own per incident, and a pending one absorbs the next unless that one is final. */
describe('SLO refresh jobs in the outbox', () => {
  let outbox: OutboxStore;
  const at = new Date('2026-12-01T10:00:00Z');
  const refresh = (final: boolean, incidentId = 1): OutboxJob => ({ kind: 'slo.refresh', incidentId, payload: { final } });
  const post = (incidentId = 1): OutboxJob => ({ kind: 'slack.post', incidentId, payload: { target: 'incident', notice: { type: 'reopened', by: 'U1' } } });
  const pending = () => outbox.list().filter((j) => j.kind === 'slo.refresh' && j.status === 'pending').map((j) => j.payload);

  beforeEach(() => {
    outbox = outboxRepo(openDatabase(':memory:'));
  });

  it('runs beside the incident\'s Slack jobs: neither waits for the other', () => {
    outbox.enqueue(refresh(false), at);
    outbox.enqueue(post(), at);
    // Both are first in their queue: a refresh waiting on Prometheus holds up no post, and no post holds it up.
    expect(outbox.claim(at, 60_000, 10).map((j) => j.kind).sort()).toEqual(['slack.post', 'slo.refresh']);
  });

  it('keeps one pending refresh per incident, but never lets a pending ordinary one absorb a final one', () => {
    outbox.enqueue(refresh(false), at);
    outbox.enqueue(refresh(false), at);
    expect(pending()).toEqual([{ final: false }]);
    outbox.enqueue(refresh(true), at);
    expect(pending()).toEqual([{ final: false }, { final: true }]);
    // A pending final one covers whatever follows.
    outbox.enqueue(refresh(false), at);
    outbox.enqueue(refresh(true), at);
    expect(pending()).toEqual([{ final: false }, { final: true }]);
    // Another incident's refresh is its own.
    outbox.enqueue(refresh(false, 2), at);
    expect(pending()).toHaveLength(3);
  });

  it('queues a new refresh behind a running one: that one may have read the incident before the change', () => {
    outbox.enqueue(refresh(false), at);
    expect(outbox.claim(at, 60_000, 10)).toHaveLength(1);
    outbox.enqueue(refresh(false), at);
    expect(pending()).toEqual([{ final: false }]);
    // It waits for the running one to finish.
    expect(outbox.claim(at, 60_000, 10)).toHaveLength(0);
  });
});
