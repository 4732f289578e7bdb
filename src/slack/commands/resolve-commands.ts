import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { IncidentCommand } from '../../domain/command-parser.js';
import { incidentRef, type Actor } from '../../domain/model.js';
import { reopenIncident, republishPostmortem, resolveIncident } from '../../domain/resolve.js';
import type { SlackServices } from '../services.js';

type Closing = Extract<IncidentCommand, { kind: 'resolve' | 'reopen' | 'postmortem' }>;

/** Resolve, reopen, and publish the postmortem again. What they post comes from the outbox. */
export async function handleClosing(services: SlackServices, actor: Actor, command: SlashCommand, respond: RespondFn, parsed: Closing): Promise<void> {
  const { deps } = services;
  switch (parsed.kind) {
    case 'resolve':
      resolveIncident(deps, actor, { channelId: command.channel_id }, parsed.summary);
      return;
    case 'reopen':
      reopenIncident(deps, actor, command.channel_id);
      return;
    case 'postmortem': {
      const { incident, version } = republishPostmortem(deps, command.channel_id);
      await respond({ response_type: 'ephemeral', text: `:memo: Publishing the postmortem draft of ${incidentRef(incident.id)} (version ${version}) in this channel.` });
      return;
    }
  }
}
