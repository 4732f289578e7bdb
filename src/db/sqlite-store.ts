/**
 * The SQLite store: synchronous repositories behind promises, and
 * transactions that may await.
 *
 * One connection has one transaction at a time, and a transaction's `fn`
 * awaits between statements, so anything else this process runs on the
 * connection meanwhile would land inside it (and be rolled back with it).
 * So a transaction holds the connection's lock from BEGIN to COMMIT, and a
 * call from outside any transaction waits while the lock is held. When it is
 * free, which is nearly always (a transaction lasts well under a
 * millisecond), the call runs at once, as it did when the repositories were
 * called directly.
 */
import type { Db } from './client.js';
import type { AfterCommit, AsyncRepo, Repos, Store, StoreDecorator } from './store.js';

type SyncRepos = { readonly [name: string]: object };

/** A first-come lock without a timer: acquiring a free one costs nothing but a resolved promise. */
class ConnectionLock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  acquire(): Promise<void> | undefined {
    if (!this.held) {
      this.held = true;
      return undefined;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

function lift<R extends object>(repo: R, run: <T>(call: () => T) => Promise<T>): AsyncRepo<R> {
  const lifted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repo)) {
    if (typeof value !== 'function' || value.constructor.name === 'AsyncGeneratorFunction') {
      // A stream reads one batch per step, each a single statement: it is not held to the lock.
      lifted[name] = value;
      continue;
    }
    lifted[name] = (...args: unknown[]) => run(() => (value as (...a: unknown[]) => unknown).apply(repo, args));
  }
  return lifted as AsyncRepo<R>;
}

function liftAll(repos: SyncRepos, run: <T>(call: () => T) => Promise<T>): Repos {
  const lifted: Record<string, unknown> = {};
  for (const [name, repo] of Object.entries(repos)) lifted[name] = lift(repo, run);
  return lifted as Repos;
}

/** The store over `db`'s connection; `decorators` see both the store and its transactions' view. */
export function sqliteStore(db: Db, repos: SyncRepos, decorators: readonly StoreDecorator[]): Store {
  const client = db.$client;
  const lock = new ConnectionLock();
  // What runs after the outermost commit, one list per open transaction or savepoint.
  const levels: (() => void)[][] = [];
  let savepoints = 0;

  const now = <T>(call: () => T): Promise<T> => {
    try {
      return Promise.resolve(call());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const held = <T>(call: () => T): Promise<T> => {
    try {
      return now(call);
    } finally {
      lock.release();
    }
  };
  // Free (nearly always): at once, as a direct call would. Held: after the transaction.
  const outside = <T>(call: () => T): Promise<T> => {
    const wait = lock.acquire();
    return wait ? wait.then(() => held(call)) : held(call);
  };

  const runAfterCommit: AfterCommit = (fn) => {
    const level = levels.at(-1);
    if (level) level.push(fn);
    else fn();
  };

  const inTransaction = liftAll(repos, now) as Store & { transaction: Store['transaction']; afterCommit: AfterCommit };
  const outer = liftAll(repos, outside) as Store & { transaction: Store['transaction']; afterCommit: AfterCommit };

  async function savepoint<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const name = `sp${++savepoints}`;
    client.exec(`SAVEPOINT ${name}`);
    const mine: (() => void)[] = [];
    levels.push(mine);
    try {
      const result = await fn(inTransaction);
      client.exec(`RELEASE ${name}`);
      levels.pop();
      runAfterCommitAll(mine);
      return result;
    } catch (error) {
      levels.pop();
      if (client.inTransaction) client.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw error;
    } finally {
      savepoints -= 1;
    }
  }
  // A released savepoint's after-commit work joins its parent's (or runs, at the top).
  const runAfterCommitAll = (fns: readonly (() => void)[]) => {
    for (const fn of fns) runAfterCommit(fn);
  };

  async function transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const wait = lock.acquire();
    if (wait) await wait;
    const mine: (() => void)[] = [];
    try {
      // IMMEDIATE: the write lock is taken at BEGIN. A deferred transaction
      // that reads, then writes after the outbox thread's connection has
      // committed, fails at once with SQLITE_BUSY_SNAPSHOT instead of waiting.
      client.exec('BEGIN IMMEDIATE');
      levels.push(mine);
      let result: T;
      try {
        result = await fn(inTransaction);
        client.exec('COMMIT');
      } catch (error) {
        if (client.inTransaction) client.exec('ROLLBACK');
        throw error;
      } finally {
        levels.pop();
      }
      for (const after of mine) after();
      return result;
    } finally {
      lock.release();
    }
  }

  Object.assign(inTransaction, { transaction: savepoint, afterCommit: runAfterCommit });
  // Outside any transaction there is nothing to wait for, even while another caller's is open.
  const atOnce: AfterCommit = (fn) => fn();
  Object.assign(outer, { transaction, afterCommit: atOnce });
  for (const decorate of decorators) {
    decorate(outer, atOnce);
    decorate(inTransaction, runAfterCommit);
  }
  return outer;
}

