import type { OutboxJob, Deps } from '../domain/ports.js';

/**
 * Records the notifications of webhooks that arrive together in one
 * transaction, then answers each. In a storm the outbox thread holds
 * SQLite's write lock for a few milliseconds at a time (declaring, applying
 * alerts), and a write that finds it held waits in SQLite's busy handler,
 * which sleeps a millisecond or more whatever the wait: fifty inserts of one
 * wave each paid that. Those whose bodies were read in the same turn of the
 * event loop now pay it once. Nothing is answered before its row committed.
 */
export class BatchedRecorder {
  private pending: { job: OutboxJob; done: (error?: unknown) => void }[] = [];

  constructor(private readonly deps: Deps) {}

  /** Resolves once `job` has committed; rejects if the transaction failed (nothing recorded). */
  record(job: OutboxJob): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => void this.flush());
      this.pending.push({ job, done: (error) => (error === undefined ? resolve() : reject(error)) });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const now = this.deps.clock.now();
    try {
      await this.deps.repos.transaction(async (repos) => {
        for (const { job } of batch) await repos.outbox.enqueue(job, now);
      });
    } catch (error) {
      for (const { done } of batch) done(error);
      return;
    }
    for (const { done } of batch) done();
  }
}
