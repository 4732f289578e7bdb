import { incidentRef, type Incident, type RoleHolder } from '../../domain/model.js';
import type { Notice } from '../../domain/ports.js';
import { severityLabel } from './labels.js';
import { noticeText } from './notices.js';
import { fitText, SLACK_LIMITS } from './limits.js';
import { thresholdNoticeText } from './slo-lines.js';

/**
 * What the announcement channel is told. Anyone may read it, so a private
 * incident is announced once, by severity and who to ask, and nothing of it
 * (title, status texts, summaries) follows there: null means "do not post".
 * An error-budget threshold is the service's news, so it is announced, by
 * service, SLO and figures, with the incident named only by its number.
 */
export function announcementText(notice: Notice, incident: Incident, holders: readonly RoleHolder[]): string | null {
  if (!incident.isPrivate) return noticeText(notice, incident, holders, 'announce');
  // The budget belongs to the service, not the incident: its figures are for everyone, the incident's texts are not.
  if (notice.type === 'slo_threshold') return fitText(`:lock: Measured during a private incident (${incidentRef(incident.id)}): ${thresholdNoticeText(notice)}`, SLACK_LIMITS.messageText, '…');
  if (notice.type !== 'declared') return null;
  const ic = holders.find((h) => h.role === 'ic');
  return (
    `:lock: A private ${severityLabel(incident.severity)} incident (${incidentRef(incident.id)}) was declared.` +
    (ic ? ` If you need to be involved, ask its Incident Commander, <@${ic.userId}>.` : '')
  );
}
