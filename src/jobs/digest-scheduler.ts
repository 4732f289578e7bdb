import type { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Clock } from '../domain/ports.js';
import { cronSchedule } from './cron-pattern.js';
import type { DigestOutcome, DigestRunner } from './digest-runner.js';
import { StoppingError } from './stoppable-gateway.js';

/** A period older than this when first seen is not posted late: nobody wants last week's digest. */
const CATCH_UP_MS = 24 * 60 * 60_000;

/**
 * Decides when a digest is due. croner reads the cron expression in the
 * team's time zone (daylight-saving changes included); every check asks for
 * the latest tick at or before now, and its instant names the period. A
 * double fire, a restart or a clock that jumps back finds the same period
 * already claimed or done; a clock that jumps forward posts the latest
 * period only.
 */
export class DigestScheduler {
  private readonly cron: Cron;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    expression: string,
    timeZone: string,
    private readonly runner: DigestRunner,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.cron = cronSchedule(expression, timeZone);
  }

  /** The latest tick at or before `now` within the catch-up window. */
  latestTick(now: Date): Date | undefined {
    let tick = this.cron.nextRun(new Date(now.getTime() - CATCH_UP_MS));
    let latest: Date | undefined;
    while (tick && tick.getTime() <= now.getTime()) {
      latest = tick;
      tick = this.cron.nextRun(tick);
    }
    return latest;
  }

  nextTick(after: Date): Date | undefined {
    return this.cron.nextRun(after) ?? undefined;
  }

  /** Runs the due period, if any; one check at a time in this process. */
  check(): Promise<DigestOutcome | 'not-due'> {
    const next = this.running.then(async () => {
      const tick = this.latestTick(this.clock.now());
      if (!tick) return 'not-due' as const;
      return this.runner.runPeriod(tick.toISOString(), tick);
    });
    this.running = next.catch((error: unknown) => {
      if (error instanceof StoppingError) this.logger.info('digest ended by the stop; the next start resumes it');
      else this.logger.error({ err: error }, 'digest failed; the next check resumes it');
    });
    return next;
  }

  start(everyMs = 30_000): void {
    this.timer = setInterval(() => void this.check().catch(() => undefined), everyMs);
    this.timer.unref();
    void this.check().catch(() => undefined);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
