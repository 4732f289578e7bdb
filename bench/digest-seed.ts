/**
 * The digest benchmark's data, the same rows on either store: `incidents`
 * resolved incidents and `items` follow-ups spread over them and 500 owners,
 * the first `overdue` of them up to 60 days late, the rest open and due
 * within 90 days or already done.
 */
import type pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { addCalendarDays } from '../src/domain/due-date.js';

/** The day the digest runs on. */
export const DAY = '2026-11-23';

/** The sizes measured: [follow-ups, incidents, overdue]. */
export const SIZES = [
  [10_000, 1_000, 2_000],
  [100_000, 10_000, 20_000],
] as const;

/** Rows per INSERT when seeding PostgreSQL: one statement a batch, its columns as arrays. */
const PG_BATCH = 10_000;

interface ItemRow {
  readonly incidentId: number;
  readonly number: number;
  readonly text: string;
  readonly ownerId: string;
  readonly dueDate: string;
  readonly status: 'open' | 'done';
}

const incidentTitle = (i: number) => `Incident number ${i} with a title of ordinary length`;
const incidentChannel = (i: number) => `C${String(i).padStart(8, '0')}`;

function* itemRows(incidents: number, items: number, overdue: number): Generator<ItemRow> {
  for (let n = 0; n < items; n++) {
    const isOverdue = n < overdue;
    yield {
      incidentId: (n % incidents) + 1,
      number: Math.floor(n / incidents) + 1,
      text: `Follow-up ${n}: add an alert and a runbook entry for this failure mode`,
      ownerId: `U${String(n % 500).padStart(6, '0')}`,
      dueDate: isOverdue ? addCalendarDays(DAY, -1 - (n % 60)) : addCalendarDays(DAY, 1 + (n % 90)),
      status: isOverdue || n % 3 !== 0 ? 'open' : 'done',
    };
  }
}

/** Creates and fills a SQLite file (migrated as it opens), in one transaction. */
export function seedSqlite(file: string, incidents: number, items: number, overdue: number): void {
  const db = openDatabase(file);
  const sqlite = db.$client;
  const insertIncident = sqlite.prepare(
    "INSERT INTO incidents (id, title, severity, status, is_private, declared_by, declared_at, updated_at, channel_id) VALUES (?, ?, 'sev2', 'resolved', 0, 'U0ALICE', 0, 0, ?)",
  );
  const insertItem = sqlite.prepare(
    "INSERT INTO action_items (incident_id, number, text, owner_id, due_date, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 'U0ALICE', 0)",
  );
  sqlite.transaction(() => {
    for (let i = 1; i <= incidents; i++) insertIncident.run(i, incidentTitle(i), incidentChannel(i));
    for (const r of itemRows(incidents, items, overdue)) insertItem.run(r.incidentId, r.number, r.text, r.ownerId, r.dueDate, r.status);
  })();
  sqlite.close();
}

/**
 * Fills a migrated, empty PostgreSQL database: each batch one INSERT … SELECT
 * FROM unnest over one array parameter a column (a statement per row would
 * take a round trip each; a VALUES list runs out of parameters at 65,535),
 * then ANALYZE, so the planner knows the tables as it would in a database
 * that has been in use.
 */
export async function seedPostgres(pool: pg.Pool, incidents: number, items: number, overdue: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (let from = 1; from <= incidents; from += PG_BATCH) {
      const ids = Array.from({ length: Math.min(PG_BATCH, incidents - from + 1) }, (_, k) => from + k);
      await client.query(
        `INSERT INTO incidents (id, title, severity, status, is_private, declared_by, declared_at, updated_at, channel_id)
         SELECT id, title, 'sev2', 'resolved', false, 'U0ALICE', to_timestamp(0), to_timestamp(0), channel_id
         FROM unnest($1::int[], $2::text[], $3::text[]) AS t(id, title, channel_id)`,
        [ids, ids.map(incidentTitle), ids.map(incidentChannel)],
      );
    }
    let batch: ItemRow[] = [];
    const flush = async () => {
      await client.query(
        `INSERT INTO action_items (incident_id, number, text, owner_id, due_date, status, created_by, created_at)
         SELECT incident_id, number, text, owner_id, due_date, status, 'U0ALICE', to_timestamp(0)
         FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(incident_id, number, text, owner_id, due_date, status)`,
        [batch.map((r) => r.incidentId), batch.map((r) => r.number), batch.map((r) => r.text), batch.map((r) => r.ownerId), batch.map((r) => r.dueDate), batch.map((r) => r.status)],
      );
      batch = [];
    };
    for (const row of itemRows(incidents, items, overdue)) {
      batch.push(row);
      if (batch.length === PG_BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    await client.query('COMMIT');
    await client.query('ANALYZE incidents, action_items');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
