import { requireActedInIncidentChannel, type Place } from './access.js';
import { DomainError } from './errors.js';
import { requireIncident, requireIncidentInChannel } from './incident-lookup.js';
import { actorId, incidentRef, type Actor, type Incident } from './model.js';
import { resolvePages } from './paging.js';
import type { Deps } from './ports.js';
import { loadPostmortemData } from '../postmortem/data.js';
import { renderPostmortem } from '../postmortem/render.js';

export const RESOLVE_USAGE = '`/incident resolve [summary]`';

/**
 * Writes the postmortem draft from what is recorded now, stores it, and queues
 * its publication. Stored first: if Slack cannot take it, it is still here.
 */
export function draftPostmortem(deps: Deps, incident: Incident): number {
  const { repos } = deps;
  const markdown = renderPostmortem(loadPostmortemData(repos, incident, deps.slo));
  const version = repos.postmortems.saveDraft(incident.id, markdown, deps.clock.now());
  repos.outbox.enqueue({ kind: 'postmortem.publish', incidentId: incident.id, payload: { version } }, deps.clock.now());
  return version;
}

/**
 * Resolves the incident of this channel, or the one a header button names
 * (trusted only when the button was pressed in that incident's channel), and
 * drafts its postmortem.
 */
export function resolveIncident(
  deps: Deps,
  actor: Actor,
  where: { channelId: string } | { incidentId: number; pressedIn: Place },
  summary: string,
): Incident {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  return repos.transaction(() => {
    const incident = 'channelId' in where ? requireIncidentInChannel(repos.incidents, where.channelId, RESOLVE_USAGE) : requireIncident(repos.incidents, where.incidentId);
    if ('pressedIn' in where) requireActedInIncidentChannel(incident, where.pressedIn);
    if (incident.status === 'resolved' || !repos.incidents.markResolved(incident.id, now, summary || null)) {
      throw new DomainError('INVALID_TRANSITION', `${incidentRef(incident.id)} is already resolved. \`/incident reopen\` brings it back; \`/incident postmortem\` shows the draft.`);
    }
    repos.timeline.add({
      incidentId: incident.id,
      kind: 'resolved',
      text: `Resolved by <@${by}>${summary ? `: ${summary}` : ''}`,
      actorId: by,
      occurredAt: now,
    });
    const resolved = repos.incidents.get(incident.id)!;
    const notice = { type: 'resolved', by, summary: summary || null } as const;
    repos.outbox.enqueue({ kind: 'incident.sync', incidentId: incident.id, payload: {} }, now);
    repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'incident', notice } }, now);
    repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'announce', notice } }, now);
    resolvePages(deps, resolved);
    // The figures the postmortem states are computed at resolve; the draft is rewritten when they land.
    if (resolved.service) repos.outbox.enqueue({ kind: 'slo.refresh', incidentId: incident.id, payload: { final: true } }, now);
    draftPostmortem(deps, resolved);
    return resolved;
  });
}

/** Brings a resolved incident back to investigating; its postmortem stays a draft. */
export function reopenIncident(deps: Deps, actor: Actor, channelId: string): Incident {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  return repos.transaction(() => {
    const incident = requireIncidentInChannel(repos.incidents, channelId, '`/incident reopen`');
    if (!repos.incidents.reopen(incident.id, now)) {
      throw new DomainError('INVALID_TRANSITION', `${incidentRef(incident.id)} is not resolved; there is nothing to reopen.`);
    }
    repos.timeline.add({ incidentId: incident.id, kind: 'reopened', text: `Reopened by <@${by}>`, actorId: by, occurredAt: now });
    const notice = { type: 'reopened', by } as const;
    repos.outbox.enqueue({ kind: 'incident.sync', incidentId: incident.id, payload: {} }, now);
    repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'incident', notice } }, now);
    repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'announce', notice } }, now);
    return repos.incidents.get(incident.id)!;
  });
}

/** `/incident postmortem`: the draft rewritten from what is recorded now, and published again. */
export function republishPostmortem(deps: Deps, channelId: string): { incident: Incident; version: number } {
  return deps.repos.transaction(() => {
    const incident = requireIncidentInChannel(deps.repos.incidents, channelId, '`/incident postmortem`');
    return { incident, version: draftPostmortem(deps, incident) };
  });
}
