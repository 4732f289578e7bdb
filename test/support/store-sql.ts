/**
 * Raw SQL against the database a harness's bot runs on, SQLite or PostgreSQL,
 * for the end-to-end tests that look at rows the product keeps no read for
 * (an outbox job's status, a lease). Write it once, with `?` placeholders:
 * on PostgreSQL they become $1, $2… Keep to SQL both dialects read alike.
 */
import type { Harness } from './harness.js';

/** `?` → `$n`, outside quoted strings (a `?` inside one is text). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|\?/g, (token) => (token === '?' ? `$${++n}` : token));
}

/** Every row `sql` answers; none for a statement that returns none (an update). */
export async function query<Row = Record<string, unknown>>(h: Harness, sql: string, params: readonly unknown[] = []): Promise<Row[]> {
  const { pool } = h.bot.database;
  if (pool) return (await pool.query(numbered(sql), [...params])).rows as Row[];
  const statement = h.bot.db.$client.prepare(sql);
  if (statement.reader) return statement.all(...params) as Row[];
  statement.run(...params);
  return [];
}

/**
 * The one number `sql` answers (`select count(*) from …`): PostgreSQL
 * answers count(*) as a bigint, which pg gives as a string.
 */
export async function count(h: Harness, sql: string, params: readonly unknown[] = []): Promise<number> {
  const rows = await query(h, sql, params);
  if (rows.length !== 1) throw new Error(`expected one row from ${sql}, got ${rows.length}`);
  const values = Object.values(rows[0]!);
  if (values.length !== 1) throw new Error(`expected one column from ${sql}, got ${values.length}`);
  const n = Number(values[0]);
  if (!Number.isFinite(n)) throw new Error(`${sql} answered ${String(values[0])}, not a number`);
  return n;
}

/** A time as the store keeps it, to bind to a `?`: milliseconds on SQLite, a timestamptz on PostgreSQL. */
export function storedTime(h: Harness, at: Date): number | Date {
  return h.bot.database.pool ? at : at.getTime();
}
