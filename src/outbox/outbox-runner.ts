import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { setAutoCheckpoint, type Db } from '../db/client.js';
import type { Clock } from '../domain/ports.js';
import type { OutboxQueue, OutboxWorker } from '../effects/outbox-worker.js';
import type { OutboxThreadData } from './outbox-thread.js';
import { outboxThreadBundle } from './thread-bundle.js';

/** Runs outbox jobs, in this thread or another; the listeners only kick it. */
export interface OutboxRunner {
  /** Resolves once jobs are being taken. */
  start(): Promise<void>;
  /** Work was queued: look for it now rather than at the next poll. */
  kick(): void;
  /** Resolves once nothing is running and nothing is due within `horizonMs` (tests, demo, shutdown). */
  idle(timeoutMs?: number, horizonMs?: number): Promise<void>;
  stop(): Promise<void>;
  /** Stops at once, jobs mid-run, as a crash would: their leases are left to run out. */
  terminate(): Promise<void>;
}

/** Same-thread runner: used where a test drives time with a simulated clock. */
export function inlineOutbox(worker: OutboxWorker): OutboxRunner {
  return {
    start: async () => worker.start(),
    kick: () => worker.kick(),
    idle: (timeoutMs, horizonMs) => worker.idle(timeoutMs, horizonMs),
    stop: () => worker.stop(),
    terminate: async () => worker.halt(),
  };
}

/** Waits, reading the shared database, until no job is due or running. */
async function waitUntilIdle(store: Pick<OutboxQueue, 'activity'>, clock: Clock, timeoutMs: number, horizonMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = clock.now();
    const current = await store.activity(now);
    const { running } = current;
    const later = horizonMs === 0 ? current : await store.activity(new Date(now.getTime() + horizonMs));
    const { due } = later;
    // A job claimed between the two reads is in neither's `due`: the second's `running` sees it
    // (a round trip apart on PostgreSQL, so it happens there).
    if (due === 0 && running === 0 && later.running === 0) return;
    if (Date.now() > deadline) throw new Error(`outbox still busy after ${timeoutMs} ms (${due} due, ${running} running)`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The runner used by `npm start`: the outbox worker on a thread of its own.
 * While that thread runs, it also checkpoints the WAL for `listenerDb`, the
 * listeners' connection on SQLite (see setAutoCheckpoint).
 */
export function threadedOutbox(data: OutboxThreadData, listenerDb: Db | undefined, store: Pick<OutboxQueue, 'activity'>, clock: Clock, logger: Logger): OutboxRunner {
  let thread: Worker | undefined;
  let kickPending = false;
  return {
    async start() {
      // The thread's module graph is TypeScript: it runs from one bundle of it
      // (thread-bundle.ts), whatever started this process (tsx, vitest).
      const bundle = await outboxThreadBundle();
      logger.debug({ source: bundle.source, ms: Math.round(bundle.ms) }, 'outbox thread bundle ready');
      // Its stack traces name our TypeScript files, not lines of the bundle.
      const execArgv = process.execArgv.includes('--enable-source-maps') ? process.execArgv : [...process.execArgv, '--enable-source-maps'];
      const t = new Worker(bundle.url, { workerData: data, execArgv });
      thread = t;
      t.on('error', (error) => logger.error({ err: error }, 'outbox thread failed'));
      await new Promise<void>((resolve, reject) => {
        t.once('message', () => resolve());
        t.once('error', reject);
      });
      t.unref();
      // SQLite only: PostgreSQL has no WAL of ours to checkpoint.
      if (listenerDb) {
        setAutoCheckpoint(listenerDb, false);
        // Without the thread, nobody else would checkpoint: the listeners' connection does again.
        t.once('exit', () => {
          if (listenerDb.$client.open) setAutoCheckpoint(listenerDb, true);
        });
      }
    },
    kick() {
      if (!thread || kickPending) return;
      kickPending = true;
      // After the current transaction has committed, once per tick however many jobs were queued.
      setImmediate(() => {
        kickPending = false;
        thread?.postMessage('kick');
      });
    },
    idle: (timeoutMs = 10_000, horizonMs = 0) => waitUntilIdle(store, clock, timeoutMs, horizonMs),
    async stop() {
      const t = thread;
      if (!t) return;
      thread = undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 15_000);
        t.once('message', () => {
          clearTimeout(timer);
          resolve();
        });
        t.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        t.postMessage('stop');
      });
      await t.terminate();
    },
    async terminate() {
      const t = thread;
      thread = undefined;
      await t?.terminate();
    },
  };
}
