/**
 * `npm run db:copy -- <from> <to>`: every row of the bot's database at
 * `<from>` copied into the empty database at `<to>`, each a DATABASE_URL
 * (a SQLite path or a postgres:// URL), either way round: SQLite to
 * PostgreSQL to move, PostgreSQL to SQLite to move back.
 *
 * Both are migrated first. Every table is copied, parents before the tables
 * that point at them, with its ids, batch by batch (no table sits in memory
 * whole), in one transaction on the target that ends with the identities
 * moved past the copied ids and the row counts checked against the source:
 * any failure rolls it back, so the target is left as empty as it was.
 * There is no --force: a target that holds any row is refused.
 *
 * The source is read in one snapshot, so the copy is consistent even if the
 * bot is running on it, but whatever the bot writes after that is not copied:
 * stop it first.
 *
 * Exit codes: 0 copied; 1 failed (nothing written); 2 refused (arguments, no
 * source database, the same database twice, a target holding data).
 */
import { parseArgs } from 'node:util';
import { openEnd, redacted, Refusal, rowsPerStatement, type End, type Snapshot, type Transaction } from './db-copy/ends.js';
import { tablePairs, type TablePair } from './db-copy/tables.js';

const USAGE = 'Usage: npm run db:copy -- <from> <to>   (for example: npm run db:copy -- ./data/incidents.db postgres://bot:secret@db.internal:5432/incidents)';
/** Rows read per statement: a few hundred rows of the widest table, whatever the table's size. */
const BATCH = 500;

const number = (n: number) => n.toLocaleString('en-US');
const rowsText = (n: number) => `${number(n)} ${n === 1 ? 'row' : 'rows'}`;

/**
 * The database's own words: drizzle wraps them in "Failed query: …" with the
 * statement and every bound value, which would print a batch of rows
 * (private incidents' text among them) to the terminal.
 */
function reasonOf(error: unknown): string {
  let reason = error;
  while (reason instanceof Error && reason.cause instanceof Error) reason = reason.cause;
  return reason instanceof Error ? reason.message : String(reason);
}

/** Refuses a target holding any row, naming the tables that do. */
async function requireEmpty(target: Transaction, pairs: readonly TablePair[], label: string): Promise<void> {
  const held: string[] = [];
  for (const pair of pairs) {
    const n = await target.count(pair);
    if (n > 0) held.push(`${pair.name}: ${number(n)}`);
  }
  if (held.length > 0) {
    throw new Refusal(`${label} already holds data (${held.join(', ')}): db:copy writes only into an empty database, and has no --force. Nothing was written.`);
  }
}

/** Copies one table batch by batch; the number of rows written. */
async function copyTable(source: Snapshot, target: Transaction, pair: TablePair): Promise<number> {
  let copied = 0;
  for await (const batch of source.batches(pair, BATCH)) {
    const step = rowsPerStatement(pair, BATCH);
    for (let i = 0; i < batch.length; i += step) {
      const rows = batch.slice(i, i + step);
      try {
        await target.insert(pair, rows);
      } catch (error) {
        const first = pair.key.map((property) => `${property} ${String(rows[0]![property])}`).join(', ');
        throw new Error(`${pair.name}, in the ${number(rows.length)} rows from ${first}: ${reasonOf(error)}`);
      }
      copied += rows.length;
    }
  }
  return copied;
}

/** Everything in one transaction on the target; the rows copied per table once it has committed. `starting`: once the target is found empty. */
async function copy(from: End, to: End, pairs: readonly TablePair[], starting: () => void): Promise<Map<string, number>> {
  const source = await from.read();
  try {
    const target = await to.write(pairs);
    try {
      await requireEmpty(target, pairs, to.label);
      starting();
      const copied = new Map<string, number>();
      for (const pair of pairs) {
        const expected = await source.count(pair);
        const n = await copyTable(source, target, pair);
        if (n !== expected) throw new Error(`${pair.name}: ${number(expected)} rows in ${from.label} but ${number(n)} were read`);
        copied.set(pair.name, n);
      }
      await target.moveIdentities();
      // The final check, inside the transaction: a difference commits nothing.
      for (const pair of pairs) {
        const n = await target.count(pair);
        if (n !== copied.get(pair.name)) throw new Error(`${pair.name}: ${number(copied.get(pair.name)!)} rows copied but ${number(n)} in ${to.label}`);
      }
      await target.commit();
      return copied;
    } catch (error) {
      await target.rollback();
      throw error;
    }
  } finally {
    await source.end().catch(() => undefined);
  }
}

async function main(): Promise<number> {
  let from: string;
  let to: string;
  try {
    const { positionals } = parseArgs({ allowPositionals: true, strict: true });
    if (positionals.length !== 2) throw new Refusal(USAGE);
    [from, to] = positionals as [string, string];
  } catch (error) {
    const reason = process.argv.includes('--force')
      ? `There is no --force: db:copy writes only into an empty database.\n${USAGE}`
      : error instanceof Refusal
        ? error.message
        : `${(error as Error).message}\n${USAGE}`;
    process.stderr.write(`${reason}\n`);
    return 2;
  }

  const ends: End[] = [];
  const [fromLabel, toLabel] = [redacted(from), redacted(to)];
  try {
    const pairs = tablePairs();
    const source = await openEnd(from, 'source');
    ends.push(source);
    const target = await openEnd(to, 'target');
    ends.push(target);
    if (source.isSameAs(target)) throw new Refusal(`${fromLabel} and ${toLabel} are the same database: name another target.`);
    const copied = await copy(source, target, pairs, () =>
      process.stdout.write(
        `Copying ${source.label} to ${target.label}. The bot must be stopped on ${source.label}: what it writes after the copy has read it is not copied.\n`,
      ),
    );
    const width = Math.max(...pairs.map((pair) => pair.name.length));
    for (const [name, n] of copied) process.stdout.write(`  ${name.padEnd(width)}  ${number(n).padStart(9)} ${n === 1 ? 'row' : 'rows'}\n`);
    const total = [...copied.values()].reduce((sum, n) => sum + n, 0);
    process.stdout.write(`Copied ${rowsText(total)} in ${copied.size} tables; the row counts in ${target.label} match ${source.label}.\n`);
    return 0;
  } catch (error) {
    if (error instanceof Refusal) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`The copy from ${fromLabel} to ${toLabel} failed: ${reasonOf(error)}\nNothing was written to ${toLabel}.\n`);
    return 1;
  } finally {
    for (const end of ends.reverse()) await end.close().catch(() => undefined);
  }
}

process.exitCode = await main();
