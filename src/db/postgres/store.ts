/**
 * The PostgreSQL store: the same `Store` as ../sqlite-store.ts over a pool.
 *
 * Unlike SQLite's one connection, the pool runs transactions side by side:
 * each gets a connection of its own, and calls outside any transaction go on
 * whichever connection is free, never waiting for an open transaction. So
 * each transaction (and each savepoint in it) gets its own view of the store,
 * with repositories bound to its connection and its own list of what runs
 * after commit; the decorators are applied to each view as it is made.
 */
import type { AfterCommit, Store, StoreDecorator } from '../store.js';
import type { PgExecutor } from './executor.js';
import { postgresRepositories } from './repositories.js';

/** Runs `fn` at once: what a view outside any transaction does with after-commit work. */
const runNow: AfterCommit = (fn) => fn();

/** The store over `db` (the pool's database); `decorators` see its view and each transaction's. */
export function postgresStore(db: PgExecutor, decorators: readonly StoreDecorator[] = []): Store {
  const view = (executor: PgExecutor, afterCommit: AfterCommit): Store => {
    const repos = postgresRepositories(executor);
    for (const decorate of decorators) decorate(repos, afterCommit);
    return Object.assign(repos, { transaction: transactionOn(executor, afterCommit), afterCommit });
  };

  /**
   * A transaction on `executor`: BEGIN on the pool, a savepoint inside a
   * transaction (drizzle's own nesting). What `fn` leaves to run after commit
   * is kept apart until it has committed (or released its savepoint), then
   * handed to `parent`: run at once at the top, joined to the enclosing
   * transaction's list inside one. A rollback drops it. The list is begun
   * afresh at each run of `fn`: a transaction run again after a deadlock
   * (client.ts) would otherwise keep what its rolled-back run left, and count
   * a declaration twice or kick the outbox for a job never committed.
   */
  const transactionOn =
    (executor: PgExecutor, parent: AfterCommit): Store['transaction'] =>
    async (fn) => {
      let mine: (() => void)[] = [];
      const result = await executor.transaction((tx) => {
        const run: (() => void)[] = (mine = []);
        return fn(view(tx, (after) => void run.push(after)));
      });
      for (const after of mine) parent(after);
      return result;
    };

  return view(db, runNow);
}
