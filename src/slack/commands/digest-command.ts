import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { Audience } from '../../domain/access.js';
import { DomainError } from '../../domain/errors.js';
import { slackErrorCode } from '../gateway.js';
import type { SlackServices } from '../services.js';

/** response_url takes five answers: four parts and a closing word. */
const EPHEMERAL_PARTS = 4;

/**
 * `/incident digest`: the digest as of now, only to whoever asked.
 * `/incident digest here`: posted in this channel, long ones continued in a thread.
 */
export async function handleDigest(services: SlackServices, command: SlashCommand, respond: RespondFn, here: boolean): Promise<void> {
  // Posted here, everyone in the channel reads it; answered to the asker, they read it alone (and see their own items).
  const audience: Audience = here
    ? { type: 'channel', channelId: command.channel_id }
    : { type: 'person', userId: command.user_id, channelId: command.channel_id };
  const { plan, parts } = await services.digest.preview(command.channel_id, audience);
  if (plan.totals.overdue === 0 && plan.totals.upcoming === 0) {
    await respond({ response_type: 'ephemeral', text: 'Nothing overdue and nothing due in the coming week. :tada:' });
    return;
  }
  if (here) {
    let rootTs: string | undefined;
    for await (const part of parts) {
      const sent = await services.slack
        .postIn(command.channel_id, part.text, { blocks: part.blocks, threadTs: part.thread === 'reply' ? rootTs : undefined })
        .catch((error: unknown) => {
          throw rootTs === undefined ? notPostedHere(error) : error;
        });
      rootTs ??= sent.ts;
    }
    return;
  }
  let sent = 0;
  let left = 0;
  for await (const part of parts) {
    if (sent < EPHEMERAL_PARTS) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: part.text, blocks: part.blocks as never });
      sent += 1;
    } else {
      left += 1;
    }
  }
  // Never cut short in silence: say what did not fit, and where to see it all.
  if (left > 0) {
    await respond({ response_type: 'ephemeral', replace_original: false, text: `…and ${left} more message${left === 1 ? '' : 's'} of items. \`/incident digest here\` posts the whole digest in a thread.` });
  }
}

/**
 * Slash commands work in every conversation, but the bot posts only where it
 * is a member: a private channel or a DM without it answers
 * `channel_not_found`, a public one it has not joined `not_in_channel`. The
 * first part tells, while nothing is posted yet; the asker is told what to do
 * instead of getting an apology for a fault.
 */
function notPostedHere(error: unknown): unknown {
  const code = slackErrorCode(error);
  if (code !== 'channel_not_found' && code !== 'not_in_channel') return error;
  return new DomainError(
    'NOT_ALLOWED',
    "I can't post in this conversation because I'm not in it, so the digest was not posted. In a channel, invite me first (`/invite @` and my name), then run `/incident digest here` again; or run `/incident digest` without `here` to see it yourself.",
  );
}
