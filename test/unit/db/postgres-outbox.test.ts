import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { foregroundReserve } from '../../../src/db/outbox.repo.js';
import { migratePostgres, openPostgres, type PostgresStore } from '../../../src/db/postgres/client.js';
import { claimStatement } from '../../../src/db/postgres/outbox-claim.js';
import { outboxRepo } from '../../../src/db/postgres/outbox.repo.js';
import type { OutboxJob } from '../../../src/domain/ports.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../../support/postgres-server.js';

type Outbox = ReturnType<typeof outboxRepo>;
type Replica = PostgresStore & { outbox: Outbox };

const at = new Date('2026-12-01T10:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const LEASE = 60_000;

const capture = (messageTs: string, incidentId = 1): OutboxJob => ({ kind: 'timeline.reconcile', incidentId, payload: { channelId: 'C0INC1', messageTs } });
const sync = (incidentId = 1): OutboxJob => ({ kind: 'incident.sync', incidentId, payload: {} });
const invite = (incidentId = 1): OutboxJob => ({ kind: 'slack.invite', incidentId, payload: { userIds: ['U0BOB'] } });
const post = (incidentId = 1): OutboxJob => ({ kind: 'slack.post', incidentId, payload: { target: 'incident', notice: { type: 'reopened', by: 'U1' } } });
const refresh = (final: boolean, incidentId = 1): OutboxJob => ({ kind: 'slo.refresh', incidentId, payload: { final } });
const page = (incidentId = 1): OutboxJob => ({
  kind: 'pagerduty.event',
  incidentId,
  payload: { action: 'trigger', service: 'default', dedupKey: `inc-${incidentId}-default`, message: null },
});

/**
 * The outbox on a real PostgreSQL, two pools on one database standing for
 * two replicas: the SQLite outbox's rules (test/unit/db/outbox-claim.test.ts,
 * outbox-slo-refresh.test.ts), then what only several replicas can break.
 */
describe.skipIf(!postgresAvailable('PostgreSQL outbox'))('the outbox on PostgreSQL', () => {
  let server: PostgresServer;
  const opened: PostgresStore[] = [];
  let a: Replica;
  let b: Replica;
  let outbox: Outbox;

  beforeAll(async () => {
    server = await startPostgres({ database: 'postgres_outbox' });
    [a, b] = [0, 1].map(() => {
      const store = openPostgres(server.url, { poolSize: 4 });
      opened.push(store);
      return { ...store, outbox: outboxRepo(store.db) };
    }) as [Replica, Replica];
    await migratePostgres(a.db);
    outbox = a.outbox;
  }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await server?.stop();
  }, 30_000);
  // An empty outbox, ids from 1, for each test: far quicker than a database each.
  beforeEach(() => a.pool.query('TRUNCATE outbox RESTART IDENTITY'));

  /** What a claim took, as kind and message. */
  const taken = async (limit: number, slots = limit, now = at, by = outbox) =>
    (await by.claim(now, LEASE, limit, slots))
      .sort((x, y) => x.id - y.id)
      .map((j) => (j.kind === 'timeline.reconcile' ? `capture ${(j.payload as { messageTs: string }).messageTs}` : j.kind));
  const rows = () => outbox.list();
  const enqueue = async (...jobs: OutboxJob[]) => {
    for (const job of jobs) await outbox.enqueue(job, at);
  };

  describe('the rules of the SQLite claim', () => {
    it('takes every other kind before a capture, whatever was queued first', async () => {
      for (let i = 1; i <= 30; i++) await outbox.enqueue(capture(`${i}.000100`), at);
      await enqueue(invite(2), sync(1));

      expect(await taken(1)).toEqual(['slack.invite']);
      expect(await taken(1)).toEqual(['incident.sync']);
      expect(await taken(2)).toEqual(['capture 1.000100', 'capture 2.000100']);
    });

    it('lets a capture wait only for an earlier capture of its own message', async () => {
      await enqueue(invite(1));
      expect(await taken(1)).toEqual(['slack.invite']);
      await enqueue(sync(1), capture('1.000100'), capture('2.000100'));
      expect(await taken(10)).toEqual(['capture 1.000100', 'capture 2.000100']);

      await enqueue(capture('1.000100'));
      expect(await taken(10)).toEqual([]);
      const first = (await rows()).find((j) => j.kind === 'timeline.reconcile' && j.status === 'running')!;
      await outbox.complete(first, at);
      expect(await taken(10)).toEqual(['capture 1.000100']);
    });

    it('keeps one pending capture per message, and queues a new one behind a running one', async () => {
      await enqueue(capture('1.000100'), capture('1.000100'), capture('1.000100', 2));
      expect(await rows()).toHaveLength(2);

      expect(await taken(10)).toEqual(['capture 1.000100', 'capture 1.000100']);
      await enqueue(capture('1.000100'), capture('1.000100'), capture('1.000100', 2));
      expect((await rows()).filter((j) => j.status === 'pending')).toHaveLength(2);
      expect((await rows()).map((j) => j.queue).sort()).toEqual(['timeline:1:1.000100', 'timeline:1:1.000100', 'timeline:2:1.000100', 'timeline:2:1.000100']);
    });

    it('leaves the last free slots of a worker to foreground work', async () => {
      for (let i = 1; i <= 20; i++) await outbox.enqueue(capture(`${i}.000100`), at);

      expect(await taken(8, 64)).toEqual([]);
      expect(await taken(10, 64)).toHaveLength(2);
      await enqueue(sync(1));
      expect(await taken(8, 64)).toEqual(['incident.sync']);
      expect(await taken(1, 2)).toHaveLength(1);
      expect(foregroundReserve(64)).toBe(8);
    });

    it('still takes urgent jobs first, and holds captures while one is due', async () => {
      await enqueue(capture('1.000100'), post(2), page(1));
      expect(await taken(10)).toEqual(['pagerduty.event']);
      expect(await taken(10)).toEqual([]);
      await outbox.complete((await rows()).find((j) => j.kind === 'pagerduty.event')!, at);
      expect(await taken(10)).toEqual(['capture 1.000100', 'slack.post']);
    });

    it('takes captures in the order they fell due, and one whose retry is not due yet not at all', async () => {
      await enqueue(capture('1.000100'), capture('2.000100'));
      const [first] = await outbox.claim(at, LEASE, 1);
      await outbox.retryAt(first!, later(5_000), 'ratelimited');
      await outbox.enqueue(capture('3.000100'), later(1_000));

      expect(await taken(10, 10, later(2_000))).toEqual(['capture 2.000100', 'capture 3.000100']);
      expect(await taken(10, 10, later(5_000))).toEqual(['capture 1.000100']);
    });

    it('takes over a capture whose process died mid-run', async () => {
      await enqueue(capture('1.000100'));
      expect(await taken(1)).toHaveLength(1);
      expect(await taken(1, 1, later(LEASE - 1))).toEqual([]);
      expect(await taken(1, 1, later(LEASE + 1))).toEqual(['capture 1.000100']);
    });

    it('runs SLO refreshes beside the Slack jobs, one pending per incident unless a final one follows', async () => {
      await enqueue(refresh(false), post(), refresh(false), refresh(true), refresh(false), refresh(true), refresh(false, 2));
      const pending = async () => (await rows()).filter((j) => j.kind === 'slo.refresh' && j.status === 'pending').map((j) => j.payload);
      expect(await pending()).toEqual([{ final: false }, { final: true }, { final: false }]);
      expect(await taken(10)).toEqual(['slo.refresh', 'slack.post', 'slo.refresh']);
      expect(await outbox.sloRefreshUnfinished(1)).toBe(true);
      // The final one waits for the running one of its incident.
      expect(await taken(10)).toEqual([]);
      for (const job of (await rows()).filter((j) => j.status === 'running')) await outbox.complete(job, at);
      expect(await taken(10)).toEqual(['slo.refresh']);
      expect((await rows()).find((j) => j.status === 'running')?.payload).toEqual({ final: true });
      for (const job of (await rows()).filter((j) => j.status === 'running')) await outbox.giveUp(job, at, 'prometheus down');
      expect(await outbox.sloRefreshUnfinished(1)).toBe(false);
    });

    it('counts as due only the first of each queue, and as running only live leases', async () => {
      await enqueue(invite(1), post(1), post(2), capture('1.000100'));
      expect(await outbox.activity(at)).toEqual({ due: 3, running: 0 });
      await outbox.claim(at, LEASE, 1);
      expect(await outbox.activity(at)).toEqual({ due: 2, running: 1 });
      expect(await outbox.activity(later(LEASE + 1))).toEqual({ due: 2, running: 0 });
    });
  });

  it('hands each of 200 jobs to exactly one of two replicas claiming at once', async () => {
    const jobs = [
      ...Array.from({ length: 100 }, (_, i) => invite(i + 1)),
      ...Array.from({ length: 50 }, (_, i) => page(i + 1)),
      ...Array.from({ length: 50 }, (_, i) => capture(`${i + 1}.000100`)),
    ];
    for (const job of jobs) await outbox.enqueue(job, at);
    const claimed: number[] = [];
    // Four workers a replica, each claiming a few at a time and finishing them, as the outbox thread does.
    const worker = async (replica: Replica) => {
      for (let round = 0; round < 400 && claimed.length < jobs.length; round++) {
        const got = await replica.outbox.claim(at, LEASE, 7);
        claimed.push(...got.map((j) => j.id));
        for (const job of got) {
          expect(job.attempts).toBe(1);
          await replica.outbox.complete(job, at);
        }
        if (got.length === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([a, a, a, a, b, b, b, b].map(worker));

    const ids = (await rows()).map((j) => j.id);
    expect(claimed.slice().sort((x, y) => x - y)).toEqual(ids);
    expect((await rows()).every((j) => j.status === 'done' && j.attempts === 1)).toBe(true);
  });

  it('keeps each queue in order across replicas: one job of a queue at a time, oldest first', async () => {
    for (let n = 0; n < 10; n++) for (let incident = 1; incident <= 20; incident++) await outbox.enqueue(n % 2 ? post(incident) : invite(incident), at);
    const running = new Set<number>();
    const order = new Map<number, number[]>();
    const worker = async (replica: Replica) => {
      for (let round = 0; round < 400 && [...order.values()].flat().length < 200; round++) {
        const got = await replica.outbox.claim(at, LEASE, 5);
        for (const job of got) {
          expect(running.has(job.incidentId!), `two jobs of incident ${job.incidentId} running at once`).toBe(false);
          running.add(job.incidentId!);
          order.set(job.incidentId!, [...(order.get(job.incidentId!) ?? []), job.id]);
        }
        // Off the books before the job is done in the database: the next of its queue can only follow that.
        for (const job of got) {
          running.delete(job.incidentId!);
          await replica.outbox.complete(job, at);
        }
        if (got.length === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([a, a, a, b, b, b].map(worker));

    const all = await rows();
    for (let incident = 1; incident <= 20; incident++) {
      expect(order.get(incident)).toEqual(all.filter((j) => j.incidentId === incident).map((j) => j.id));
    }
  });

  it('lets the other replica take over a job whose lease ran out, and only the new holder renew it', async () => {
    await enqueue(invite(1));
    const [mine] = await a.outbox.claim(at, LEASE, 10);
    expect(await taken(10, 10, later(LEASE - 1), b.outbox)).toEqual([]);
    // Renewed in time, the lease holds past its first end.
    await a.outbox.renewLeases([{ id: mine!.id, attempts: 1 }], later(LEASE - 1), LEASE);
    expect(await taken(10, 10, later(LEASE + 1), b.outbox)).toEqual([]);

    const [theirs] = await b.outbox.claim(later(2 * LEASE), LEASE, 10);
    expect(theirs).toMatchObject({ id: mine!.id, attempts: 2 });
    // The first replica's renewal names the attempt it claimed: it moves nothing now.
    await a.outbox.renewLeases([{ id: mine!.id, attempts: 1 }], later(2 * LEASE + 1), 10 * LEASE);
    expect((await rows())[0]?.leaseUntil).toEqual(later(3 * LEASE));
    await b.outbox.renewLeases([{ id: mine!.id, attempts: 2 }], later(2 * LEASE + 1), LEASE);
    expect((await rows())[0]?.leaseUntil).toEqual(later(3 * LEASE + 1));
  });

  it('keeps a pending job that absorbed an enqueue from any claim until the enqueuing transaction commits', async () => {
    await enqueue(sync(1));
    await a.db.transaction(async (tx) => {
      await outboxRepo(tx).enqueue(sync(1), at);
      // Claimed now, the sync could read the incident before this transaction's change is in.
      expect(await taken(10, 10, at, b.outbox)).toEqual([]);
    });
    expect(await taken(10, 10, at, b.outbox)).toEqual(['incident.sync']);
    expect(await rows()).toHaveLength(1);
  });

  it('reads the captures through their own index and stops once it has enough', async () => {
    // 10,000 captures due one millisecond apart, a few foreground jobs, and statistics that say so.
    await a.pool.query(
      `INSERT INTO outbox (incident_id, kind, queue, payload, status, next_run_at, created_at)
       SELECT 1, 'timeline.reconcile', 'timeline:1:' || g, '{}', 'pending', $1::timestamptz + g * interval '1 millisecond', $1 FROM generate_series(1, 10000) g`,
      [at],
    );
    for (let incident = 1; incident <= 20; incident++) await outbox.enqueue(sync(incident), at);
    await a.pool.query('ANALYZE outbox');

    const query = claimStatement(a.db, later(60_000), LEASE, 64, 64).toSQL();
    const explained = await a.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`, query.params);
    const nodes = flatten(explained.rows[0]!['QUERY PLAN'][0].Plan);
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([]);
    const captureScans = nodes.filter((n) => n['Index Name'] === 'outbox_background_due_idx');
    expect(captureScans.length).toBeGreaterThan(0);
    // It walks the captures in due order and stops: a few more than the 56 it takes, not 10,000.
    expect(Math.max(...captureScans.map((n) => n['Actual Rows'] ?? 0))).toBeLessThan(200);
    expect((await rows()).filter((j) => j.status === 'running')).toHaveLength(64);
  });
});

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Index Name'?: string;
  readonly 'Actual Rows'?: number;
  readonly Plans?: readonly PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}
