import type { ClaimedJob } from '../db/outbox.repo.js';
import { METADATA_TYPES } from '../slack/ids.js';
import { announcementText } from '../slack/views/announcements.js';
import { noticeText } from '../slack/views/notices.js';
import type { EffectContext } from './context.js';
import { findOwnPostJoining } from './find-own-post.js';

/**
 * Posts a notice in the incident channel or the announcement channel. Each
 * post carries its job id as message metadata; a retry first looks for it, so
 * a post that went out just before a crash is not posted twice.
 */
export async function postNotice(ctx: EffectContext, job: ClaimedJob & { kind: 'slack.post' }): Promise<void> {
  const incident = await ctx.store.incidents.get(job.incidentId);
  if (!incident) return;
  const channel = job.payload.target === 'announce' ? ctx.announceChannel : incident.channelId;
  if (!channel) return; // no announcement channel configured, or no incident channel to post in
  const holders = await ctx.store.roles.current(incident.id);
  const text =
    job.payload.target === 'announce'
      ? announcementText(job.payload.notice, incident, holders)
      : noticeText(job.payload.notice, incident, holders, 'incident');
  if (text === null) return; // nothing of a private incident goes to the announcement channel but its declaration
  if (job.attempts > 1 && (await findOwnPostJoining(ctx, channel, METADATA_TYPES.post, 'job_id', job.id, job.createdAt))) return;
  await ctx.slack.post(channel, text, { metadata: { event_type: METADATA_TYPES.post, event_payload: { job_id: job.id, incident_id: incident.id } } });
}

export async function inviteToIncident(ctx: EffectContext, job: ClaimedJob & { kind: 'slack.invite' }): Promise<void> {
  const incident = await ctx.store.incidents.get(job.incidentId);
  if (!incident?.channelId) return;
  await ctx.slack.invite(incident.channelId, job.payload.userIds);
}
