import { incidentRef, ROLE_TITLES, ROLES, type Incident, type RoleHolder, type TimelineEntry } from '../../domain/model.js';
import type { IncidentSummary } from '../../domain/queries.js';
import { HELP_LINES } from '../../domain/usage.js';
import { safe } from '../text.js';
import { SEVERITY_EMOJI, severityLabel, statusLabel, utcStamp } from './labels.js';

/** Ephemeral answers to the read-only commands: text only, so they read the same on every client. */

export function helpText(): string {
  return ['*Incident commands*', ...HELP_LINES.map((l) => `• ${l}`)].join('\n');
}

export function rolesText(incident: Incident, holders: readonly RoleHolder[]): string {
  const lines = ROLES.map((role) => {
    const holder = holders.find((h) => h.role === role);
    return `• *${ROLE_TITLES[role]}*: ${holder ? `<@${holder.userId}> (since ${utcStamp(holder.assignedAt)})` : '_unassigned_'}`;
  });
  return [`*Roles for ${incidentRef(incident.id)}*`, ...lines].join('\n');
}

export function timelineText(incident: Incident, entries: readonly TimelineEntry[]): string {
  const lines = entries.map((e) => {
    // Lifecycle entries name their actor in their text; notes and pinned messages are someone's words.
    const who = (e.kind === 'pinned_message' || e.kind === 'note') && e.actorId ? `<@${e.actorId}>: ` : '';
    const link = e.permalink ? ` (<${e.permalink}|message>)` : '';
    return `• \`${utcStamp(e.occurredAt)}\` ${who}${safe(e.text)}${link}`;
  });
  return [`*Timeline of ${incidentRef(incident.id)}: ${safe(incident.title)}*`, ...(lines.length ? lines : ['_nothing yet_'])].join('\n');
}

export function listText(summaries: readonly IncidentSummary[]): string {
  if (summaries.length === 0) return 'No open incidents. :tada:';
  const lines = summaries.map(({ incident, roles }) => {
    const ic = roles.find((r) => r.role === 'ic');
    const channel = incident.channelId ? `<#${incident.channelId}>` : '_channel being created_';
    return `• ${SEVERITY_EMOJI[incident.severity]} *${incidentRef(incident.id)}* ${severityLabel(incident.severity)} · ${statusLabel(incident.status)} · IC ${ic ? `<@${ic.userId}>` : '_unassigned_'} · ${channel}: ${safe(incident.title)}`;
  });
  return [`*Open incidents (${summaries.length})*`, ...lines].join('\n');
}
