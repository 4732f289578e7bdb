import { incidentRef } from '../domain/model.js';
import type { ClaimedJob } from '../db/outbox.repo.js';
import type { EffectContext } from './context.js';
import { describeFailure } from './failures.js';
import { tellDeclarer } from './setup-incident.js';
import { fitText } from '../slack/views/limits.js';
import { escapeStrayMarkup } from '../slack/views/stray-markup.js';

const WHAT: Record<string, string> = {
  'incident.setup': 'set up the Slack channel',
  'incident.finish-setup': 'set the channel purpose and topic',
  'incident.sync': 'update the pinned header and topic',
  'slack.invite': 'invite people to the channel',
  'slack.post': 'post a message',
  'timeline.reconcile': 'put a reacted message on the timeline',
  'postmortem.publish': 'publish the postmortem draft',
  'pagerduty.event': 'reach PagerDuty',
  'pagerduty.oncall': 'find the PagerDuty on-call in Slack',
  'slo.refresh': 'compute the SLO figures',
  'alert.post': 'post an alert notice',
};

/**
 * A job was given up: the incident itself is safe in the database, so say
 * what could not be done, to the channel when there is one, else the declarer.
 */
export async function reportFailure(ctx: EffectContext, job: ClaimedJob, error: unknown): Promise<void> {
  if (job.kind === 'alert.receive') {
    await reportAlertFailure(ctx, job, error);
    return;
  }
  if (job.kind === 'alert.post' && job.incidentId === null) {
    await reportAlertNoticeFailure(ctx, job, error);
    return;
  }
  if (job.incidentId === null) return;
  const incident = await ctx.store.incidents.get(job.incidentId);
  if (!incident) return;
  const text =
    `:warning: Could not ${WHAT[job.kind] ?? job.kind} for ${incidentRef(incident.id)} (${describeFailure(error)}). ` +
    (job.kind === 'postmortem.publish'
      ? `The draft is stored: \`/incident postmortem\` tries again, and \`npm run postmortem -- ${incident.id}\` prints it where the bot runs.`
      : 'The incident itself is recorded; `/incident list` shows it.');
  if (incident.channelId && job.kind !== 'incident.setup') {
    await ctx.slack.post(incident.channelId, text);
    return;
  }
  const progress = await ctx.store.incidents.setupProgress(incident.id);
  const responseUrl = job.kind === 'incident.setup' ? (job.payload as { responseUrl: string | null }).responseUrl : null;
  await tellDeclarer(ctx, responseUrl, incident.declaredBy, progress?.originChannelId ?? null, text);
}

/**
 * An Alertmanager notification that could not be applied: whatever it should
 * have declared or noticed did not happen, so the announce channel hears of
 * it. The alert's own text stays out (its group key is in the bot's log); the
 * reason is escaped, as a database error can quote what it was given.
 */
async function reportAlertFailure(ctx: EffectContext, job: ClaimedJob & { kind: 'alert.receive' }, error: unknown): Promise<void> {
  const channel = ctx.config.alertmanager.rules.announceChannel;
  if (!channel) return;
  const { notification, receivedAt } = job.payload;
  const firing = notification.alerts.filter((a) => a.status === 'firing').length;
  const reason = fitText(escapeStrayMarkup(describeFailure(error)), 500, '…');
  await ctx.slack.post(
    channel,
    `:warning: Could not apply a notification from Alertmanager received at ${receivedAt} (${notification.alerts.length} alerts, ${firing} firing): ${reason}. ` +
      'Nothing was declared or noticed from it; the bot\'s log names its group key.',
  );
}

/**
 * An alert notice of a group that only notifies (no incident to tell) could
 * not be posted in its channel: its alerts reached nobody in Slack, and every
 * later one of that rule would go the same way, so the announce channel hears
 * of it. As above, the alert's own text stays out.
 */
async function reportAlertNoticeFailure(ctx: EffectContext, job: ClaimedJob & { kind: 'alert.post' }, error: unknown): Promise<void> {
  const announce = ctx.config.alertmanager.rules.announceChannel;
  if (!announce) return;
  const where = job.payload.channel ?? announce;
  const reason = fitText(escapeStrayMarkup(describeFailure(error)), 500, '…');
  await ctx.slack.post(
    announce,
    `:warning: Could not post an alert notice in <#${where}> (${reason}), so its alerts reached nobody in Slack. ` +
      'Check that the bot is in that channel and that it is not archived, or point the rule in ALERT_RULES_FILE elsewhere; the bot\'s log names the group.',
  );
}
