import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { startsAfter } from './impact-conditions.js';
import type { Incident, Severity, Status } from '../domain/model.js';
import type { IncidentRepo, NewIncident } from '../domain/ports.js';
import type { Db } from './client.js';
import type { SyncRepo } from './store.js';
import { incidents } from './schema.js';
import { toIncident } from './rows.js';


/** How far the Slack set-up of an incident has got (see effects/setup-incident). */
export interface SetupProgress {
  readonly channelId: string | null;
  readonly channelName: string | null;
  readonly channelNameTried: string | null;
  readonly channelAttempt: number;
  readonly headerTs: string | null;
  readonly headerPinned: boolean;
  readonly originChannelId: string | null;
  readonly topic: string | null;
}

const p = sql.placeholder;

/**
 * Incidents. The hot statements are prepared once (drizzle builds the SQL and
 * better-sqlite3 compiles it a single time); a declaration and its set-up run
 * a dozen of them.
 */
export function incidentsRepo(db: Db) {
  const byId = db.select().from(incidents).where(eq(incidents.id, p('id'))).prepare();
  const byChannel = db.select().from(incidents).where(eq(incidents.channelId, p('channelId'))).prepare();
  const insert = db
    .insert(incidents)
    .values({
      title: p('title'),
      description: p('description'),
      severity: p('severity'),
      status: 'investigating',
      isPrivate: p('isPrivate'),
      declaredBy: p('declaredBy'),
      declaredAt: p('declaredAt'),
      originChannelId: p('originChannelId'),
      service: p('service'),
      declaredVia: p('declaredVia'),
      updatedAt: p('declaredAt'),
    })
    .returning()
    .prepare();
  const setSeverity = db
    .update(incidents)
    .set({ severity: sql`${p('to')}`, updatedAt: sql`${p('now')}` })
    .where(and(eq(incidents.id, p('id')), eq(incidents.severity, p('from'))))
    .prepare();
  const setStatus = db
    .update(incidents)
    .set({ status: sql`${p('to')}`, updatedAt: sql`${p('now')}` })
    .where(and(eq(incidents.id, p('id')), eq(incidents.status, p('from'))))
    .prepare();
  const update = (id: number, values: Partial<typeof incidents.$inferInsert>) =>
    db.update(incidents).set(values).where(eq(incidents.id, id)).run();
  // The set-up's own records: fifty declarations at once make hundreds of them.
  const byIdWhere = eq(incidents.id, p('id'));
  const setChannelAttempt = db.update(incidents).set({ channelNameTried: sql`${p('name')}`, channelAttempt: sql`${p('attempt')}` }).where(byIdWhere).prepare();
  const setChannel = db.update(incidents).set({ channelId: sql`${p('channelId')}`, channelName: sql`${p('channelName')}` }).where(byIdWhere).prepare();
  const setHeader = db.update(incidents).set({ headerTs: sql`${p('headerTs')}` }).where(byIdWhere).prepare();
  const setHeaderPinned = db.update(incidents).set({ headerPinned: true }).where(and(byIdWhere, eq(incidents.headerPinned, false))).prepare();
  const setTopic = db.update(incidents).set({ topic: sql`${p('topic')}` }).where(byIdWhere).prepare();

  return {
    create(input: NewIncident): Incident {
      // Placeholders in values keep their column's encoder: Dates and booleans go in as they are.
      return toIncident(insert.get({ ...input, declaredVia: input.declaredVia ?? 'command' })!);
    },
    get(id: number): Incident | undefined {
      const row = byId.get({ id });
      return row && toIncident(row);
    },
    getByChannel(channelId: string): Incident | undefined {
      const row = byChannel.get({ channelId });
      return row && toIncident(row);
    },
    listOpen(): Incident[] {
      return db.select().from(incidents).where(ne(incidents.status, 'resolved')).all().map(toIncident);
    },
    changeSeverity(id: number, from: Severity, to: Severity, now: Date): boolean {
      return setSeverity.run({ id, from, to, now: now.getTime() }).changes === 1;
    },
    changeStatus(id: number, from: Status, to: Status, now: Date): boolean {
      return setStatus.run({ id, from, to, now: now.getTime() }).changes === 1;
    },
    markResolved(id: number, now: Date, summary: string | null): boolean {
      const result = db
        .update(incidents)
        .set({ status: 'resolved', resolvedAt: now, resolveSummary: summary, updatedAt: now })
        .where(and(eq(incidents.id, id), ne(incidents.status, 'resolved')))
        .run();
      return result.changes === 1;
    },
    reopen(id: number, now: Date): boolean {
      const result = db
        .update(incidents)
        .set({ status: 'investigating', resolvedAt: null, updatedAt: now })
        .where(and(eq(incidents.id, id), eq(incidents.status, 'resolved')))
        .run();
      return result.changes === 1;
    },
    recordAcknowledged(id: number, at: Date): boolean {
      return db.update(incidents).set({ acknowledgedAt: at }).where(and(eq(incidents.id, id), isNull(incidents.acknowledgedAt))).run().changes === 1;
    },
    setupProgress(id: number): SetupProgress | undefined {
      return byId.get({ id });
    },
    /** Records the name about to be sent to conversations.create, before sending it. */
    recordChannelAttempt(id: number, name: string, attempt: number): void {
      setChannelAttempt.run({ id, name, attempt });
    },
    recordChannel(id: number, channelId: string, channelName: string): void {
      setChannel.run({ id, channelId, channelName });
    },
    recordHeader(id: number, headerTs: string): void {
      setHeader.run({ id, headerTs });
    },
    /** Conditional on the pin not being recorded yet: false when another run of the set-up recorded it first. */
    recordHeaderPinned(id: number): boolean {
      return setHeaderPinned.run({ id }).changes === 1;
    },
    recordOncall(id: number, userIds: readonly string[]): void {
      // The first in the old column too: a release before the list still names them.
      update(id, { oncallUserId: userIds[0] ?? null, oncallUserIds: [...userIds] });
    },
    /** Conditional on the service still being `from` (someone else may have changed it). */
    setService(id: number, from: string | null, to: string, now: Date): boolean {
      const same = from === null ? isNull(incidents.service) : eq(incidents.service, from);
      return db.update(incidents).set({ service: to, updatedAt: now }).where(and(eq(incidents.id, id), same)).run().changes === 1;
    },
    setImpact(id: number, edge: 'started' | 'ended', at: Date, now: Date): void {
      update(id, edge === 'started' ? { impactStartedAt: at, updatedAt: now } : { impactEndedAt: at, updatedAt: now });
    },
    startImpactBefore(id: number, at: Date, now: Date): boolean {
      return db.update(incidents).set({ impactStartedAt: at, updatedAt: now }).where(and(eq(incidents.id, id), startsAfter(incidents, at))).run().changes === 1;
    },
    recordTopic(id: number, topic: string): void {
      setTopic.run({ id, topic });
    },
  } satisfies SyncRepo<IncidentRepo> & Record<string, unknown>;
}

export type IncidentsRepo = ReturnType<typeof incidentsRepo>;
