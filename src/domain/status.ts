import { requireIncidentInChannel } from './incident-lookup.js';
import { actorId, type ActiveStatus, type Actor, type Incident } from './model.js';
import type { Deps } from './ports.js';
import { assertOpen, assertTransition } from './state-machine.js';
import { USAGE } from './usage.js';
import { DomainError } from './errors.js';

/** Posts a status update: the status moves, the update is announced and recorded. */
export async function postStatusUpdate(
  deps: Deps,
  actor: Actor,
  channelId: string,
  status: ActiveStatus,
  message: string,
): Promise<Incident> {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  return repos.transaction(async (repos) => {
    const incident = await requireIncidentInChannel(repos.incidents, channelId, USAGE.status);
    // The state machine lets resolved go back to investigating, but only
    // through reopen (its timeline entry, its notices, resolved_at cleared):
    // a status update here would bring the incident back half-reopened.
    assertOpen(incident);
    assertTransition(incident, status);
    if (!await repos.incidents.changeStatus(incident.id, incident.status, status, now)) {
      throw new DomainError('CONFLICT', 'Someone changed the status just now; look again.');
    }
    const label = status.charAt(0).toUpperCase() + status.slice(1);
    await repos.timeline.add({
      incidentId: incident.id,
      kind: 'status_update',
      text: `${message ? `${label}: ${message}` : label} (<@${by}>)`,
      actorId: by,
      occurredAt: now,
    });
    const notice = { type: 'status_update', status, message, by } as const;
    await repos.outbox.enqueue({ kind: 'incident.sync', incidentId: incident.id, payload: {} }, now);
    // The header's SLO figures are refreshed at every status change.
    if (incident.service) await repos.outbox.enqueue({ kind: 'slo.refresh', incidentId: incident.id, payload: { final: false } }, now);
    await repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'incident', notice } }, now);
    await repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'announce', notice } }, now);
    return { ...incident, status };
  });
}
