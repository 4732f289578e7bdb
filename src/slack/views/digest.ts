import type { types } from '@slack/bolt';
import { daysOverdue, type DigestChunk, type DigestReliability, type DigestTotals } from '../../domain/digest.js';
import { incidentRef } from '../../domain/model.js';
import { BUTTON_IDS } from '../ids.js';
import { safe } from '../text.js';
import { fitText, MAX_TEXT } from './limits.js';
import { AT_LEAST, budgetText, PARTLY_ESTIMATED, compared, countText, minutesText, plural } from './stats-lines.js';

type Block = types.KnownBlock;

/** An item cut short is whole in `/incident actions` (its incident's channel, or anywhere for its owner). */
const CUT_POINTER = '… _(cut: `/incident actions` lists it whole)_';

export function digestTitle(totals: DigestTotals): string {
  return `Action items digest, ${totals.day}: ${totals.overdue} overdue${totals.owners ? ` across ${totals.owners} owner${totals.owners === 1 ? '' : 's'}` : ''}, ${totals.upcoming} due in the coming week`;
}

/**
 * The week's reliability, one section above the follow-ups: incidents and
 * MTTR beside the week before, the budget each SLO lost. Private incidents are
 * in the counts and, like their follow-ups, not named by service here.
 */
export function digestReliabilityBlock(r: DigestReliability): Block {
  const budgets = r.budgets.map((b) => `${safe(b.service)} ${safe(b.name)} ${compared(b.consumed, b.previous, budgetText)}${b.estimate ? PARTLY_ESTIMATED : ''}${b.atLeast ? AT_LEAST : ''}`);
  const lines = [`*Reliability, the last ${r.days} days*: incidents ${compared(r.incidents, r.previousIncidents, countText)} · MTTR ${compared(r.mttr, r.previousMttr, minutesText)} over ${plural(r.resolved, 'resolved incident')}`];
  // Before the budgets, which are cut first when the names are long.
  if (r.hidden > 0) lines.push(`_${r.hidden} of these ${r.hidden === 1 ? 'is a private incident' : 'are private incidents'}: counted, not shown by service._`);
  lines.push(`Budget burned: ${budgets.length > 0 ? budgets.join(' · ') : 'none recorded'}`, '_`/incident stats` has the rest of the figures._');
  return { type: 'section', text: { type: 'mrkdwn', text: fitText(lines.join('\n'), MAX_TEXT, '…') } };
}

/**
 * The digest's heading. Totals count every item; `hiddenPrivate` of them
 * belong to private incidents and are not named in this message. The
 * reliability section, when given, comes first: above the follow-ups.
 */
export function digestHeaderBlocks(totals: DigestTotals, forOwner?: string, hiddenPrivate = 0, reliability?: DigestReliability): Block[] {
  const hidden: Block[] =
    hiddenPrivate > 0
      ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `${hiddenPrivate} of these ${hiddenPrivate === 1 ? 'is a follow-up' : 'are follow-ups'} of private incidents, not named here: each owner sees theirs with \`/incident actions\`.` }] }]
      : [];
  return [
    { type: 'header', text: { type: 'plain_text', text: forOwner ? 'Your overdue action items' : 'Action items digest' } },
    ...(reliability ? [digestReliabilityBlock(reliability)] : []),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${totals.overdue} overdue*${totals.owners && !forOwner ? ` across ${totals.owners} owner${totals.owners === 1 ? '' : 's'}` : ''} · *${totals.upcoming} due in the coming week* · as of ${totals.day}`,
      },
    },
    ...hidden,
  ];
}

function itemText(item: DigestChunk['items'][number], day: string): string {
  const late = daysOverdue(item, day);
  const when = item.section === 'overdue' ? `due ${item.dueDate}, *${late} day${late === 1 ? '' : 's'} overdue*` : `due ${item.dueDate}`;
  // A private incident's title stays in its channel; the item's owner (the only reader outside it) has the link.
  const incident = item.isPrivate ? `${incidentRef(item.incidentId)} (private incident)` : `${incidentRef(item.incidentId)}: ${safe(item.incidentTitle)}`;
  const where = item.channelId ? `<#${item.channelId}> ${incident}` : incident;
  const owner = item.section === 'upcoming' ? ` · <@${item.ownerId}>` : '';
  return fitText(`*${incidentRef(item.incidentId)} #${item.number}* ${safe(item.text)}\n${where} · ${when}${owner}`, MAX_TEXT, CUT_POINTER);
}

/**
 * One message of the digest. It starts with the heading of its first item
 * (owner, or "due in the coming week"), so every message reads on its own,
 * and every item has Done and Snooze buttons.
 */
export function digestChunkBlocks(chunk: DigestChunk, day: string, options: { showOwners: boolean }): Block[] {
  const blocks: Block[] = [];
  let heading = '';
  for (const item of chunk.items) {
    const next = item.section === 'upcoming' ? 'upcoming' : options.showOwners ? `owner:${item.ownerId}` : 'overdue';
    if (next !== heading) {
      heading = next;
      const text = next === 'upcoming' ? '*Due in the coming week*' : next === 'overdue' ? '*Overdue*' : `*Overdue for <@${item.ownerId}>*`;
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
    }
    const value = JSON.stringify({ incidentId: item.incidentId, number: item.number });
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: itemText(item, day) } });
    blocks.push({
      type: 'actions',
      elements: [
        { type: 'button', action_id: BUTTON_IDS.actionDone, text: { type: 'plain_text', text: 'Done' }, style: 'primary', value },
        { type: 'button', action_id: BUTTON_IDS.actionSnooze, text: { type: 'plain_text', text: 'Snooze 1 week' }, value },
      ],
    });
  }
  return blocks;
}
