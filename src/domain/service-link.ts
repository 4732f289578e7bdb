import { quoted } from './echo.js';
import { DomainError } from './errors.js';
import { parseImpactTime } from './impact-time.js';
import { requireIncidentInChannel } from './incident-lookup.js';
import { actorId, incidentRef, type Actor, type Incident } from './model.js';
import type { Deps } from './ports.js';
import type { SloSettings } from './slo-figures.js';
import { formatInTimeZone } from './time.js';
import { USAGE } from './usage.js';

/** The services the SLO catalog knows, in catalog order, each once. */
export function catalogServices(slo: SloSettings): string[] {
  return [...new Set(slo.catalog.slos.map((s) => s.service))];
}

/** The catalog's spelling of a service name typed in any case; an unknown one is refused with the list. */
export function requireKnownService(slo: SloSettings, typed: string): string {
  const known = catalogServices(slo);
  const found = known.find((s) => s.toLowerCase() === typed.trim().toLowerCase());
  if (found) return found;
  if (known.length === 0) {
    throw new DomainError('INVALID_INPUT', 'No SLOs are configured (SLO_FILES), so there is no service to link. Ask whoever runs the bot to add the SLO files.');
  }
  throw new DomainError('INVALID_INPUT', `${quoted(typed)} is not a service with SLOs. Known services: ${known.map((s) => `\`${s}\``).join(', ')}.\nUsage: ${USAGE.service}`);
}

/** Work that follows any change to what an incident costs its SLOs: the header, and the figures. */
async function queueSloFollowUps(deps: Deps, incident: Incident, now: Date): Promise<void> {
  await deps.repos.outbox.enqueue({ kind: 'incident.sync', incidentId: incident.id, payload: {} }, now);
  await deps.repos.outbox.enqueue({ kind: 'slo.refresh', incidentId: incident.id, payload: { final: incident.status === 'resolved' } }, now);
}

/** `/incident service <name>`: sets or changes the affected service, whose SLOs the incident is measured against. */
export async function setAffectedService(deps: Deps, actor: Actor, channelId: string, typed: string): Promise<{ incident: Incident; service: string }> {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  const service = requireKnownService(deps.slo, typed);
  return repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const incident = await requireIncidentInChannel(repos.incidents, channelId, USAGE.service);
    if (incident.service === service) throw new DomainError('INVALID_TRANSITION', `${incidentRef(incident.id)} is already linked to \`${service}\`.`);
    if (!await repos.incidents.setService(incident.id, incident.service, service, now)) {
      throw new DomainError('CONFLICT', `Someone changed the service of ${incidentRef(incident.id)} just now; look again.`);
    }
    await repos.timeline.add({
      incidentId: incident.id,
      kind: 'service_changed',
      text: incident.service ? `Affected service changed from ${incident.service} to ${service} by <@${by}>` : `Affected service set to ${service} by <@${by}>`,
      actorId: by,
      occurredAt: now,
    });
    const linked = { ...incident, service };
    await queueSloFollowUps(tx, linked, now);
    return { incident: linked, service };
  });
}

/**
 * `/incident impact started|ended <time>`: when users were really hurt. The
 * impact window (declaration to resolve unless said) is what the incident's
 * error budget is measured over.
 */
export async function recordImpact(deps: Deps, actor: Actor, channelId: string, edge: 'started' | 'ended', typed: string): Promise<{ incident: Incident; at: Date }> {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  const at = parseImpactTime(typed, now, deps.timeZone);
  if (!at) throw new DomainError('INVALID_INPUT', `${quoted(typed)} is not a time I can read: write \`14:23\`, \`2026-09-25 14:23\` (${deps.timeZone}) or \`25m ago\`.\nUsage: ${USAGE.impact}`);
  if (at.getTime() > now.getTime()) throw new DomainError('INVALID_INPUT', `${formatInTimeZone(at, 'yyyy-MM-dd HH:mm', deps.timeZone)} is in the future; impact is recorded once it happened.\nUsage: ${USAGE.impact}`);
  return repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const incident = await requireIncidentInChannel(repos.incidents, channelId, USAGE.impact);
    const start = edge === 'started' ? at : (incident.impactStartedAt ?? incident.declaredAt);
    const end = edge === 'ended' ? at : (incident.impactEndedAt ?? incident.resolvedAt);
    if (end && start.getTime() >= end.getTime()) {
      const other = edge === 'started' ? 'ended' : 'started';
      throw new DomainError('INVALID_INPUT', `Impact cannot have ${edge} ${edge === 'started' ? 'after' : 'before'} it ${other} (${formatInTimeZone(edge === 'started' ? end : start, 'yyyy-MM-dd HH:mm', tx.timeZone)} ${tx.timeZone}).\nUsage: ${USAGE.impact}`);
    }
    await repos.incidents.setImpact(incident.id, edge, at, now);
    await repos.timeline.add({
      incidentId: incident.id,
      kind: 'impact_changed',
      text: `Impact ${edge} at ${formatInTimeZone(at, 'yyyy-MM-dd HH:mm', tx.timeZone)} ${tx.timeZone} (recorded by <@${by}>)`,
      actorId: by,
      occurredAt: now,
    });
    await queueSloFollowUps(tx, incident, now);
    return { incident: (await repos.incidents.get(incident.id))!, at };
  });
}
