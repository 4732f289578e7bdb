import type { ClaimedJob } from '../db/outbox.repo.js';
import type { EffectContext } from './context.js';

/**
 * Finds who PagerDuty has on call at level 1, finds them in Slack by e-mail,
 * invites them and names them in the header. A level can target several
 * schedules and users, so everyone on call there is invited and named, not
 * only the first PagerDuty lists: the others were never brought into the channel.
 * Runs in the incident's queue, after its channel exists; without an API
 * token and policy it does nothing.
 */
export async function inviteOnCall(ctx: EffectContext, job: ClaimedJob): Promise<void> {
  if (!ctx.pagerduty.onCallConfigured) return;
  const incident = await ctx.store.incidents.get(job.incidentId!);
  if (!incident?.channelId || incident.oncallUserIds.length > 0) return;
  let people;
  try {
    people = await ctx.pagerduty.onCallNow();
  } catch (error) {
    // Best effort: the page itself does not depend on it, and this job must not hold up
    // the incident's Slack queue while PagerDuty's REST API is down.
    ctx.logger.warn({ err: error, incidentId: incident.id }, 'could not read the PagerDuty on-call');
    return;
  }
  const { userIds, unmatched } = await slackAccountsOf(ctx, people.map((p) => p.email));
  if (unmatched > 0) ctx.logger.warn({ incidentId: incident.id, unmatched }, 'a PagerDuty on-call has no Slack account with the same e-mail');
  if (userIds.length === 0) return;
  // Invited first, recorded after: recorded first, an invite Slack failed for a moment was never
  // retried (the retry found the on-call recorded and stopped), and the header named someone who
  // was not in the channel. A second invite of someone already in is harmless.
  await ctx.slack.invite(incident.channelId, userIds);
  await ctx.store.transaction(async (tx) => {
    // All of them, in PagerDuty's order: the header names each.
    await tx.incidents.recordOncall(incident.id, userIds);
    await tx.outbox.enqueue({ kind: 'incident.sync', incidentId: incident.id, payload: {} }, ctx.clock.now());
  });
}

/**
 * The Slack accounts of these e-mails, in order, each once (two PagerDuty users
 * may be one person in Slack), and how many e-mails (or missing ones) found none.
 */
async function slackAccountsOf(ctx: EffectContext, emails: readonly (string | null)[]): Promise<{ userIds: string[]; unmatched: number }> {
  const userIds: string[] = [];
  let unmatched = 0;
  for (const email of emails) {
    const userId = email ? await ctx.slack.userIdByEmail(email) : undefined;
    if (!userId) unmatched += 1;
    else if (!userIds.includes(userId)) userIds.push(userId);
  }
  return { userIds, unmatched };
}
