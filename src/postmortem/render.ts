import { ACTION_STATUSES, incidentRef, ROLE_TITLES, type TimelineEntry } from '../domain/model.js';
import { duration, formatInTimeZone, minutesBetween } from '../domain/time.js';
import type { PostmortemData } from './data.js';
import { incidentFacts } from './facts.js';
import { findBlame } from './language-check.js';
import { cell, person, prose, TO_FILL, utc } from './markdown.js';
import { contributingFactorsSection, detectionSection, resolutionSection, rootCauseSection, severityLine, triggerSection } from './narrative.js';

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
  // Days as seen in UTC, like every time in the draft (not the machine's zone).
  const spansDays = end ? formatInTimeZone(incident.declaredAt, 'yyyyMMdd') !== formatInTimeZone(end, 'yyyyMMdd') : false;
  const time = (d: Date) => formatInTimeZone(d, spansDays ? 'yyyy-MM-dd HH:mm' : 'HH:mm');
  const at = (d: Date) => `${time(d)} UTC`;
  const out: string[] = [];

  out.push(`# Postmortem: ${prose(incident.title)} — ${formatInTimeZone(incident.declaredAt, 'yyyy-MM-dd')}`, '');
  out.push('**Status**: Draft  ');
  out.push(`**Severity**: ${severityLine(data, at)}  `);
  out.push('**Error budget impact**: <!-- error-budget --> _to be filled from the service\'s SLO when the SLO report is connected_  ');
  out.push(`**Incident**: ${incidentRef(incident.id)}${incident.channelName ? `, #${incident.channelName}` : ''}`, '');

  out.push('## Summary', '');
  const summary = [`${prose(incident.title)}.`];
  if (incident.description) summary.push(`Impact as declared: ${prose(incident.description)}`);
  summary.push(
    end
      ? `The incident was declared ${utc(incident.declaredAt)} and resolved ${utc(end)}, ${duration(minutes!)} later.`
      : `The incident was declared ${utc(incident.declaredAt)} and is not resolved yet.`,
  );
  if (incident.resolveSummary) summary.push(`Resolution: ${prose(incident.resolveSummary)}`);
  out.push(summary.join(' '), '');

  out.push('## Impact', '', '| | |', '|---|---|');
  out.push(`| Start | ${utc(incident.declaredAt)} |`);
  out.push(`| End | ${end ? utc(end) : '_ongoing_'} |`);
  // Declared to resolved is both the duration and the time to resolve: one row, said once.
  out.push(`| Duration (time to resolve) | ${minutes !== null ? duration(minutes) : '_ongoing_'} |`);
  out.push(`| Time to acknowledge | ${incident.acknowledgedAt ? `${minutesBetween(incident.declaredAt, incident.acknowledgedAt)} min` : `${TO_FILL} (no page acknowledgement recorded)`} |`);
  out.push(`| What was affected | ${incident.description ? cell(incident.description) : TO_FILL} |`);
  out.push(`| Users affected | ${TO_FILL} |`);
  out.push(`| Revenue impact | ${TO_FILL} |`, '');

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
  if (data.actions.length === 0) out.push(`| ${TO_FILL} | | | |`);
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
