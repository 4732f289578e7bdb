import { incidentRef, ROLE_TITLES, type Incident, type RoleHolder } from '../../domain/model.js';
import type { Notice } from '../../domain/ports.js';
import { isRaise } from '../../domain/severity.js';
import { safe } from '../text.js';
import { duration as formatDuration, minutesBetween } from '../../domain/time.js';
import { severityLabel, severityLong, STATUS_EMOJI, statusLabel } from './labels.js';
import { fitText, SLACK_LIMITS } from './limits.js';
import { thresholdNoticeText } from './slo-lines.js';

/** Text of a message the outbox posts, in the incident channel or the announcement channel; always within Slack's limit. */
export function noticeText(notice: Notice, incident: Incident, holders: readonly RoleHolder[], where: 'incident' | 'announce'): string {
  return fitText(noticeBody(notice, incident, holders, where), SLACK_LIMITS.messageText, '… _(cut: `/incident postmortem` publishes the draft with all of it)_');
}

function noticeBody(notice: Notice, incident: Incident, holders: readonly RoleHolder[], where: 'incident' | 'announce'): string {
  const ref = `*${incidentRef(incident.id)}*`;
  const channel = incident.channelId ? ` <#${incident.channelId}>` : '';
  const prefix = where === 'announce' ? `${ref}${channel} ` : '';
  switch (notice.type) {
    case 'declared': {
      const ic = holders.find((h) => h.role === 'ic');
      return (
        `:rotating_light: ${ref} declared: ${safe(incident.title)}\n` +
        `${severityLong(incident.severity)} · IC ${ic ? `<@${ic.userId}>` : '_unassigned_'}` +
        (channel ? ` · join${channel}` : '')
      );
    }
    case 'severity_changed':
      return `${prefix}${isRaise(notice.from, notice.to) ? ':arrow_up:' : ':arrow_down:'} Severity ${isRaise(notice.from, notice.to) ? 'raised' : 'lowered'} from ${severityLabel(notice.from)} to ${severityLong(notice.to)} by <@${notice.by}>`;
    case 'status_update':
      return `${prefix}${STATUS_EMOJI[notice.status]} *${statusLabel(notice.status)}*${notice.message ? `: ${safe(notice.message)}` : ''} (<@${notice.by}>)`;
    case 'resolved': {
      const minutes = incident.resolvedAt ? minutesBetween(incident.declaredAt, incident.resolvedAt) : 0;
      return (
        `${where === 'announce' ? `${ref}${channel} ` : ''}:white_check_mark: *Resolved* after ${formatDuration(minutes)} by <@${notice.by}>` +
        (notice.summary ? `: ${safe(notice.summary)}` : '') +
        (where === 'incident' ? '\nThe postmortem draft is being written from the timeline; `/incident postmortem` shows it again, `/incident action` adds follow-ups.' : '')
      );
    }
    case 'reopened':
      return `${prefix}:leftwards_arrow_with_hook: *Reopened* by <@${notice.by}>: back to investigating.`;
    case 'page_requested':
      return `${prefix}:pager: Paged PagerDuty (${safe(notice.service)}) at the request of <@${notice.by}>…`;
    case 'page_delivered':
      return `${prefix}:pager: PagerDuty accepted the page (${safe(notice.service)}); the on-call is being notified.`;
    case 'page_failed':
      return `${prefix}:warning: Paging PagerDuty (${safe(notice.service)}) failed: ${safe(notice.error)}`;
    case 'not_paged':
      return notice.services.length === 0
        ? `${prefix}:no_bell: *Not paged: PagerDuty is not configured* (this bot has no routing key), so this ${severityLabel(notice.severity)} paged nobody. Reach the on-call another way.`
        : `${prefix}:no_bell: *Not paged*: a ${severityLabel(notice.severity)} pages the \`default\` PagerDuty service, and there is none. Page one by name: ${notice.services.map((s) => `\`/incident page ${safe(s)}\``).join(', ')}.`;
    case 'slo_threshold':
      return `${prefix}${thresholdNoticeText(notice)}`;
    case 'role_assigned':
      return notice.from
        ? `${prefix}:busts_in_silhouette: ${ROLE_TITLES[notice.role]} handed from <@${notice.from}> to <@${notice.to}> by <@${notice.by}>`
        : `${prefix}:busts_in_silhouette: <@${notice.to}> is now ${ROLE_TITLES[notice.role]} (assigned by <@${notice.by}>)`;
  }
}
