/**
 * The stores the repository contract runs against: SQLite in memory always,
 * and PostgreSQL when its server binaries are here (with CI=true and none,
 * postgresAvailable throws). Each test gets a store of its own, empty and
 * migrated: on PostgreSQL a fresh database on the file's one server.
 */
import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { openDatabase } from '../../../src/db/client.js';
import { migratePostgres, openPostgres, type PgDb } from '../../../src/db/postgres/client.js';
import { createRepositories } from '../../../src/db/repositories.js';
import type { Store, StoreDecorator } from '../../../src/db/store.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server.js';

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

type PostgresStoreModule = { postgresStore(db: PgDb, decorators: readonly StoreDecorator[]): Store };

const STORE_MODULE = new URL('../../../src/db/postgres/store.ts', import.meta.url);

/**
 * The PostgreSQL store while it is being written: absent, its half of the
 * suite is skipped with one line; present, any failure to load it is the
 * failure it is.
 */
async function loadPostgresStore(): Promise<PostgresStoreModule | undefined> {
  if (!existsSync(STORE_MODULE)) {
    process.stderr.write('skipping the PostgreSQL store contract: src/db/postgres/store.ts is not built yet\n');
    return undefined;
  }
  // A specifier tsc cannot follow: the module may not exist when this compiles.
  const specifier = '../../../src/db/postgres/store.js';
  return (await import(specifier)) as PostgresStoreModule;
}

/** The template every test's database is copied from: migrated once, so a test pays for a copy, not a migration. */
const TEMPLATE = 'store_contract_template';

function postgresFactory({ postgresStore }: PostgresStoreModule): StoreFactory {
  let server: Promise<PostgresServer> | undefined;
  let databases = 0;

  async function startServer(): Promise<PostgresServer> {
    const started = await startPostgres({ database: 'store_contract' });
    const template = openPostgres(await started.createDatabase(TEMPLATE), { poolSize: 1 });
    try {
      await migratePostgres(template.db);
    } finally {
      // CREATE DATABASE … TEMPLATE refuses a template anyone is connected to.
      await template.close();
    }
    return started;
  }

  return {
    name: 'postgres',
    async open(decorators = []) {
      const running = await (server ??= startServer());
      const name = `store_${++databases}`;
      const admin = new pg.Client({ connectionString: running.url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)} TEMPLATE ${admin.escapeIdentifier(TEMPLATE)}`);
      } finally {
        await admin.end();
      }
      const opened = openPostgres(running.url.replace(/\/[^/]*$/, `/${name}`));
      return { store: postgresStore(opened.db, decorators), close: () => opened.close() };
    },
    async release() {
      const running = server;
      server = undefined;
      await (await running?.catch(() => undefined))?.stop();
    },
  };
}

async function availableStores(): Promise<StoreFactory[]> {
  if (!postgresAvailable('PostgreSQL store contract')) return [sqlite];
  const module = await loadPostgresStore();
  return module ? [sqlite, postgresFactory(module)] : [sqlite];
}

/** For `describe.each(stores)`: each factory is named, so `'$name'` names the describe. */
export const stores: readonly StoreFactory[] = await availableStores();

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
