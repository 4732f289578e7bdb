import type { SlashCommand } from '@slack/bolt';
import type { IncidentCommand } from '../../domain/command-parser.js';
import { incidentRef, type Actor } from '../../domain/model.js';
import { recordImpact, setAffectedService } from '../../domain/service-link.js';
import { formatInTimeZone } from '../../domain/time.js';
import type { SlackServices } from '../services.js';
import type { Reply } from './reply.js';

type SloLink = Extract<IncidentCommand, { kind: 'service' | 'impact' }>;

/** `/incident service` and `/incident impact`, committed before the ack; the header and figures follow from the outbox. */
export async function decideSloLink(services: SlackServices, actor: Actor, command: SlashCommand, parsed: SloLink): Promise<Reply> {
  const { deps } = services;
  if (parsed.kind === 'service') {
    const { incident, service } = await setAffectedService(deps, actor, command.channel_id, parsed.name);
    return { text: `:link: ${incidentRef(incident.id)} is linked to \`${service}\`: its SLOs' figures follow in the header.` };
  }
  const { incident, at } = await recordImpact(deps, actor, command.channel_id, parsed.edge, parsed.when);
  return { text: `:stopwatch: Impact of ${incidentRef(incident.id)} ${parsed.edge} at ${formatInTimeZone(at, 'yyyy-MM-dd HH:mm', deps.timeZone)} ${deps.timeZone}.` };
}
