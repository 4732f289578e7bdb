import { incidentRef, ROLE_TITLES, ROLES, type Incident, type RoleHolder, type TimelineEntry } from '../../domain/model.js';
import type { IncidentSummary } from '../../domain/queries.js';
import { HELP_LINES } from '../../domain/usage.js';
import { safe } from '../text.js';
import { SEVERITY_EMOJI, severityLabel, statusLabel, utcStamp } from './labels.js';
import { fitLines, fitText, SLACK_LIMITS } from './limits.js';
import { escapeStrayMarkup } from './stray-markup.js';

/** Ephemeral answers to the read-only commands: text only, so they read the same on every client. */

/** The postmortem draft holds every timeline entry whole, whatever its length. */
const TIMELINE_POINTER = '… _(cut: `/incident postmortem` publishes the draft with the whole timeline)_';

export function helpText(): string {
  // Usage placeholders (`<ic|tech|comms|scribe>`) would be links in mrkdwn.
  return fitText(['*Incident commands*', ...HELP_LINES.map((l) => `• ${escapeStrayMarkup(l)}`)].join('\n'), SLACK_LIMITS.messageText, '…');
}

export function rolesText(incident: Incident, holders: readonly RoleHolder[]): string {
  const lines = ROLES.map((role) => {
    const holder = holders.find((h) => h.role === role);
    return `• *${ROLE_TITLES[role]}*: ${holder ? `<@${holder.userId}> (since ${utcStamp(holder.assignedAt)})` : '_unassigned_'}`;
  });
  return fitText([`*Roles for ${incidentRef(incident.id)}*`, ...lines].join('\n'), SLACK_LIMITS.messageText, '…');
}

/**
 * `/incident timeline`: one message, so the newest entries that fit in it
 * (newest last, where people look), and a line saying how many earlier ones
 * are left out and where they are. A single entry is at most a section's length.
 */
export function timelineText(incident: Incident, entries: readonly TimelineEntry[]): string {
  const lines = entries.map((e) => {
    // Lifecycle entries name their actor in their text; notes and pinned messages are someone's words.
    const who = (e.kind === 'pinned_message' || e.kind === 'note') && e.actorId ? `<@${e.actorId}>: ` : '';
    const link = e.permalink ? ` (<${e.permalink}|message>)` : '';
    return fitText(`• \`${utcStamp(e.occurredAt)}\` ${who}${safe(e.text)}${link}`, SLACK_LIMITS.sectionText, TIMELINE_POINTER);
  });
  return fitLines({
    head: [`*Timeline of ${incidentRef(incident.id)}: ${safe(incident.title)}*`],
    lines: lines.length ? lines : ['_nothing yet_'],
    max: SLACK_LIMITS.messageText,
    keep: 'last',
    omitted: (n) => `_${n} earlier entr${n === 1 ? 'y is' : 'ies are'} not shown: \`/incident postmortem\` publishes the draft with the whole timeline in this channel._`,
    linePointer: TIMELINE_POINTER,
  });
}

/**
 * `/incident list`. Private incidents the reader is not in are counted, never
 * named: `hiddenPrivate` says how many were left out.
 */
export function listText(summaries: readonly IncidentSummary[], hiddenPrivate = 0): string {
  const hidden = hiddenPrivate > 0 ? `_${hiddenPrivate} private incident${hiddenPrivate === 1 ? '' : 's'} not shown: only members of ${hiddenPrivate === 1 ? 'its channel' : 'their channels'} see ${hiddenPrivate === 1 ? 'it' : 'them'}._` : '';
  if (summaries.length === 0) return hidden ? `No open incidents you can see. ${hidden}` : 'No open incidents. :tada:';
  const lines = summaries.map(({ incident, roles }) => {
    const ic = roles.find((r) => r.role === 'ic');
    const channel = incident.channelId ? `<#${incident.channelId}>` : '_channel being created_';
    return `• ${SEVERITY_EMOJI[incident.severity]} *${incidentRef(incident.id)}* ${severityLabel(incident.severity)} · ${statusLabel(incident.status)} · IC ${ic ? `<@${ic.userId}>` : '_unassigned_'} · ${channel}: ${safe(incident.title)}`;
  });
  const listed = fitLines({
    head: [`*Open incidents (${summaries.length + hiddenPrivate})*`],
    lines,
    max: SLACK_LIMITS.messageText - hidden.length - 1,
    keep: 'first',
    omitted: (n) => `_…and ${n} more, too many for one message: each has its own channel._`,
    linePointer: '…',
  });
  return hidden ? `${listed}\n${hidden}` : listed;
}
