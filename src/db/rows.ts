/**
 * Rows of the store's tables turned into the domain's records: the same for
 * SQLite and PostgreSQL, whose schemas give the same row types
 * (test/unit/db/postgres-migrations.test.ts checks they do).
 */
import type { AlertGroupRecord, AlertRecord } from '../domain/ports.js';
import type { Incident } from '../domain/model.js';
import type { SloFigures } from '../domain/slo-figures.js';
import type { StatsBurn, StatsFollowUp, StatsIncident } from '../domain/stats.js';
import type { alertGroups, alerts, incidents } from './schema.js';

type IncidentRow = typeof incidents.$inferSelect;
type GroupRow = typeof alertGroups.$inferSelect;
type AlertRow = typeof alerts.$inferSelect;

/** Rows by a numeric key, each key's rows in the order given. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const list = out.get(key(row));
    if (list) list.push(row);
    else out.set(key(row), [row]);
  }
  return out;
}

export function toIncident(row: IncidentRow): Incident {
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
    acknowledgedAt: row.acknowledgedAt,
    resolveSummary: row.resolveSummary,
    oncallUserIds: row.oncallUserIds ?? (row.oncallUserId ? [row.oncallUserId] : []),
    channelId: row.channelId,
    channelName: row.channelName,
    headerTs: row.headerTs,
    service: row.service,
    impactStartedAt: row.impactStartedAt,
    impactEndedAt: row.impactEndedAt,
  };
}

export function toGroup(row: GroupRow): AlertGroupRecord {
  return {
    id: row.id,
    groupKey: row.groupKey,
    incidentId: row.incidentId,
    action: row.action,
    offeredIncidentId: row.offeredIncidentId,
    alertname: row.alertname,
    service: row.service,
    firstStartsAt: row.firstStartsAt,
    runbookUrl: row.runbookUrl,
    status: row.status,
    noticeChannel: row.noticeChannel,
    noticeTs: row.noticeTs,
  };
}

export function toAlert(row: AlertRow): AlertRecord {
  return {
    groupKey: row.groupKey,
    fingerprint: row.fingerprint,
    incidentId: row.incidentId,
    status: row.status,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    labels: row.labels,
    annotations: row.annotations,
    generatorUrl: row.generatorUrl,
  };
}

export function toBurn(figures: SloFigures): StatsBurn {
  const use = figures.incident;
  return {
    sloId: figures.sloId,
    service: figures.service,
    name: figures.name,
    consumed: use.kind === 'missing' ? null : use.consumed,
    estimate: use.kind === 'estimate',
    ...(use.kind === 'measured' && use.notKept ? { atLeast: true } : {}),
  };
}

/**
 * The incidents of a stats period as the figures read them: each row with the
 * alert names and first receive time of its alerts and its SLO burns, read
 * by one query each (not one per incident).
 */
export function statsIncidents(
  rows: readonly IncidentRow[],
  names: readonly { incidentId: number | null; alertname: string }[],
  firstAlert: ReadonlyMap<number, Date | null>,
  figures: readonly { incidentId: number; figures: unknown }[],
): StatsIncident[] {
  const namesOf = groupBy(names, (r) => r.incidentId!);
  const burns = groupBy(figures, (r) => r.incidentId);
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    isPrivate: row.isPrivate,
    channelId: row.channelId,
    severity: row.severity,
    declaredVia: row.declaredVia,
    declaredAt: row.declaredAt,
    acknowledgedAt: row.acknowledgedAt,
    resolvedAt: row.resolvedAt,
    impactStartedAt: row.impactStartedAt,
    impactEndedAt: row.impactEndedAt,
    service: row.service,
    firstAlertAt: firstAlert.get(row.id) ?? null,
    alertNames: (namesOf.get(row.id) ?? []).map((n) => n.alertname),
    burns: (burns.get(row.id) ?? []).map((b) => toBurn(b.figures as SloFigures)),
  }));
}

/** The follow-ups of a period, each with the changes of its due date (`changes` in the order they were made). */
export function statsFollowUps(
  rows: readonly (Omit<StatsFollowUp, 'reschedules'> & { readonly id: number })[],
  changes: readonly { readonly actionItemId: number; readonly wasDue: string; readonly at: Date }[],
): StatsFollowUp[] {
  const byItem = new Map<number, { wasDue: string; at: Date }[]>();
  for (const c of changes) {
    const list = byItem.get(c.actionItemId) ?? [];
    list.push({ wasDue: c.wasDue, at: c.at });
    byItem.set(c.actionItemId, list);
  }
  return rows.map(({ id, ...row }) => ({ ...row, reschedules: byItem.get(id) ?? [] }));
}
