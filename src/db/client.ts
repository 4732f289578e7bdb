import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { createFolders, DatabaseOpenError } from './database-folder.js';
import * as schema from './schema.js';

export { DatabaseOpenError } from './database-folder.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations/sqlite');

/** `./data/x.db`, `file:./data/x.db` or `:memory:` → what better-sqlite3 opens. */
export function databasePath(url: string): string {
  if (url === ':memory:' || url === 'file::memory:') return ':memory:';
  return url.startsWith('file:') ? url.slice('file:'.length) : url;
}

/**
 * Opens the database, creating its folder, and applies every migration.
 * WAL lets readers go on while one writer commits; busy_timeout makes a second
 * process (or a second bot instance on the same file) wait instead of failing.
 * A path that cannot be used throws a DatabaseOpenError naming it, at once:
 * nothing here waits on the file system without bound.
 */
export function openDatabase(url: string): Db {
  const db = drizzle(openSqlite(url), { schema }) as Db;
  migrate(db, { migrationsFolder: MIGRATIONS });
  return db;
}

function openSqlite(url: string): Database.Database {
  const path = databasePath(url);
  let sqlite: Database.Database | undefined;
  try {
    if (path !== ':memory:') createFolders(dirname(resolve(path)));
    sqlite = new Database(path);
    // The first write: a file SQLite can open but not write (read-only, not a database) fails here.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    return sqlite;
  } catch (error) {
    sqlite?.close();
    throw new DatabaseOpenError(path, error instanceof Error ? error.message : String(error));
  }
}

/**
 * Why the database at `url` cannot be used, or undefined when it can: opens
 * it as the start will (creating its folder and file, applying migrations)
 * and closes it again, so a bad DATABASE_URL is listed with the other
 * configuration problems before anything starts.
 */
export function databaseProblem(url: string): string | undefined {
  try {
    openDatabase(url).$client.close();
    return undefined;
  } catch (error) {
    if (error instanceof DatabaseOpenError) return error.message;
    return `could not apply the migrations to the database at ${databasePath(url)}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** SQLite's own default: a commit that leaves the WAL above this many pages checkpoints it. */
const AUTO_CHECKPOINT_PAGES = 1000;

/**
 * Whether this connection checkpoints the WAL after its own commits. A
 * checkpoint copies the WAL into the database file and syncs it: milliseconds
 * to tens of milliseconds, on whichever connection's commit crossed the
 * threshold. The listeners' connection hands that to the outbox thread's, so
 * no acknowledgement waits behind a disk sync.
 */
export function setAutoCheckpoint(db: Db, on: boolean): void {
  db.$client.pragma(`wal_autocheckpoint = ${on ? AUTO_CHECKPOINT_PAGES : 0}`);
}

/** Copies what it can of the WAL into the database file without waiting for readers or writers. */
export function checkpointPassive(db: Db): void {
  db.$client.pragma('wal_checkpoint(PASSIVE)');
}
