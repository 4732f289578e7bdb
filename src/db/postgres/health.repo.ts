import { asc, count, inArray, min } from 'drizzle-orm';
import { ACTIVE_STATUSES } from '../../domain/model.js';
import { UNFINISHED_OUTBOX_STATUSES, type HealthRepo } from '../health.repo.js';
import type { PgExecutor } from './executor.js';
import { incidents, outbox } from './schema.js';

/** The health reads on PostgreSQL: the same statements and answers as ../health.repo.ts. */
export function healthRepo(db: PgExecutor): HealthRepo {
  const unfinished = inArray(outbox.status, [...UNFINISHED_OUTBOX_STATUSES]);
  return {
    async outboxBacklog() {
      const rows = await db
        .select({ kind: outbox.kind, n: count(), oldest: min(outbox.createdAt) })
        .from(outbox)
        .where(unfinished)
        .groupBy(outbox.kind)
        .orderBy(asc(outbox.kind));
      // A group has at least one row, so its min is never null.
      return rows.map((row) => ({ kind: row.kind, n: row.n, oldest: row.oldest! }));
    },
    async oldestUnfinishedJob() {
      const [row] = await db.select({ kind: outbox.kind, createdAt: outbox.createdAt }).from(outbox).where(unfinished).orderBy(asc(outbox.createdAt), asc(outbox.id)).limit(1);
      return row;
    },
    async openIncidentsBySeverity() {
      return db
        .select({ severity: incidents.severity, n: count() })
        .from(incidents)
        .where(inArray(incidents.status, [...ACTIVE_STATUSES]))
        .groupBy(incidents.severity)
        .orderBy(asc(incidents.severity));
    },
    async unfinishedJobs() {
      const [row] = await db.select({ n: count() }).from(outbox).where(unfinished);
      return row?.n ?? 0;
    },
  };
}
