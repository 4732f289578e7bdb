import { incidentRef, type Incident } from '../domain/model.js';
import type { ClaimedJob } from '../db/outbox.repo.js';
import { draftFileName, mentionedUserIds, withPeopleNames } from '../postmortem/markdown.js';
import { slackErrorCode } from '../slack/gateway.js';
import { METADATA_TYPES } from '../slack/ids.js';
import type { EffectContext } from './context.js';
import { isTransient, RetrySoon } from './failures.js';

/** How long a first publish waits for the SLO figures: a Prometheus timeout or two, then it goes out as it is. */
const FIGURES_WAIT_MS = 30_000;

type PublishJob = ClaimedJob & { kind: 'postmortem.publish' };
type Draft = NonNullable<Awaited<ReturnType<EffectContext['store']['postmortems']['get']>>>;

/**
 * Publishes the stored postmortem draft in the incident channel. The first
 * becomes the channel's canvas; from then on the canvas is the team's (they
 * were told to fill it in), so a later draft is posted beside it as a
 * Markdown file, and only a confirmed "Replace the canvas" writes over it.
 * Where the workspace has no canvases, every draft is a file. The draft is
 * already in the database, so a failure here loses nothing.
 */
export async function publishPostmortem(ctx: EffectContext, job: PublishJob): Promise<void> {
  const incident = await ctx.store.incidents.get(job.incidentId);
  const draft = await ctx.store.postmortems.get(job.incidentId);
  if (!incident?.channelId || !draft) return;
  if (draft.version > job.payload.version) return; // a newer draft has its own job
  const ref = incidentRef(incident.id);

  if (job.payload.replaceCanvas) {
    await replaceCanvas(ctx, incident, draft, job.payload.replaceCanvas.by, job);
    return;
  }
  // The canvas holds this very version: this job made it and recorded it, and failed after (the
  // post saying so). A file beside it would be a second copy, with words meant for a later draft.
  if (draft.canvasId && draft.canvasVersion === job.payload.version) {
    await tellCanvasMade(ctx, incident, job);
    return;
  }
  // The first draft becomes the canvas the team edits: if the SLO figures it
  // states are still being computed, wait for them (a little), so the canvas
  // does not say "being computed" while the figures land in a file beside it.
  if (!draft.canvasId && incident.service && (await ctx.store.outbox.sloRefreshUnfinished(incident.id))) {
    const waited = ctx.clock.now().getTime() - job.createdAt.getTime();
    if (waited < FIGURES_WAIT_MS) throw new RetrySoon('the final SLO figures are being computed', 500);
  }
  if (draft.canvasId) {
    await uploadDraft(
      ctx,
      incident,
      draft,
      `:memo: Version ${draft.version} of the postmortem draft of ${ref}, rewritten from what is recorded now. ` +
        `The channel's canvas is left as the team edited it: copy from this file what it should gain.`,
      job,
    );
    return;
  }
  let canvasId: string;
  try {
    canvasId = await ctx.slack.createChannelCanvas(incident.channelId, `Postmortem: ${ref} ${incident.title}`, draft.markdown);
  } catch (error) {
    // A plan without canvases, canvases turned off, or a canvas the team made
    // themselves: Slack's refusal means "use a file". An outage or a rate
    // limit means "try the canvas again later".
    if (!slackErrorCode(error) || isTransient(error)) throw error;
    const made = await canvasMadeByEarlierAttempt(ctx, incident.channelId, job, error);
    if (!made) {
      ctx.logger.info({ err: error, incidentId: incident.id }, 'no channel canvas; publishing the postmortem as a file');
      await uploadDraft(ctx, incident, draft, `:memo: The postmortem draft of ${ref} (version ${draft.version}), written from the timeline. Fill in the marked parts before the review.`, job);
      return;
    }
    canvasId = made;
  }
  await ctx.store.transaction(async (tx) => {
    await tx.postmortems.recordCanvas(incident.id, canvasId, draft.version);
    await tx.outbox.enqueue({ kind: 'incident.sync', incidentId: incident.id, payload: {} }, ctx.clock.now()); // the header says where the draft is
  });
  await tellCanvasMade(ctx, incident, job);
}

/**
 * The canvas an earlier attempt of this job made, when Slack says the channel
 * has one already: that attempt's create went through and its answer was lost
 * (a timeout, a crash). Taken as this job's, as if the create had answered, so
 * the header points to it and later drafts know it is there; uploaded as a
 * file instead, the bot never learnt the canvas's id. On a first attempt the
 * canvas cannot be this job's (the team made it): a file goes beside it. Slack
 * does not say who made a channel canvas without files:read, so one the team
 * made between a first attempt that failed before its create and the retry
 * (seconds, mostly) is taken too: it is only ever replaced on confirmation.
 */
async function canvasMadeByEarlierAttempt(ctx: EffectContext, channel: string, job: PublishJob, error: unknown): Promise<string | undefined> {
  if (slackErrorCode(error) !== 'channel_canvas_already_exists' || job.attempts <= 1) return undefined;
  let canvasId: string | undefined;
  try {
    canvasId = await ctx.slack.channelCanvasId(channel);
  } catch (infoError) {
    // Slack refusing to say (not an outage) leaves the draft where it went before: in a file.
    if (!slackErrorCode(infoError) || isTransient(infoError)) throw infoError;
    ctx.logger.warn({ err: infoError, incidentId: job.incidentId }, "could not ask Slack for the channel's canvas");
    return undefined;
  }
  if (canvasId) ctx.logger.info({ incidentId: job.incidentId, canvasId }, "the channel's canvas was made by an earlier attempt whose answer was lost; taken as the postmortem's");
  return canvasId;
}

/**
 * Tells the channel its canvas holds the draft. The post carries the job's id:
 * a retry after a failed or lost post looks for it before posting again.
 */
async function tellCanvasMade(ctx: EffectContext, incident: Incident, job: PublishJob): Promise<void> {
  const channel = incident.channelId!;
  if (job.attempts > 1 && (await ctx.slack.findOwnPost(channel, METADATA_TYPES.post, 'job_id', job.id, job.createdAt))) return;
  await ctx.slack.post(
    channel,
    `:memo: The postmortem draft of ${incidentRef(incident.id)} is in this channel's canvas. Fill in the marked parts before the review: \`/incident postmortem\` later posts a new draft beside it and leaves the canvas as you wrote it.`,
    { metadata: { event_type: METADATA_TYPES.post, event_payload: { job_id: job.id, incident_id: incident.id } } },
  );
}

/**
 * The draft as a Markdown file: outside a canvas a mention is noise, so people
 * are named. A retry looks for the file an earlier attempt shared (its answer
 * lost, or a crash before it was recorded) before uploading a second copy; its
 * name carries the incident and the draft's version, which this job publishes.
 */
async function uploadDraft(ctx: EffectContext, incident: Incident, draft: Draft, comment: string, job: PublishJob): Promise<void> {
  const channel = incident.channelId!;
  const filename = draftFileName(incident.id, draft.version);
  let fileId = job.attempts > 1 ? await ctx.slack.findOwnFile(channel, ctx.botUserId(), filename, job.createdAt) : undefined;
  if (!fileId) {
    const markdown = withPeopleNames(draft.markdown, await ctx.store.names.namesOf(mentionedUserIds(draft.markdown)));
    fileId = await ctx.slack.uploadMarkdown(channel, filename, `Postmortem: ${incidentRef(incident.id)} ${incident.title}`, markdown, comment);
  }
  await ctx.store.postmortems.recordFile(incident.id, fileId, draft.version);
  if (!draft.canvasId && !draft.fileId) await ctx.store.outbox.enqueue({ kind: 'incident.sync', incidentId: incident.id, payload: {} }, ctx.clock.now());
}

async function replaceCanvas(ctx: EffectContext, incident: Incident, draft: Draft, by: string, job: PublishJob): Promise<void> {
  if (!draft.canvasId) return;
  const channel = incident.channelId!;
  // A second confirmation (two clicks, a retried job) finds the canvas already holding this version:
  // writing it again would wipe what the team wrote since. Another confirmation's job did it, and
  // says so, unless this is a retry of the job that did it and failed after: its post may be missing.
  if ((draft.canvasVersion ?? 0) >= draft.version) {
    if (job.attempts <= 1) return;
    if (await ctx.slack.findOwnPost(channel, METADATA_TYPES.post, 'canvas_replaced', draft.version, job.createdAt)) return;
  } else {
    await ctx.slack.editCanvas(draft.canvasId, draft.markdown);
    await ctx.store.postmortems.recordCanvas(incident.id, draft.canvasId, draft.version);
  }
  // The post carries the version: a retry after a lost answer finds it rather than saying it twice.
  await ctx.slack.post(
    channel,
    `:memo: <@${by}> replaced the canvas of ${incidentRef(incident.id)} with version ${draft.version} of the postmortem draft; what was written in it before is gone from the canvas.`,
    { metadata: { event_type: METADATA_TYPES.post, event_payload: { canvas_replaced: draft.version, incident_id: incident.id } } },
  );
}
