/**
 * The sections that tell what happened, each seeded only with what the bot
 * recorded for it: the trigger from the "identified" update, detection from
 * the declaration and the pages, the resolution from the monitoring update and
 * the resolve summary. What the bot cannot know is marked **[to fill]**.
 */
import { SEVERITY_MEANING, type TimelineEntry } from '../domain/model.js';
import { isRaise } from '../domain/severity.js';
import { duration, minutesBetween } from '../domain/time.js';
import type { PostmortemData } from './data.js';
import { cell, person, prose, TO_FILL } from './markdown.js';
import { severityStory } from './severity.js';

/** Formats a time for these sections: `09:12 UTC`, with the date when the incident spans days. */
export type TimeFormat = (date: Date) => string;

interface StatusMessage {
  readonly at: Date;
  readonly text: string;
}

/** The messages of the status updates to `prefix` (`Identified`, `Monitoring`), without the bot's "(<@U…>)" suffix. */
export function statusMessages(timeline: readonly TimelineEntry[], prefix: string): StatusMessage[] {
  return timeline
    .filter((e) => e.kind === 'status_update' && e.text.startsWith(`${prefix}:`))
    .map((e) => ({ at: e.occurredAt, text: e.text.slice(prefix.length + 1).replace(/\s*\(<@[UW][A-Z0-9]+>\)$/, '').trim() }))
    .filter((m) => m.text !== '');
}

/** `SEV1, complete outage or data loss (declared SEV2, raised to SEV1 at 10:42 UTC, lowered to SEV2 at 11:05 UTC)`. */
export function severityLine(data: PostmortemData, at: TimeFormat): string {
  const story = severityStory(data.incident.severity, data.timeline);
  const head = `${story.highest.toUpperCase()}, ${SEVERITY_MEANING[story.highest]}`;
  if (story.steps.length === 0) return head;
  const steps = story.steps.map((s) => `${isRaise(s.from, s.to) ? 'raised' : 'lowered'} to ${s.to.toUpperCase()} at ${at(s.at)}`);
  return `${head} (declared ${story.declared.toUpperCase()}, ${steps.join(', ')})`;
}

export function triggerSection(data: PostmortemData, at: TimeFormat): string[] {
  const out = ['## Trigger', '', '_What set it off: a deploy, a configuration change, a traffic spike, a failing dependency?_', ''];
  for (const m of statusMessages(data.timeline, 'Identified')) out.push(`- From the "identified" update at ${at(m.at)}: ${prose(m.text)}`);
  out.push(`- ${TO_FILL}`, '');
  return out;
}

export function detectionSection(data: PostmortemData, at: TimeFormat): string[] {
  const { incident, timeline } = data;
  const out = ['## Detection', '', '_How and when was it noticed, and how long after the impact began?_', ''];
  const declared = timeline.find((e) => e.kind === 'declared');
  const declaredSeverity = severityStory(incident.severity, timeline).declared;
  out.push(`- Declared ${declaredSeverity.toUpperCase()} at ${at(incident.declaredAt)} by ${person(declared?.actorId ?? incident.declaredBy)}.`);
  const pages = timeline.filter((e) => e.kind === 'paged');
  for (const [i, p] of pages.entries()) {
    const delivered = i === 0 && data.firstPageDeliveredAt ? `; the first page reached PagerDuty at ${at(data.firstPageDeliveredAt)}` : '';
    out.push(`- ${cell(p.text)} at ${at(p.occurredAt)}, by ${person(p.actorId)}${delivered}.`);
  }
  if (pages.length === 0) out.push('- Nobody was paged through the bot.');
  if (incident.acknowledgedAt) {
    const ackAt = incident.acknowledgedAt.getTime();
    const entry = timeline.find((e) => e.kind === 'pagerduty' && e.text.startsWith('Acknowledged') && e.occurredAt.getTime() === ackAt);
    const minutes = minutesBetween(incident.declaredAt, incident.acknowledgedAt);
    const relative = minutes >= 0 ? `${duration(minutes)} after declaration` : `${duration(-minutes)} before declaration`;
    out.push(`- ${entry ? cell(entry.text) : 'Page acknowledged'} at ${at(incident.acknowledgedAt)}, ${relative}.`);
  } else if (pages.length > 0) {
    out.push(`- Page acknowledged: ${TO_FILL} (no acknowledgement was recorded).`);
  }
  if (data.firstAlertReceivedAt) {
    const minutes = minutesBetween(data.firstAlertReceivedAt, incident.declaredAt);
    const relative = minutes >= 0 ? `${duration(minutes)} before the declaration` : `${duration(-minutes)} after the declaration`;
    out.push(`- The first alert (Alertmanager) reached the bot at ${at(data.firstAlertReceivedAt)}, ${relative}.`);
  } else {
    out.push(`- How it was first noticed (an alert, a customer report, someone looking at a graph): ${TO_FILL}`);
  }
  if (data.impact.startRecorded) {
    const minutes = minutesBetween(data.impact.start, incident.declaredAt);
    const relative = minutes >= 0 ? `${duration(minutes)} before the declaration` : `${duration(-minutes)} after the declaration`;
    // An alert-declared incident's start is its alerts' earliest startsAt, not something a person typed.
    const typed = timeline.some((e) => e.kind === 'impact_changed' && e.text.startsWith('Impact started'));
    const how = data.firstAlertReceivedAt && !typed ? 'the earliest start of its alerts' : 'recorded with `/incident impact started`';
    out.push(`- Impact began at ${at(data.impact.start)} (${how}), ${relative}.`, '');
  } else {
    out.push(`- When the impact began, and so how long it went unnoticed: ${TO_FILL} (\`/incident impact started <time>\` records it)`, '');
  }
  return out;
}

export function resolutionSection(data: PostmortemData, at: TimeFormat): string[] {
  const { incident, timeline } = data;
  const out = ['## Resolution', '', '_How it was mitigated and then fixed, and how the team knew it was over._', ''];
  for (const m of statusMessages(timeline, 'Monitoring')) out.push(`- From the "monitoring" update at ${at(m.at)}: ${prose(m.text)}`);
  if (!incident.resolvedAt) {
    out.push(`- Not resolved yet: ${TO_FILL}`, '');
    return out;
  }
  const resolved = timeline.filter((e) => e.kind === 'resolved').at(-1);
  const by = resolved ? ` by ${person(resolved.actorId)}` : '';
  out.push(`- Resolved at ${at(incident.resolvedAt)}${by}: ${incident.resolveSummary ? prose(incident.resolveSummary) : `what fixed it, ${TO_FILL}`}`, '');
  return out;
}

export function rootCauseSection(): string[] {
  return [
    '## Root cause',
    '',
    '_What allowed this to happen? Start from the trigger: why could it do this much harm? Describe the conditions in the system, not the people._',
    '',
    `- ${TO_FILL}`,
    '',
  ];
}

export function contributingFactorsSection(): string[] {
  return [
    '## Contributing factors',
    '',
    '_What made it more likely, larger, or slower to detect and fix: missing alerts, unclear runbooks, risky defaults…_',
    '',
    `- ${TO_FILL}`,
    '',
  ];
}
