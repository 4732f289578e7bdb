import type { ClaimedJob } from '../db/outbox.repo.js';
import { reconcilePinnedMessage } from '../domain/timeline.js';
import type { EffectContext } from './context.js';

/**
 * Reads the reacted message and its reactions from Slack, then lets the
 * domain decide the entry. Reading Slack's current state (rather than trusting
 * each event) makes late, repeated or reordered reaction events all land on
 * the same answer. That is also why only captures of the same message wait
 * for each other, and why the incident's other jobs never wait for them.
 */
export async function reconcileTimeline(ctx: EffectContext, job: ClaimedJob & { kind: 'timeline.reconcile' }): Promise<void> {
  const { channelId, messageTs } = job.payload;
  const message = await ctx.slack.fetch(channelId, messageTs);
  const count = message ? await ctx.slack.reactionCount(channelId, messageTs, ctx.timelineEmoji) : 0;
  await reconcilePinnedMessage(ctx.deps, job.incidentId, messageTs, message, count);
}
