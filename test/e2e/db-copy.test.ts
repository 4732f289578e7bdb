/**
 * `npm run db:copy` as an operator runs it, between a SQLite file the real
 * bot wrote and a real PostgreSQL: every row of every table read back
 * through the two drizzle schemas, the bot numbering on from the copy, a
 * target holding data refused, and a copy failing half-way leaving nothing.
 */
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { getTableName, is } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { openStore } from '../../src/db/open-store.js';
import { openPostgres } from '../../src/db/postgres/client.js';
import * as postgresSchema from '../../src/db/postgres/schema.js';
import * as sqliteSchema from '../../src/db/schema.js';
import type { SloFigures } from '../../src/domain/slo-figures.js';
import type { Store } from '../../src/db/store.js';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { sharedWorld } from '../support/shared-world.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every table of the SQLite schema beside its PostgreSQL twin, listed here apart from the script's own list. */
const TABLES = (Object.entries(sqliteSchema) as [string, unknown][])
  .filter((entry): entry is [string, SQLiteTable] => is(entry[1], SQLiteTable))
  .map(([property, sqlite]) => ({ name: getTableName(sqlite), sqlite, postgres: (postgresSchema as Record<string, unknown>)[property] as PgTable }));

type Rows = Record<string, unknown>[];
type Tables = Record<string, Rows>;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run db:copy -- ...args` as a separate process. */
function dbCopy(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/db-copy.ts', ...args], { cwd: ROOT }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

/** A value as text with object keys sorted (jsonb keeps its own key order), to put both sides' rows in one order. */
function canonical(value: unknown): string {
  if (value instanceof Date) return `Date(${value.toISOString()})`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sorted = (rows: Rows) => [...rows].sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1));

/** Every row of every table of a SQLite file, as drizzle reads them. */
function sqliteTables(file: string): Tables {
  const db = openDatabase(file);
  try {
    return Object.fromEntries(TABLES.map((table) => [table.name, sorted(db.select().from(table.sqlite).all())]));
  } finally {
    db.$client.close();
  }
}

/** Every row of every table of a PostgreSQL database, as drizzle reads them. */
async function postgresTables(url: string): Promise<Tables> {
  const postgres = openPostgres(url, { poolSize: 1 });
  try {
    const tables: Tables = {};
    for (const table of TABLES) tables[table.name] = sorted(await postgres.db.select().from(table.postgres));
    return tables;
  } finally {
    await postgres.close();
  }
}

const counts = (tables: Tables) => Object.fromEntries(Object.entries(tables).map(([name, rows]) => [name, rows.length]));

/** Writes through the store what the harness has no stand-in for here: a page, alerts, SLO figures, threshold posts, many follow-ups. */
async function recordTheRest(store: Store, at: Date): Promise<void> {
  await store.pages.requested(1, 'checkout', 'incident-1-checkout', 'U0ALICE', at);
  await store.pages.delivered('incident-1-checkout', 3, new Date(at.getTime() + 1_234));
  const groupKey = '{}/{severity="page"}:{alertname="CheckoutErrors"}';
  const firstStartsAt = new Date('2026-11-16T09:58:00.987Z');
  await store.alerts.createGroup(
    { groupKey, incidentId: 1, action: 'declared', offeredIncidentId: null, alertname: 'CheckoutErrors', service: 'checkout', firstStartsAt, runbookUrl: 'https://runbooks.example/checkout', status: 'firing', noticeChannel: null },
    at,
  );
  await store.alerts.saveAlert(
    {
      groupKey, fingerprint: '5f2c1a', incidentId: 1, status: 'firing', startsAt: firstStartsAt, endsAt: null,
      labels: { alertname: 'CheckoutErrors', zone: 'eu-west-1', severity: 'page' },
      annotations: { summary: '5xx above 2 % on “checkout” 🚨', description: 'line one\nline two\ttabbed' },
      generatorUrl: 'http://prometheus.example/graph?g0.expr=rate%28http_errors%5B5m%5D%29',
    },
    at,
  );
  const figures = {
    sloId: 'checkout/availability', service: 'checkout', name: 'availability', target: 0.999, windowText: '30d', windowMs: 2_592_000_000, budgetMs: 2_592_000,
    incident: { kind: 'missing', reason: 'Prometheus answered 503' }, status: { kind: 'missing', reason: 'no data' }, asked: ['error ratio over the impact', 'budget left'],
  } as unknown as SloFigures;
  await store.sloFigures.save(1, figures, at, true);
  // Past two batches of 500 for a table whose key has three columns, and for one keyed by id.
  for (let period = 0; period < 600; period++) for (const bp of [5000, 2500]) await store.thresholdPosts.claim('checkout/availability', 29_000 + period, bp, period % 2 ? 1 : null, at);
  for (let i = 1; i <= 1_200; i++) {
    await store.actions.add({ incidentId: 2, text: `Follow-up ${i}`, ownerId: 'U0BOB', dueDate: '2026-12-01', createdBy: 'U0BOB', createdAt: new Date(at.getTime() + i) });
  }
  await store.actions.reschedule(2, 7, '2026-12-01', '2026-12-08', at);
  await store.events.markProcessed('Ev0SEEDED', at);
}

describe.skipIf(!postgresAvailable('db:copy'))('npm run db:copy', () => {
  let server: PostgresServer;
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    server = await startPostgres({ database: 'db_copy' });
  }, 60_000);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => server?.stop());

  it('moves a SQLite database the bot wrote to PostgreSQL row for row, the bot numbers on from it, and it moves back', async () => {
    const world = await sharedWorld();
    cleanups.push(() => world.dispose());
    const clock = new FixedClock(new Date('2026-11-16T10:00:00.123Z'));
    const h = await Harness.start({ store: 'sqlite', slack: world.slack, databaseFile: world.databaseFile, bot: { clock } });
    cleanups.push(() => h.stop());
    await h.run('declare sev2 Checkout errors spiking', { userId: 'U0ALICE' });
    await h.run('declare sev3 Search slow: “quoted”, ünïcode 🚨', { userId: 'U0BOB' });
    const c1 = (await h.incidentChannel(1)).id;
    clock.advance(61_001);
    await h.run('role tech <@U0BOB|bob>', { channelId: c1, userId: 'U0ALICE' });
    await h.run('note Rolled back cart-service to v41', { channelId: c1, userId: 'U0BOB' });
    await h.run('status identified Bad index on the orders table', { channelId: c1, userId: 'U0BOB' });
    await h.run('action Add a timeout to the payment client <@U0BOB|bob> due 2026-11-20', { channelId: c1, userId: 'U0ALICE' });
    await h.run('action Canary stage for checkout <@U0CAROL|carol> due 2026-11-30', { channelId: c1, userId: 'U0ALICE' });
    await h.run('done 2', { channelId: c1, userId: 'U0CAROL' });
    clock.advance(47 * 60_000 + 7);
    await h.run('resolve Rolled back deploy 4812', { channelId: c1, userId: 'U0ALICE' });
    await recordTheRest(h.bot.store, clock.now());
    clock.set('2026-11-23T09:00:30.000Z');
    expect(await h.bot.digest.scheduler.check()).toBe('posted');
    await h.stop();

    const source = sqliteTables(world.databaseFile);
    // The history reaches every table, so a table the copy skipped or mangled shows.
    for (const [name, rows] of Object.entries(source)) expect(rows.length, name).toBeGreaterThan(0);
    const file = new Database(world.databaseFile, { readonly: true });
    const tablesInFile = file
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name")
      .all();
    file.close();
    expect(tablesInFile.map((row) => row.name)).toEqual(TABLES.map((table) => table.name).sort());

    const target = await server.createDatabase('moved');
    const label = target.replace(':incident_bot@', ':***@');
    const run = await dbCopy(world.databaseFile, target);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`The bot must be stopped on ${world.databaseFile}`);
    for (const [name, n] of Object.entries(counts(source))) expect(run.stdout).toMatch(new RegExp(`^  ${name} +${n.toLocaleString('en-US')} rows?$`, 'm'));
    const total = Object.values(counts(source)).reduce((a, b) => a + b, 0);
    expect(run.stdout).toMatch(new RegExp(`\\nCopied ${total.toLocaleString('en-US')} rows in ${TABLES.length} tables; the row counts in ${literal(label)} match ${literal(world.databaseFile)}\\.\\n$`));

    const moved = await postgresTables(target);
    for (const table of TABLES) expect(moved[table.name], table.name).toEqual(source[table.name]);

    // The bot on the copy: the next incident and the next follow-up get the next numbers, and every identity is past the copied ids.
    const onPostgres = await Harness.start({ store: 'sqlite', slack: world.slack, env: { DATABASE_URL: target }, bot: { clock } });
    cleanups.push(() => onPostgres.stop());
    await onPostgres.run('declare sev1 Payments down after the move', { userId: 'U0CAROL' });
    expect((await onPostgres.bot.store.incidents.get(3))?.title).toBe('Payments down after the move');
    await onPostgres.incidentChannel(3);
    await onPostgres.run('action Write up the move <@U0CAROL|carol> due 2026-12-01', { channelId: c1, userId: 'U0ALICE' });
    const added = await onPostgres.bot.store.actions.get(1, 3);
    expect(added).toMatchObject({ text: 'Write up the move', id: Math.max(...source.action_items!.map((row) => row.id as number)) + 1 });
    await onPostgres.stop();

    // A target holding data is refused, whatever it holds, and left as it was.
    const before = await postgresTables(target);
    const refused = await dbCopy(world.databaseFile, target);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(new RegExp(`^${literal(label)} already holds data \\(incidents: 3, action_items: 1,203, .*\\): db:copy writes only into an empty database, and has no --force\\. Nothing was written\\.\\n$`));
    expect(await postgresTables(target)).toEqual(before);
    const forced = await dbCopy(world.databaseFile, target, '--force');
    expect(forced.code).toBe(2);
    expect(forced.stderr).toMatch(/^There is no --force: db:copy writes only into an empty database\.\n/);

    // And back: PostgreSQL to a new SQLite file, row for row.
    const back = join(dirname(world.databaseFile), 'back.db');
    const returned = await dbCopy(target, back);
    expect(returned.stderr).toBe('');
    expect(returned.code).toBe(0);
    const backRows = sqliteTables(back);
    for (const table of TABLES) expect(backRows[table.name], table.name).toEqual(before[table.name]);
  }, 120_000);

  it('leaves the target empty when PostgreSQL refuses a row half-way, and says which', async () => {
    const world = await sharedWorld();
    cleanups.push(() => world.dispose());
    const opened = openStore(world.databaseFile);
    const at = new Date('2026-11-16T10:00:00.000Z');
    for (const title of ['Checkout errors', 'Search slow']) {
      await opened.store.incidents.create({ title, description: null, severity: 'sev2', isPrivate: false, declaredBy: 'U0ALICE', declaredAt: at, originChannelId: null, service: null });
    }
    for (let i = 1; i <= 1_100; i++) {
      // SQLite keeps a NUL in text; PostgreSQL refuses it: the last follow-up, in the third batch, after every incident is in.
      const text = i === 1_100 ? 'Rotate the key\u0000now' : `Follow-up ${i}`;
      await opened.store.actions.add({ incidentId: 1 + (i % 2), text, ownerId: 'U0BOB', dueDate: '2026-12-01', createdBy: 'U0BOB', createdAt: at });
    }
    await opened.close();

    const target = await server.createDatabase('half-way');
    const run = await dbCopy(world.databaseFile, target);
    expect(run.code).toBe(1);
    const label = literal(target.replace(':incident_bot@', ':***@'));
    expect(run.stderr).toMatch(
      new RegExp(`^The copy from ${literal(world.databaseFile)} to ${label} failed: action_items, in the 100 rows from id 1001: invalid byte sequence for encoding "UTF8": 0x00\\nNothing was written to ${label}\\.\\n$`),
    );
    // Migrated, and empty: the incidents inserted before the refused row were rolled back with it.
    expect(counts(await postgresTables(target))).toEqual(Object.fromEntries(TABLES.map((table) => [table.name, 0])));
  }, 60_000);
});

/** `text` as a regular expression matching only itself. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
