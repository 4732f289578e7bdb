import type { RespondFn, SlashCommand } from '@slack/bolt';
import { declareIncident } from '../../domain/declare.js';
import type { Actor, Severity } from '../../domain/model.js';
import type { SlackServices } from '../services.js';
import { safe } from '../text.js';
import { declareModal } from '../views/declare-modal.js';

export async function handleDeclareForm(services: SlackServices, command: SlashCommand): Promise<void> {
  await services.slack.openView(command.trigger_id, declareModal({ originChannelId: command.channel_id }));
}

export async function handleDeclare(
  services: SlackServices,
  actor: Actor,
  command: SlashCommand,
  respond: RespondFn,
  input: { severity: Severity; title: string },
): Promise<void> {
  const incident = declareIncident(services.deps, actor, {
    ...input,
    originChannelId: command.channel_id,
    responseUrl: command.response_url,
  });
  await respond({
    response_type: 'ephemeral',
    text: `Declared INC-${incident.id} (${incident.severity.toUpperCase()}): ${safe(incident.title)}. Creating its channel…`,
  });
}
