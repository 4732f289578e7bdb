import { openDatabase } from '../../src/db/client.js';
import { createRepositories } from '../../src/db/repositories.js';
import type { Store, StoreDecorator } from '../../src/db/store.js';
import type { Deps, OutboxJob } from '../../src/domain/ports.js';
import { DEFAULT_ERROR_BUDGET_POLICY } from '../../src/slo/policy.js';
import { FixedClock } from './fixed-clock.js';

/**
 * A real SQLite database in memory, migrated from migrations/, with a fixed
 * clock. `decorators` see the store and every transaction's view of it, as
 * the bot's own do.
 */
export function memoryDeps(decorators: readonly StoreDecorator[] = []): Deps & { clock: FixedClock; store: Store } {
  const store = createRepositories(openDatabase(':memory:'), decorators);
  return { repos: store, store, clock: new FixedClock(), timeZone: 'UTC', paging: { services: [], pageSeverities: ['sev1', 'sev2'] }, slo: { catalog: { slos: [] }, policy: DEFAULT_ERROR_BUDGET_POLICY } };
}

/**
 * Notes every job queued, from inside a transaction or not, as it is
 * queued: a job of a transaction that rolls back is noted too.
 */
export function noteQueuedJobs(jobs: OutboxJob[]): StoreDecorator {
  return (repos) => {
    const enqueue = repos.outbox.enqueue;
    repos.outbox.enqueue = (job, now) => {
      jobs.push(job);
      return enqueue(job, now);
    };
  };
}
