import type { ClaimedJob } from '../db/outbox.repo.js';
import { METADATA_TYPES } from '../slack/ids.js';
import { alertNoticeMessage } from '../slack/views/alert-notices.js';
import type { EffectContext } from './context.js';
import { findOwnPostJoining } from './find-own-post.js';

/**
 * Posts an alert notice with its button: in the incident's channel (after
 * its set-up, being in the incident's queue) or in a notify-only group's
 * channel, whose message is recorded as the place its Declare button belongs.
 * A retry looks for its own post first, so a crash after Slack took it does
 * not post it twice.
 */
export async function postAlertNotice(ctx: EffectContext, job: ClaimedJob & { kind: 'alert.post' }): Promise<void> {
  const incident = job.incidentId === null ? undefined : await ctx.store.incidents.get(job.incidentId);
  const channel = job.payload.channel ?? incident?.channelId;
  if (!channel) return;
  const { notice } = job.payload;
  const { text, blocks } = alertNoticeMessage(notice, incident);
  const found = job.attempts > 1 ? await findOwnPostJoining(ctx, channel, METADATA_TYPES.post, 'job_id', job.id, job.createdAt) : undefined;
  const ts = found ?? (await ctx.slack.post(channel, text, { blocks, metadata: { event_type: METADATA_TYPES.post, event_payload: { job_id: job.id, incident_id: incident?.id ?? 0 } } })).ts;
  if (notice.type === 'alert_notify') await ctx.store.alerts.recordNotice(notice.groupId, channel, ts);
}
