import { and, asc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { StatsPeriod } from '../domain/stats-period.js';
import type { StatsRecords, StatsRepo } from '../domain/stats.js';
import type { Db } from './client.js';
import type { SyncRepo } from './store.js';
import { actionItemReschedules, actionItems, alertGroups, alerts, incidents, sloFigures } from './schema.js';
import { statsFollowUps, statsIncidents } from './rows.js';



/**
 * The records reliability figures are computed from: the incidents declared
 * in a period, with their alerts' names and first receive time and the SLO
 * figures last stored for them, and the follow-ups open at some time in it.
 * Six reads, each bounded by the period (`declared_at` and the follow-ups'
 * creation and close times), none per incident.
 */
export function statsRepo(db: Db): SyncRepo<StatsRepo> {
  return {
    records(period: StatsPeriod): StatsRecords {
      const declared = and(gte(incidents.declaredAt, period.from), lt(incidents.declaredAt, period.to));
      const ids = db.select({ id: incidents.id }).from(incidents).where(declared);
      // Each list in a fixed order, as on PostgreSQL: an incident's first alert name is the one a repeat is named after.
      const rows = db.select().from(incidents).where(declared).orderBy(asc(incidents.id)).all();
      const names = db
        .selectDistinct({ incidentId: alertGroups.incidentId, alertname: alertGroups.alertname })
        .from(alertGroups)
        .where(inArray(alertGroups.incidentId, ids))
        .orderBy(asc(alertGroups.incidentId), asc(alertGroups.alertname))
        .all();
      // received_at is set when an alert is first seen and kept by its repeats (the postmortem's "detected").
      const firstAlert = new Map(
        db
          .select({ incidentId: alerts.incidentId, at: sql<number>`min(${alerts.receivedAt})` })
          .from(alerts)
          .where(inArray(alerts.incidentId, ids))
          .groupBy(alerts.incidentId)
          .all()
          .map((r) => [r.incidentId!, new Date(r.at)]),
      );
      const figures = db.select().from(sloFigures).where(inArray(sloFigures.incidentId, ids)).orderBy(asc(sloFigures.incidentId), asc(sloFigures.sloId)).all();
      const list = statsIncidents(rows, names, firstAlert, figures);
      const openInPeriod = and(lt(actionItems.createdAt, period.to), or(isNull(actionItems.closedAt), gte(actionItems.closedAt, period.from)));
      const items = db
        .select({ id: actionItems.id, createdAt: actionItems.createdAt, dueDate: actionItems.dueDate, status: actionItems.status, closedAt: actionItems.closedAt })
        .from(actionItems)
        .where(openInPeriod)
        .orderBy(asc(actionItems.id))
        .all();
      const changes = db
        .select({ actionItemId: actionItemReschedules.actionItemId, wasDue: actionItemReschedules.wasDue, at: actionItemReschedules.at })
        .from(actionItemReschedules)
        .innerJoin(actionItems, eq(actionItems.id, actionItemReschedules.actionItemId))
        .where(openInPeriod)
        .orderBy(asc(actionItemReschedules.at), asc(actionItemReschedules.id))
        .all();
      return { incidents: list, followUps: statsFollowUps(items, changes) };
    },
  };
}
