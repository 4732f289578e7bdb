/**
 * The digest at scale: 100,000 action items in 10,000 incidents, 20,000 of
 * them overdue. Times the whole computation of the digest's messages (plan,
 * then every chunk rendered to Block Kit, nothing posted) next to the bare SQL
 * query that selects the same rows, and the heap it needs at two sizes: flat
 * memory means the larger digest needs no more than the smaller one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openDatabase } from '../src/db/client.js';
import { createRepositories } from '../src/db/repositories.js';
import { addCalendarDays } from '../src/domain/due-date.js';
import { chunkDigest, UPCOMING_DAYS } from '../src/domain/digest.js';
import { DigestRunner } from '../src/jobs/digest-runner.js';
import type { SlackGateway } from '../src/slack/gateway.js';
import { digestChunkBlocks } from '../src/slack/views/digest.js';
import { FixedClock } from '../test/support/fixed-clock.js';
import { median } from './stats.js';

const DAY = '2026-11-23';

export function seed(file: string, incidents: number, items: number, overdue: number): void {
  const db = openDatabase(file);
  const sqlite = db.$client;
  const insertIncident = sqlite.prepare(
    "INSERT INTO incidents (id, title, severity, status, is_private, declared_by, declared_at, updated_at, channel_id) VALUES (?, ?, 'sev2', 'resolved', 0, 'U0ALICE', 0, 0, ?)",
  );
  const insertItem = sqlite.prepare(
    "INSERT INTO action_items (incident_id, number, text, owner_id, due_date, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 'U0ALICE', 0)",
  );
  sqlite.transaction(() => {
    for (let i = 1; i <= incidents; i++) insertIncident.run(i, `Incident number ${i} with a title of ordinary length`, `C${String(i).padStart(8, '0')}`);
    for (let n = 0; n < items; n++) {
      const incident = (n % incidents) + 1;
      const isOverdue = n < overdue;
      // Overdue: up to 60 days late. The rest: open and due later, or already done.
      const due = isOverdue ? addCalendarDays(DAY, -1 - (n % 60)) : addCalendarDays(DAY, 1 + (n % 90));
      const status = isOverdue || n % 3 !== 0 ? 'open' : 'done';
      insertItem.run(incident, Math.floor(n / incidents) + 1, `Follow-up ${n}: add an alert and a runbook entry for this failure mode`, `U${String(n % 500).padStart(6, '0')}`, due, status);
    }
  })();
  sqlite.close();
}

/** Live heap in MB: collected first when node runs with --expose-gc (npm run bench does). */
function liveHeapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

async function measure(file: string, runs: number) {
  const db = openDatabase(file);
  // Read through the store, as the bot reads: the plan lifted to a promise, the stream batch by batch.
  const repo = createRepositories(db).digest;
  const runner = new DigestRunner(repo, {} as SlackGateway, { channel: 'C0', dmOwners: false, timeZone: 'UTC' }, new FixedClock(new Date(`${DAY}T09:00:00Z`)), pino({ level: 'silent' }));
  const until = addCalendarDays(DAY, UPCOMING_DAYS);
  const bare = db.$client.prepare(
    `SELECT a.id, a.incident_id, a.number, a.text, a.owner_id, a.due_date, i.title, i.channel_id
     FROM action_items a JOIN incidents i ON i.id = a.incident_id
     WHERE a.status = 'open' AND a.due_date <= @until
     ORDER BY a.due_date >= @day, CASE WHEN a.due_date < @day THEN a.owner_id END, a.due_date, a.incident_id, a.number`,
  );
  const bareTimes: number[] = [];
  const digestTimes: number[] = [];
  let rows = 0;
  let messages = 0;
  let peak = 0;
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    rows = 0;
    for (const _ of bare.iterate({ day: DAY, until })) rows++;
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
  db.$client.close();
  return { rows, messages, bare: median(bareTimes), digest: median(digestTimes), peakHeapMb: peak };
}

export async function digestScaleBenchmark(out: (line?: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'incident-digest-bench-'));
  try {
    out('## Digest at scale');
    out();
    out('Computing every message of the digest (plan, then each chunk rendered to Block Kit; nothing posted), against the bare SQL query that selects the same rows. Median of 5 runs.');
    out();
    out('| action items | incidents | overdue | rows listed | messages | bare SQL | digest | ratio | peak live heap growth | target |');
    out('|---|---|---|---|---|---|---|---|---|---|');
    for (const [items, incidents, overdue] of [[10_000, 1_000, 2_000], [100_000, 10_000, 20_000]] as const) {
      const file = join(dir, `digest-${items}.db`);
      seed(file, incidents, items, overdue);
      const m = await measure(file, 5);
      out(
        `| ${items.toLocaleString('en')} | ${incidents.toLocaleString('en')} | ${overdue.toLocaleString('en')} | ${m.rows.toLocaleString('en')} | ${m.messages} | ${m.bare.toFixed(1)} ms | ${m.digest.toFixed(1)} ms | ${(m.digest / m.bare).toFixed(2)}× | ${m.peakHeapMb.toFixed(1)} MB | ${items === 100_000 ? '< 500 ms' : ''} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
