import { and, asc, eq, gte, inArray, isNull, lt, min, or, sql } from 'drizzle-orm';
import type { StatsPeriod } from '../../domain/stats-period.js';
import type { StatsRecords, StatsRepo } from '../../domain/stats.js';
import type { PgExecutor } from './executor.js';
import { actionItemReschedules, actionItems, alertGroups, alerts, incidents, sloFigures } from './schema.js';
import { statsFollowUps, statsIncidents } from '../rows.js';



/**
 * The stats records on PostgreSQL: the same five reads as the SQLite
 * repository (src/db/stats.repo.ts), each bounded by the period, sent at
 * once, each in the same fixed order: ids, then names bytewise (COLLATE "C",
 * SQLite's order, whatever the database's collation).
 */
export function statsRepo(db: PgExecutor): StatsRepo {
  return {
    async records(period: StatsPeriod): Promise<StatsRecords> {
      const declared = and(gte(incidents.declaredAt, period.from), lt(incidents.declaredAt, period.to));
      const ids = db.select({ id: incidents.id }).from(incidents).where(declared);
      const openInPeriod = and(lt(actionItems.createdAt, period.to), or(isNull(actionItems.closedAt), gte(actionItems.closedAt, period.from)));
      const [rows, names, firstAlerts, figures, items, changes] = await Promise.all([
        db.select().from(incidents).where(declared).orderBy(asc(incidents.id)),
        // Grouped rather than DISTINCT, which would refuse an ORDER BY on an expression it does not select.
        db
          .select({ incidentId: alertGroups.incidentId, alertname: alertGroups.alertname })
          .from(alertGroups)
          .where(inArray(alertGroups.incidentId, ids))
          .groupBy(alertGroups.incidentId, alertGroups.alertname)
          .orderBy(asc(alertGroups.incidentId), sql`${alertGroups.alertname} COLLATE "C"`),
        // received_at is set when an alert is first seen and kept by its repeats (the postmortem's "detected").
        db
          .select({ incidentId: alerts.incidentId, at: min(alerts.receivedAt) })
          .from(alerts)
          .where(inArray(alerts.incidentId, ids))
          .groupBy(alerts.incidentId),
        db.select().from(sloFigures).where(inArray(sloFigures.incidentId, ids)).orderBy(asc(sloFigures.incidentId), sql`${sloFigures.sloId} COLLATE "C"`),
        db
          .select({ id: actionItems.id, createdAt: actionItems.createdAt, dueDate: actionItems.dueDate, status: actionItems.status, closedAt: actionItems.closedAt })
          .from(actionItems)
          .where(openInPeriod)
          .orderBy(asc(actionItems.id)),
        db
          .select({ actionItemId: actionItemReschedules.actionItemId, wasDue: actionItemReschedules.wasDue, at: actionItemReschedules.at })
          .from(actionItemReschedules)
          .innerJoin(actionItems, eq(actionItems.id, actionItemReschedules.actionItemId))
          .where(openInPeriod)
          .orderBy(asc(actionItemReschedules.at), asc(actionItemReschedules.id)),
      ]);
      const firstAlert = new Map(firstAlerts.map((r) => [r.incidentId!, r.at]));
      const list = statsIncidents(rows, names, firstAlert, figures);
      return { incidents: list, followUps: statsFollowUps(items, changes) };
    },
  };
}
