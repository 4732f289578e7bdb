import type { SlashCommand } from '@slack/bolt';
import { declareIncident } from '../../domain/declare.js';
import { catalogServices } from '../../domain/service-link.js';
import type { Actor, Severity } from '../../domain/model.js';
import type { SlackServices } from '../services.js';
import { safe } from '../text.js';
import { declareModal } from '../views/declare-modal.js';

export async function handleDeclareForm(services: SlackServices, command: SlashCommand): Promise<void> {
  await services.slack.openView(command.trigger_id, declareModal({ originChannelId: command.channel_id }, catalogServices(services.deps.slo)));
}

/** The acknowledgement of `/incident declare`: shown at once, before the incident exists. */
export function declaringReply(input: { severity: Severity; title: string }): { response_type: 'ephemeral'; text: string } {
  return {
    response_type: 'ephemeral',
    text: `:rotating_light: Declaring a ${input.severity.toUpperCase()}: ${safe(input.title)}. Its channel follows in a moment.`,
  };
}

/** Records the incident before the ack; the set-up job tells the declarer when the channel is ready. */
export async function decideDeclare(services: SlackServices, actor: Actor, command: SlashCommand, input: { severity: Severity; title: string }): Promise<void> {
  await declareIncident(services.deps, actor, { ...input, originChannelId: command.channel_id, responseUrl: command.response_url, declaredVia: 'command' });
}
