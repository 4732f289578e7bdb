import { describe, expect, it } from 'vitest';
import type { OutboxJob } from '../../../src/domain/ports.js';
import { AT, later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

const LEASE = 60_000;

const sync = (incidentId = 1): OutboxJob => ({ kind: 'incident.sync', incidentId, payload: {} });
const post = (incidentId = 1, message = 'DB failover — “done” 🚒'): OutboxJob => ({
  kind: 'slack.post',
  incidentId,
  payload: { target: 'incident', notice: { type: 'status_update', status: 'monitoring', message, by: 'U0ALICE' } },
});
const setup = (incidentId = 1): OutboxJob => ({ kind: 'incident.setup', incidentId, payload: { responseUrl: null } });
const page = (incidentId = 1): OutboxJob => ({
  kind: 'pagerduty.event',
  incidentId,
  payload: { action: 'trigger', service: 'default', dedupKey: `inc-${incidentId}-default`, message: null },
});
const capture = (messageTs: string, incidentId = 1): OutboxJob => ({ kind: 'timeline.reconcile', incidentId, payload: { channelId: 'C0INC1', messageTs } });
const refresh = (final: boolean, incidentId = 1): OutboxJob => ({ kind: 'slo.refresh', incidentId, payload: { final } });
const notice = (groupId: number): OutboxJob => ({
  kind: 'alert.post',
  incidentId: null,
  payload: { channel: 'C0TRIAGE', notice: { type: 'alert_merge_offer', groupId, title: 'Checkout errors', alertname: 'CheckoutErrors', firing: 1 } },
});

describe.each(stores)('$name store: outbox', (factory) => {
  const store = storePerTest(factory);
  const outbox = () => store().outbox;
  const enqueue = async (...jobs: OutboxJob[]) => {
    for (const job of jobs) await outbox().enqueue(job, AT);
  };
  /** What one claim took, as kind and incident, in id order (a claim promises no order of its own). */
  const claim = async (limit = 10, now = AT, slots = limit) =>
    (await outbox().claim(now, LEASE, limit, slots)).sort((a, b) => a.id - b.id).map((j) => `${j.kind} ${j.incidentId}`);
  const rows = async () => (await outbox().list()).sort((a, b) => a.id - b.id);
  const claimOf = async (kind: string) => (await rows()).find((r) => r.kind === kind && r.status !== 'done')!;

  it('hands a claimed job back as it was queued, leased, on its first attempt', async () => {
    await enqueue(post(7));
    const [job, ...more] = await outbox().claim(later(1), LEASE, 10);
    expect(more).toEqual([]);
    expect(job).toEqual({ id: expect.any(Number), ...post(7), attempts: 1, createdAt: AT });
    expect((await rows()).map((r) => [r.status, r.attempts, r.leaseUntil])).toEqual([['running', 1, later(1 + LEASE)]]);
  });

  it('keeps one pending job of the kinds that read the state when they run', async () => {
    await enqueue(sync(1), sync(1), sync(2), capture('1.000100'), capture('1.000100'), capture('2.000100'), post(1), post(1));
    expect((await rows()).map((r) => r.kind)).toEqual(['incident.sync', 'incident.sync', 'timeline.reconcile', 'timeline.reconcile', 'slack.post', 'slack.post']);
    // A running sync may have read before the change: one more is queued behind it, and only one.
    expect(await claim()).toEqual(['incident.sync 1', 'incident.sync 2', 'timeline.reconcile 1', 'timeline.reconcile 1']);
    await enqueue(sync(1), sync(1));
    expect((await rows()).filter((r) => r.kind === 'incident.sync' && r.status === 'pending')).toHaveLength(1);
  });

  it('never lets an ordinary SLO refresh stand in for a final one', async () => {
    await enqueue(refresh(false), refresh(true), refresh(true), refresh(false));
    expect((await rows()).map((r) => r.payload)).toEqual([{ final: false }, { final: true }]);
    await enqueue(refresh(false, 2), refresh(false, 2));
    expect(await outbox().sloRefreshUnfinished(1)).toBe(true);
    expect(await outbox().sloRefreshUnfinished(3)).toBe(false);
  });

  it('queues nothing for a transaction that rolled back', async () => {
    await expect(
      store().transaction(async (tx) => {
        await tx.outbox.enqueue(post(1), AT);
        throw new Error('the decision failed');
      }),
    ).rejects.toThrow('the decision failed');
    expect(await rows()).toEqual([]);
    expect(await claim()).toEqual([]);
  });

  it('runs an incident’s jobs one after another, urgent work first across incidents', async () => {
    await enqueue(post(1), sync(1), setup(2), post(2));
    // Incident 2's set-up is urgent: nothing else starts while it is due or running.
    expect(await claim()).toEqual(['incident.setup 2']);
    expect(await claim()).toEqual([]);
    await outbox().complete(await claimOf('incident.setup'), later(1));
    expect(await claim(10, later(2))).toEqual(['slack.post 1', 'slack.post 2']);
    expect(await claim(10, later(3))).toEqual([]);
    await outbox().complete((await rows())[0]!, later(4));
    expect(await claim(10, later(5))).toEqual(['incident.sync 1']);
  });

  it('pages even while the incident’s Slack work waits, and takes captures last, leaving the last slots free', async () => {
    await enqueue(setup(1), post(1), page(1));
    expect(await claim(1)).toEqual(['incident.setup 1']);
    expect(await claim(1)).toEqual(['pagerduty.event 1']);
    await outbox().complete(await claimOf('incident.setup'), AT);
    await outbox().complete(await claimOf('pagerduty.event'), AT);
    for (let i = 1; i <= 12; i++) await outbox().enqueue(capture(`${i}.000100`), later(i));
    // A worker of 64 slots keeps 8 for the foreground: a claim of 8 takes no capture, one of 10 two.
    expect(await claim(8, later(100), 64)).toEqual(['slack.post 1']);
    expect(await claim(10, later(100), 64)).toEqual(['timeline.reconcile 1', 'timeline.reconcile 1']);
    expect((await rows()).filter((r) => r.status === 'running').map((r) => (r.payload as { messageTs?: string }).messageTs)).toEqual([undefined, '1.000100', '2.000100']);
  });

  it('holds nothing up for an urgent job that waits behind an earlier one of its queue: a page’s next event behind a trigger PagerDuty refuses', async () => {
    await enqueue(page(1), page(1), post(2));
    expect(await claim(1)).toEqual(['pagerduty.event 1']);
    // The trigger is retried in a minute; the next event of its dedup key is due but waits behind it.
    await outbox().retryAt(await claimOf('pagerduty.event'), later(60_000), 'PagerDuty answered 503');
    expect(await claim(10, later(1))).toEqual(['slack.post 2']);
    // Once the trigger is due again, urgent work goes first once more.
    await enqueue(post(3));
    expect(await claim(10, later(60_000))).toEqual(['pagerduty.event 1']);
  });

  it('keeps the notices of alert groups without an incident apart: one being retried holds up only its own group’s', async () => {
    await enqueue(notice(1), notice(2), notice(1));
    expect(await claim()).toEqual(['alert.post null', 'alert.post null']);
    const [first, second] = await rows();
    await outbox().retryAt(first!, later(60_000), 'is_archived');
    await outbox().complete(second!, later(1));
    await enqueue(notice(2));
    // Group 2's next notice goes; group 1's waits behind its retry.
    expect((await outbox().claim(later(2), LEASE, 10)).map((j) => (j.payload as { notice: { groupId: number } }).notice.groupId)).toEqual([2]);
  });

  it('lets a job go to another claim only once its lease has run out, and renews only the attempt claimed', async () => {
    await enqueue(post(1), post(2));
    const claimed = await outbox().claim(AT, LEASE, 10);
    expect(await claim(10, later(LEASE - 1))).toEqual([]);
    // Still running here: its lease moves on. The job of a process that died does not.
    await outbox().renewLeases([{ id: claimed.find((j) => j.incidentId === 1)!.id, attempts: 1 }], later(LEASE - 1), 3 * LEASE);
    const [taken] = await outbox().claim(later(LEASE + 1), LEASE, 10);
    expect(taken).toMatchObject({ incidentId: 2, attempts: 2 });
    // The first attempt's process is still about: renewing its stale attempt takes nothing back.
    await outbox().renewLeases([{ id: taken!.id, attempts: 1 }], later(LEASE + 2), 10 * LEASE);
    const [again, ...others] = await outbox().claim(later(2 * LEASE + 2), LEASE, 10);
    expect([again, others]).toEqual([expect.objectContaining({ incidentId: 2, attempts: 3 }), []]);
    await outbox().complete(again!, later(2 * LEASE + 3));
    expect(await claim(10, later(4 * LEASE - 2))).toEqual([]);
    expect(await claim(10, later(4 * LEASE))).toEqual(['slack.post 1']);
  });

  it('records an outcome only for the attempt that holds the job: an earlier one, taken over, finishes and requeues nothing', async () => {
    await enqueue(post(1));
    const [first] = await outbox().claim(AT, LEASE, 10);
    // Its lease runs out while its process is still at it: another claim takes the job.
    const [second] = await outbox().claim(later(LEASE + 1), LEASE, 10);
    expect(second).toMatchObject({ id: first!.id, attempts: 2 });
    expect(await outbox().retryAt(first!, later(LEASE + 2), 'ratelimited')).toBe(false);
    expect(await outbox().complete(first!, later(LEASE + 2))).toBe(false);
    expect(await outbox().giveUp(first!, later(LEASE + 2), 'channel_not_found')).toBe(false);
    expect((await rows()).map((r) => [r.status, r.attempts, r.lastError])).toEqual([['running', 2, null]]);
    // Requeued, it would be claimed beside the attempt still running.
    expect(await claim(10, later(LEASE + 3))).toEqual([]);
    expect(await outbox().complete(second!, later(LEASE + 4))).toBe(true);
    expect((await rows())[0]).toMatchObject({ status: 'done', finishedAt: later(LEASE + 4) });
    // Done is done: a late outcome of either attempt changes nothing.
    expect(await outbox().retryAt(second!, later(LEASE + 5), 'late')).toBe(false);
    expect((await rows())[0]).toMatchObject({ status: 'done', lastError: null });
  });

  it('never hands one job to two claims made at once', async () => {
    for (let i = 1; i <= 30; i++) await outbox().enqueue(post(i), AT);
    const claims = await Promise.all(Array.from({ length: 6 }, () => outbox().claim(AT, LEASE, 7)));
    // Claims that meet may each pass over what the other holds: what is left is taken next.
    const rest = await outbox().claim(AT, LEASE, 30);
    const ids = [...claims.flat(), ...rest].map((j) => j.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });

  it('completes, retries later, or gives up, each freeing or holding the queue as it says', async () => {
    await enqueue(post(1), sync(1), post(2), sync(2));
    await claim();
    const [first, , second] = await rows();
    await outbox().retryAt(first!, later(30_000), 'ratelimited');
    await outbox().giveUp(second!, later(1), 'channel_not_found');
    expect((await rows()).map((r) => [r.kind, r.incidentId, r.status, r.lastError])).toEqual([
      ['slack.post', 1, 'pending', 'ratelimited'],
      ['incident.sync', 1, 'pending', null],
      ['slack.post', 2, 'failed', 'channel_not_found'],
      ['incident.sync', 2, 'pending', null],
    ]);
    // The retry is not due yet and still holds its queue; a job given up holds nothing.
    expect(await claim(10, later(29_999))).toEqual(['incident.sync 2']);
    const [retried] = await outbox().claim(later(30_000), LEASE, 10);
    expect(retried).toMatchObject({ kind: 'slack.post', incidentId: 1, attempts: 2 });
    await outbox().complete(retried!, later(30_001));
    expect((await rows())[0]).toMatchObject({ status: 'done', lastError: null, leaseUntil: null, finishedAt: later(30_001) });
    expect(await claim(10, later(30_002))).toEqual(['incident.sync 1']);
  });

  it('counts the jobs that could start now and those under a live lease', async () => {
    expect(await outbox().activity(AT)).toEqual({ due: 0, running: 0 });
    await enqueue(post(1), sync(1), post(2));
    await outbox().enqueue(post(3), later(10_000));
    // Due: the first of each queue; incident 3's job is not due yet.
    expect(await outbox().activity(later(1))).toEqual({ due: 2, running: 0 });
    await claim(1, later(1));
    expect(await outbox().activity(later(2))).toEqual({ due: 1, running: 1 });
    expect(await outbox().activity(later(10_000))).toEqual({ due: 2, running: 1 });
    // A lease run out counts as neither: its process is gone.
    expect(await outbox().activity(later(LEASE + 2))).toEqual({ due: 2, running: 0 });
  });
});
