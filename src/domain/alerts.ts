/**
 * What alerts from Alertmanager do to incidents. One group (groupKey) maps
 * to one incident; each alert is kept by fingerprint, so a repeat of the
 * group (repeat_interval, Alertmanager's retries and restarts) finds what it
 * already said and changes nothing. Anything a person should decide (reopen,
 * resolve, merge, declare from a notice) is offered with a button, never
 * done in silence.
 */
import { alertActionFor, type AlertRules } from './alert-rules.js';
import { cleanLine, cutText } from './clean-text.js';
import { declareIncident } from './declare.js';
import { MAX_TITLE_LENGTH } from './command-parser.js';
import type { Actor, AlertStatus, Incident } from './model.js';
import type { AlertGroupRecord, AlertNotice, AlertRecord, Deps } from './ports.js';
import { resolveIncident } from './resolve.js';

/** The bot declaring from an alert: recorded as `system:alertmanager`. */
export const ALERTMANAGER_ACTOR: Actor = { type: 'system', job: 'alertmanager' };

export interface ReceivedAlert {
  readonly status: AlertStatus;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: Date;
  /** Null while firing (Alertmanager sends year 1 then). */
  readonly endsAt: Date | null;
  readonly generatorUrl: string | null;
  readonly fingerprint: string;
}

/** One webhook notification: one group, as Alertmanager sees it now. */
export interface AlertNotification {
  readonly groupKey: string;
  /**
   * The group's status as Alertmanager computed it over all its alerts, before
   * `max_alerts` truncated the list: `resolved` only when none still fires,
   * even one the bot was not sent.
   */
  readonly status: AlertStatus;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly alerts: readonly ReceivedAlert[];
}

export type AlertOutcome =
  | { readonly kind: 'unchanged'; readonly incidentId: number | null }
  | { readonly kind: 'declared' | 'updated' | 'reopen_offered' | 'notified' | 'merge_offered' | 'recorded'; readonly incidentId: number | null };

/** The first of the configured labels whose value is a service of the SLO catalog. */
export function alertService(deps: Deps, rules: AlertRules, labels: Readonly<Record<string, string>>): string | null {
  const known = deps.slo.catalog.slos.map((s) => s.service);
  for (const name of rules.serviceLabels) {
    const value = labels[name]?.trim().toLowerCase();
    const found = value ? known.find((s) => s.toLowerCase() === value) : undefined;
    if (found) return found;
  }
  return null;
}

export function alertTitle(alert: ReceivedAlert, alertname: string, service: string | null): string {
  // Cleaned as a typed title is (declare refuses one with nothing visible): a summary of only
  // zero-width or combining characters falls back to the name, so the incident is still declared.
  const summary = cleanLine(alert.annotations.summary ?? '');
  const name = cleanLine(alertname) || 'Alert from Alertmanager';
  const title = summary || `${name}${service ? ` on ${service}` : ''}`;
  return cutText(title, MAX_TITLE_LENGTH);
}

function runbookOf(alert: ReceivedAlert): string | null {
  const url = alert.annotations.runbook_url ?? alert.annotations.runbook;
  return url && /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
}

/** A timeline line for an alert: what, its labels and its Prometheus link. */
export function alertLine(alert: ReceivedAlert, again: boolean): string {
  const labels = Object.entries(alert.labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  const name = alert.labels.alertname ?? 'alert';
  const link = alert.generatorUrl ? ` (${alert.generatorUrl})` : '';
  if (alert.status === 'resolved') {
    return `Alert ${name} resolved${alert.endsAt ? ` at ${alert.endsAt.toISOString()}` : ''}: {${labels}}${link}`;
  }
  return `Alert ${name} ${again ? 'fired again' : 'firing'} since ${alert.startsAt.toISOString()}: {${labels}}${link}`;
}

function sameState(previous: AlertRecord | undefined, alert: ReceivedAlert): boolean {
  return previous !== undefined && previous.status === alert.status && previous.startsAt.getTime() === alert.startsAt.getTime();
}

/** `receivedAt`: when the webhook brought it (the postmortem's "detected"), not when it was applied. */
async function record(deps: Deps, groupKey: string, alert: ReceivedAlert, incidentId: number | null, receivedAt: Date): Promise<void> {
  await deps.repos.alerts.saveAlert(
    { groupKey, fingerprint: alert.fingerprint, incidentId, status: alert.status, startsAt: alert.startsAt, endsAt: alert.endsAt, labels: alert.labels, annotations: alert.annotations, generatorUrl: alert.generatorUrl },
    receivedAt,
  );
}

async function post(deps: Deps, incidentId: number | null, channel: string | null, notice: AlertNotice): Promise<void> {
  await deps.repos.outbox.enqueue({ kind: 'alert.post', incidentId, payload: { channel, notice } }, deps.clock.now());
}

async function timeline(deps: Deps, incidentId: number, kind: 'alert_fired' | 'alert_resolved', text: string, at: Date): Promise<void> {
  await deps.repos.timeline.add({ incidentId, kind, text, actorId: 'system:alertmanager', occurredAt: at });
}

/** Declares the incident a group opens: title, impact, service and impact start from its alerts; IC unassigned. */
async function declareFromAlerts(deps: Deps, rules: AlertRules, notification: AlertNotification, severity: Incident['severity'], firing: readonly ReceivedAlert[]): Promise<Incident> {
  const first = [...firing].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0]!;
  const labels = { ...notification.commonLabels, ...first.labels };
  const alertname = labels.alertname ?? 'alert';
  const service = alertService(deps, rules, labels);
  return await declareIncident(deps, ALERTMANAGER_ACTOR, {
    severity,
    title: alertTitle(first, alertname, service),
    description: first.annotations.description ?? null,
    service,
    assignDeclarerAsIc: false,
    impactStartedAt: first.startsAt,
    declaredVia: 'alert',
  });
}

/** A group seen for the first time: declare, offer a merge, or post a notice, as the rules say. */
async function firstNotification(deps: Deps, rules: AlertRules, notification: AlertNotification, now: Date): Promise<AlertOutcome> {
  const { repos } = deps;
  const firing = notification.alerts.filter((a) => a.status === 'firing');
  // Resolved before we ever saw it firing (the bot was down): kept, so its repeats change nothing, and nothing opened.
  if (firing.length === 0) {
    for (const alert of notification.alerts) await record(deps, notification.groupKey, alert, null, now);
    return { kind: 'recorded', incidentId: null };
  }
  const first = [...firing].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0]!;
  const labels = { ...notification.commonLabels, ...first.labels };
  const alertname = labels.alertname ?? 'alert';
  const service = alertService(deps, rules, labels);
  const action = alertActionFor(rules, labels);
  const base = { groupKey: notification.groupKey, alertname, service, firstStartsAt: first.startsAt, runbookUrl: runbookOf(first), status: notification.status, offeredIncidentId: null, noticeChannel: null };

  if ('declare' in action) {
    // The same problem under another group key (a route changed, a label differs): offered, never merged silently.
    const into = await repos.alerts.openIncidentOfSameProblem(alertname, service, notification.groupKey);
    if (into !== undefined) {
      const group = await repos.alerts.createGroup({ ...base, incidentId: null, action: 'merge_offered', offeredIncidentId: into }, now);
      for (const alert of notification.alerts) await record(deps, notification.groupKey, alert, null, now);
      await post(deps, into, null, { type: 'alert_merge_offer', groupId: group.id, title: alertTitle(first, alertname, service), alertname, firing: firing.length });
      return { kind: 'merge_offered', incidentId: into };
    }
    const incident = await declareFromAlerts(deps, rules, notification, action.declare, firing);
    await repos.alerts.createGroup({ ...base, incidentId: incident.id, action: 'declared' }, now);
    for (const alert of notification.alerts) {
      await record(deps, notification.groupKey, alert, incident.id, now);
      await timeline(deps, incident.id, alert.status === 'firing' ? 'alert_fired' : 'alert_resolved', alertLine(alert, false), alert.status === 'firing' ? alert.startsAt : (alert.endsAt ?? now));
    }
    return { kind: 'declared', incidentId: incident.id };
  }

  const channel = action.notify ?? rules.announceChannel;
  const group = await repos.alerts.createGroup({ ...base, incidentId: null, action: 'notified', noticeChannel: channel }, now);
  for (const alert of notification.alerts) await record(deps, notification.groupKey, alert, null, now);
  if (channel) {
    await post(deps, null, channel, {
      type: 'alert_notify',
      groupId: group.id,
      title: alertTitle(first, alertname, service),
      alertname,
      service,
      firing: firing.length,
      generatorUrl: first.generatorUrl,
      runbookUrl: base.runbookUrl,
    });
  }
  return { kind: 'notified', incidentId: null };
}

/**
 * The impact window starts at the earliest start of the incident's alerts: an
 * alert joining later that started earlier moves it back, on the timeline.
 */
export async function startImpactEarlier(deps: Deps, incident: Incident, firing: readonly { readonly startsAt: Date; readonly labels: Readonly<Record<string, string>> }[], now: Date): Promise<void> {
  const earliest = [...firing].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0];
  const current = incident.impactStartedAt ?? incident.declaredAt;
  if (!earliest || earliest.startsAt.getTime() >= current.getTime()) return;
  // Conditional on the stored start, not the one read: another group of the
  // incident, applied beside this one (on PostgreSQL), may have moved it earlier still.
  if (!(await deps.repos.incidents.startImpactBefore(incident.id, earliest.startsAt, now))) return;
  await deps.repos.timeline.add({
    incidentId: incident.id,
    kind: 'impact_changed',
    text: `Impact started at ${earliest.startsAt.toISOString()}: when alert ${earliest.labels.alertname ?? 'alert'} started firing`,
    actorId: 'system:alertmanager',
    occurredAt: now,
  });
}

/** Every alert of the incident resolved: ask a person, or resolve as the system when the rules say so. */
async function allResolved(deps: Deps, rules: AlertRules, incident: Incident, count: number): Promise<void> {
  if (rules.resolveWithAlerts && incident.channelId) {
    await resolveIncident(deps, ALERTMANAGER_ACTOR, { incidentId: incident.id, pressedIn: { channelId: incident.channelId } }, 'every alert resolved');
    return;
  }
  await post(deps, incident.id, null, { type: 'alert_all_resolved', resolved: count });
}

/** A known group linked to an incident: alerts that changed go on its timeline; flapping reopens are offered. */
async function laterNotification(deps: Deps, rules: AlertRules, notification: AlertNotification, group: AlertGroupRecord, incident: Incident, changed: readonly ReceivedAlert[], now: Date): Promise<AlertOutcome> {
  const firing = changed.filter((a) => a.status === 'firing');
  if (incident.status === 'resolved' && firing.length > 0) {
    const withinReopen = incident.resolvedAt !== null && now.getTime() - incident.resolvedAt.getTime() <= rules.reopenWithinMs;
    if (!withinReopen) {
      // Long after the resolve: a new problem, handled as a group seen for the first time (declared,
      // offered for a merge or noticed, as the rules say now). The resolved incident keeps its alerts.
      await deps.repos.alerts.supersedeGroup(group.id, now);
      return await firstNotification(deps, rules, notification, now);
    }
  }
  if (incident.status !== 'resolved') await startImpactEarlier(deps, incident, firing, now);
  for (const alert of changed) {
    // "Again" only after it had resolved: a firing alert whose start moved (Alertmanager merged an earlier one) never stopped.
    const again = (await deps.repos.alerts.alert(group.groupKey, alert.fingerprint))?.status === 'resolved';
    await record(deps, group.groupKey, alert, incident.id, now);
    await timeline(deps, incident.id, alert.status === 'firing' ? 'alert_fired' : 'alert_resolved', alertLine(alert, again && alert.status === 'firing'), alert.status === 'firing' ? alert.startsAt : (alert.endsAt ?? now));
  }
  if (incident.status === 'resolved') {
    if (firing.length > 0) {
      await post(deps, incident.id, null, { type: 'alert_reopen_offer', alertname: group.alertname, firing: firing.length });
      return { kind: 'reopen_offered', incidentId: incident.id };
    }
    return { kind: 'updated', incidentId: incident.id };
  }
  // The group's own status decides: with max_alerts, alerts the bot was never sent may still fire, and
  // the one that resolves last may be one it never saw (the alerts it was sent then look unchanged).
  const resolvedNow = changed.some((a) => a.status === 'resolved') || group.status !== 'resolved';
  if (notification.status !== 'resolved' || !resolvedNow) return { kind: 'updated', incidentId: incident.id };
  const all = await deps.repos.alerts.alertsOfIncident(incident.id);
  if (all.every((a) => a.status === 'resolved')) await allResolved(deps, rules, incident, all.length);
  return { kind: 'updated', incidentId: incident.id };
}

/**
 * Applies one Alertmanager notification, in one transaction. The webhook
 * records the notification (an `alert.receive` job) before its 200, and this
 * runs from the outbox: a crash after the answer loses nothing, and a re-sent
 * notification finds every alert as it left it. `receivedAt` is when the
 * webhook arrived: what the postmortem calls "detected", and what the reopen
 * window is measured to, however late the job ran.
 */
export async function receiveAlerts(deps: Deps, rules: AlertRules, notification: AlertNotification, receivedAt: Date = deps.clock.now()): Promise<AlertOutcome> {
  const { repos } = deps;
  const now = receivedAt;
  return repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const group = await repos.alerts.group(notification.groupKey);
    if (!group) return await firstNotification(tx, rules, notification, now);
    const changed: (typeof notification.alerts)[number][] = [];
    for (const a of notification.alerts) if (!sameState(await repos.alerts.alert(group.groupKey, a.fingerprint), a)) changed.push(a);
    if (changed.length === 0 && group.status === notification.status) return { kind: 'unchanged', incidentId: group.incidentId };
    if (group.status !== notification.status) await repos.alerts.recordGroupStatus(group.id, notification.status, now);
    const incident = group.incidentId === null ? undefined : await repos.incidents.get(group.incidentId);
    if (!incident) {
      // A notice or a merge offer nobody took up, whose alerts had all resolved, firing again: a new
      // episode, noticed or declared afresh. Silence here would drop a critical alert for good.
      const before = await repos.alerts.alertsOfGroup(group.groupKey);
      if (changed.some((a) => a.status === 'firing') && before.every((a) => a.status === 'resolved')) {
        await repos.alerts.supersedeGroup(group.id, now);
        return await firstNotification(tx, rules, notification, now);
      }
      // Still the same episode: the alerts are kept, the offer is not repeated.
      for (const alert of changed) await record(tx, group.groupKey, alert, null, now);
      return { kind: 'recorded', incidentId: null };
    }
    return await laterNotification(tx, rules, notification, group, incident, changed, now);
  });
}

