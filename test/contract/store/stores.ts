/**
 * The stores the repository contract runs against: SQLite in memory,
 * and PostgreSQL when its server binaries are here (with CI=true and none,
 * postgresAvailable throws). Each test gets a store of its own, empty and
 * migrated: on PostgreSQL the database of the file's one server, emptied.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { openDatabase } from '../../../src/db/client.js';
import { migratePostgres, openPostgres } from '../../../src/db/postgres/client.js';
import { postgresStore } from '../../../src/db/postgres/store.js';
import { createRepositories } from '../../../src/db/repositories.js';
import type { Store, StoreDecorator } from '../../../src/db/store.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server.js';
import { emptyingSql } from '../../support/postgres-emptying.js';

/** One store for one test, and how to let it go. */
export interface OpenedStore {
  readonly store: Store;
  close(): Promise<void>;
}

export interface StoreFactory {
  readonly name: 'sqlite' | 'postgres';
  /** A store of its own: empty, migrated, seen through `decorators` as the bot's own are. */
  open(decorators?: readonly StoreDecorator[]): Promise<OpenedStore>;
  /** Lets go of what the factory shares between tests (the PostgreSQL server). */
  release(): Promise<void>;
  /**
   * Resolves once some session of the store waits for a lock another holds
   * (PostgreSQL only). SQLite has no such wait to look for: a second
   * transaction there waits for the first to end before it runs at all.
   */
  readonly someoneWaitsForALock?: () => Promise<void>;
}

const sqlite: StoreFactory = {
  name: 'sqlite',
  open(decorators = []) {
    const db = openDatabase(':memory:');
    const close = async () => {
      db.$client.close();
    };
    return Promise.resolve({ store: createRepositories(db, decorators), close });
  },
  release: () => Promise.resolve(),
};

/**
 * The contract's database, with the collation a production one usually has
 * (English, ICU) rather than the test server's C: an ORDER BY on text that
 * forgot SQLite sorts bytewise shows here ('Zeta' before 'alpha' there).
 */
async function createContractDatabase(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE store_contract TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = '/store_contract';
  return url.toString();
}

/** One server per test file, one database on it, migrated once and emptied before each test. */
function postgresFactory(): StoreFactory {
  let ready: Promise<{ server: PostgresServer; url: string; admin: pg.Pool; empty: string }> | undefined;

  async function start() {
    const server = await startPostgres({ database: 'postgres_admin' });
    const url = await createContractDatabase(server.url);
    const migrated = openPostgres(url, { poolSize: 1 });
    try {
      await migratePostgres(migrated.db);
      return { server, url, admin: migrated.pool, empty: await emptyingSql(migrated.pool) };
    } catch (error) {
      await migrated.close();
      await server.stop();
      throw error;
    }
  }

  return {
    name: 'postgres',
    async open(decorators = []) {
      const { url, admin, empty } = await (ready ??= start());
      await admin.query(empty);
      const opened = openPostgres(url);
      return { store: postgresStore(opened.db, decorators), close: () => opened.close() };
    },
    async someoneWaitsForALock() {
      const { admin } = await (ready ??= start());
      const waiting = async () => (await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted')).rows[0]?.n ?? 0;
      await expect.poll(waiting, { timeout: 10_000 }).toBeGreaterThan(0);
    },
    async release() {
      const started = await ready?.catch(() => undefined);
      ready = undefined;
      await started?.admin.end();
      await started?.server.stop();
    },
  };
}

/** STORE_CONTRACT=sqlite or postgres: that store only (each suite runs its own, see vitest.config.ts); unset, both. */
function availableStores(): StoreFactory[] {
  const only = process.env.STORE_CONTRACT;
  if (only === 'sqlite') return [sqlite];
  if (only !== undefined && only !== 'postgres') throw new Error(`STORE_CONTRACT=${only}: the store contract knows sqlite and postgres`);
  const withPostgres = postgresAvailable('PostgreSQL store contract') ? [postgresFactory()] : [];
  return only === 'postgres' ? withPostgres : [sqlite, ...withPostgres];
}

/** For `describe.each(stores)`: each factory is named, so `'$name'` names the describe. */
export const stores: readonly StoreFactory[] = availableStores();

/**
 * A fresh store before each test of the enclosing describe, closed after it;
 * the factory's server is stopped after the describe. Read it inside a test:
 * `const store = storePerTest(factory)` … `await store().incidents.get(1)`.
 */
export function storePerTest(factory: StoreFactory): () => Store {
  let current: OpenedStore | undefined;
  beforeEach(async () => {
    current = await factory.open();
  }, 60_000);
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  afterAll(() => factory.release(), 30_000);
  return () => {
    if (!current) throw new Error('the store is opened for each test: read it inside one');
    return current.store;
  };
}
