import type { ClaimedJob } from '../db/outbox.repo.js';
import type { Incident } from '../domain/model.js';
import { slackErrorCode } from '../slack/gateway.js';
import { METADATA_TYPES } from '../slack/ids.js';
import { incidentHeaderBlocks, incidentHeaderText, incidentTopic } from '../slack/views/header.js';
import type { EffectContext } from './context.js';
import { headerFacts, postHeader } from './incident-header.js';

// The bench builds headers as this job does.
export { headerFacts };

/** Sets the channel topic unless it already reads `topic` (each change shows in the channel). */
export async function setTopicIfChanged(ctx: EffectContext, incidentId: number, channelId: string, topic: string): Promise<void> {
  if ((await ctx.store.incidents.setupProgress(incidentId))?.topic === topic) return;
  await ctx.slack.setTopic(channelId, topic);
  await ctx.store.incidents.recordTopic(incidentId, topic);
}

/**
 * Brings the pinned header and the topic in line with the incident as it is
 * now (not as it was when the job was queued), so coalesced or late jobs
 * still leave Slack right.
 */
export async function syncIncident(ctx: EffectContext, job: ClaimedJob): Promise<void> {
  const incident = await ctx.store.incidents.get(job.incidentId!);
  if (!incident?.channelId) return; // set-up failed and was reported; nothing to sync
  const holders = await ctx.store.roles.current(incident.id);
  if (incident.headerTs) {
    try {
      await ctx.slack.update(incident.channelId, incident.headerTs, incidentHeaderText(incident), incidentHeaderBlocks(incident, holders, await headerFacts(ctx, incident.id)));
    } catch (error) {
      if (slackErrorCode(error) !== 'message_not_found') throw error;
      await replaceDeletedHeader(ctx, incident as Incident & { channelId: string }, job);
    }
  }
  await setTopicIfChanged(ctx, incident.id, incident.channelId, incidentTopic(incident, holders));
}

/**
 * Someone deleted the pinned header (and with it its pin and its buttons):
 * every later update would fail on it, so it is posted again, pinned, and the
 * new one recorded for the updates that follow. A retry of this job after a
 * crash between that post and its record finds the new header by its
 * metadata instead of posting a third.
 */
async function replaceDeletedHeader(ctx: EffectContext, incident: Incident & { channelId: string }, job: ClaimedJob): Promise<void> {
  const reposted =
    job.attempts > 1 ? await ctx.slack.findOwnPost(incident.channelId, METADATA_TYPES.header, 'incident_id', incident.id, job.createdAt) : undefined;
  const ts = reposted ?? (await postHeader(ctx, incident.id, incident.channelId));
  if (reposted) await ctx.store.incidents.recordHeader(incident.id, reposted);
  await ctx.slack.pin(incident.channelId, ts);
  ctx.logger.info({ incidentId: incident.id, deletedTs: incident.headerTs, headerTs: ts }, 'the pinned header was deleted; posted and pinned it again');
}
