/**
 * What the buttons of alert notices do. Each is trusted only where its
 * message was posted (a notice's channel, the incident's channel), and each
 * is conditional, so a second press is told it is done and changes nothing.
 */
import { requireActedInIncidentChannel, type Place } from './access.js';
import { alertActionFor, type AlertRules } from './alert-rules.js';
import { alertLine, alertTitle, startImpactEarlier } from './alerts.js';
import { declareIncident } from './declare.js';
import { DomainError } from './errors.js';
import { requireIncident } from './incident-lookup.js';
import { actorId, incidentRef, type Actor, type Incident } from './model.js';
import type { AlertGroupRecord, Deps } from './ports.js';
import { reopenIncident } from './resolve.js';
import { isSupersededGroupKey } from './superseded-group.js';
import { assignRole, type RoleChange } from './roles.js';

async function requireGroup(deps: Deps, groupId: number): Promise<AlertGroupRecord> {
  const group = await deps.repos.alerts.groupById(groupId);
  if (!group) throw new DomainError('NOT_FOUND', 'That alert group is no longer known, so nothing was changed.');
  // Its alerts resolved and fired again since: the newer notice or offer is the one to act on.
  if (isSupersededGroupKey(group.groupKey)) throw new DomainError('CONFLICT', 'Those alerts resolved and have fired again since this message: use the newer message about them. Nothing was changed.');
  return group;
}

/** Links a group to an incident and puts its alerts on the timeline; false when someone linked it first. */
async function linkGroup(deps: Deps, group: AlertGroupRecord, incident: Incident, by: string, how: string): Promise<boolean> {
  const now = deps.clock.now();
  if (!await deps.repos.alerts.linkGroup(group.id, incident.id, now)) return false;
  await deps.repos.timeline.add({ incidentId: incident.id, kind: 'alert_group_linked', text: `Alert group ${group.alertname} ${how} by <@${by}>: its alerts land on this incident`, actorId: by, occurredAt: now });
  const alerts = await deps.repos.alerts.alertsOfGroup(group.groupKey);
  // A merged group may have started before the incident's alerts did.
  await startImpactEarlier(deps, (await deps.repos.incidents.get(incident.id))!, alerts.filter((a) => a.status === 'firing'), now);
  for (const alert of alerts) {
    await deps.repos.timeline.add({ incidentId: incident.id, kind: alert.status === 'firing' ? 'alert_fired' : 'alert_resolved', text: alertLine(alert, false), actorId: 'system:alertmanager', occurredAt: alert.status === 'firing' ? alert.startsAt : (alert.endsAt ?? now) });
  }
  return true;
}

/** "Declare incident" on a notify-only group's notice: the presser declares (and is IC); later alerts of the group land on it. */
export async function declareFromAlertNotice(deps: Deps, actor: Actor, groupId: number, pressedIn: Place): Promise<Incident> {
  return deps.repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const group = await requireGroup(tx, groupId);
    if (group.action !== 'notified' || group.noticeChannel === null || pressedIn.channelId !== group.noticeChannel) {
      throw new DomainError('NOT_ALLOWED', 'That button does not belong to this channel, so nothing was changed.');
    }
    if (group.incidentId !== null) throw new DomainError('CONFLICT', `This alert is already ${incidentRef(group.incidentId)}.`);
    const alerts = await tx.repos.alerts.alertsOfGroup(group.groupKey);
    const first = alerts.find((a) => a.status === 'firing') ?? alerts[0];
    const incident = await declareIncident(tx, actor, {
      severity: 'sev3',
      title: first ? alertTitle(first, group.alertname, group.service) : group.alertname,
      description: first?.annotations.description ?? null,
      service: group.service,
      impactStartedAt: group.firstStartsAt,
      originChannelId: group.noticeChannel,
      declaredVia: 'alert',
    });
    if (!await linkGroup(tx, group, incident, actorId(actor), 'declared')) throw new DomainError('CONFLICT', 'Someone declared this alert first.');
    return incident;
  });
}

/** "Merge" on the offer in the first incident's channel: the second group's alerts land on that incident. */
export async function mergeAlertGroup(deps: Deps, actor: Actor, groupId: number, pressedIn: Place): Promise<Incident> {
  return deps.repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const group = await requireGroup(tx, groupId);
    if (group.offeredIncidentId === null) throw new DomainError('NOT_ALLOWED', 'That alert group was not offered for a merge, so nothing was changed.');
    const incident = await requireIncident(tx.repos.incidents, group.offeredIncidentId);
    requireActedInIncidentChannel(incident, pressedIn);
    if (!await linkGroup(tx, group, incident, actorId(actor), 'merged')) {
      throw new DomainError('CONFLICT', `That alert group is already on ${incidentRef(group.incidentId ?? incident.id)}.`);
    }
    return incident;
  });
}

/**
 * "Declare separately" on a merge offer: the second group is another problem
 * after all. It is declared at the severity the rules give its alerts, by
 * the person who pressed (its IC, as with a notice's Declare), and later
 * notifications of the group land on it. Pressed only in the channel of the
 * incident it was offered to, like Merge.
 */
export async function declareAlertGroupSeparately(deps: Deps, actor: Actor, rules: AlertRules, groupId: number, pressedIn: Place): Promise<Incident> {
  return deps.repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const group = await requireGroup(tx, groupId);
    if (group.offeredIncidentId === null) throw new DomainError('NOT_ALLOWED', 'That alert group was not offered for a merge, so nothing was changed.');
    requireActedInIncidentChannel(await requireIncident(tx.repos.incidents, group.offeredIncidentId), pressedIn);
    if (group.incidentId !== null) throw new DomainError('CONFLICT', `That alert group is already on ${incidentRef(group.incidentId)}.`);
    const alerts = await tx.repos.alerts.alertsOfGroup(group.groupKey);
    const first = alerts.find((a) => a.status === 'firing') ?? alerts[0];
    const action = alertActionFor(rules, first?.labels ?? {});
    const incident = await declareIncident(tx, actor, {
      severity: 'declare' in action ? action.declare : 'sev2',
      title: first ? alertTitle(first, group.alertname, group.service) : group.alertname,
      description: first?.annotations.description ?? null,
      service: group.service,
      impactStartedAt: group.firstStartsAt,
      declaredVia: 'alert',
    });
    if (!await linkGroup(tx, group, incident, actorId(actor), 'declared separately')) throw new DomainError('CONFLICT', 'Someone decided about this alert group first.');
    return incident;
  });
}

/** "Reopen" offered when an incident's alerts fire again soon after its resolve. */
export async function reopenFromAlerts(deps: Deps, actor: Actor, incidentId: number, pressedIn: Place): Promise<Incident> {
  return deps.repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const incident = await requireIncident(tx.repos.incidents, incidentId);
    requireActedInIncidentChannel(incident, pressedIn);
    return await reopenIncident(tx, actor, incident.channelId!);
  });
}

/** "Take IC" on the header of an incident nobody leads yet (one an alert declared). */
export async function takeIncidentCommand(deps: Deps, actor: Actor, incidentId: number, pressedIn: Place): Promise<RoleChange> {
  return deps.repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const incident = await requireIncident(tx.repos.incidents, incidentId);
    requireActedInIncidentChannel(incident, pressedIn);
    const ic = (await tx.repos.roles.current(incident.id)).find((h) => h.role === 'ic');
    if (ic) throw new DomainError('CONFLICT', `<@${ic.userId}> is already Incident Commander of ${incidentRef(incident.id)}; \`/incident role ic @you\` hands it over.`);
    return await assignRole(tx, actor, incident.channelId!, 'ic', actorId(actor));
  });
}
