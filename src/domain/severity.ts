import { DomainError } from './errors.js';
import { requireIncidentInChannel } from './incident-lookup.js';
import { actorId, incidentRef, SEVERITY_MEANING, type Actor, type Incident, type Severity } from './model.js';
import { pageOnSeverity } from './paging.js';
import type { Deps } from './ports.js';
import { assertOpen } from './state-machine.js';
import { USAGE } from './usage.js';

export interface SeverityChange {
  readonly incident: Incident;
  readonly from: Severity;
  readonly to: Severity;
}

/** Lower number = more severe: sev1 is a raise from sev2. */
export function isRaise(from: Severity, to: Severity): boolean {
  return to < from;
}

export async function changeSeverity(deps: Deps, actor: Actor, channelId: string, to: Severity): Promise<SeverityChange> {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  return repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const incident = await requireIncidentInChannel(repos.incidents, channelId, USAGE.severity);
    assertOpen(incident);
    const from = incident.severity;
    if (from === to) {
      throw new DomainError('INVALID_TRANSITION', `${incidentRef(incident.id)} is already ${to.toUpperCase()}.`);
    }
    if (!await repos.incidents.changeSeverity(incident.id, from, to, now)) {
      throw new DomainError('CONFLICT', `Someone changed the severity of ${incidentRef(incident.id)} just now; look again.`);
    }
    await repos.timeline.add({
      incidentId: incident.id,
      kind: 'severity_changed',
      text: `Severity ${isRaise(from, to) ? 'raised' : 'lowered'} from ${from.toUpperCase()} to ${to.toUpperCase()} (${SEVERITY_MEANING[to]}) by <@${by}>`,
      actorId: by,
      occurredAt: now,
    });
    const notice = { type: 'severity_changed', from, to, by } as const;
    await repos.outbox.enqueue({ kind: 'incident.sync', incidentId: incident.id, payload: {} }, now);
    await repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'incident', notice } }, now);
    await repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'announce', notice } }, now);
    await pageOnSeverity(tx, { ...incident, severity: to }, from, by);
    return { incident: { ...incident, severity: to }, from, to };
  });
}
