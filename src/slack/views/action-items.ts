import type { types } from '@slack/bolt';
import { actionRef, incidentRef, type ActionItem, type Incident } from '../../domain/model.js';
import { BUTTON_IDS } from '../ids.js';
import { safe } from '../text.js';

const STATUS_EMOJI = { open: ':white_circle:', done: ':white_check_mark:', dropped: ':heavy_minus_sign:' } as const;

function itemLine(item: ActionItem, today: string): string {
  const late = item.status === 'open' && item.dueDate < today ? ' :warning: *overdue*' : '';
  const dropped = item.status === 'dropped' && item.dropReason ? ` (dropped: ${safe(item.dropReason)})` : '';
  return `${STATUS_EMOJI[item.status]} *${actionRef(item)}* ${safe(item.text)}\nOwner <@${item.ownerId}> · due ${item.dueDate}${late}${dropped}`;
}

/** A listing of action items, each open one with a Done button. Slack allows 50 blocks. */
export function actionItemBlocks(title: string, items: readonly ActionItem[], today: string): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${title}*` } }];
  if (items.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '_No action items._' } });
  for (const item of items.slice(0, 48)) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: itemLine(item, today) },
      ...(item.status === 'open'
        ? {
            accessory: {
              type: 'button' as const,
              action_id: BUTTON_IDS.actionDone,
              text: { type: 'plain_text' as const, text: 'Done' },
              value: JSON.stringify({ incidentId: item.incidentId, number: item.number }),
            },
          }
        : {}),
    });
  }
  if (items.length > 48) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${items.length - 48} more.` }] });
  return blocks;
}

export function actionItemsText(title: string, items: readonly ActionItem[], today: string): string {
  return [title, ...items.map((i) => itemLine(i, today))].join('\n');
}

export function incidentActionsTitle(incident: Incident): string {
  return `Action items of ${incidentRef(incident.id)}: ${safe(incident.title)}`;
}
