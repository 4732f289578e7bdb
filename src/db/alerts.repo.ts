import { and, asc, eq, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import type { AlertRepo, NewAlertGroup } from '../domain/ports.js';
import type { Db } from './client.js';
import type { SyncRepo } from './store.js';
import { alertGroups, alerts, incidents } from './schema.js';
import { toAlert, toGroup } from './rows.js';
import { isSupersededGroupKey, supersededGroupKey } from '../domain/superseded-group.js';



/** Alert groups and their alerts: what makes a repeated webhook change nothing. */
export function alertsRepo(db: Db): SyncRepo<AlertRepo> {
  return {
    group(groupKey) {
      const row = db.select().from(alertGroups).where(eq(alertGroups.groupKey, groupKey)).get();
      return row ? toGroup(row) : undefined;
    },
    groupById(id) {
      const row = db.select().from(alertGroups).where(eq(alertGroups.id, id)).get();
      return row ? toGroup(row) : undefined;
    },
    createGroup(group: NewAlertGroup, now) {
      return toGroup(db.insert(alertGroups).values({ ...group, createdAt: now, updatedAt: now }).returning().get());
    },
    linkGroup(id, to, now) {
      const done = db.update(alertGroups).set({ incidentId: to, updatedAt: now }).where(and(eq(alertGroups.id, id), isNull(alertGroups.incidentId))).run().changes === 1;
      if (done) {
        const key = db.select({ k: alertGroups.groupKey }).from(alertGroups).where(eq(alertGroups.id, id)).get()!.k;
        // The alerts keep their receive time: that is when the problem was detected, not when someone linked it.
        db.update(alerts).set({ incidentId: to, updatedAt: now }).where(eq(alerts.groupKey, key)).run();
      }
      return done;
    },
    supersedeGroup(id, now) {
      const row = db.select({ k: alertGroups.groupKey }).from(alertGroups).where(eq(alertGroups.id, id)).get();
      if (!row || isSupersededGroupKey(row.k)) return;
      const key = supersededGroupKey(id, row.k);
      db.update(alertGroups).set({ groupKey: key, updatedAt: now }).where(eq(alertGroups.id, id)).run();
      db.update(alerts).set({ groupKey: key, updatedAt: now }).where(eq(alerts.groupKey, row.k)).run();
    },
    openIncidentOfSameProblem(alertname, service, exceptGroupKey) {
      const row = db
        .select({ incidentId: alertGroups.incidentId })
        .from(alertGroups)
        .innerJoin(incidents, eq(incidents.id, alertGroups.incidentId))
        .where(
          and(
            eq(alertGroups.alertname, alertname),
            service === null ? isNull(alertGroups.service) : eq(alertGroups.service, service),
            ne(alertGroups.groupKey, exceptGroupKey),
            isNotNull(alertGroups.incidentId),
            ne(incidents.status, 'resolved'),
          ),
        )
        .orderBy(asc(alertGroups.id))
        .get();
      return row?.incidentId ?? undefined;
    },
    recordNotice(groupId, channel, ts) {
      db.update(alertGroups).set({ noticeChannel: channel, noticeTs: ts }).where(eq(alertGroups.id, groupId)).run();
    },
    recordGroupStatus(groupId, status, now) {
      db.update(alertGroups).set({ status, updatedAt: now }).where(eq(alertGroups.id, groupId)).run();
    },
    alert(groupKey, fingerprint) {
      const row = db.select().from(alerts).where(and(eq(alerts.groupKey, groupKey), eq(alerts.fingerprint, fingerprint))).get();
      return row ? toAlert(row) : undefined;
    },
    saveAlert(alert, now) {
      const values = { ...alert, labels: { ...alert.labels }, annotations: { ...alert.annotations } };
      db.insert(alerts)
        .values({ ...values, receivedAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: [alerts.groupKey, alerts.fingerprint], set: { ...values, updatedAt: now } })
        .run();
    },
    alertsOfIncident(incidentId) {
      return db.select().from(alerts).where(eq(alerts.incidentId, incidentId)).orderBy(asc(alerts.id)).all().map(toAlert);
    },
    alertsOfGroup(groupKey) {
      return db.select().from(alerts).where(eq(alerts.groupKey, groupKey)).orderBy(asc(alerts.id)).all().map(toAlert);
    },
    firstReceivedAt(incidentId) {
      // received_at is set on the alert's first insert and never by a repeat: the first-seen time.
      const row = db.select({ at: sql<number | null>`min(${alerts.receivedAt})` }).from(alerts).where(eq(alerts.incidentId, incidentId)).get();
      return row?.at == null ? null : new Date(row.at);
    },
    runbookFor(incidentId) {
      const row = db
        .select({ url: alertGroups.runbookUrl })
        .from(alertGroups)
        .where(and(eq(alertGroups.incidentId, incidentId), sql`${alertGroups.runbookUrl} IS NOT NULL`))
        .orderBy(asc(alertGroups.id))
        .get();
      return row?.url ?? null;
    },
  };
}
