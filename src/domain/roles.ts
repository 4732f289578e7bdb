import { DomainError } from './errors.js';
import { requireIncidentInChannel } from './incident-lookup.js';
import { actorId, incidentRef, ROLE_TITLES, type Actor, type Incident, type Role, type RoleHolder } from './model.js';
import type { Deps } from './ports.js';
import { assertOpen } from './state-machine.js';
import { USAGE } from './usage.js';

export interface RoleChange {
  readonly incident: Incident;
  readonly role: Role;
  readonly from: string | null;
  readonly to: string;
}

/**
 * Assigns a role, or hands it over from its current holder. The new holder is
 * invited, topic and header follow, and the handover goes on the timeline.
 */
export async function assignRole(deps: Deps, actor: Actor, channelId: string, role: Role, userId: string): Promise<RoleChange> {
  const { repos } = deps;
  const now = deps.clock.now();
  const by = actorId(actor);
  return repos.transaction(async (repos) => {
    const incident = await requireIncidentInChannel(repos.incidents, channelId, USAGE.role);
    assertOpen(incident);
    const holder = (await repos.roles.current(incident.id)).find((h) => h.role === role);
    if (holder?.userId === userId) {
      throw new DomainError('CONFLICT', `<@${userId}> is already ${ROLE_TITLES[role]} of ${incidentRef(incident.id)}.`);
    }
    const title = ROLE_TITLES[role];
    // The holder read above may be stale: on PostgreSQL two assignments at once (two
    // presses of Take IC) both read it before either commits, and assign() then ends
    // the term the other just began. The term assign() ended is the truth; when it is
    // not the one read, the other won, and this change is undone and told so.
    const from = (await repos.roles.assign(incident.id, role, userId, by, now)) ?? null;
    if (from !== null && from !== holder?.userId) {
      throw new DomainError(
        'CONFLICT',
        from === userId
          ? `<@${userId}> is already ${title} of ${incidentRef(incident.id)}.`
          : `<@${from}> became ${title} of ${incidentRef(incident.id)} just now, so nothing was changed. \`/incident roles\` shows who holds what.`,
      );
    }
    await repos.timeline.add({
      incidentId: incident.id,
      kind: 'role_assigned',
      text: from ? `${title} handed from <@${from}> to <@${userId}>` : `<@${userId}> is ${title}`,
      actorId: by,
      occurredAt: now,
    });
    await repos.outbox.enqueue({ kind: 'slack.invite', incidentId: incident.id, payload: { userIds: [userId] } }, now);
    await repos.outbox.enqueue({ kind: 'incident.sync', incidentId: incident.id, payload: {} }, now);
    await repos.outbox.enqueue(
      {
        kind: 'slack.post',
        incidentId: incident.id,
        payload: { target: 'incident', notice: { type: 'role_assigned', role, from, to: userId, by } },
      },
      now,
    );
    return { incident, role, from, to: userId };
  });
}

export async function listRoles(deps: Deps, channelId: string): Promise<{ incident: Incident; holders: RoleHolder[] }> {
  const incident = await requireIncidentInChannel(deps.repos.incidents, channelId, USAGE.roles);
  return { incident, holders: await deps.repos.roles.current(incident.id) };
}
