import { and, asc, eq, isNotNull, isNull, min, ne, sql } from 'drizzle-orm';
import type { AlertStatus } from '../../domain/model.js';
import type { AlertRecord, NewAlertGroup } from '../../domain/ports.js';
import type { alertsRepo as sqliteAlertsRepo } from '../alerts.repo.js';
import type { AsyncRepo } from '../store.js';
import { inTransaction, type PgExecutor } from './executor.js';
import { alertGroups, alerts, incidents } from './schema.js';
import { toAlert, toGroup } from '../rows.js';
import { isSupersededGroupKey, supersededGroupKey } from '../../domain/superseded-group.js';


/**
 * The first key of the transaction-level advisory lock on one problem (alert
 * name and service), the second being the problem's hash: two-key locks are
 * apart from the one-key ones of client.ts and incidents.repo.ts.
 */
export const SAME_PROBLEM_LOCK_CLASS = 1_768_842_083;

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
    /**
     * Two groups of one problem applied at once (an alert grouped by instance,
     * in a storm) would both find no incident, in transactions side by side,
     * and both declare one; on SQLite the second runs after the first and is
     * offered a merge. So the problem is locked first, until the caller's
     * transaction ends: the second look-up waits for the first group to be
     * committed, and its read, a statement after the lock, sees it. A hash
     * collision only makes two problems wait for each other.
     */
    openIncidentOfSameProblem(alertname: string, service: string | null, exceptGroupKey: string) {
      return inTransaction(db, async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${SAME_PROBLEM_LOCK_CLASS}::int, hashtext(${JSON.stringify([alertname, service])}))`);
        return sameProblemIncident(tx, alertname, service, exceptGroupKey);
      });
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

/** The open incident another group of this problem is linked to, the earliest group's first. */
async function sameProblemIncident(db: PgExecutor, alertname: string, service: string | null, exceptGroupKey: string): Promise<number | undefined> {
  const [row] = await db
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
    .limit(1);
  return row?.incidentId ?? undefined;
}
