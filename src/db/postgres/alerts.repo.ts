import { and, asc, eq, isNotNull, isNull, min, ne } from 'drizzle-orm';
import type { AlertStatus } from '../../domain/model.js';
import type { AlertRecord, NewAlertGroup } from '../../domain/ports.js';
import type { alertsRepo as sqliteAlertsRepo } from '../alerts.repo.js';
import type { AsyncRepo } from '../store.js';
import type { PgExecutor } from './executor.js';
import { alertGroups, alerts, incidents } from './schema.js';
import { toAlert, toGroup } from '../rows.js';
import { isSupersededGroupKey, supersededGroupKey } from '../../domain/superseded-group.js';



/** Alert groups and their alerts on PostgreSQL: the same answers as ../alerts.repo.ts. */
export function alertsRepo(db: PgExecutor) {
  const first = async <T>(rows: PromiseLike<T[]>) => (await rows)[0];
  return {
    async group(groupKey: string) {
      const row = await first(db.select().from(alertGroups).where(eq(alertGroups.groupKey, groupKey)).limit(1));
      return row ? toGroup(row) : undefined;
    },
    async groupById(id: number) {
      const row = await first(db.select().from(alertGroups).where(eq(alertGroups.id, id)).limit(1));
      return row ? toGroup(row) : undefined;
    },
    async createGroup(group: NewAlertGroup, now: Date) {
      const row = await first(db.insert(alertGroups).values({ ...group, createdAt: now, updatedAt: now }).returning());
      return toGroup(row!);
    },
    async linkGroup(id: number, to: number, now: Date) {
      // One conditional UPDATE, which also names the group key its alerts are found by.
      const done = await first(
        db.update(alertGroups).set({ incidentId: to, updatedAt: now }).where(and(eq(alertGroups.id, id), isNull(alertGroups.incidentId))).returning({ key: alertGroups.groupKey }),
      );
      if (!done) return false;
      // The alerts keep their receive time: that is when the problem was detected, not when someone linked it.
      await db.update(alerts).set({ incidentId: to, updatedAt: now }).where(eq(alerts.groupKey, done.key));
      return true;
    },
    async supersedeGroup(id: number, now: Date) {
      const row = await first(db.select({ k: alertGroups.groupKey }).from(alertGroups).where(eq(alertGroups.id, id)).limit(1));
      if (!row || isSupersededGroupKey(row.k)) return;
      const key = supersededGroupKey(id, row.k);
      await db.update(alertGroups).set({ groupKey: key, updatedAt: now }).where(eq(alertGroups.id, id));
      await db.update(alerts).set({ groupKey: key, updatedAt: now }).where(eq(alerts.groupKey, row.k));
    },
    async openIncidentOfSameProblem(alertname: string, service: string | null, exceptGroupKey: string) {
      const row = await first(
        db
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
          .limit(1),
      );
      return row?.incidentId ?? undefined;
    },
    async recordGroupStatus(groupId: number, status: AlertStatus, now: Date) {
      await db.update(alertGroups).set({ status, updatedAt: now }).where(eq(alertGroups.id, groupId));
    },
    async recordNotice(groupId: number, channel: string, ts: string) {
      await db.update(alertGroups).set({ noticeChannel: channel, noticeTs: ts }).where(eq(alertGroups.id, groupId));
    },
    async alert(groupKey: string, fingerprint: string) {
      const row = await first(db.select().from(alerts).where(and(eq(alerts.groupKey, groupKey), eq(alerts.fingerprint, fingerprint))).limit(1));
      return row ? toAlert(row) : undefined;
    },
    async saveAlert(alert: AlertRecord, now: Date) {
      const values = { ...alert, labels: { ...alert.labels }, annotations: { ...alert.annotations } };
      await db
        .insert(alerts)
        .values({ ...values, receivedAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: [alerts.groupKey, alerts.fingerprint], set: { ...values, updatedAt: now } });
    },
    async alertsOfIncident(incidentId: number) {
      return (await db.select().from(alerts).where(eq(alerts.incidentId, incidentId)).orderBy(asc(alerts.id))).map(toAlert);
    },
    async alertsOfGroup(groupKey: string) {
      return (await db.select().from(alerts).where(eq(alerts.groupKey, groupKey)).orderBy(asc(alerts.id))).map(toAlert);
    },
    async firstReceivedAt(incidentId: number) {
      // received_at is set on the alert's first insert and never by a repeat: the first-seen time.
      // min() of the column decodes as the column does: a Date, or null with no alert.
      const row = await first(db.select({ at: min(alerts.receivedAt) }).from(alerts).where(eq(alerts.incidentId, incidentId)));
      return row?.at ?? null;
    },
    async runbookFor(incidentId: number) {
      const row = await first(
        db
          .select({ url: alertGroups.runbookUrl })
          .from(alertGroups)
          .where(and(eq(alertGroups.incidentId, incidentId), isNotNull(alertGroups.runbookUrl)))
          .orderBy(asc(alertGroups.id))
          .limit(1),
      );
      return row?.url ?? null;
    },
  } satisfies AsyncRepo<ReturnType<typeof sqliteAlertsRepo>>;
}
