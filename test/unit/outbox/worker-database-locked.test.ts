/**
 * The outbox worker when its database refuses it for a while (a long write
 * elsewhere holding the lock past the busy timeout): the claim and the
 * bookkeeping after a delivery both fail with SQLITE_BUSY. The worker must
 * neither die (a throw from its drain ended the outbox thread) nor lose or
 * double the job: it is delivered once the lock is gone.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/client.js';
import { createRepositories } from '../../../src/db/repositories.js';
import { DEFAULT_OUTBOX_OPTIONS, OutboxWorker } from '../../../src/effects/outbox-worker.js';

const dirs: string[] = [];
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function lockedDatabase(): { db: Db; lock(): void; unlock(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-locked-'));
  dirs.push(dir);
  const file = join(dir, 'incidents.db');
  const db = openDatabase(file);
  // Fail fast rather than after the production 5 s: the failure is the same SQLITE_BUSY.
  db.$client.pragma('busy_timeout = 20');
  const other = new Database(file);
  other.pragma('busy_timeout = 20');
  closers.push(() => other.close(), () => db.$client.close());
  return { db, lock: () => other.exec('BEGIN EXCLUSIVE'), unlock: () => other.exec('COMMIT') };
}

it('keeps going through a locked database, and delivers every job once the lock is gone', async () => {
  const { db, lock, unlock } = lockedDatabase();
  const { outbox } = createRepositories(db);
  const delivered: number[] = [];
  let lockAfterDelivery = false;
  const worker = new OutboxWorker(
    outbox,
    {
      'incident.sync': async (job) => {
        delivered.push(job.id);
        // The lock arrives while the job is with Slack: its completion cannot be recorded.
        if (lockAfterDelivery) {
          lockAfterDelivery = false;
          lock();
        }
      },
    },
    async () => undefined,
    { now: () => new Date() },
    pino({ level: 'silent' }),
    { ...DEFAULT_OUTBOX_OPTIONS, pollMs: 10, leaseMs: 200 },
  );
  // Locked before the first claim: the drain fails; the worker must still be there after.
  await outbox.enqueue({ kind: 'incident.sync', incidentId: 1, payload: {} }, new Date());
  lock();
  worker.start();
  await new Promise((r) => setTimeout(r, 100));
  expect(delivered).toEqual([]);
  unlock();
  await expect.poll(() => delivered, { timeout: 5_000 }).toEqual([1]);
  await expect.poll(async () => (await outbox.list()).map((j) => j.status), { timeout: 5_000 }).toEqual(['done']);

  // Locked between the delivery and its bookkeeping: left claimed, and run again once its lease has
  // ended (handlers find what an earlier attempt did: see post-notice.ts), then recorded done.
  lockAfterDelivery = true;
  await outbox.enqueue({ kind: 'incident.sync', incidentId: 2, payload: {} }, new Date());
  worker.kick();
  await expect.poll(() => delivered, { timeout: 5_000 }).toEqual([1, 2]);
  await new Promise((r) => setTimeout(r, 100));
  unlock();
  await expect.poll(async () => (await outbox.list()).map((j) => j.status), { timeout: 5_000 }).toEqual(['done', 'done']);
  expect(delivered).toEqual([1, 2, 2]);
  await worker.stop();
});
