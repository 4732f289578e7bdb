/**
 * The store every part of the bot reads and writes through, the same for
 * SQLite and PostgreSQL: each repository's methods answer with promises, and
 * `transaction` hands `fn` repositories bound to one database transaction.
 * The SQLite repositories are written synchronously (better-sqlite3 is) and
 * lifted to this shape by src/db/sqlite-store.ts.
 */
import type { SqliteRepositories } from './repositories.js';

/**
 * A repository whose methods answer with promises. A method that streams rows
 * (an async generator) stays one: it reads batch by batch as it is iterated.
 */
export type AsyncRepo<R> = {
  [K in keyof R]: R[K] extends (...args: infer A) => infer T
    ? [T] extends [AsyncIterable<unknown>]
      ? R[K]
      : (...args: A) => Promise<Awaited<T>>
    : R[K];
};

/** Runs once the outermost transaction commits (at once outside one); dropped if its transaction rolls back. */
export type AfterCommit = (fn: () => void) => void;

export type Repos = { readonly [K in keyof SqliteRepositories]: AsyncRepo<SqliteRepositories[K]> };

export type Store = Repos & {
  /**
   * Runs `fn` in one transaction with a store bound to it; throwing rolls it
   * back. Called on a transaction's store, it nests (a savepoint). `fn` waits
   * on nothing but that store: on SQLite, the connection's other users wait
   * for it to finish.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  readonly afterCommit: AfterCommit;
};

/**
 * Added to every view of a store (its own and each transaction's), so that
 * code which counts writes sees them whichever transaction made them.
 */
export type StoreDecorator = (repos: Repos, afterCommit: AfterCommit) => void;

/** The synchronous shape of an asynchronous port, which the SQLite repositories implement. */
export type SyncRepo<R> = {
  [K in keyof R]: R[K] extends (...args: infer A) => Promise<infer T> ? (...args: A) => T : R[K];
};
