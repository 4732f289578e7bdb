import type { SlashCommand } from '@slack/bolt';
import { parseActionInput } from '../../domain/action-input.js';
import { addActionItem, completeActionItem, dropActionItem, listActionItems } from '../../domain/actions.js';
import type { IncidentCommand } from '../../domain/command-parser.js';
import { todayIn } from '../../domain/due-date.js';
import { requireIncidentInChannel } from '../../domain/incident-lookup.js';
import { USAGE } from '../../domain/usage.js';
import { actionRef, actorId, type Actor } from '../../domain/model.js';
import type { SlackServices } from '../services.js';
import { safe } from '../text.js';
import { actionItemBlocks, actionItemsText, incidentActionsTitle } from '../views/action-items.js';
import type { Reply } from './reply.js';

type FollowUpChange = Extract<IncidentCommand, { kind: 'action' | 'done' | 'drop' }>;

/** Adds, completes or drops an action item, committed before Slack is acknowledged. */
export async function decideFollowUp(services: SlackServices, actor: Actor, command: SlashCommand, parsed: FollowUpChange): Promise<Reply> {
  const { deps } = services;
  switch (parsed.kind) {
    case 'action': {
      // The owner must be someone Slack knows: a follow-up nobody can be reminded of is lost.
      await requireIncidentInChannel(deps.repos.incidents, command.channel_id, USAGE.action);
      const { ownerId } = parseActionInput(parsed.raw, actorId(actor), todayIn(deps.clock.now(), deps.timeZone));
      await services.people.requireKnown(ownerId, actor);
      const { item, overdue } = await addActionItem(deps, actor, command.channel_id, parsed.raw);
      const late = overdue ? ` Note: ${item.dueDate} is already past, so it shows as overdue from now on.` : '';
      return { text: `:ballot_box_with_check: Added *${actionRef(item)}*: ${safe(item.text)} (owner <@${item.ownerId}>, due ${item.dueDate}).${late}` };
    }
    case 'done': {
      const item = await completeActionItem(deps, actor, command.channel_id, parsed.number);
      return { text: `:white_check_mark: *${actionRef(item)}* is done: ${safe(item.text)}` };
    }
    case 'drop': {
      const item = await dropActionItem(deps, actor, command.channel_id, parsed.number, parsed.reason);
      return { text: `:heavy_minus_sign: *${actionRef(item)}* dropped: ${safe(item.text)}` };
    }
  }
}

/**
 * `/incident actions`: in an incident channel, its follow-ups; anywhere else
 * the asker's own open ones, answered only to them (an owner always sees
 * their own items, a private incident's too).
 */
export async function listFollowUps(services: SlackServices, actor: Actor, command: SlashCommand): Promise<Reply> {
  const { deps } = services;
  const { incident, items } = await listActionItems(deps, actor, command.channel_id);
  const title = incident ? incidentActionsTitle(incident) : 'Your open action items';
  const today = todayIn(deps.clock.now(), deps.timeZone);
  return { text: actionItemsText(title, items, today), blocks: actionItemBlocks(title, items, today) };
}
