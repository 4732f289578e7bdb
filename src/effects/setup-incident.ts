import { incidentRef } from '../domain/model.js';
import { incidentChannelName } from '../domain/slug.js';
import type { ClaimedJob } from '../db/outbox.repo.js';
import { respondEphemeral, slackErrorCode } from '../slack/gateway.js';
import { METADATA_TYPES } from '../slack/ids.js';
import { incidentPurpose, incidentTopic } from '../slack/views/header.js';
import type { EffectContext } from './context.js';
import { describeFailure, PermanentFailure } from './failures.js';
import { postHeader } from './incident-header.js';
import { setTopicIfChanged } from './sync-incident.js';

/** How many suffixes to try when people hold the names we want. */
const MAX_NAME_ATTEMPTS = 20;

/**
 * Creates the incident's channel, invites the declarer and role holders, and
 * posts and pins the header; purpose, topic and the "ready" message follow in
 * a job of their own (finishSetup). Every step records its result before the
 * next, and every step is safe to repeat, so a retry or a restart resumes
 * where the last run stopped and never makes a second channel.
 */
export async function setupIncident(ctx: EffectContext, job: ClaimedJob & { kind: 'incident.setup' }): Promise<void> {
  const { store, slack } = ctx;
  const progress = await store.incidents.setupProgress(job.incidentId);
  const incident = await store.incidents.get(job.incidentId);
  if (!incident || !progress) throw new PermanentFailure(`incident ${job.incidentId} does not exist`);

  const channelId = progress.channelId ?? (await createChannel(ctx, incident.id, incident.title, incident.isPrivate, incident.declaredAt));
  const holders = await store.roles.current(incident.id);
  // The declarer first: they are waiting for the channel. Then the header they will read.
  const people = [...new Set([incident.declaredBy, ...holders.map((h) => h.userId)])].filter((u) => !u.startsWith('system:'));
  const refused = await inviteEach(ctx, channelId, people);

  let headerTs = progress.headerTs;
  if (!headerTs && job.attempts > 1) {
    headerTs = (await slack.findOwnPost(channelId, METADATA_TYPES.header, 'incident_id', incident.id, job.createdAt)) ?? null;
  }
  // Posted as the incident is now: a role or severity may have changed while the channel was being made.
  if (!headerTs) headerTs = await postHeader(ctx, incident.id, channelId);
  if (!progress.headerPinned) {
    await slack.pin(channelId, headerTs);
    // The rest is not urgent: under a burst it waits while other incidents' channels are made.
    // Recorded on condition: a run whose lease ran out while Slack held its pin may be going on
    // beside this one (the other claim's, maybe on another replica), and the first to record the
    // pin queues the rest; a second would tell the declarer "ready" twice and set the purpose again.
    const finished = await store.transaction(async (tx) => {
      if (!(await tx.incidents.recordHeaderPinned(incident.id))) return false;
      await tx.outbox.enqueue({ kind: 'incident.finish-setup', incidentId: incident.id, payload: { responseUrl: job.payload.responseUrl } }, ctx.clock.now());
      return true;
    });
    // Told by the run that finished the set-up, so once.
    if (finished && refused.length > 0) {
      const text = `:warning: Could not invite ${refused.join(', ')} to <#${channelId}> for ${incidentRef(incident.id)}. Someone in the channel, or a workspace admin, can add them.`;
      await tellDeclarer(ctx, job.payload.responseUrl, incident.declaredBy, progress.originChannelId, text).catch((error: unknown) =>
        ctx.logger.warn({ err: error, incidentId: incident.id }, 'could not tell the declarer who could not be invited'),
      );
    }
  }
}

/**
 * Slack's answers to conversations.invite that concern one person (a guest,
 * an account it does not know), not the channel: the rest of the set-up (the
 * header with its buttons, the pin, the topic) is for everyone else, so it
 * goes on without them.
 */
const PERSON_REFUSALS = new Set(['user_not_found', 'user_is_restricted', 'user_is_ultra_restricted', 'ura_max_channels', 'cant_invite', 'user_team_not_in_channel']);

/** Invites each person; those Slack refuses are returned as mentions with Slack's reason. */
async function inviteEach(ctx: EffectContext, channelId: string, people: readonly string[]): Promise<string[]> {
  const refused: string[] = [];
  for (const user of people) {
    try {
      await ctx.slack.invite(channelId, [user]);
    } catch (error) {
      if (!PERSON_REFUSALS.has(slackErrorCode(error) ?? '')) throw error;
      ctx.logger.warn({ err: error, channelId, user }, 'Slack refused to invite a person to the incident channel');
      refused.push(`<@${user}> (${describeFailure(error)})`);
    }
  }
  return refused;
}

/** Purpose and topic, and the declarer told the channel is ready. */
export async function finishSetup(ctx: EffectContext, job: ClaimedJob & { kind: 'incident.finish-setup' }): Promise<void> {
  const { store, slack } = ctx;
  const incident = await store.incidents.get(job.incidentId);
  const progress = await store.incidents.setupProgress(job.incidentId);
  const channelId = incident?.channelId;
  if (!incident || !progress || !channelId) return;
  // A rerun (after a crash, or a topic Slack refused for a moment) finds the purpose set: set
  // again, Slack would say so in the channel a second time. The first run has nothing to ask.
  const purpose = incidentPurpose(incident);
  if (job.attempts === 1 || (await slack.channelPurpose(channelId)) !== purpose) await slack.setPurpose(channelId, purpose);
  await setTopicIfChanged(ctx, incident.id, channelId, incidentTopic(incident, await store.roles.current(incident.id)));

  const ready = `${incidentRef(incident.id)} is ready: <#${channelId}>. You are Incident Commander until you hand it over with \`/incident role ic @someone\`.`;
  await tellDeclarer(ctx, job.payload.responseUrl, incident.declaredBy, progress.originChannelId, ready);
}

/**
 * A channel is ours to adopt when the bot made it, after the incident was
 * declared, and no other incident has it: that is a create whose answer was
 * lost (a timeout, a 5xx after the fact, a crash before we recorded it).
 */
const ADOPT_CLOCK_SKEW_MS = 60_000;

async function createChannel(ctx: EffectContext, incidentId: number, title: string, isPrivate: boolean, declaredAt: Date): Promise<string> {
  const { store, slack } = ctx;
  const progress = (await store.incidents.setupProgress(incidentId))!;
  for (let attempt = progress.channelAttempt; attempt < MAX_NAME_ATTEMPTS; attempt++) {
    const name = incidentChannelName(incidentId, title, attempt);
    // Only a move to a new suffix needs recording: the name follows from the attempt.
    if (attempt !== progress.channelAttempt) await store.incidents.recordChannelAttempt(incidentId, name, attempt);
    const created = await slack.createChannel(name, isPrivate);
    if (created) {
      await store.incidents.recordChannel(incidentId, created.id, created.name);
      return created.id;
    }
    const existing = await slack.findChannelByName(name);
    if (!existing || existing.creator !== ctx.botUserId()) continue;
    const holder = await store.incidents.getByChannel(existing.id);
    // Another run of this set-up made it and recorded it after we read the progress (its lease
    // ran out while it was still at work): it is this incident's channel, not a name to step past.
    if (holder?.id === incidentId) return existing.id;
    const ours = !holder && existing.createdAt.getTime() >= declaredAt.getTime() - ADOPT_CLOCK_SKEW_MS;
    if (ours) {
      await store.incidents.recordChannel(incidentId, existing.id, name);
      return existing.id;
    }
  }
  throw new PermanentFailure(`every channel name tried for ${incidentRef(incidentId)} was taken`);
}

/** Through the command's response_url when we have one, else ephemeral or DM. */
export async function tellDeclarer(
  ctx: EffectContext,
  responseUrl: string | null,
  userId: string,
  originChannelId: string | null,
  text: string,
): Promise<void> {
  if (userId.startsWith('system:')) return;
  if (responseUrl) {
    try {
      await respondEphemeral(responseUrl, text);
      return;
    } catch (error) {
      ctx.logger.warn({ err: error }, 'response_url failed; telling the user another way');
    }
  }
  await ctx.slack.tellUser(userId, originChannelId, text);
}
