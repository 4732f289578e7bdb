import type { types } from '@slack/bolt';
import { actionRef, incidentRef, type ActionItem, type Incident } from '../../domain/model.js';
import { BUTTON_IDS } from '../ids.js';
import { safe } from '../text.js';
import { fitLines, fitText, SLACK_LIMITS } from './limits.js';

const STATUS_EMOJI = { open: ':white_circle:', done: ':white_check_mark:', dropped: ':heavy_minus_sign:' } as const;

/** Item sections beside the title and the "…and N more" line: 50 blocks in all. */
const MAX_ITEM_BLOCKS = SLACK_LIMITS.blocksPerMessage - 2;

/** The postmortem draft lists every follow-up with its text and why it was dropped. */
const CUT_POINTER = "… _(cut: `/incident postmortem` in its incident's channel lists it whole)_";

function itemLine(item: ActionItem, today: string): string {
  const late = item.status === 'open' && item.dueDate < today ? ' :warning: *overdue*' : '';
  const dropped = item.status === 'dropped' && item.dropReason ? ` (dropped: ${safe(item.dropReason)})` : '';
  const line = `${STATUS_EMOJI[item.status]} *${actionRef(item)}* ${safe(item.text)}\nOwner <@${item.ownerId}> · due ${item.dueDate}${late}${dropped}`;
  return fitText(line, SLACK_LIMITS.sectionText, CUT_POINTER);
}

/** A listing of action items, each open one with a Done button. Slack allows 50 blocks. */
export function actionItemBlocks(title: string, items: readonly ActionItem[], today: string): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: fitText(`*${title}*`, SLACK_LIMITS.sectionText, '…') } }];
  if (items.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '_No action items._' } });
  for (const item of items.slice(0, MAX_ITEM_BLOCKS)) {
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
  if (items.length > MAX_ITEM_BLOCKS) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: moreText(items.length - MAX_ITEM_BLOCKS) }] });
  return blocks;
}

function moreText(count: number): string {
  return `…and ${count} more: \`/incident postmortem\` in an incident's channel lists all its follow-ups.`;
}

/** The same listing as text: the notification, and what clients without blocks show. */
export function actionItemsText(title: string, items: readonly ActionItem[], today: string): string {
  return fitLines({
    head: [title],
    lines: items.map((i) => itemLine(i, today)),
    max: SLACK_LIMITS.fallbackText,
    keep: 'first',
    omitted: moreText,
    linePointer: CUT_POINTER,
  });
}

export function incidentActionsTitle(incident: Incident): string {
  return `Action items of ${incidentRef(incident.id)}: ${safe(incident.title)}`;
}
