import { slackErrorCode } from '../slack/gateway.js';
import type { EffectContext } from './context.js';

/**
 * Looks for a post of the bot's by its metadata (SlackGateway.findOwnPost),
 * in a channel it may post in without being a member: chat:write.public lets
 * it post in any public channel (the announcement channel, an alert route's),
 * but conversations.history answers `not_in_channel` there. Without the look,
 * a retried post could neither go out (it might double) nor be given up
 * without losing it, so the bot joins the channel, as the digest does, and
 * looks again.
 */
export async function findOwnPostJoining(
  ctx: EffectContext,
  channel: string,
  eventType: string,
  key: string,
  value: string | number,
  since: Date,
): Promise<string | undefined> {
  try {
    return await ctx.slack.findOwnPost(channel, eventType, key, value, since);
  } catch (error) {
    if (slackErrorCode(error) !== 'not_in_channel') throw error;
    await ctx.slack.join(channel);
    return ctx.slack.findOwnPost(channel, eventType, key, value, since);
  }
}
