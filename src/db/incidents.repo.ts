import { and, eq, ne } from 'drizzle-orm';
import type { Incident, Severity, Status } from '../domain/model.js';
import type { IncidentRepo, NewIncident } from '../domain/ports.js';
import type { Db } from './client.js';
import { incidents } from './schema.js';

type Row = typeof incidents.$inferSelect;

function toIncident(row: Row): Incident {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    severity: row.severity,
    status: row.status,
    isPrivate: row.isPrivate,
    declaredBy: row.declaredBy,
    declaredAt: row.declaredAt,
    resolvedAt: row.resolvedAt,
    channelId: row.channelId,
    channelName: row.channelName,
    headerTs: row.headerTs,
  };
}

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

export function incidentsRepo(db: Db) {
  const byId = (id: number) => db.select().from(incidents).where(eq(incidents.id, id)).get();
  return {
    create(input: NewIncident): Incident {
      const row = db
        .insert(incidents)
        .values({ ...input, status: 'investigating', updatedAt: input.declaredAt })
        .returning()
        .get();
      return toIncident(row);
    },
    get(id: number): Incident | undefined {
      const row = byId(id);
      return row && toIncident(row);
    },
    getByChannel(channelId: string): Incident | undefined {
      const row = db.select().from(incidents).where(eq(incidents.channelId, channelId)).get();
      return row && toIncident(row);
    },
    listOpen(): Incident[] {
      return db.select().from(incidents).where(ne(incidents.status, 'resolved')).all().map(toIncident);
    },
    changeSeverity(id: number, from: Severity, to: Severity, now: Date): boolean {
      const result = db
        .update(incidents)
        .set({ severity: to, updatedAt: now })
        .where(and(eq(incidents.id, id), eq(incidents.severity, from)))
        .run();
      return result.changes === 1;
    },
    changeStatus(id: number, from: Status, to: Status, now: Date): boolean {
      const result = db
        .update(incidents)
        .set({ status: to, updatedAt: now })
        .where(and(eq(incidents.id, id), eq(incidents.status, from)))
        .run();
      return result.changes === 1;
    },
    setupProgress(id: number): SetupProgress | undefined {
      return byId(id);
    },
    /** Records the name about to be sent to conversations.create, before sending it. */
    recordChannelAttempt(id: number, name: string, attempt: number): void {
      db.update(incidents).set({ channelNameTried: name, channelAttempt: attempt }).where(eq(incidents.id, id)).run();
    },
    recordChannel(id: number, channelId: string, channelName: string): void {
      db.update(incidents).set({ channelId, channelName }).where(eq(incidents.id, id)).run();
    },
    recordHeader(id: number, headerTs: string): void {
      db.update(incidents).set({ headerTs }).where(eq(incidents.id, id)).run();
    },
    recordHeaderPinned(id: number): void {
      db.update(incidents).set({ headerPinned: true }).where(eq(incidents.id, id)).run();
    },
    recordTopic(id: number, topic: string): void {
      db.update(incidents).set({ topic }).where(eq(incidents.id, id)).run();
    },
    /** Incidents whose channel or pinned header is not there yet. */
    unfinishedSetups(): number[] {
      return db
        .select({ id: incidents.id, channelId: incidents.channelId, pinned: incidents.headerPinned })
        .from(incidents)
        .all()
        .filter((r) => !r.channelId || !r.pinned)
        .map((r) => r.id);
    },
  } satisfies IncidentRepo & Record<string, unknown>;
}

export type IncidentsRepo = ReturnType<typeof incidentsRepo>;
