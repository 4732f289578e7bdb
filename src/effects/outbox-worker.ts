import type { Logger } from 'pino';
import type { Clock } from '../domain/ports.js';
import type { Claim, ClaimedJob } from '../db/outbox.repo.js';
import type { Store } from '../db/store.js';
import { countJobGivenUp, observeJobDone } from '../metrics/outbox.js';
import { describeFailure, isTransient, retryAfterMs, RetrySoon } from './failures.js';

export type JobHandler = (job: ClaimedJob) => Promise<void>;

/** Logged when an attempt ends after its lease ran out and another claim took the job over (see Claim). */
const SUPERSEDED = 'outbox job ended after another claim took it over; its outcome is left to that attempt';

/** What the worker (and the runner waiting for it) asks of the outbox table. */
export type OutboxQueue = Pick<Store['outbox'], 'claim' | 'complete' | 'retryAt' | 'giveUp' | 'renewLeases' | 'activity'>;

export interface OutboxWorkerOptions {
  /** How long a claimed job is ours before another process may take it over. */
  readonly leaseMs: number;
  /** How often to look for jobs whose retry time has come. */
  readonly pollMs: number;
  /** Jobs run at once (across incidents; one incident's jobs always run in order). */
  readonly concurrency: number;
  /** After this long, a job that still fails is given up and reported. */
  readonly giveUpAfterMs: number;
  /** First retry delay; doubles each attempt, capped at maxBackoffMs. */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxWorkerOptions = {
  leaseMs: 60_000,
  pollMs: 1_000,
  concurrency: 64,
  giveUpAfterMs: 60 * 60_000,
  baseBackoffMs: 1_000,
  maxBackoffMs: 5 * 60_000,
};

/**
 * Delivers outbox jobs. Jobs are written in the same transaction as the
 * decision that needs them, so a crash at any point loses nothing: on start,
 * pending jobs are picked up, and a job whose process died mid-run is taken
 * over when its lease ends.
 */
export class OutboxWorker {
  private inFlight = new Set<Promise<void>>();
  /** The jobs running here, by id, with the attempt this process claimed (see renewLeases). */
  private running = new Map<number, { id: number; attempts: number }>();
  private timer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private scheduled = false;
  /** The claim under way: one at a time, since the room it fills is counted before it answers. */
  private claiming: Promise<void> | undefined;
  /** Work was queued (or a slot freed) while a claim was under way: look again once it is done. */
  private kickedWhileClaiming = false;
  private stopped = true;

  constructor(
    private readonly store: OutboxQueue,
    private readonly handlers: Record<string, JobHandler>,
    private readonly onGiveUp: (job: ClaimedJob, error: unknown) => Promise<void>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: OutboxWorkerOptions = DEFAULT_OUTBOX_OPTIONS,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
    // A job slower than its lease (Slack slow, retries) must not be taken again while it runs:
    // renewed three times a lease, a live process keeps its jobs; a dead one loses them.
    this.leaseTimer = setInterval(() => {
      // A timer's tick, not awaited: what fails is logged and the next tick tries again.
      void this.renewLeases().catch((error: unknown) => this.logger.warn({ err: error }, 'could not renew the leases of running outbox jobs; trying again shortly'));
    }, Math.max(10, Math.floor(this.options.leaseMs / 3)));
    this.leaseTimer.unref();
    this.kick();
  }

  /** Looks for work soon (after the current transaction has committed). */
  kick(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.kickedWhileClaiming = true;
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped || this.claiming) return;
      this.claiming = this.drain()
        .catch((error: unknown) => this.logger.error({ err: error }, 'outbox claim failed; trying again at the next poll'))
        .finally(() => {
          this.claiming = undefined;
          if (this.kickedWhileClaiming) {
            this.kickedWhileClaiming = false;
            this.kick();
          }
        });
    });
  }

  /** Claims what there is room for and starts it; a claim that fails is tried again at the next poll. */
  private async drain(): Promise<void> {
    const room = this.options.concurrency - this.inFlight.size;
    if (room <= 0) return;
    let jobs: ClaimedJob[];
    try {
      // With the concurrency, the claim keeps a few slots free of timeline captures (foregroundReserve).
      jobs = await this.store.claim(this.clock.now(), this.options.leaseMs, room, this.options.concurrency);
    } catch (error) {
      // A database locked past its busy timeout (a backup, another process): the next poll tries again.
      // Thrown from here it would end the outbox thread, and nothing would be delivered until a restart.
      this.logger.warn({ err: error }, 'could not claim outbox jobs; trying again at the next poll');
      return;
    }
    // Claimed as a stop began: run them all the same (stop waits for this claim, then for them),
    // rather than leave them leased and untouched until their leases run out.
    for (const job of jobs) {
      const here = this.running.get(job.id);
      if (here) {
        // Its lease ran out while it ran here (renewals late behind a busy event loop) and this
        // claim took it back: one run of it is enough. Renew under the attempt just claimed.
        here.attempts = job.attempts;
        continue;
      }
      const entry = { id: job.id, attempts: job.attempts };
      this.running.set(job.id, entry);
      const run = this.run(job).finally(() => {
        // Only its own: run() let go of it before recording the outcome, and a claim since may hold the next.
        if (this.running.get(job.id) === entry) this.running.delete(job.id);
        this.inFlight.delete(run);
        this.kick();
      });
      this.inFlight.add(run);
    }
  }

  private async renewLeases(): Promise<void> {
    if (this.running.size === 0) return;
    await this.store.renewLeases([...this.running.values()], this.clock.now(), this.options.leaseMs);
  }

  /** Never rejects: what cannot be recorded is left to the lease (see below). */
  private async run(job: ClaimedJob): Promise<void> {
    const log = this.logger.child({ jobId: job.id, kind: job.kind, incidentId: job.incidentId, attempt: job.attempts });
    const handler = this.handlers[job.kind];
    let failure: { error: unknown } | undefined;
    try {
      if (!handler) throw new Error(`no handler for outbox job kind ${job.kind}`);
      await handler(job);
    } catch (error) {
      failure = { error };
    }
    // This process's current claim of the job: a claim that took it back while it ran here renewed it (drain).
    const claim = this.running.get(job.id) ?? job;
    // No longer running here once its outcome is being recorded: a retry due at once (RetrySoon)
    // can be claimed again before this returns, and drain would read a run still in `running`
    // as this one under a lapsed lease, and leave the new attempt unrun until its lease ran out.
    this.running.delete(job.id);
    try {
      if (failure) await this.recordFailure(job, claim, failure.error, log);
      else {
        const done = this.clock.now();
        if (await this.store.complete(claim, done)) {
          observeJobDone(job, done);
          log.debug('outbox job done');
        } else log.info(SUPERSEDED);
      }
    } catch (error) {
      // The database refused the bookkeeping (locked, full): the job stays claimed, its lease runs
      // out and it runs again. Handlers look for what an earlier attempt did, so nothing doubles.
      log.error({ err: error, handlerFailed: failure !== undefined }, 'could not record the outcome of an outbox job; it runs again when its lease ends');
    }
  }

  private async recordFailure(job: ClaimedJob, claim: Claim, error: unknown, log: Logger): Promise<void> {
    const now = this.clock.now();
    const expired = now.getTime() - job.createdAt.getTime() >= this.options.giveUpAfterMs;
    if (isTransient(error) && !expired) {
      const backoff = Math.min(this.options.baseBackoffMs * 2 ** (job.attempts - 1), this.options.maxBackoffMs);
      const delay = error instanceof RetrySoon ? error.delayMs : Math.max(backoff, retryAfterMs(error) ?? 0);
      if (!(await this.store.retryAt(claim, new Date(now.getTime() + delay), describeFailure(error)))) {
        log.info({ err: error }, SUPERSEDED);
        return;
      }
      if (error instanceof RetrySoon) log.debug({ retryInMs: delay, reason: error.message }, 'outbox job waits');
      else log.warn({ err: error, retryInMs: delay }, 'outbox job failed; will retry');
      return;
    }
    if (!(await this.store.giveUp(claim, now, describeFailure(error)))) {
      log.info({ err: error }, SUPERSEDED);
      return;
    }
    countJobGivenUp(job);
    log.error({ err: error }, 'outbox job given up');
    await this.onGiveUp(job, error).catch((e: unknown) => log.error({ err: e }, 'could not report a failed job'));
  }

  /**
   * Resolves once nothing is running and nothing is due within `horizonMs`
   * (tests, demo, shutdown); a job waiting a moment (RetrySoon) counts as due.
   */
  async idle(timeoutMs = 10_000, horizonMs = 0): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { due } = await this.store.activity(new Date(this.clock.now().getTime() + horizonMs));
      // A claim under way has taken its jobs out of `due` but not yet put them in inFlight.
      if (this.inFlight.size === 0 && !this.claiming && due === 0) return;
      if (Date.now() > deadline) throw new Error(`outbox still busy after ${timeoutMs} ms (${due} due, ${this.inFlight.size} running)`);
      this.kick();
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Takes no more work and waits for what runs, still renewing its leases meanwhile. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    // A claim under way adds its jobs to inFlight when it answers: wait for it first.
    await this.claiming;
    await Promise.allSettled([...this.inFlight]);
    this.halt();
  }

  /** Stops taking work without waiting for what runs (a crash, as far as the outbox can tell). */
  halt(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
  }
}
