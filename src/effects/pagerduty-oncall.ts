import type { ClaimedJob } from '../db/outbox.repo.js';
import type { EffectContext } from './context.js';

/**
 * Finds who PagerDuty has on call at level 1, finds them in Slack by e-mail,
 * invites them and names them in the header. Runs in the incident's queue,
 * after its channel exists; without an API token and policy it does nothing.
 */
export async function inviteOnCall(ctx: EffectContext, job: ClaimedJob): Promise<void> {
  if (!ctx.pagerduty.onCallConfigured) return;
  const incident = await ctx.store.incidents.get(job.incidentId!);
  if (!incident?.channelId || incident.oncallUserId) return;
  let first;
  try {
    [first] = await ctx.pagerduty.onCallNow();
  } catch (error) {
    // Best effort: the page itself does not depend on it, and this job must not hold up
    // the incident's Slack queue while PagerDuty's REST API is down.
    ctx.logger.warn({ err: error, incidentId: incident.id }, 'could not read the PagerDuty on-call');
    return;
  }
  if (!first?.email) return;
  const userId = await ctx.slack.userIdByEmail(first.email);
  if (!userId) {
    ctx.logger.warn({ incidentId: incident.id }, 'the PagerDuty on-call has no Slack account with the same e-mail');
    return;
  }
  // Invited first, recorded after: recorded first, an invite Slack failed for a moment was never
  // retried (the retry found the on-call recorded and stopped), and the header named someone who
  // was not in the channel. A second invite of someone already in is harmless.
  await ctx.slack.invite(incident.channelId, [userId]);
  await ctx.store.transaction(async (tx) => {
    await tx.incidents.recordOncall(incident.id, userId);
    await tx.outbox.enqueue({ kind: 'incident.sync', incidentId: incident.id, payload: {} }, ctx.clock.now());
  });
}
