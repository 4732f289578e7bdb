import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { DECLARED_VIA, SEVERITIES } from '../domain/model.js';
import type { OutboxKind } from '../domain/ports.js';
import { ALERTMANAGER_OUTCOMES, COUNTED, PAGERDUTY_ACTIONS, PAGERDUTY_OUTCOMES, SLACK_REQUEST_KINDS, SLACK_REQUEST_OUTCOMES } from './names.js';

/**
 * This thread's counters and histograms, one registry per isolate: the
 * listeners' thread has one, the outbox thread its own (a worker thread
 * loads its modules afresh), and a scrape sums the two (see scrape.ts).
 * Code that counts imports the metric it needs from here.
 */
export const registry = new Registry();

interface Spec<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
}

function counter<L extends string>(spec: Spec<L>): Counter<L> {
  return new Counter<L>({ name: spec.name, help: spec.help, labelNames: spec.labelNames, registers: [registry] });
}

function histogram<L extends string>(spec: Spec<L> & { readonly buckets: readonly number[] }): Histogram<L> {
  return new Histogram<L>({ name: spec.name, help: spec.help, labelNames: spec.labelNames, buckets: [...spec.buckets], registers: [registry] });
}

export const slackRequests = counter(COUNTED.slackRequests);
export const slackAckDuration = histogram(COUNTED.slackAckDuration);
export const slackApiCalls = counter(COUNTED.slackApiCalls);
export const slackApiCallDuration = histogram(COUNTED.slackApiCallDuration);
export const pagerDutyEvents = counter(COUNTED.pagerDutyEvents);
export const pageDelivery = histogram(COUNTED.pageDelivery);
export const alertmanagerWebhooks = counter(COUNTED.alertmanagerWebhooks);
export const outboxDelivery = histogram(COUNTED.outboxDelivery);
export const outboxGivenUp = counter(COUNTED.outboxGivenUp);
export const incidentsDeclared = counter(COUNTED.incidentsDeclared);
export const timeToAcknowledge = histogram(COUNTED.timeToAcknowledge);
export const timeToResolve = histogram(COUNTED.timeToResolve);

/**
 * Every outbox job kind, checked against the domain's list by the compiler:
 * a new kind fails the build here until it is added.
 */
export const OUTBOX_KINDS = Object.keys({
  'incident.setup': true,
  'incident.finish-setup': true,
  'incident.sync': true,
  'slack.invite': true,
  'timeline.reconcile': true,
  'slack.post': true,
  'pagerduty.event': true,
  'pagerduty.oncall': true,
  'slo.refresh': true,
  'alert.post': true,
  'alert.receive': true,
  'postmortem.publish': true,
} satisfies Record<OutboxKind, true>) as OutboxKind[];

// Counters of bounded labels start at 0, so that a rate or an increase() has a
// series to read before the first event, and an alert on it is not blind to
// the first error (Prometheus cannot tell a missing series from nothing).
for (const kind of SLACK_REQUEST_KINDS) for (const outcome of SLACK_REQUEST_OUTCOMES) slackRequests.inc({ kind, outcome }, 0);
for (const action of PAGERDUTY_ACTIONS) for (const outcome of PAGERDUTY_OUTCOMES) pagerDutyEvents.inc({ action, outcome }, 0);
for (const outcome of ALERTMANAGER_OUTCOMES) alertmanagerWebhooks.inc({ outcome }, 0);
for (const severity of SEVERITIES) for (const source of DECLARED_VIA) incidentsDeclared.inc({ severity, source }, 0);
for (const kind of OUTBOX_KINDS) outboxGivenUp.inc({ kind }, 0);

let processMetrics = false;

/**
 * prom-client's process and Node.js metrics (CPU, memory, event loop lag,
 * garbage collection), unprefixed as Prometheus's own exporters name them.
 * Called by the bot in the listeners' thread only: the process-wide figures
 * would otherwise be counted twice when the two threads are summed.
 */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}

/** Seconds between two instants, never below zero (a clock stepped back, a time reported by someone else's clock). */
export function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, (to.getTime() - from.getTime()) / 1000);
}
