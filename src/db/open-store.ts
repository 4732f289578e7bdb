/**
 * DATABASE_URL → the store on SQLite (a file path, `file:…`, `:memory:`) or
 * PostgreSQL (`postgres://…`, `postgresql://…`), with what only the one
 * dialect has (SQLite's connection for checkpoints; PostgreSQL's pool).
 */
import type pg from 'pg';
import { databaseProblem as sqliteProblem, openDatabase, type Db } from './client.js';
import { createRepositories } from './repositories.js';
import { isPostgresUrl, migratePostgres, openPostgres } from './postgres/client.js';
import { postgresStore } from './postgres/store.js';
import type { Store, StoreDecorator } from './store.js';

export interface OpenedDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  readonly store: Store;
  /** SQLite's connection (WAL checkpoints, the write probe); undefined on PostgreSQL. */
  readonly sqlite: Db | undefined;
  /** PostgreSQL's pool (the write probe); undefined on SQLite. */
  readonly pool: pg.Pool | undefined;
  /**
   * Resolves once the schema is current. SQLite migrates as it opens; on
   * PostgreSQL the migrations run here, under the advisory lock that lets two
   * replicas start at once.
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL: connections the pool keeps at most (DATABASE_POOL_SIZE). */
  readonly poolSize?: number;
  /** PostgreSQL: an idle connection failed (the server restarted): the pool replaces it. */
  readonly onIdleError?: (error: Error) => void;
}

/** Opens the store at `url`; nothing waits on the network here (PostgreSQL connects at `ready`). */
export function openStore(url: string, decorators: readonly StoreDecorator[] = [], options: OpenOptions = {}): OpenedDatabase {
  if (isPostgresUrl(url)) {
    const postgres = openPostgres(url, { poolSize: options.poolSize, onIdleError: options.onIdleError });
    return {
      dialect: 'postgres',
      store: postgresStore(postgres.db, decorators),
      sqlite: undefined,
      pool: postgres.pool,
      ready: () => migratePostgres(postgres.db),
      close: () => postgres.close(),
    };
  }
  const db = openDatabase(url);
  return {
    dialect: 'sqlite',
    store: createRepositories(db, decorators),
    sqlite: db,
    pool: undefined,
    ready: () => Promise.resolve(),
    close: async () => {
      if (db.$client.open) db.$client.close();
    },
  };
}

/**
 * Why the database at `url` cannot be used, checked with the rest of the
 * configuration: a SQLite file is opened and migrated; a PostgreSQL URL is
 * only parsed here (the server is reached at start, which waits for it).
 */
export function databaseProblem(url: string): string | undefined {
  if (!isPostgresUrl(url)) return sqliteProblem(url);
  try {
    const parsed = new URL(url);
    if (!parsed.hostname) return `DATABASE_URL names no PostgreSQL host: write postgres://user:password@host:5432/database`;
    return undefined;
  } catch {
    return `DATABASE_URL is not a URL PostgreSQL can use: write postgres://user:password@host:5432/database`;
  }
}
