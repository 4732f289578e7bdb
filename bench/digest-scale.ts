/**
 * The digest at scale, on SQLite and on PostgreSQL: 100,000 action items in
 * 10,000 incidents, 20,000 of them overdue (digest-seed.ts). Times the whole
 * computation of the digest's messages through the store (plan, then every
 * chunk rendered to Block Kit, nothing posted) next to the bare SQL query
 * that selects the same rows on the same database, and the heap it needs at
 * two sizes: flat memory means the larger digest needs no more than the smaller one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openStore, type OpenedDatabase } from '../src/db/open-store.js';
import { addCalendarDays } from '../src/domain/due-date.js';
import { chunkDigest, UPCOMING_DAYS } from '../src/domain/digest.js';
import { DigestRunner } from '../src/jobs/digest-runner.js';
import type { SlackGateway } from '../src/slack/gateway.js';
import { digestChunkBlocks } from '../src/slack/views/digest.js';
import { FixedClock } from '../test/support/fixed-clock.js';
import type { PostgresServer } from '../test/support/postgres-server.js';
import { DAY, SIZES, seedPostgres, seedSqlite } from './digest-seed.js';
import { median } from './stats.js';

const UNTIL = addCalendarDays(DAY, UPCOMING_DAYS);

/** The rows the digest lists, in its order, as one query on SQLite... */
const SQLITE_BARE = `SELECT a.id, a.incident_id, a.number, a.text, a.owner_id, a.due_date, i.title, i.channel_id
  FROM action_items a JOIN incidents i ON i.id = a.incident_id
  WHERE a.status = 'open' AND a.due_date <= @until
  ORDER BY a.due_date >= @day, CASE WHEN a.due_date < @day THEN a.owner_id END, a.due_date, a.incident_id, a.number`;
/** ...and on PostgreSQL, owners sorted as bytes as the store sorts them. */
const POSTGRES_BARE = `SELECT a.id, a.incident_id, a.number, a.text, a.owner_id, a.due_date, i.title, i.channel_id
  FROM action_items a JOIN incidents i ON i.id = a.incident_id
  WHERE a.status = 'open' AND a.due_date <= $2
  ORDER BY a.due_date >= $1, CASE WHEN a.due_date < $1 THEN a.owner_id COLLATE "C" END, a.due_date, a.incident_id, a.number`;

/** Live heap in MB: collected first when node runs with --expose-gc (npm run bench does). */
function liveHeapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** The bare query on this store, run to its last row; resolves with the number of rows. */
function bareQuery(database: OpenedDatabase): () => Promise<number> {
  if (database.sqlite) {
    const statement = database.sqlite.$client.prepare(SQLITE_BARE);
    return async () => {
      let rows = 0;
      for (const _ of statement.iterate({ day: DAY, until: UNTIL })) rows++;
      return rows;
    };
  }
  const pool = database.pool!;
  // A named statement: parsed and planned once per connection, as SQLite's prepared one is.
  return async () => (await pool.query({ name: 'bench-digest-bare', text: POSTGRES_BARE, values: [DAY, UNTIL] })).rowCount ?? 0;
}

async function measure(database: OpenedDatabase, runs: number) {
  // Read through the store, as the bot reads: the plan, then the stream batch by batch.
  const repo = database.store.digest;
  const runner = new DigestRunner(repo, {} as SlackGateway, { channel: 'C0', dmOwners: false, timeZone: 'UTC' }, new FixedClock(new Date(`${DAY}T09:00:00Z`)), pino({ level: 'silent' }));
  const bare = bareQuery(database);
  const bareTimes: number[] = [];
  const digestTimes: number[] = [];
  let rows = 0;
  let messages = 0;
  let peak = 0;
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    rows = await bare();
    bareTimes.push(performance.now() - t);

    t = performance.now();
    const plan = await runner.plan(DAY);
    messages = 0;
    for await (const chunk of chunkDigest(repo.streamIds(plan.itemIds), DAY)) {
      digestChunkBlocks(chunk, DAY, { showOwners: true });
      messages++;
    }
    digestTimes.push(performance.now() - t);
  }
  // Memory, in a separate untimed pass: live heap sampled (after a collection) every 100 messages.
  const before = liveHeapMb();
  const plan = await runner.plan(DAY);
  let seen = 0;
  for await (const chunk of chunkDigest(repo.streamIds(plan.itemIds), DAY)) {
    digestChunkBlocks(chunk, DAY, { showOwners: true });
    if (++seen % 100 === 0) peak = Math.max(peak, liveHeapMb() - before);
  }
  return { rows, messages, bare: median(bareTimes), digest: median(digestTimes), peakHeapMb: peak };
}

/** Opens `url`, seeds it and measures it; the store is closed again whatever happens. */
async function measureStore(url: string, seed: (database: OpenedDatabase) => Promise<void>) {
  const database = openStore(url);
  try {
    await database.ready();
    await seed(database);
    return await measure(database, 5);
  } finally {
    await database.close();
  }
}

/**
 * Prints the section's table. `postgres` is the run's server, where each size
 * gets a fresh database of its own; without one, SQLite alone and a line saying why.
 */
export async function digestScaleBenchmark(out: (line?: string) => void, postgres: PostgresServer | undefined, postgresMissing: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'incident-digest-bench-'));
  try {
    out('## Digest at scale');
    out();
    out('Computing every message of the digest through the store (plan, then each chunk rendered to Block Kit; nothing posted), against the bare SQL query that selects the same rows on the same database (on PostgreSQL one named query, every row fetched). Median of 5 runs.');
    out();
    if (!postgres) {
      out(`PostgreSQL rows skipped: ${postgresMissing}.`);
      out();
    }
    out('| store | action items | incidents | overdue | rows listed | messages | bare SQL | digest | ratio | peak live heap growth | target |');
    out('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const [items, incidents, overdue] of SIZES) {
      const row = (store: string, m: Awaited<ReturnType<typeof measure>>) =>
        out(
          `| ${store} | ${items.toLocaleString('en')} | ${incidents.toLocaleString('en')} | ${overdue.toLocaleString('en')} | ${m.rows.toLocaleString('en')} | ${m.messages} | ${m.bare.toFixed(1)} ms | ${m.digest.toFixed(1)} ms | ${(m.digest / m.bare).toFixed(2)}× | ${m.peakHeapMb.toFixed(1)} MB | ${items === 100_000 ? '< 500 ms' : ''} |`,
        );
      // SQLite migrates as it opens: its file is seeded before the store opens it.
      const file = join(dir, `digest-${items}.db`);
      seedSqlite(file, incidents, items, overdue);
      row('SQLite', await measureStore(file, async () => {}));
      if (!postgres) continue;
      const url = await postgres.createDatabase(`bench_digest_${items}`);
      row('PostgreSQL', await measureStore(url, (database) => seedPostgres(database.pool!, incidents, items, overdue)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
