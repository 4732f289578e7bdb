import { DomainError } from './errors.js';
import type { Incident } from './model.js';
import type { IncidentRepo } from './ports.js';

/** The incident whose channel a command was typed in, or a clear refusal. */
export async function requireIncidentInChannel(incidents: IncidentRepo, channelId: string, usage: string): Promise<Incident> {
  const incident = await incidents.getByChannel(channelId);
  if (!incident) {
    throw new DomainError(
      'NOT_IN_INCIDENT_CHANNEL',
      `This command works only in an incident's channel.\nUsage: ${usage}\nSee \`/incident list\` for the open incidents and their channels.`,
    );
  }
  return incident;
}

export async function requireIncident(incidents: IncidentRepo, id: number): Promise<Incident> {
  const incident = await incidents.get(id);
  if (!incident) throw new DomainError('NOT_FOUND', `There is no incident INC-${id}.`);
  return incident;
}
