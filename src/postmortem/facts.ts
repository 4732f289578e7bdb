import { ROLE_TITLES, ROLES } from '../domain/model.js';
import type { PostmortemData } from './data.js';
import { duration, minutesBetween } from '../domain/time.js';

/** What the bot knows went well and what did not: facts, for the team to judge. */
export function incidentFacts(data: PostmortemData): { well: string[]; wrong: string[] } {
  const { incident, timeline, roles } = data;
  const well: string[] = [];
  const wrong: string[] = [];
  const start = incident.declaredAt;

  well.push('The incident channel, the Incident Commander and the pinned header were set up at declaration.');
  if (data.firstPageDeliveredAt) {
    well.push(`First page delivered ${duration(minutesBetween(start, data.firstPageDeliveredAt))} after declaration.`);
  }
  const identified = timeline.find((e) => e.kind === 'status_update' && e.text.startsWith('Identified'));
  if (identified) well.push(`Cause identified ${duration(minutesBetween(start, identified.occurredAt))} after declaration.`);
  const pinned = timeline.filter((e) => e.kind === 'pinned_message').length;
  if (pinned > 0) well.push(`${pinned} message${pinned === 1 ? ' was' : 's were'} marked for the timeline as it happened.`);
  const filled = ROLES.filter((r) => r !== 'ic' && roles.some((t) => t.role === r));
  if (filled.length > 0) well.push(`Roles filled besides IC: ${filled.map((r) => ROLE_TITLES[r]).join(', ')}.`);

  const unfilled = ROLES.filter((r) => !roles.some((t) => t.role === r));
  if (unfilled.length > 0) wrong.push(`Roles never filled: ${unfilled.map((r) => ROLE_TITLES[r]).join(', ')}.`);
  const severityChanges = timeline.filter((e) => e.kind === 'severity_changed').length;
  if (severityChanges > 0) wrong.push(`Severity changed ${severityChanges} time${severityChanges === 1 ? '' : 's'}: was the first assessment hard to make?`);
  const reopened = timeline.filter((e) => e.kind === 'reopened').length;
  if (reopened > 0) wrong.push(`Reopened ${reopened} time${reopened === 1 ? '' : 's'} after being resolved.`);
  // Only a page that went out can go unacknowledged; with none, Detection says nobody was paged.
  const paged = timeline.some((e) => e.kind === 'paged');
  if (paged && !incident.acknowledgedAt) wrong.push('No acknowledgement of the page was recorded, so time to acknowledge is unknown.');
  const updates = timeline.filter((e) => e.kind === 'status_update' || e.kind === 'declared').map((e) => e.occurredAt.getTime());
  const end = incident.resolvedAt?.getTime();
  if (end !== undefined) updates.push(end);
  const longestGap = updates.slice(1).reduce((max, t, i) => Math.max(max, t - updates[i]!), 0) / 60_000;
  if (longestGap >= 30) wrong.push(`The longest stretch without a status update was ${duration(Math.round(longestGap))}.`);
  return { well, wrong };
}
