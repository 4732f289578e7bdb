import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/client.js';
import { migratePostgres, openPostgres, type PgDb, type PostgresStore } from '../../../src/db/postgres/client.js';
import * as pgSchema from '../../../src/db/postgres/schema.js';
import { postgresStore } from '../../../src/db/postgres/store.js';
import { createRepositories } from '../../../src/db/repositories.js';
import * as sqliteSchema from '../../../src/db/schema.js';
import type { Store } from '../../../src/db/store.js';
import { outboxAgeCheck } from '../../../src/http/readiness-checks.js';
import { postgresWriteCheck } from '../../../src/http/readiness-postgres.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server.js';

const t0 = new Date('2026-12-01T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const OUTBOX_STATUS = ['pending', 'running', 'done', 'failed'] as const;
const KINDS = ['incident.sync', 'pagerduty.event', 'slack.post', 'incident.setup'];

/**
 * Jobs of four kinds, ten each, in every status: a done one enqueued first of
 * all, then two unfinished ones of different kinds at the same time (the lower
 * id is the oldest); and incidents of every severity and status.
 */
function rows() {
  const jobs = Array.from({ length: 40 }, (_, i) => ({
    incidentId: (i % 9) + 1,
    kind: KINDS[Math.floor(i / 10)]!,
    queue: `incident:${(i % 9) + 1}`,
    payload: { n: i },
    status: OUTBOX_STATUS[i % OUTBOX_STATUS.length]!,
    nextRunAt: at(i),
    createdAt: i === 2 ? at(0) : i === 1 || i === 12 ? at(10) : at(20 + i),
  }));
  const incidents = Array.from({ length: 26 }, (_, i) => ({
    title: `Incident ${i + 1}`,
    severity: (['sev1', 'sev2', 'sev3'] as const)[i % 3]!,
    status: (['investigating', 'identified', 'monitoring', 'resolved', 'resolved'] as const)[i % 5]!,
    declaredBy: 'U0ALICE',
    declaredAt: at(i),
    updatedAt: at(i),
  }));
  return { jobs, incidents };
}

async function health(store: Store) {
  return {
    backlog: await store.health.outboxBacklog(),
    oldest: await store.health.oldestUnfinishedJob(),
    open: await store.health.openIncidentsBySeverity(),
    unfinished: await store.health.unfinishedJobs(),
  };
}

/** PostgreSQL's write probe against a real server (up, turned away, read-only, locked, killed, back), and its health reads against SQLite's. */
describe.skipIf(!postgresAvailable('PostgreSQL readiness'))('readiness on PostgreSQL', () => {
  let server: PostgresServer;
  let opened: PostgresStore;

  beforeAll(async () => {
    server = await startPostgres({ database: 'readiness' });
    opened = openPostgres(server.url, { poolSize: 3 });
    await migratePostgres(opened.db);
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
    await server?.stop();
  });

  it('passes on a writable database and hands its connection back clean', async () => {
    const check = postgresWriteCheck(opened.pool);
    expect(await check()).toEqual({ status: 'ok' });
    expect(opened.pool.totalCount - opened.pool.idleCount).toBe(0);
    // The statement timeout was the transaction's own: the connection is as the pool gave it.
    const { rows } = await opened.pool.query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(rows[0]!.statement_timeout).toBe('0');
  });

  it('runs one probe at a time: a request while one is under way shares its answer', () => {
    const check = postgresWriteCheck(opened.pool);
    const first = check();
    expect(check()).toBe(first);
    return first;
  });

  it('fails when the server turns the connection away, naming the reason', async () => {
    const elsewhere = openPostgres(server.url.replace(/\/readiness$/, '/no_such_database'), { poolSize: 1 });
    try {
      expect(await postgresWriteCheck(elsewhere.pool)()).toEqual({
        status: 'failing',
        reason: 'The database refused the connection: database "no_such_database" does not exist (3D000).',
      });
    } finally {
      await elsewhere.close();
    }
  });

  it('fails on a database whose transactions are read-only, which SET TRANSACTION READ WRITE would hide', async () => {
    const url = await server.createDatabase('read_only');
    await opened.pool.query('ALTER DATABASE read_only SET default_transaction_read_only = on');
    const readOnly = openPostgres(url, { poolSize: 1 });
    try {
      expect(await postgresWriteCheck(readOnly.pool)()).toEqual({
        status: 'failing',
        reason: 'The database cannot be written: its transactions are read-only (default_transaction_read_only is on), so commands cannot be recorded.',
      });
      // What the bot's own transactions meet there.
      await expect(readOnly.pool.query('CREATE TABLE t (id int)')).rejects.toMatchObject({ code: '25006' });
    } finally {
      await readOnly.close();
    }
  });

  it('fails while a lock holds its write past the statement timeout, then passes once the lock is let go', async () => {
    const other = new pg.Client({ connectionString: server.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('LOCK TABLE drizzle.__drizzle_migrations IN ACCESS EXCLUSIVE MODE');
      expect(await postgresWriteCheck(opened.pool, 50)()).toEqual({
        status: 'failing',
        reason: 'The database cannot be written: a write that touches no row took over 50 ms (57014, statement timeout), so commands wait on a lock or an overloaded server.',
      });
      await other.query('ROLLBACK');
      expect(await postgresWriteCheck(opened.pool, 50)()).toEqual({ status: 'ok' });
    } finally {
      await other.end();
    }
  });

  it('answers the health reads as SQLite does over the same rows, and the outbox check reads them', async () => {
    const sqlite: Db = openDatabase(':memory:');
    const db: PgDb = opened.db;
    const onSqlite = createRepositories(sqlite);
    const onPostgres = postgresStore(db);
    try {
      expect(await health(onPostgres)).toEqual({ backlog: [], oldest: undefined, open: [], unfinished: 0 });
      expect(await health(onSqlite)).toEqual(await health(onPostgres));

      const { jobs, incidents } = rows();
      sqlite.insert(sqliteSchema.outbox).values(jobs).run();
      sqlite.insert(sqliteSchema.incidents).values(incidents).run();
      await db.insert(pgSchema.outbox).values(jobs);
      await db.insert(pgSchema.incidents).values(incidents);

      const answers = await health(onPostgres);
      expect(answers).toEqual(await health(onSqlite));
      // What the rows say, so that equal answers are not two equal mistakes.
      expect(answers.unfinished).toBe(20);
      expect(answers.oldest).toEqual({ kind: 'incident.sync', createdAt: at(10) });
      expect(answers.backlog).toEqual([
        { kind: 'incident.setup', n: 4, oldest: at(52) },
        { kind: 'incident.sync', n: 6, oldest: at(10) },
        { kind: 'pagerduty.event', n: 4, oldest: at(10) },
        { kind: 'slack.post', n: 6, oldest: at(40) },
      ]);
      expect(answers.open).toEqual([{ severity: 'sev1', n: 5 }, { severity: 'sev2', n: 6 }, { severity: 'sev3', n: 5 }]);

      const clock = new FixedClock(at(70));
      expect(await outboxAgeCheck(onPostgres.health, clock, 3_600_000)()).toEqual({ status: 'ok' });
      clock.advance(120_000);
      expect(await outboxAgeCheck(onPostgres.health, clock, 3_600_000)()).toEqual({
        status: 'failing',
        reason: "The oldest undelivered outbox job (incident.sync) has waited 1 hour 2 minutes, longer than READY_MAX_OUTBOX_AGE (1 hour): Slack or PagerDuty is not taking the bot's work.",
      });
    } finally {
      sqlite.$client.close();
      await db.delete(pgSchema.outbox);
      await db.delete(pgSchema.incidents);
    }
  });

  it('fails with the reason while the server is down, and passes again once it is back', async () => {
    const check = postgresWriteCheck(opened.pool);
    expect(await check()).toEqual({ status: 'ok' });
    await server.kill();
    expect(await check()).toEqual({ status: 'failing', reason: expect.stringMatching(/^The database cannot be reached: .+\.$/) });
    await server.restart();
    await expect.poll(async () => (await check()).status, { timeout: 10_000, interval: 50 }).toBe('ok');
  }, 30_000);
});
