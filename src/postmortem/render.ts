import { ACTION_STATUSES, incidentRef, ROLE_TITLES, type TimelineEntry } from '../domain/model.js';
import { duration, formatInTimeZone, minutesBetween } from '../domain/time.js';
import type { PostmortemData } from './data.js';
import { incidentFacts } from './facts.js';
import { findBlame } from './language-check.js';
import { impactSection } from './impact.js';
import { cell, person, prose, TO_FILL, utc } from './markdown.js';
import { contributingFactorsSection, detectionSection, resolutionSection, rootCauseSection, severityLine, triggerSection } from './narrative.js';
import { errorBudgetLine, proposedActions, sloImpactSection } from './slo-impact.js';

const STATUS_LABEL: Record<(typeof ACTION_STATUSES)[number], string> = { open: 'Open', done: 'Done', dropped: 'Dropped' };

function timelineEvent(e: TimelineEntry): string {
  switch (e.kind) {
    case 'pinned_message':
      return `${person(e.actorId)}: "${cell(e.text)}"${e.permalink ? ` ([message](${e.permalink}))` : ''}`;
    case 'note':
      return `Note by ${person(e.actorId)}: ${cell(e.text)}`;
    default:
      return cell(e.text);
  }
}

/**
 * The postmortem draft, in Markdown, written from what the bot recorded.
 * Blameless by construction: it speaks of the system, the timeline and the
 * roles; the language check lists recorded phrases that read as blame.
 */
export function renderPostmortem(data: PostmortemData): string {
  const { incident } = data;
  const end = incident.resolvedAt;
  const minutes = end ? minutesBetween(incident.declaredAt, end) : null;
  // Days as seen in UTC, like every time in the draft (not the machine's zone); impact may have begun the
  // day before, an alert may have fired before the declaration, and a message pinned after the resolve
  // (a customer follow-up the next morning) or an alert resolving later may fall on the day after.
  // Detection states the first alert, the first page and the acknowledgement with `at` too: an alert of the evening before read as the same day.
  const known = [data.firstAlertReceivedAt, data.firstPageDeliveredAt, incident.acknowledgedAt].filter((d): d is Date => d !== null);
  const times = [data.impact.start, incident.declaredAt, end ?? incident.declaredAt, ...known, ...data.timeline.map((e) => e.occurredAt)];
  const spansDays = new Set(times.map((d) => formatInTimeZone(d, 'yyyyMMdd'))).size > 1;
  const time = (d: Date) => formatInTimeZone(d, spansDays ? 'yyyy-MM-dd HH:mm' : 'HH:mm');
  const at = (d: Date) => `${time(d)} UTC`;
  const out: string[] = [];

  out.push(`# Postmortem: ${prose(incident.title)} — ${formatInTimeZone(incident.declaredAt, 'yyyy-MM-dd')}`, '');
  out.push('**Status**: Draft  ');
  out.push(`**Severity**: ${severityLine(data, at)}  `);
  out.push(`**Error budget impact**: ${errorBudgetLine(data, at)}  `);
  out.push(`**Incident**: ${incidentRef(incident.id)}${incident.channelName ? `, #${incident.channelName}` : ''}`, '');

  out.push('## Summary', '');
  const summary = [`${prose(incident.title)}.`];
  if (incident.description) summary.push(`Impact as declared: ${prose(incident.description)}`);
  summary.push(
    end
      ? `The incident was declared ${utc(incident.declaredAt)} and resolved ${utc(end)}, ${duration(minutes!)} later.`
      : `The incident was declared ${utc(incident.declaredAt)} and is not resolved yet.`,
  );
  // The resolve the durations count to is the last: a reviewer reading "47 minutes" must know it includes a reopening.
  const reopened = data.timeline.filter((e) => e.kind === 'reopened').length;
  const firstResolve = data.timeline.find((e) => e.kind === 'resolved');
  if (end && reopened > 0 && firstResolve) {
    const times = reopened === 1 ? 'once' : `${reopened} times`;
    summary.push(`It was first resolved at ${utc(firstResolve.occurredAt)} and reopened ${times}; its times count to the last resolve.`);
  }
  if (incident.resolveSummary) summary.push(`Resolution: ${prose(incident.resolveSummary)}`);
  out.push(summary.join(' '), '');

  out.push(...impactSection(data), ...sloImpactSection(data, at));

  out.push('## Timeline (UTC)', '', '| Time | Event |', '|---|---|');
  for (const e of data.timeline) out.push(`| ${time(e.occurredAt)} | ${timelineEvent(e)} |`);
  out.push('');

  // The fix goes under Resolution, never under causes: what ended it did not cause it.
  out.push(...triggerSection(data, at), ...detectionSection(data, at), ...resolutionSection(data, at));
  out.push(...rootCauseSection(), ...contributingFactorsSection());

  out.push('## Action items', '', '| Action | Owner | Due | Status |', '|---|---|---|---|');
  for (const a of data.actions) {
    const status = a.status === 'dropped' && a.dropReason ? `Dropped: ${cell(a.dropReason)}` : STATUS_LABEL[a.status];
    out.push(`| ${incidentRef(a.incidentId)} #${a.number} ${cell(a.text)} | ${person(a.ownerId)} | ${a.dueDate} | ${status} |`);
  }
  // Proposed, not recorded: the team decides, and `/incident action` makes it one.
  const proposed = proposedActions(data);
  for (const text of proposed) out.push(`| **P0, proposed**: ${text} | ${TO_FILL} | ${TO_FILL} | Proposed, not recorded: \`/incident action <text>\` records it |`);
  if (data.actions.length === 0 && proposed.length === 0) out.push(`| ${TO_FILL} | | | |`);
  out.push('');

  const facts = incidentFacts(data);
  out.push('## What went well', '', ...facts.well.map((f) => `- ${f}`), `- ${TO_FILL}`, '');
  out.push('## What went wrong', '', ...facts.wrong.map((f) => `- ${f}`), `- ${TO_FILL}`, '');
  out.push('## Lessons learned', '', '_What do we know now that we did not before? What would we tell another team?_', '', `- ${TO_FILL}`, '');

  out.push('## Responders', '', '| Role | Who | From | To |', '|---|---|---|---|');
  for (const t of data.roles) {
    out.push(`| ${ROLE_TITLES[t.role]} | ${person(t.userId)} | ${utc(t.assignedAt)} | ${t.endedAt ? utc(t.endedAt) : end ? utc(end) : '_now_'} |`);
  }
  out.push('');

  out.push('## Language check', '');
  const findings = findBlame([
    { where: 'title', text: incident.title },
    ...(incident.description ? [{ where: 'impact', text: incident.description }] : []),
    ...(incident.resolveSummary ? [{ where: 'resolution', text: incident.resolveSummary }] : []),
    ...data.timeline.map((e) => ({ where: `timeline ${time(e.occurredAt)}`, text: e.text })),
    ...data.actions.map((a) => ({ where: `action #${a.number}`, text: a.text })),
  ]);
  if (findings.length === 0) {
    out.push('No phrases that assign blame were found in the recorded text.');
  } else {
    out.push('These phrases in what was recorded can read as blame. Consider the neutral wording before the review:', '');
    out.push('| Phrase | Where | Neutral wording |', '|---|---|---|');
    for (const f of findings) out.push(`| "${cell(f.phrase)}" | ${f.where} | ${cell(f.suggestion)} |`);
  }
  out.push('');
  return out.join('\n');
}
