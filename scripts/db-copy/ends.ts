/**
 * The two ends of `npm run db:copy`, SQLite or PostgreSQL, each opened on one
 * connection and migrated: the source read in one snapshot, batch by batch
 * in key order; the target written in one transaction, so a copy that fails
 * anywhere leaves it as it was.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, asc, count, eq, getTableColumns, gt, or, type Column, type SQL } from 'drizzle-orm';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { databasePath, openDatabase } from '../../src/db/client.js';
import { isPostgresUrl, migratePostgres, openPostgres } from '../../src/db/postgres/client.js';
import type { TablePair } from './tables.js';

/** A row as drizzle reads it (Dates, booleans, parsed JSON): what the other schema writes back unchanged. */
export type Row = Record<string, unknown>;

/** One database read in one snapshot: what it held when the first count was read, whatever is written meanwhile. */
export interface Snapshot {
  count(pair: TablePair): Promise<number>;
  /** The table's rows in key order, `size` at a time: one batch in memory, never the table. */
  batches(pair: TablePair, size: number): AsyncGenerator<Row[]>;
  end(): Promise<void>;
}

/** One open transaction on the target; nothing in it is seen by anyone until `commit`. */
export interface Transaction {
  count(pair: TablePair): Promise<number>;
  insert(pair: TablePair, rows: readonly Row[]): Promise<void>;
  /** Moves each identity past the highest id copied, so the next row inserted gets the next number. */
  moveIdentities(): Promise<void>;
  commit(): Promise<void>;
  /** Never throws: called on the way out of a failure whose reason is the one to report. */
  rollback(): Promise<void>;
}

/** A database the copy reads or writes, migrated to the current schema. */
export interface End {
  readonly dialect: 'sqlite' | 'postgres';
  /** How the output names it: the path, or the URL without its password. */
  readonly label: string;
  /** Whether `other` is this same database. */
  isSameAs(other: End): boolean;
  read(): Promise<Snapshot>;
  write(pairs: readonly TablePair[]): Promise<Transaction>;
  close(): Promise<void>;
}

/** A reason not to copy that is the user's to fix: reported on its own, without a stack. */
export class Refusal extends Error {}

/** The URL as it may be printed: the password replaced. */
export function redacted(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Rows after `last` in key order: (a, b) > (x, y) spelled as a > x OR (a = x AND b > y), each value bound through its column. */
function after(columns: Record<string, Column>, key: readonly string[], last: Row): SQL {
  const terms = key.map((property, i) =>
    and(...key.slice(0, i).map((earlier) => eq(columns[earlier]!, last[earlier])), gt(columns[property]!, last[property])),
  );
  return or(...terms)!;
}

/** Rows one INSERT may carry: its bound parameters stay under SQLite's limit of 32,766 (PostgreSQL's is 65,535). */
export function rowsPerStatement(pair: TablePair, batch: number): number {
  return Math.max(1, Math.min(batch, Math.floor(30_000 / pair.columns)));
}

/** Opens `url` as the source or the target; a SQLite source must already exist (opening would create an empty one). */
export async function openEnd(url: string, role: 'source' | 'target'): Promise<End> {
  if (isPostgresUrl(url)) return openPostgresEnd(url);
  const path = databasePath(url);
  if (path === ':memory:') throw new Refusal(`${url} is an in-memory database: name a file.`);
  if (role === 'source' && !existsSync(path)) throw new Refusal(`No database at ${path}.`);
  return openSqliteEnd(path);
}

function openSqliteEnd(path: string): End {
  const db = openDatabase(path);
  const sqlite = db.$client;
  const countOf = (pair: TablePair) => db.select({ n: count() }).from(pair.sqlite).get()!.n;
  const end: End = {
    dialect: 'sqlite',
    label: path,
    isSameAs: (other) => other.dialect === 'sqlite' && resolve(other.label) === resolve(path),
    async read() {
      // A read transaction across the awaits: WAL keeps its snapshot while anyone else commits.
      sqlite.exec('BEGIN');
      return {
        count: async (pair) => countOf(pair),
        async *batches(pair, size) {
          const columns = getTableColumns(pair.sqlite);
          const order = pair.key.map((property) => asc(columns[property]!));
          for (let last: Row | undefined; ; ) {
            const query = db.select().from(pair.sqlite);
            const rows: Row[] = (last ? query.where(after(columns, pair.key, last)) : query).orderBy(...order).limit(size).all();
            if (rows.length > 0) yield rows;
            if (rows.length < size) return;
            last = rows.at(-1);
          }
        },
        end: async () => {
          if (sqlite.inTransaction) sqlite.exec('COMMIT');
        },
      };
    },
    async write() {
      // IMMEDIATE takes the write lock now: nobody else writes between the check that the target is empty and the commit.
      sqlite.exec('BEGIN IMMEDIATE');
      return {
        count: async (pair) => countOf(pair),
        async insert(pair, rows) {
          // The rows are the other schema's, property for property (tables.ts checks): drizzle cannot type that.
          db.insert(pair.sqlite).values(rows as never).run();
        },
        // AUTOINCREMENT's counters (sqlite_sequence) follow the ids inserted on their own.
        moveIdentities: async () => {},
        commit: async () => void sqlite.exec('COMMIT'),
        rollback: async () => {
          if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
        },
      };
    },
    close: async () => {
      if (sqlite.open) sqlite.close();
    },
  };
  return end;
}

async function openPostgresEnd(url: string): Promise<End> {
  const postgres = openPostgres(url, { poolSize: 1 });
  let client: pg.PoolClient;
  try {
    await migratePostgres(postgres.db);
    client = await postgres.pool.connect();
  } catch (error) {
    await postgres.close();
    throw error;
  }
  const db = pgDrizzle(client);
  const countOf = async (pair: TablePair) => (await db.select({ n: count() }).from(pair.postgres))[0]!.n;
  const where = new URL(url);
  const identity = (u: URL) => `${u.hostname}:${u.port || '5432'}/${decodeURIComponent(u.pathname.slice(1)) || u.username}`;
  return {
    dialect: 'postgres',
    label: redacted(url),
    isSameAs: (other) => other.dialect === 'postgres' && identity(new URL(other.label)) === identity(where),
    async read() {
      // One snapshot for every statement, whatever commits meanwhile.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return {
        count: countOf,
        async *batches(pair, size) {
          const columns = getTableColumns(pair.postgres);
          const order = pair.key.map((property) => asc(columns[property]!));
          for (let last: Row | undefined; ; ) {
            const query = db.select().from(pair.postgres);
            const rows: Row[] = await (last ? query.where(after(columns, pair.key, last)) : query).orderBy(...order).limit(size);
            if (rows.length > 0) yield rows;
            if (rows.length < size) return;
            last = rows.at(-1);
          }
        },
        end: async () => void (await client.query('COMMIT')),
      };
    },
    async write(pairs) {
      await client.query('BEGIN');
      // Writers elsewhere wait until the commit (readers do not); a bot busy on the target makes the copy fail, not hang.
      await client.query("SET LOCAL lock_timeout = '10s'");
      await client.query(`LOCK TABLE ${pairs.map((pair) => client.escapeIdentifier(pair.name)).join(', ')} IN EXCLUSIVE MODE`);
      return {
        count: countOf,
        async insert(pair, rows) {
          // The rows are the other schema's, property for property (tables.ts checks): drizzle cannot type that.
          await db.insert(pair.postgres).values(rows as never);
        },
        async moveIdentities() {
          const { rows } = await client.query<{ table_name: string; column_name: string }>(
            `SELECT table_name, column_name FROM information_schema.columns
              WHERE table_schema = current_schema() AND is_identity = 'YES'`,
          );
          for (const { table_name: table, column_name: column } of rows) {
            const [t, c] = [client.escapeIdentifier(table), client.escapeIdentifier(column)];
            // Not called yet: the next value is the highest id plus one (1 on an empty table).
            await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${c}), 0) + 1, false) FROM ${t}`, [t, column]);
          }
        },
        commit: async () => void (await client.query('COMMIT')),
        rollback: async () => {
          await client.query('ROLLBACK').catch(() => undefined);
        },
      };
    },
    async close() {
      client.release();
      await postgres.close();
    },
  };
}
