import type { RespondFn, SlashCommand } from '@slack/bolt';
import { addActionItem, completeActionItem, dropActionItem, listActionItems } from '../../domain/actions.js';
import type { IncidentCommand } from '../../domain/command-parser.js';
import { todayIn } from '../../domain/due-date.js';
import { actionRef, type Actor } from '../../domain/model.js';
import type { SlackServices } from '../services.js';
import { safe } from '../text.js';
import { actionItemBlocks, actionItemsText, incidentActionsTitle } from '../views/action-items.js';

type FollowUp = Extract<IncidentCommand, { kind: 'action' | 'actions' | 'done' | 'drop' }>;

/** Action items: add, list, complete, drop. Each answers only the person who typed it. */
export async function handleFollowUp(services: SlackServices, actor: Actor, command: SlashCommand, respond: RespondFn, parsed: FollowUp): Promise<void> {
  const { deps } = services;
  const reply = (text: string) => respond({ response_type: 'ephemeral', text });
  switch (parsed.kind) {
    case 'action': {
      const { item, overdue } = addActionItem(deps, actor, command.channel_id, parsed.raw);
      const late = overdue ? ` Note: ${item.dueDate} is already past, so it shows as overdue from now on.` : '';
      await reply(`:ballot_box_with_check: Added *${actionRef(item)}*: ${safe(item.text)} (owner <@${item.ownerId}>, due ${item.dueDate}).${late}`);
      return;
    }
    case 'actions': {
      const { incident, items } = listActionItems(deps, actor, command.channel_id);
      const title = incident ? incidentActionsTitle(incident) : 'Your open action items';
      const today = todayIn(deps.clock.now(), deps.timeZone);
      await respond({ response_type: 'ephemeral', text: actionItemsText(title, items, today), blocks: actionItemBlocks(title, items, today) });
      return;
    }
    case 'done': {
      const item = completeActionItem(deps, actor, command.channel_id, parsed.number);
      await reply(`:white_check_mark: *${actionRef(item)}* is done: ${safe(item.text)}`);
      return;
    }
    case 'drop': {
      const item = dropActionItem(deps, actor, command.channel_id, parsed.number, parsed.reason);
      await reply(`:heavy_minus_sign: *${actionRef(item)}* dropped: ${safe(item.text)}`);
      return;
    }
  }
}
