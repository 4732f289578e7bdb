import type { ClaimedJob } from '../db/outbox.repo.js';
import { METADATA_TYPES } from '../slack/ids.js';
import { noticeText } from '../slack/views/notices.js';
import type { EffectContext } from './context.js';

/**
 * Posts a notice in the incident channel or the announcement channel. Each
 * post carries its job id as message metadata; a retry first looks for it, so
 * a post that went out just before a crash is not posted twice.
 */
export async function postNotice(ctx: EffectContext, job: ClaimedJob & { kind: 'slack.post' }): Promise<void> {
  const incident = ctx.store.incidents.get(job.incidentId);
  if (!incident) return;
  const channel = job.payload.target === 'announce' ? ctx.announceChannel : incident.channelId;
  if (!channel) return; // no announcement channel configured, or no incident channel to post in
  if (job.attempts > 1 && (await ctx.slack.findOwnPost(channel, METADATA_TYPES.post, 'job_id', job.id))) return;
  const text = noticeText(job.payload.notice, incident, ctx.store.roles.current(incident.id), job.payload.target);
  await ctx.slack.post(channel, text, { metadata: { event_type: METADATA_TYPES.post, event_payload: { job_id: job.id, incident_id: incident.id } } });
}

export async function inviteToIncident(ctx: EffectContext, job: ClaimedJob & { kind: 'slack.invite' }): Promise<void> {
  const incident = ctx.store.incidents.get(job.incidentId);
  if (!incident?.channelId) return;
  await ctx.slack.invite(incident.channelId, job.payload.userIds);
}
