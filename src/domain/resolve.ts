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
export async function draftPostmortem(deps: Deps, incident: Incident): Promise<number> {
  const { repos } = deps;
  const markdown = renderPostmortem(await loadPostmortemData(repos, incident, deps.slo));
  const version = await repos.postmortems.saveDraft(incident.id, markdown, deps.clock.now());
  await repos.outbox.enqueue({ kind: 'postmortem.publish', incidentId: incident.id, payload: { version } }, deps.clock.now());
  return version;
}

/**
 * Resolves the incident of this channel, or the one a header button names
 * (trusted only when the button was pressed in that incident's channel), and
 * drafts its postmortem.
 */
export async function resolveIncident(
  deps: Deps,
  actor: Actor,
  where: { channelId: string } | { incidentId: number; pressedIn: Place },
  summary: string,
): Promise<Incident> {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  return repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const incident = 'channelId' in where ? await requireIncidentInChannel(repos.incidents, where.channelId, RESOLVE_USAGE) : await requireIncident(repos.incidents, where.incidentId);
    if ('pressedIn' in where) requireActedInIncidentChannel(incident, where.pressedIn);
    if (incident.status === 'resolved' || !await repos.incidents.markResolved(incident.id, now, summary || null)) {
      throw new DomainError('INVALID_TRANSITION', `${incidentRef(incident.id)} is already resolved. \`/incident reopen\` brings it back; \`/incident postmortem\` shows the draft.`);
    }
    await repos.timeline.add({
      incidentId: incident.id,
      kind: 'resolved',
      text: `Resolved by <@${by}>${summary ? `: ${summary}` : ''}`,
      actorId: by,
      occurredAt: now,
    });
    const resolved = (await repos.incidents.get(incident.id))!;
    const notice = { type: 'resolved', by, summary: summary || null } as const;
    await repos.outbox.enqueue({ kind: 'incident.sync', incidentId: incident.id, payload: {} }, now);
    await repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'incident', notice } }, now);
    await repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'announce', notice } }, now);
    await resolvePages(tx, resolved);
    // The figures the postmortem states are computed at resolve; the draft is rewritten when they land.
    if (resolved.service) await repos.outbox.enqueue({ kind: 'slo.refresh', incidentId: incident.id, payload: { final: true } }, now);
    await draftPostmortem(tx, resolved);
    return resolved;
  });
}

/** Brings a resolved incident back to investigating; its postmortem stays a draft. */
export async function reopenIncident(deps: Deps, actor: Actor, channelId: string): Promise<Incident> {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  return repos.transaction(async (repos) => {
    const incident = await requireIncidentInChannel(repos.incidents, channelId, '`/incident reopen`');
    if (!await repos.incidents.reopen(incident.id, now)) {
      throw new DomainError('INVALID_TRANSITION', `${incidentRef(incident.id)} is not resolved; there is nothing to reopen.`);
    }
    await repos.timeline.add({ incidentId: incident.id, kind: 'reopened', text: `Reopened by <@${by}>`, actorId: by, occurredAt: now });
    const notice = { type: 'reopened', by } as const;
    await repos.outbox.enqueue({ kind: 'incident.sync', incidentId: incident.id, payload: {} }, now);
    await repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'incident', notice } }, now);
    await repos.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'announce', notice } }, now);
    return (await repos.incidents.get(incident.id))!;
  });
}

/** `/incident postmortem`: the draft rewritten from what is recorded now, and published again. */
export async function republishPostmortem(deps: Deps, channelId: string): Promise<{ incident: Incident; version: number }> {
  return deps.repos.transaction(async (repos) => {
    const tx: Deps = { ...deps, repos };
    const incident = await requireIncidentInChannel(tx.repos.incidents, channelId, '`/incident postmortem`');
    return { incident, version: await draftPostmortem(tx, incident) };
  });
}
