import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/db/client.js';
import { digestRepo as sqliteDigestRepo } from '../../../src/db/digest.repo.js';
import { migratePostgres, openPostgres, type PgDb, type PostgresStore } from '../../../src/db/postgres/client.js';
import { digestRepo } from '../../../src/db/postgres/digest.repo.js';
import * as pgSchema from '../../../src/db/postgres/schema.js';
import { statsRepo } from '../../../src/db/postgres/stats.repo.js';
import * as sqliteSchema from '../../../src/db/schema.js';
import { statsRepo as sqliteStatsRepo } from '../../../src/db/stats.repo.js';
import type { DigestItem } from '../../../src/domain/digest.js';
import { addCalendarDays } from '../../../src/domain/due-date.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server.js';

const DAY = '2026-11-23';
const UNTIL = addCalendarDays(DAY, 7);
const ITEMS = 10_000;
const BIG_OWNER = 'U0BIG';
const t0 = new Date('2026-11-01T00:00:00Z');
const hours = (h: number) => new Date(t0.getTime() + h * 3_600_000);

/** 100 incidents (every seventh private, one without a channel) and 10,000 follow-ups over 41 owners and 120 days. */
function rows() {
  const incidents = Array.from({ length: 100 }, (_, i) => ({
    id: i + 1,
    title: `Incident ${i + 1}`,
    severity: (['sev1', 'sev2', 'sev3'] as const)[i % 3]!,
    status: i % 4 ? ('resolved' as const) : ('investigating' as const),
    isPrivate: i % 7 === 0,
    declaredBy: 'U0ALICE',
    declaredAt: hours(i * 5),
    declaredVia: (['command', 'form', 'alert'] as const)[i % 3]!,
    acknowledgedAt: i % 2 ? hours(i * 5 + 1) : null,
    resolvedAt: i % 4 ? hours(i * 5 + 3) : null,
    channelId: i === 49 ? null : `C${i + 1}`,
    service: i % 5 ? 'checkout' : null,
    updatedAt: hours(i * 5),
  }));
  const items = Array.from({ length: ITEMS }, (_, n) => ({
    incidentId: (n % 100) + 1,
    number: Math.floor(n / 100) + 1,
    text: `Follow-up ${n}`,
    // One owner with thousands (the keyset crosses batches), the rest scattered so owners interleave.
    ownerId: n % 3 === 0 ? BIG_OWNER : `U${String((n * 7919) % 41).padStart(3, '0')}`,
    dueDate: addCalendarDays(DAY, ((n * 37) % 120) - 60),
    status: n % 5 === 0 ? ('done' as const) : ('open' as const),
    createdBy: 'U0ALICE',
    createdAt: hours(n % 600),
    closedAt: n % 5 === 0 ? hours((n % 600) + 30) : null,
  }));
  const groups = Array.from({ length: 40 }, (_, g) => ({
    groupKey: `g${g}`,
    incidentId: (g % 20) + 1,
    action: 'declared' as const,
    alertname: `Alert${g % 3}`,
    firstStartsAt: hours(g),
    createdAt: hours(g),
    updatedAt: hours(g),
  }));
  const alerts = groups.flatMap((group, g) =>
    [0, 1].map((f) => ({
      groupKey: group.groupKey,
      fingerprint: `f${f}`,
      incidentId: group.incidentId,
      status: 'firing' as const,
      startsAt: hours(g),
      labels: { alertname: group.alertname },
      annotations: {},
      receivedAt: hours(g + f * 2),
      updatedAt: hours(g + 10),
    })),
  );
  const figures = Array.from({ length: 30 }, (_, i) => ({
    incidentId: (i % 15) + 1,
    sloId: `checkout/slo${i % 2 === 0 ? 'a' : 'b'}${Math.floor(i / 15)}`,
    figures: { sloId: `checkout/slo${i}`, service: 'checkout', name: `slo ${i}`, incident: i % 4 ? { kind: 'measured', consumed: i / 100 } : { kind: 'missing' } },
    computedAt: hours(i),
    final: i % 2 === 0,
  }));
  return { incidents, items, groups, alerts, figures };
}

async function inChunks<T>(list: readonly T[], size: number, insert: (chunk: T[]) => Promise<unknown> | unknown): Promise<void> {
  for (let i = 0; i < list.length; i += size) await insert(list.slice(i, i + size));
}

/** The same rows in both databases, through each dialect's schema. */
async function seed(sqlite: Db, pg: PgDb): Promise<void> {
  const r = rows();
  sqlite.$client.transaction(() => {
    sqlite.insert(sqliteSchema.incidents).values(r.incidents).run();
    for (let i = 0; i < r.items.length; i += 500) sqlite.insert(sqliteSchema.actionItems).values(r.items.slice(i, i + 500)).run();
    sqlite.insert(sqliteSchema.alertGroups).values(r.groups).run();
    sqlite.insert(sqliteSchema.alerts).values(r.alerts).run();
    sqlite.insert(sqliteSchema.sloFigures).values(r.figures).run();
  })();
  await pg.insert(pgSchema.incidents).values(r.incidents);
  await inChunks(r.items, 1_000, (chunk) => pg.insert(pgSchema.actionItems).values(chunk));
  await pg.insert(pgSchema.alertGroups).values(r.groups);
  await pg.insert(pgSchema.alerts).values(r.alerts);
  await pg.insert(pgSchema.sloFigures).values(r.figures);
}

async function collect(items: AsyncIterable<DigestItem> | Iterable<DigestItem>): Promise<DigestItem[]> {
  const out: DigestItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * The digest's reads and the stats records on a real PostgreSQL, against
 * what the SQLite repositories answer over the same rows, and the digest's
 * claims between two replicas.
 */
describe.skipIf(!postgresAvailable('PostgreSQL digest and stats reads'))('the digest and stats reads on PostgreSQL', () => {
  let server: PostgresServer;
  let store: PostgresStore;
  let other: PostgresStore;
  let sqlite: Db;
  /** Rows each query to the server returned, in order. */
  const answered: number[] = [];

  beforeAll(async () => {
    server = await startPostgres({ database: 'postgres_reads' });
    store = openPostgres(server.url, { poolSize: 4 });
    other = openPostgres(server.url, { poolSize: 2 });
    await migratePostgres(store.db);
    sqlite = openDatabase(':memory:');
    await seed(sqlite, store.db);
    // Every statement drizzle sends goes through the pool's query.
    const query = store.pool.query.bind(store.pool) as (...args: unknown[]) => Promise<{ rows: unknown[] }>;
    (store.pool as unknown as { query: typeof query }).query = async (...args) => {
      const result = await query(...args);
      answered.push(result.rows.length);
      return result;
    };
  }, 60_000);
  afterAll(async () => {
    sqlite?.$client.close();
    await Promise.all([store?.close(), other?.close()]);
    await server?.stop();
  }, 30_000);

  it('plans the 10,000-item digest as SQLite does, and streams it in plan order, 500 rows a query at most', async () => {
    const pg = digestRepo(store.db);
    const lite = sqliteDigestRepo(sqlite);
    const plan = await pg.plan(DAY, UNTIL);
    expect(plan).toEqual(await lite.plan(DAY, UNTIL));
    expect(plan.totals.overdue).toBeGreaterThan(3_000);
    expect(plan.totals.upcoming).toBeGreaterThan(300);

    answered.length = 0;
    const streamed = await collect(pg.streamIds(plan.itemIds));
    expect(streamed.map((i) => i.id)).toEqual(plan.itemIds);
    expect(streamed).toEqual(await collect(lite.streamIds(plan.itemIds)));
    expect(answered).toHaveLength(Math.ceil(plan.itemIds.length / 500));
    expect(Math.max(...answered)).toBe(500);

    // Overdue first, by owner (as bytes), then due date, incident and number; then upcoming by date.
    const key = (i: DigestItem) => (i.dueDate < DAY ? `0 ${i.ownerId} ${i.dueDate}` : `1 ${i.dueDate}`) + ` ${String(i.incidentId).padStart(4, '0')} ${String(i.number).padStart(4, '0')}`;
    const keys = streamed.map(key);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(plan.owners)).toEqual(new Set(streamed.filter((i) => i.dueDate < DAY).map((i) => i.ownerId)));
  });

  it('counts the planned items of private incidents outside the channel and the reader, as SQLite does', async () => {
    const pg = digestRepo(store.db);
    const lite = sqliteDigestRepo(sqlite);
    const { itemIds } = await pg.plan(DAY, UNTIL);
    for (const [channel, reader] of [['C0DIGEST', null], ['C8', null], ['C0DIGEST', BIG_OWNER], ['C1', 'U007']] as const) {
      const count = await pg.privateCount(itemIds, channel, reader);
      expect(count, `${channel} for ${reader}`).toBe(await lite.privateCount(itemIds, channel, reader));
      expect(count).toBeGreaterThan(0);
    }
  });

  it('lets one of two replicas claim a period, the other take it over once the lease runs out, and neither after it is done', async () => {
    const [mine, theirs] = [digestRepo(store.db), digestRepo(other.db)];
    const now = new Date('2026-11-23T09:00:00Z');
    const outcomes = await Promise.all([mine.claim('w48', 'A', DAY, now, 60_000), theirs.claim('w48', 'B', DAY, now, 60_000)]);
    expect(outcomes.sort()).toEqual(['busy', 'claimed']);
    const holder = (await mine.run('w48'))!.owner;
    const [held, free] = holder === 'A' ? [mine, theirs] : [theirs, mine];
    const freeOwner = holder === 'A' ? 'B' : 'A';
    expect(await free.renew('w48', freeOwner, now, 60_000)).toBe(false);
    expect(await held.renew('w48', holder, now, 60_000)).toBe(true);

    const plan = await held.plan(DAY, UNTIL);
    await held.setPlan('w48', plan);
    await held.recordPart('w48', 'channel:0', '1.0001');
    await free.recordPart('w48', 'channel:0', '9.9999');
    expect((await free.run('w48'))?.plan).toEqual(plan);

    const late = new Date(now.getTime() + 120_001);
    expect(await free.claim('w48', freeOwner, DAY, late, 60_000)).toBe('taken-over');
    expect(await held.renew('w48', holder, late, 60_000)).toBe(false);
    expect(await free.postedParts('w48')).toEqual(new Map([['channel:0', '1.0001']]));
    await free.finish('w48', freeOwner, late);
    expect(await held.claim('w48', holder, DAY, new Date(late.getTime() + 600_000), 60_000)).toBe('done');
    expect(await free.run('w48')).toMatchObject({ status: 'done', owner: freeOwner, finishedAt: late });
  });

  it('reads the stats records of a period as SQLite does', async () => {
    const pg = statsRepo(store.db);
    const lite = sqliteStatsRepo(sqlite);
    for (const period of [{ from: hours(0), to: hours(200) }, { from: hours(60), to: hours(400) }, { from: hours(900), to: hours(1_000) }]) {
      const [mine, theirs] = [await pg.records(period), await lite.records(period)];
      const sorted = (r: typeof mine) => ({ ...r, incidents: r.incidents.map((i) => ({ ...i, alertNames: [...i.alertNames].sort(), burns: [...i.burns].sort((x, y) => x.sloId.localeCompare(y.sloId)) })) });
      expect(sorted(mine)).toEqual(sorted(theirs));
      if (period.from.getTime() === hours(0).getTime()) {
        expect(mine.incidents.some((i) => i.burns.length > 0 && i.alertNames.length > 0 && i.firstAlertAt)).toBe(true);
        expect(mine.followUps.length).toBeGreaterThan(0);
      }
    }
  });
});
