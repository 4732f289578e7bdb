import type { ClaimedJob } from '../db/outbox.repo.js';
import { cutText } from '../domain/clean-text.js';
import { incidentRef, ROLE_TITLES, type Incident } from '../domain/model.js';
import { observePageDelivered } from '../metrics/pagerduty.js';
import type { PagerDutyEvent } from '../pagerduty/client.js';
import { judgeEventAnswer } from '../pagerduty/event-answer.js';
import type { EffectContext } from './context.js';
import { PermanentFailure, RetrySoon } from './failures.js';

/** How long a first page may wait for the incident channel to exist, to link to it. */
const WAIT_FOR_CHANNEL_MS = 3_000;

type EventJob = ClaimedJob & { kind: 'pagerduty.event' };

const PD_SEVERITY = { sev1: 'critical', sev2: 'error', sev3: 'warning' } as const;

/** PagerDuty's limit on payload.summary. */
const MAX_SUMMARY = 1024;

/** A failure worth retrying: PagerDuty busy (429), down (5xx), timing out (408) or unreachable. */
export class PagerDutyUnavailable extends Error {
  override name = 'PagerDutyUnavailable';
  readonly transient = true;
}

export async function pagerDutyEvent(ctx: EffectContext, incident: Incident, job: EventJob, routingKey: string): Promise<PagerDutyEvent> {
  const { action, service, dedupKey, message } = job.payload;
  if (action === 'resolve') return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  const ic = (await ctx.store.roles.current(incident.id)).find((h) => h.role === 'ic');
  const summary = `[${incident.severity.toUpperCase()}] ${incidentRef(incident.id)}: ${incident.title}${message ? ` (${message})` : ''}`;
  const links = incident.channelId
    ? [{ href: `https://slack.com/app_redirect?channel=${incident.channelId}`, text: `Slack: #${incident.channelName ?? incident.channelId}` }]
    : [];
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: cutText(summary, MAX_SUMMARY),
      source: 'incident-bot',
      severity: PD_SEVERITY[incident.severity],
      component: service,
      custom_details: {
        incident: incidentRef(incident.id),
        severity: incident.severity.toUpperCase(),
        status: incident.status,
        [ROLE_TITLES.ic.toLowerCase().replace(/ /g, '_')]: ic?.userId ?? null,
        declared_by: incident.declaredBy,
        ...(message ? { message } : {}),
      },
    },
    links,
  };
}

/**
 * Sends one event. 202: recorded as delivered (and a re-run of this same job
 * after a crash sees that and sends nothing). 400 and the other refusals
 * (judgeEventAnswer): PagerDuty's own words go to the channel at once;
 * retrying would not help. 429, 5xx, silence: retried by the outbox with
 * backoff until the give-up time.
 */
export async function sendPagerDutyEvent(ctx: EffectContext, job: EventJob): Promise<void> {
  const { service, dedupKey, action } = job.payload;
  const incident = await ctx.store.incidents.get(job.incidentId);
  if (!incident) throw new PermanentFailure(`incident ${job.incidentId} does not exist`);
  const routingKey = ctx.pagerduty.routingKey(service);
  if (!routingKey) throw new PermanentFailure(`no routing key for PagerDuty service "${service}"`);
  const page = await ctx.store.pages.byDedupKey(dedupKey);
  if (action === 'trigger' && page?.deliveredJobId === job.id) return;
  // A page that links to the incident channel gets responders there in one click: wait a
  // moment for the channel, but never long, and never for a Slack that is down.
  const age = ctx.clock.now().getTime() - job.createdAt.getTime();
  if (action === 'trigger' && !incident.channelId && age < WAIT_FOR_CHANNEL_MS) {
    throw new RetrySoon('waiting for the incident channel, to link to it', 200);
  }
  if (action === 'resolve' && page?.resolvedAt) return;
  // A trigger is only ever queued for an open incident: resolved since, it waited out a PagerDuty
  // outage with the resolve behind it. Sent now it would wake the on-call for an incident already
  // over, a moment before the resolve; the resolve still goes, in case an attempt whose answer was
  // lost did reach PagerDuty.
  if (action === 'trigger' && incident.status === 'resolved') {
    await withdrawTrigger(ctx, incident, service, dedupKey);
    return;
  }

  let answer;
  try {
    answer = await ctx.pagerduty.send(await pagerDutyEvent(ctx, incident, job, routingKey));
  } catch (error) {
    throw new PagerDutyUnavailable(`PagerDuty did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  const now = ctx.clock.now();
  const verdict = judgeEventAnswer(answer);
  if (verdict.kind === 'accepted') {
    await ctx.store.transaction(async (tx) => {
      if (action === 'trigger') {
        await tx.pages.delivered(dedupKey, job.id, now);
        await tx.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'incident', notice: { type: 'page_delivered', service } } }, now);
      } else {
        await tx.pages.resolved(dedupKey, now);
      }
    });
    if (action === 'trigger') observePageDelivered(job.createdAt, now);
    return;
  }
  if (verdict.kind === 'unavailable') throw new PagerDutyUnavailable(verdict.reason);
  const error = action === 'resolve' ? `PagerDuty was not told the incident is resolved, so resolve it there: ${verdict.reason}` : verdict.reason;
  await ctx.store.transaction(async (tx) => {
    await tx.pages.failed(dedupKey, error);
    await tx.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'incident', notice: { type: 'page_failed', service, error } } }, now);
  });
}

/** Says in the channel that the page is not sent after all, and why. */
async function withdrawTrigger(ctx: EffectContext, incident: Incident, service: string, dedupKey: string): Promise<void> {
  const error = `${incidentRef(incident.id)} was resolved before PagerDuty accepted the page, so it is withdrawn and PagerDuty is told the incident is resolved`;
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.pages.failed(dedupKey, error);
    await tx.outbox.enqueue({ kind: 'slack.post', incidentId: incident.id, payload: { target: 'incident', notice: { type: 'page_failed', service, error } } }, now);
  });
}
