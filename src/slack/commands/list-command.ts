import type { SlashCommand } from '@slack/bolt';
import { maySeeIncident } from '../../domain/access.js';
import { listOpenIncidents } from '../../domain/queries.js';
import { personAudience } from '../audience.js';
import type { SlackServices } from '../services.js';
import { listText } from '../views/replies.js';
import type { Reply } from './reply.js';

/** `/incident list`: open incidents; private ones only to members of their channels, counted for everyone else. */
export async function answerList(services: SlackServices, command: SlashCommand): Promise<Reply> {
  const summaries = await listOpenIncidents(services.deps);
  const audience = await personAudience(services.slack, services.logger, command.user_id, command.channel_id, summaries.map((s) => s.incident));
  const visible = summaries.filter((s) => maySeeIncident(s.incident, audience));
  return { text: listText(visible, summaries.length - visible.length) };
}
