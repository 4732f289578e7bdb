/**
 * Leases: a job slower than its lease (Slack slow, its own retries) stays
 * with the live process running it, renewed while it runs, and is taken over
 * only when that process has died (its lease then runs out).
 */
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/client.js';
import type { ClaimedJob } from '../../../src/db/outbox.repo.js';
import { createRepositories, type Store } from '../../../src/db/repositories.js';
import { RetrySoon } from '../../../src/effects/failures.js';
import { DEFAULT_OUTBOX_OPTIONS, OutboxWorker, type JobHandler } from '../../../src/effects/outbox-worker.js';

const LEASE_MS = 150;
let db: Db | undefined;
afterEach(() => db?.$client.close());

function worker(outbox: Store['outbox'], name: string, runs: string[], takesMs: number): OutboxWorker {
  const handler = async (job: ClaimedJob) => {
    runs.push(`${name}:${job.id}`);
    await new Promise((r) => setTimeout(r, takesMs));
  };
  return workerWith(outbox, handler);
}

function workerWith(outbox: Store['outbox'], handler: JobHandler): OutboxWorker {
  return new OutboxWorker(outbox, { 'incident.sync': handler }, async () => undefined, { now: () => new Date() }, pino({ level: 'silent' }), {
    ...DEFAULT_OUTBOX_OPTIONS,
    pollMs: 10,
    leaseMs: LEASE_MS,
  });
}

it('keeps a job that runs four leases long with the live process: run once, not taken over', async () => {
  db = openDatabase(':memory:');
  const { outbox } = createRepositories(db);
  const runs: string[] = [];
  const a = worker(outbox, 'a', runs, LEASE_MS * 4);
  const b = worker(outbox, 'b', runs, 0);
  await outbox.enqueue({ kind: 'incident.sync', incidentId: 1, payload: {} }, new Date());
  a.start();
  await expect.poll(() => runs).toEqual(['a:1']);
  b.start();
  await expect.poll(async () => (await outbox.list()).map((j) => j.status), { timeout: 5_000 }).toEqual(['done']);
  expect(runs).toEqual(['a:1']);
  await Promise.all([a.stop(), b.stop()]);
});

it('hands the job of a process that died to another once its lease has run out', async () => {
  db = openDatabase(':memory:');
  const { outbox } = createRepositories(db);
  const runs: string[] = [];
  const a = worker(outbox, 'a', runs, 60_000);
  const b = worker(outbox, 'b', runs, 0);
  await outbox.enqueue({ kind: 'incident.sync', incidentId: 1, payload: {} }, new Date());
  a.start();
  await expect.poll(() => runs).toEqual(['a:1']);
  a.halt(); // as a crash: no more renewals
  b.start();
  await expect.poll(async () => (await outbox.list()).map((j) => j.status), { timeout: 5_000 }).toEqual(['done']);
  expect(runs).toEqual(['a:1', 'b:1']);
  await b.stop();
});

it('runs a job once when its own late renewals let the lease run out and it claims the job back', async () => {
  db = openDatabase(':memory:');
  const { outbox } = createRepositories(db);
  // Renewals that never land, as on a machine too busy to run the renewal timer in time.
  const late: Store['outbox'] = { ...outbox, renewLeases: async () => undefined };
  const runs: string[] = [];
  const a = worker(late, 'a', runs, LEASE_MS * 4);
  await outbox.enqueue({ kind: 'incident.sync', incidentId: 1, payload: {} }, new Date());
  a.start();
  await expect.poll(async () => (await outbox.list()).map((j) => j.status), { timeout: 5_000 }).toEqual(['done']);
  expect(runs).toEqual(['a:1']);
  await a.stop();
});

it('leaves the outcome to the attempt that took a job over: the first attempt failing late queues no third run beside it', async () => {
  db = openDatabase(':memory:');
  const { outbox } = createRepositories(db);
  const runs: string[] = [];
  // a's renewals never land: its run outlasts the lease, b takes the job over, and then a's run fails.
  // (Renewals late behind a busy event loop, or a stop whose last job outlives its lease.)
  const late: Store['outbox'] = { ...outbox, renewLeases: async () => undefined };
  const a = workerWith(late, async (job) => {
    runs.push(`a:${job.attempts}`);
    await new Promise((r) => setTimeout(r, LEASE_MS * 4));
    throw new RetrySoon('Slack answered too slowly', 1);
  });
  const b = workerWith(outbox, async (job) => {
    runs.push(`b:${job.attempts}`);
    await new Promise((r) => setTimeout(r, LEASE_MS * 6));
  });
  await outbox.enqueue({ kind: 'incident.sync', incidentId: 1, payload: {} }, new Date());
  a.start();
  await expect.poll(() => runs).toEqual(['a:1']);
  // a stops taking work (a SIGTERM, say) and finishes what it runs: b is the only one left to claim.
  const aStopped = a.stop();
  b.start();
  await expect.poll(() => runs).toEqual(['a:1', 'b:2']);
  await expect.poll(async () => (await outbox.list()).map((j) => [j.status, j.attempts]), { timeout: 5_000 }).toEqual([['done', 2]]);
  // Requeued by a's retry, the job would have been claimed a third time while b still ran it.
  await new Promise((r) => setTimeout(r, LEASE_MS * 2));
  expect(runs).toEqual(['a:1', 'b:2']);
  await Promise.all([aStopped, b.stop()]);
});

it('runs a job again at once when its retry is due before the failed run has finished its bookkeeping', async () => {
  db = openDatabase(':memory:');
  const { outbox } = createRepositories(db);
  const attempts: number[] = [];
  let w: OutboxWorker | undefined;
  // The retry is recorded and due at once (RetrySoon, no wait); the worker claims it again before
  // the failed run has returned, as a busy event loop lets happen. That claim was taken for a
  // lease the run still held, and the job was left running, unrun, until its lease ran out.
  const racing: Store['outbox'] = Object.assign(Object.create(outbox) as Store['outbox'], {
    retryAt: async (...args: Parameters<Store['outbox']['retryAt']>) => {
      const recorded = await outbox.retryAt(...args);
      w!.kick();
      await new Promise((r) => setTimeout(r, 50));
      return recorded;
    },
  });
  w = new OutboxWorker(
    racing,
    {
      'incident.sync': async (job) => {
        attempts.push(job.attempts);
        if (job.attempts === 1) throw new RetrySoon('not yet', 0);
      },
    },
    async () => undefined,
    { now: () => new Date() },
    pino({ level: 'silent' }),
    // A lease far longer than the test: the second run must not wait for it.
    { ...DEFAULT_OUTBOX_OPTIONS, pollMs: 10, leaseMs: 60_000 },
  );
  await outbox.enqueue({ kind: 'incident.sync', incidentId: 1, payload: {} }, new Date());
  w.start();
  await expect.poll(async () => (await outbox.list()).map((j) => j.status), { timeout: 2_000 }).toEqual(['done']);
  expect(attempts).toEqual([1, 2]);
  await w.stop();
});
