import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { causes, CONFLICT_ATTEMPTS, conflictDelayMs, isConflict } from './conflicts.js';
import * as schema from './schema.js';

/** The PostgreSQL database through drizzle, with the pool behind it. */
export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** An open PostgreSQL store: the drizzle database, its pool, and how to close both. */
export interface PostgresStore {
  readonly db: PgDb;
  readonly pool: pg.Pool;
  /** Waits for the pool's connections to close; queries after this fail. */
  close(): Promise<void>;
}

/** How a PostgreSQL store is opened. */
export interface PostgresOptions {
  /** Connections the pool keeps at most; pg's own default (10) when unset. */
  readonly poolSize?: number;
  /**
   * Told of an error on an idle connection (the server restarted, a network
   * cut). The pool drops that connection and opens another on the next query;
   * without a listener pg would throw the error out of the process.
   */
  readonly onIdleError?: (error: Error) => void;
  /** How long one statement may wait for its answer before it fails; QUERY_TIMEOUT_MS when unset. */
  readonly queryTimeoutMs?: number;
  /** How long the server keeps a transaction of the store that sends nothing; IDLE_IN_TRANSACTION_TIMEOUT_MS when unset. */
  readonly idleInTransactionTimeoutMs?: number;
}

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations/postgres');

/**
 * The session-level advisory lock every replica takes before migrating:
 * "incibot" in ASCII, read as a 64-bit number. Sent as text, since it is
 * past what a JS number holds exactly.
 */
export const MIGRATION_LOCK_KEY = '29676245803495284';

/** How long a new connection may take before its query fails. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * How long one statement may wait for its answer. A database whose address
 * goes dark without resetting its connections (a failover, a network cut)
 * answers nothing and closes nothing, and TCP gives up on such a connection
 * after a quarter of an hour: every command and outbox job on it would hang
 * that long. The bot's statements take milliseconds (the digest at 100,000
 * follow-ups under half a second), so a statement unanswered this long is
 * taken as a connection gone: it fails, and the connection is destroyed, not
 * given to the next caller (a transaction's ROLLBACK after it waits as long
 * again, then fails the same way). Migrations run on a session of their own without
 * it (an index build on a large table may take longer).
 */
export const QUERY_TIMEOUT_MS = 30_000;

/**
 * How long PostgreSQL keeps one of the store's transactions open while it
 * sends nothing, before it ends the session and rolls it back. A replica
 * whose network goes dark mid-transaction leaves its session alive on the
 * server, holding what it locked (the incident-number lock, rows) until the
 * server's TCP keepalive gives up, hours by default: every other replica's
 * declarations would wait on it and fail. The bot's transactions wait on
 * nothing but their own statements (milliseconds apart), so a quarter of a
 * minute of silence is a session gone; it is below QUERY_TIMEOUT_MS, so a
 * declaration waiting for that lock gets it rather than failing. Set with
 * SET LOCAL in each transaction rather than as a connection parameter:
 * PgBouncer refuses unknown startup parameters, and `npm run db:copy`, whose
 * snapshot waits while the other end writes, and migrations stay unbounded.
 */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 15_000;


/** Whether DATABASE_URL names PostgreSQL (`postgres://` or `postgresql://`) rather than a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens a pool on `url`. Nothing connects until the first query. TLS follows
 * the URL's `sslmode` (`require`, `verify-ca`, `verify-full`, `disable`, and
 * `sslrootcert`/`sslcert`/`sslkey` for files): pg's connection-string parser
 * reads them, so the URL is the one place to set them.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): PostgresStore {
  // A server that does not answer fails a connection within seconds and a statement within
  // QUERY_TIMEOUT_MS, rather than whenever TCP gives up: a command meanwhile gets its apology,
  // the outbox its retry, /readyz its 503. Keepalive finds idle connections that went dark.
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: options.queryTimeoutMs ?? QUERY_TIMEOUT_MS,
    keepAlive: true,
    ...(options.poolSize === undefined ? {} : { max: options.poolSize }),
  });
  const onError = options.onIdleError ?? (() => {});
  pool.on('error', onError);
  // A checked-out connection whose server goes away emits 'error' too; unheard, pg throws it
  // out of the process (every replica would die with one PostgreSQL restart).
  pool.on('connect', (client) => client.on('error', onError));
  const db = drizzle(pool, { schema });
  const idleMs = Math.max(0, Math.round(options.idleInTransactionTimeoutMs ?? IDLE_IN_TRANSACTION_TIMEOUT_MS));
  db.transaction = (fn, config) => transactionOnOwnConnection(pool, fn, config, idleMs);
  return { db, pool, close: () => pool.end() };
}

const onConnection = new WeakMap<pg.PoolClient, NodePgDatabase<typeof schema>>();

/** SQLSTATE classes of a connection that is gone or going: 08 (connection), 57P (shutdown, crash). */
const BROKEN = /^(08|57P)/;

/** pg's words for a connection that is gone, or (a statement past query_timeout) that is being ended. */
const BROKEN_MESSAGE = /Connection terminated|not queryable|Query read timeout/i;

const showsBroken = (error: Error) => {
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && BROKEN.test(code)) || BROKEN_MESSAGE.test(error.message);
};

type TransactionFn<T> = Parameters<PgDb['transaction']>[0] & ((tx: never) => Promise<T>);

/**
 * A transaction PostgreSQL rolled back as a deadlock's victim or for a
 * serialization failure is run again from its start, on a connection checked
 * out of the pool again (maybe the same one), after a short random wait, a few times at most (conflicts.ts): without it
 * the user got the generic apology, or an outbox job waited for its next
 * attempt, for a collision with another replica that a second run gets past.
 * Only the outermost transaction runs again (a savepoint's error reaches it);
 * any other error is thrown at once.
 */
async function transactionOnOwnConnection<T>(
  pool: pg.Pool,
  fn: TransactionFn<T>,
  config: Parameters<PgDb['transaction']>[1],
  idleMs: number,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transactionOnce(pool, fn, config, idleMs);
    } catch (error) {
      if (attempt >= CONFLICT_ATTEMPTS || !isConflict(error)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, conflictDelayMs(attempt)));
  }
}

/**
 * A transaction on a connection this module checks out and always gives back.
 * drizzle's own (0.45) sends BEGIN before its try/finally: a BEGIN that fails,
 * as it does while PostgreSQL restarts, never returns its connection, and a
 * pool loses a slot for good at each restart. A connection that broke is
 * destroyed rather than handed to the next caller.
 */
async function transactionOnce<T>(pool: pg.Pool, fn: TransactionFn<T>, config: Parameters<PgDb['transaction']>[1], idleMs: number): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const heard = (error: Error) => (broken = error);
  client.on('error', heard);
  try {
    let db = onConnection.get(client);
    if (!db) {
      db = drizzle(client, { schema });
      onConnection.set(client, db);
    }
    const bounded = async (tx: Parameters<TransactionFn<T>>[0]) => {
      // Ends with the transaction: the connection's next user (a read outside any) is not bounded by it.
      await (tx as unknown as PgDb).execute(sql.raw(`SET LOCAL idle_in_transaction_session_timeout = ${idleMs}`));
      return fn(tx);
    };
    return (await db.transaction(bounded as never, config)) as T;
  } catch (error) {
    if (!(error instanceof Error) || causes(error).some(showsBroken)) broken ??= error as Error;
    throw error;
  } finally {
    client.off('error', heard);
    client.release(broken);
  }
}

/**
 * Applies migrations/postgres. Two replicas starting at once would both see
 * a migration missing and both apply it (or race on drizzle's own bookkeeping
 * table): each takes the advisory lock first, on one dedicated connection
 * that also runs the migrations, so the second waits, then finds nothing to
 * do. The lock is session-level, so a replica that dies holding it frees it
 * with its connection. That session is opened with the pool's settings but
 * without its statement timeout: the lock waits for another replica's whole
 * migration, and a migration's statement may take long on a large table.
 */
export async function migratePostgres(db: PgDb): Promise<void> {
  const client = new pg.Client({ ...db.$client.options, query_timeout: undefined });
  // Unheard, a session's 'error' (the server going away) would be thrown out of the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS });
  } finally {
    // Ending the session releases the lock, the migration's error or not.
    await client.end().catch(() => undefined);
  }
}
