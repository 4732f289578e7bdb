import pg from 'pg';
import { failing, passing, type CheckResult, type ReadinessCheck } from './readiness.js';
import { spokenDuration } from './readiness-checks.js';

/**
 * How long the probe's statements may run on the server. A write that waits
 * this long for a lock or an overloaded server already stalls commands; well
 * under /readyz's own bound, so the probe says why rather than only that it
 * did not answer.
 */
export const POSTGRES_PROBE_TIMEOUT_MS = 500;

/**
 * Whether the bot's transactions can write to PostgreSQL now: a pool client
 * (a pool with every connection taken is an answer too: commands wait for
 * one as well), a transaction opened as the bot opens its own, under a
 * statement timeout, a look at whether it is read-only or on a standby,
 * an UPDATE of drizzle's own table that touches no row (which PostgreSQL
 * refuses in a read-only transaction, whatever the reason), and a rollback.
 *
 * The transaction is not opened with `SET TRANSACTION READ WRITE`: that
 * would override `default_transaction_read_only`, which the bot's own
 * transactions obey (a managed database sets it when its disk fills), so
 * the probe would pass while every command fails.
 *
 * One probe at a time: requests that come while one runs share its answer,
 * so probes never pile up on a pool that is waiting for the server.
 */
export function postgresWriteCheck(pool: pg.Pool, timeoutMs = POSTGRES_PROBE_TIMEOUT_MS): ReadinessCheck {
  let running: Promise<CheckResult> | undefined;
  return () =>
    (running ??= probe(pool, timeoutMs).finally(() => {
      running = undefined;
    }));
}

async function probe(pool: pg.Pool, timeoutMs: number): Promise<CheckResult> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    return failing(postgresProblem(error, timeoutMs));
  }
  let open = false;
  try {
    await client.query('BEGIN');
    open = true;
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
    const { rows } = await client.query<{ recovery: boolean; read_only: string }>(
      `SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS read_only`,
    );
    if (rows[0]?.recovery) return failing(IN_RECOVERY);
    if (rows[0]?.read_only === 'on') return failing(READ_ONLY);
    // Drizzle's own journal: in every migrated database, and no incident data in it.
    await client.query('UPDATE drizzle.__drizzle_migrations SET id = id WHERE false');
    return passing;
  } catch (error) {
    return failing(postgresProblem(error, timeoutMs));
  } finally {
    // A connection that cannot roll back is broken: destroyed, never handed to a command.
    const clean = !open || (await client.query('ROLLBACK').then(() => true, () => false));
    client.release(!clean);
  }
}

const IN_RECOVERY = 'The database cannot be written: it is a standby in recovery, so commands cannot be recorded (DATABASE_URL must name the primary).';
const READ_ONLY = 'The database cannot be written: its transactions are read-only (default_transaction_read_only is on), so commands cannot be recorded.';

/** SQLSTATEs with which a server turns a connection away (credentials, database, connection limit, starting or stopping). */
const REFUSALS = /^(28|3D000|53300|57P0[1-3])/;

/** One sentence for each way the probe fails: unreachable, refused, read-only or in recovery, too slow, or anything else. */
export function postgresProblem(error: unknown, timeoutMs: number): string {
  const message = messageOf(error);
  // The server's own errors carry a SQLSTATE; anything else (a refused or cut connection, a timeout) never got an answer.
  const code = error instanceof pg.DatabaseError ? error.code : undefined;
  if (!code) return `The database cannot be reached: ${message}.`;
  if (REFUSALS.test(code)) return `The database refused the connection: ${message} (${code}).`;
  if (code === '25006') return READ_ONLY;
  if (code === '57014') {
    return `The database cannot be written: a write that touches no row took over ${spokenDuration(timeoutMs)} (57014, statement timeout), so commands wait on a lock or an overloaded server.`;
  }
  return `The database cannot be written: ${message} (${code}).`;
}

/** Node reports a refused connect to every address of a name as an AggregateError with no message of its own. */
function messageOf(error: unknown): string {
  if (error instanceof AggregateError && !error.message) return error.errors.map(messageOf).join('; ');
  if (error instanceof Error) return error.message.replace(/\.$/, '');
  return String(error);
}
