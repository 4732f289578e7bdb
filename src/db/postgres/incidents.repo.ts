import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { startsAfter } from '../impact-conditions.js';
import type { Incident, Severity, Status } from '../../domain/model.js';
import type { NewIncident } from '../../domain/ports.js';
import type { incidentsRepo as sqliteIncidentsRepo, SetupProgress } from '../incidents.repo.js';
import type { AsyncRepo } from '../store.js';
import { inTransaction, type PgExecutor } from './executor.js';
import { incidents } from './schema.js';
import { toIncident } from '../rows.js';


/**
 * The transaction-level advisory lock a declaration holds from its number to
 * its commit: the migration lock's key (client.ts) plus one.
 */
export const INCIDENT_NUMBER_LOCK_KEY = '29676245803495285';

/**
 * Incidents on PostgreSQL: the same answers as ../incidents.repo.ts. Every
 * conditional change is one UPDATE whose WHERE is the condition: of two
 * replicas changing one row at once, the second waits for the first, then
 * finds the condition false (PostgreSQL checks it again on the row the first
 * committed) and answers false.
 */
export function incidentsRepo(db: PgExecutor) {
  const byId = (id: number) => db.select().from(incidents).where(eq(incidents.id, id)).limit(1);
  const changed = async (query: PromiseLike<{ rowCount: number | null }>) => (await query).rowCount === 1;
  const update = async (id: number, values: Partial<typeof incidents.$inferInsert>) => {
    await db.update(incidents).set(values).where(eq(incidents.id, id));
  };

  return {
    /**
     * The number is the highest so far plus one, taken under a lock held to
     * the declaration's commit: a sequence would be unique too, but a
     * declaration rolled back would leave its number unused (SQLite hands it
     * out again), and a database copied from SQLite would need its sequence
     * moved past the copied ids. The lock is taken by its own statement, so
     * the max is read by the next one, which sees the declaration before.
     */
    create(input: NewIncident): Promise<Incident> {
      return inTransaction(db, async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${INCIDENT_NUMBER_LOCK_KEY}::bigint)`);
        const [row] = await tx
          .insert(incidents)
          .values({
            id: sql`(SELECT coalesce(max(${incidents.id}), 0) + 1 FROM ${incidents})`,
            title: input.title,
            description: input.description,
            severity: input.severity,
            status: 'investigating',
            isPrivate: input.isPrivate,
            declaredBy: input.declaredBy,
            declaredAt: input.declaredAt,
            originChannelId: input.originChannelId,
            service: input.service,
            declaredVia: input.declaredVia ?? 'command',
            updatedAt: input.declaredAt,
          })
          .returning();
        return toIncident(row!);
      });
    },
    async get(id: number): Promise<Incident | undefined> {
      const [row] = await byId(id);
      return row && toIncident(row);
    },
    async getByChannel(channelId: string): Promise<Incident | undefined> {
      const [row] = await db.select().from(incidents).where(eq(incidents.channelId, channelId)).limit(1);
      return row && toIncident(row);
    },
    async listOpen(): Promise<Incident[]> {
      // In id order, as SQLite's scan of the table gives them.
      const rows = await db.select().from(incidents).where(ne(incidents.status, 'resolved')).orderBy(asc(incidents.id));
      return rows.map(toIncident);
    },
    changeSeverity(id: number, from: Severity, to: Severity, now: Date): Promise<boolean> {
      return changed(db.update(incidents).set({ severity: to, updatedAt: now }).where(and(eq(incidents.id, id), eq(incidents.severity, from))));
    },
    changeStatus(id: number, from: Status, to: Status, now: Date): Promise<boolean> {
      return changed(db.update(incidents).set({ status: to, updatedAt: now }).where(and(eq(incidents.id, id), eq(incidents.status, from))));
    },
    markResolved(id: number, now: Date, summary: string | null): Promise<boolean> {
      return changed(
        db
          .update(incidents)
          .set({ status: 'resolved', resolvedAt: now, resolveSummary: summary, updatedAt: now })
          .where(and(eq(incidents.id, id), ne(incidents.status, 'resolved'))),
      );
    },
    reopen(id: number, now: Date): Promise<boolean> {
      return changed(
        db.update(incidents).set({ status: 'investigating', resolvedAt: null, updatedAt: now }).where(and(eq(incidents.id, id), eq(incidents.status, 'resolved'))),
      );
    },
    recordAcknowledged(id: number, at: Date): Promise<boolean> {
      return changed(db.update(incidents).set({ acknowledgedAt: at }).where(and(eq(incidents.id, id), isNull(incidents.acknowledgedAt))));
    },
    async setupProgress(id: number): Promise<SetupProgress | undefined> {
      // The whole row, as the SQLite repository answers.
      const [row] = await byId(id);
      return row;
    },
    /** Records the name about to be sent to conversations.create, before sending it. */
    recordChannelAttempt(id: number, name: string, attempt: number): Promise<void> {
      return update(id, { channelNameTried: name, channelAttempt: attempt });
    },
    recordChannel(id: number, channelId: string, channelName: string): Promise<void> {
      return update(id, { channelId, channelName });
    },
    recordHeader(id: number, headerTs: string): Promise<void> {
      return update(id, { headerTs });
    },
    /** Conditional on the pin not being recorded yet: false when another run of the set-up recorded it first. */
    recordHeaderPinned(id: number): Promise<boolean> {
      return changed(db.update(incidents).set({ headerPinned: true }).where(and(eq(incidents.id, id), eq(incidents.headerPinned, false))));
    },
    recordOncall(id: number, userIds: readonly string[]): Promise<void> {
      // The first in the old column too: a release before the list still names them.
      return update(id, { oncallUserId: userIds[0] ?? null, oncallUserIds: [...userIds] });
    },
    /** Conditional on the service still being `from` (someone else may have changed it). */
    setService(id: number, from: string | null, to: string, now: Date): Promise<boolean> {
      const same = from === null ? isNull(incidents.service) : eq(incidents.service, from);
      return changed(db.update(incidents).set({ service: to, updatedAt: now }).where(and(eq(incidents.id, id), same)));
    },
    setImpact(id: number, edge: 'started' | 'ended', at: Date, now: Date): Promise<void> {
      return update(id, edge === 'started' ? { impactStartedAt: at, updatedAt: now } : { impactEndedAt: at, updatedAt: now });
    },
    startImpactBefore(id: number, at: Date, now: Date): Promise<boolean> {
      return changed(db.update(incidents).set({ impactStartedAt: at, updatedAt: now }).where(and(eq(incidents.id, id), startsAfter(incidents, at))));
    },
    recordTopic(id: number, topic: string): Promise<void> {
      return update(id, { topic });
    },
  } satisfies AsyncRepo<ReturnType<typeof sqliteIncidentsRepo>>;
}
