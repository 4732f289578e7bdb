import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/client.js';
import { CLAIM_SQL, foregroundReserve, outboxRepo, type OutboxStore } from '../../../src/db/outbox.repo.js';
import type { OutboxJob } from '../../../src/domain/ports.js';

/**
 * The claim's order: urgent jobs, then every other kind, then timeline
 * captures, which wait only for earlier captures of the same message and
 * never take a worker's last few free slots.
 */
describe('the outbox claim', () => {
  let db: Db;
  let outbox: OutboxStore;
  const at = new Date('2026-12-01T10:00:00Z');
  const later = (ms: number) => new Date(at.getTime() + ms);
  const LEASE = 60_000;

  const capture = (messageTs: string, incidentId = 1): OutboxJob => ({ kind: 'timeline.reconcile', incidentId, payload: { channelId: 'C0INC1', messageTs } });
  const sync = (incidentId = 1): OutboxJob => ({ kind: 'incident.sync', incidentId, payload: {} });
  const invite = (incidentId = 1): OutboxJob => ({ kind: 'slack.invite', incidentId, payload: { userIds: ['U0BOB'] } });
  const page = (incidentId = 1): OutboxJob => ({
    kind: 'pagerduty.event',
    incidentId,
    payload: { action: 'trigger', service: 'default', dedupKey: `inc-${incidentId}-default`, message: null },
  });
  /** What a claim took, as kind and message. */
  const taken = (limit: number, slots = limit, now = at) =>
    outbox
      .claim(now, LEASE, limit, slots)
      .sort((a, b) => a.id - b.id)
      .map((j) => (j.kind === 'timeline.reconcile' ? `capture ${(j.payload as { messageTs: string }).messageTs}` : j.kind));
  const rows = () => outbox.list();

  beforeEach(() => {
    db = openDatabase(':memory:');
    outbox = outboxRepo(db);
  });
  afterEach(() => db.$client.close());

  it('takes every other kind before a capture, whatever was queued first', () => {
    for (let i = 1; i <= 30; i++) outbox.enqueue(capture(`${i}.000100`), at);
    outbox.enqueue(invite(2), at);
    outbox.enqueue(sync(1), at);

    expect(taken(1)).toEqual(['slack.invite']);
    expect(taken(1)).toEqual(['incident.sync']);
    expect(taken(2)).toEqual(['capture 1.000100', 'capture 2.000100']);
  });

  it('lets a capture wait only for an earlier capture of its own message', () => {
    outbox.enqueue(invite(1), at);
    expect(taken(1)).toEqual(['slack.invite']);
    // The incident's queue is busy: its sync waits, the captures do not.
    outbox.enqueue(sync(1), at);
    outbox.enqueue(capture('1.000100'), at);
    outbox.enqueue(capture('2.000100'), at);
    expect(taken(10)).toEqual(['capture 1.000100', 'capture 2.000100']);

    // A second reaction while the first capture runs: its capture waits for that one.
    outbox.enqueue(capture('1.000100'), at);
    expect(taken(10)).toEqual([]);
    const first = rows().find((j) => j.kind === 'timeline.reconcile' && j.status === 'running')!;
    outbox.complete(first, at);
    expect(taken(10)).toEqual(['capture 1.000100']);
  });

  it('keeps one pending capture per message, and queues a new one behind a running one', () => {
    outbox.enqueue(capture('1.000100'), at);
    outbox.enqueue(capture('1.000100'), at);
    outbox.enqueue(capture('1.000100', 2), at); // the same ts in another incident's channel is another message
    expect(rows()).toHaveLength(2);

    expect(taken(10)).toEqual(['capture 1.000100', 'capture 1.000100']);
    // The running captures may have read Slack before this reaction: one more each, then no more.
    outbox.enqueue(capture('1.000100'), at);
    outbox.enqueue(capture('1.000100'), at);
    outbox.enqueue(capture('1.000100', 2), at);
    expect(rows().filter((j) => j.status === 'pending')).toHaveLength(2);
    expect(rows().map((j) => j.queue).sort()).toEqual(['timeline:1:1.000100', 'timeline:1:1.000100', 'timeline:2:1.000100', 'timeline:2:1.000100']);
  });

  it('leaves the last free slots of a worker to foreground work', () => {
    expect([64, 8, 4, 3, 1].map(foregroundReserve)).toEqual([8, 2, 1, 0, 0]);
    for (let i = 1; i <= 20; i++) outbox.enqueue(capture(`${i}.000100`), at);

    expect(taken(8, 64)).toEqual([]);
    expect(taken(10, 64)).toHaveLength(2);
    outbox.enqueue(sync(1), at);
    expect(taken(8, 64)).toEqual(['incident.sync']);
    // A worker too small to keep slots back still runs captures.
    expect(taken(1, 2)).toHaveLength(1);
  });

  it('still takes urgent jobs first, and holds captures while one is due', () => {
    outbox.enqueue(capture('1.000100'), at);
    outbox.enqueue(page(1), at);
    expect(taken(10)).toEqual(['pagerduty.event']);
    expect(taken(10)).toEqual([]);
    outbox.complete(rows().find((j) => j.kind === 'pagerduty.event')!, at);
    expect(taken(10)).toEqual(['capture 1.000100']);
  });

  it('takes captures in the order they fell due, and one whose retry is not due yet not at all', () => {
    outbox.enqueue(capture('1.000100'), at);
    outbox.enqueue(capture('2.000100'), at);
    const [first] = outbox.claim(at, LEASE, 1);
    outbox.retryAt(first!, later(5_000), 'ratelimited');
    outbox.enqueue(capture('3.000100'), later(1_000));

    expect(taken(10, 10, later(2_000))).toEqual(['capture 2.000100', 'capture 3.000100']);
    expect(taken(10, 10, later(5_000))).toEqual(['capture 1.000100']);
  });

  it('takes over a capture whose process died mid-run', () => {
    outbox.enqueue(capture('1.000100'), at);
    expect(taken(1)).toHaveLength(1);
    expect(taken(1, 1, later(LEASE - 1))).toEqual([]);
    expect(taken(1, 1, later(LEASE + 1))).toEqual(['capture 1.000100']);
  });

  it('reads the captures through their own index and stops once it has enough', () => {
    const plan = (db.$client.prepare(`EXPLAIN QUERY PLAN ${CLAIM_SQL}`).all({ now: at.getTime(), lease: 0, limit: 64, background: 56 }) as { detail: string }[]).map((r) => r.detail);
    // The pending captures: a range of their own index, in due order, so the LIMIT stops the walk.
    expect(plan).toContain('SEARCH b USING INDEX outbox_background_due_idx (status=? AND next_run_at<?)');
    // Foreground jobs and the urgent check never read captures.
    expect(plan.filter((d) => /^SEARCH [ou] /.test(d)).every((d) => d.includes('outbox_foreground_due_idx'))).toBe(true);
    // The only sort is the final one, over the few jobs found; no table is scanned whole.
    expect(plan.filter((d) => d.includes('TEMP B-TREE'))).toHaveLength(1);
    expect(plan.some((d) => /^SCAN [oube]\b/.test(d))).toBe(false);
  });

  it('moves captures queued before this version into their message’s queue', () => {
    const insert = db.$client.prepare(
      `INSERT INTO outbox (incident_id, kind, queue, payload, status, next_run_at, created_at) VALUES (1, ?, 'incident:1', ?, ?, 0, 0)`,
    );
    insert.run('timeline.reconcile', JSON.stringify({ channelId: 'C0INC1', messageTs: '1.000100' }), 'pending');
    insert.run('timeline.reconcile', JSON.stringify({ channelId: 'C0INC1', messageTs: '2.000100' }), 'done');
    insert.run('incident.sync', '{}', 'pending');
    const migration = readFileSync(new URL('../../../migrations/sqlite/0007_background_lane.sql', import.meta.url), 'utf8');
    const update = migration.split('--> statement-breakpoint').find((s) => s.includes('UPDATE'))!;
    db.$client.exec(update);
    expect(rows().map((j) => j.queue)).toEqual(['timeline:1:1.000100', 'incident:1', 'incident:1']);
  });
});
