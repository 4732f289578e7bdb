import { incidentRef } from '../domain/model.js';
import type { ClaimedJob } from '../db/outbox.repo.js';
import { slackErrorCode } from '../slack/gateway.js';
import type { EffectContext } from './context.js';
import { isTransient } from './failures.js';

/**
 * Publishes the stored postmortem draft in the incident channel: as the
 * channel's canvas (created once, replaced on each re-publish), or, where the
 * workspace has no canvases, as a Markdown file. The draft is already in the
 * database, so a failure here loses nothing.
 */
export async function publishPostmortem(ctx: EffectContext, job: ClaimedJob & { kind: 'postmortem.publish' }): Promise<void> {
  const incident = ctx.store.incidents.get(job.incidentId);
  const draft = ctx.store.postmortems.get(job.incidentId);
  if (!incident?.channelId || !draft) return;
  if (draft.version > job.payload.version) return; // a newer draft has its own job
  const ref = incidentRef(incident.id);
  const title = `Postmortem: ${ref} ${incident.title}`;

  if (draft.canvasId) {
    await ctx.slack.editCanvas(draft.canvasId, draft.markdown);
    ctx.store.postmortems.recordCanvas(incident.id, draft.canvasId, draft.version);
    await ctx.slack.post(incident.channelId, `:memo: The postmortem draft of ${ref} in this channel's canvas is updated (version ${draft.version}).`);
    return;
  }
  try {
    const canvasId = await ctx.slack.createChannelCanvas(incident.channelId, title, draft.markdown);
    ctx.store.postmortems.recordCanvas(incident.id, canvasId, draft.version);
    await ctx.slack.post(incident.channelId, `:memo: The postmortem draft of ${ref} is in this channel's canvas. Fill in the marked parts before the review.`);
    return;
  } catch (error) {
    // A plan without canvases, or canvases turned off: Slack's refusal means "use a file".
    // An outage or a rate limit means "try the canvas again later".
    if (!slackErrorCode(error) || isTransient(error)) throw error;
    ctx.logger.info({ err: error, incidentId: incident.id }, 'no channel canvas; publishing the postmortem as a file');
  }
  const fileId = await ctx.slack.uploadMarkdown(
    incident.channelId,
    `${ref.toLowerCase()}-postmortem-v${draft.version}.md`,
    title,
    draft.markdown,
    `:memo: The postmortem draft of ${ref} (version ${draft.version}), written from the timeline. Fill in the marked parts before the review.`,
  );
  ctx.store.postmortems.recordFile(incident.id, fileId, draft.version);
}
