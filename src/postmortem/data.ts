import type { ActionItem, Incident, TimelineEntry } from '../domain/model.js';
import type { Repositories, RoleTerm } from '../domain/ports.js';

/** Everything a postmortem is written from: what the bot recorded, nothing else. */
export interface PostmortemData {
  readonly incident: Incident;
  readonly timeline: readonly TimelineEntry[];
  readonly roles: readonly RoleTerm[];
  readonly actions: readonly ActionItem[];
  /** When the first page reached PagerDuty, if one was sent (see the PagerDuty feature). */
  readonly firstPageDeliveredAt: Date | null;
}

export function loadPostmortemData(repos: Pick<Repositories, 'incidents' | 'timeline' | 'roles' | 'actions' | 'pages'>, incident: Incident): PostmortemData {
  const delivered = repos.pages
    .forIncident(incident.id)
    .map((p) => p.deliveredAt)
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime());
  return {
    incident,
    timeline: repos.timeline.list(incident.id),
    roles: repos.roles.history(incident.id),
    actions: repos.actions.listForIncident(incident.id),
    firstPageDeliveredAt: delivered[0] ?? null,
  };
}
