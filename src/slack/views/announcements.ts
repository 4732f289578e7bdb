import { incidentRef, type Incident, type RoleHolder } from '../../domain/model.js';
import type { Notice } from '../../domain/ports.js';
import { severityLabel } from './labels.js';
import { noticeText } from './notices.js';

/**
 * What the announcement channel is told. Anyone may read it, so a private
 * incident is announced once, by severity and who to ask, and nothing of it
 * (title, status texts, summaries) follows there: null means "do not post".
 */
export function announcementText(notice: Notice, incident: Incident, holders: readonly RoleHolder[]): string | null {
  if (!incident.isPrivate) return noticeText(notice, incident, holders, 'announce');
  if (notice.type !== 'declared') return null;
  const ic = holders.find((h) => h.role === 'ic');
  return (
    `:lock: A private ${severityLabel(incident.severity)} incident (${incidentRef(incident.id)}) was declared.` +
    (ic ? ` If you need to be involved, ask its Incident Commander, <@${ic.userId}>.` : '')
  );
}
