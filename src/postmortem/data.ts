import type { ActionItem, Incident, TimelineEntry } from '../domain/model.js';
import type { Repositories, RoleTerm } from '../domain/ports.js';
import type { SloSettings, StoredSloFigures } from '../domain/slo-figures.js';
import { slosForService } from '../slo/catalog.js';
import { thresholdsFor, type PolicyThreshold } from '../slo/policy.js';

/**
 * When users were hurt: recorded with `/incident impact started|ended`, else
 * from the declaration to the resolve (the window the SLO figures use).
 */
export interface ImpactWindow {
  readonly start: Date;
  /** False when no start was recorded and `start` is the declaration. */
  readonly startRecorded: boolean;
  /** Null while the incident is open and no end was recorded. */
  readonly end: Date | null;
  /** False when no end was recorded and `end` is the resolve. */
  readonly endRecorded: boolean;
}

/** What the SLO configuration says about the incident's service, for the SLO sections. */
export interface PostmortemSloSettings {
  /** Whether any SLO is configured at all (SLO_FILES). */
  readonly configured: boolean;
  /** The names of the linked service's SLOs in the catalog, in catalog order. */
  readonly serviceSlos: readonly string[];
  /** The error-budget policy thresholds that apply to the linked service. */
  readonly thresholds: readonly PolicyThreshold[];
}

/** Everything a postmortem is written from: what the bot recorded, nothing else. */
export interface PostmortemData {
  readonly incident: Incident;
  readonly timeline: readonly TimelineEntry[];
  readonly roles: readonly RoleTerm[];
  readonly actions: readonly ActionItem[];
  /** When the first page reached PagerDuty, if one was sent (see the PagerDuty feature). */
  readonly firstPageDeliveredAt: Date | null;
  /** When the bot first received an alert of the incident's alert groups (Alertmanager): its detection. Null without alerts. */
  readonly firstAlertReceivedAt: Date | null;
  readonly impact: ImpactWindow;
  /** The stored SLO figures of the linked service's SLOs (figures of a service no longer linked are left out). */
  readonly sloFigures: readonly StoredSloFigures[];
  readonly slo: PostmortemSloSettings;
}

export function impactWindow(incident: Incident): ImpactWindow {
  return {
    start: incident.impactStartedAt ?? incident.declaredAt,
    startRecorded: incident.impactStartedAt !== null,
    end: incident.impactEndedAt ?? incident.resolvedAt,
    endRecorded: incident.impactEndedAt !== null,
  };
}

/** What the postmortem of `incident` is written from, as recorded now. */
export async function loadPostmortemData(
  repos: Pick<Repositories, 'incidents' | 'timeline' | 'roles' | 'actions' | 'pages' | 'sloFigures' | 'alerts'>,
  incident: Incident,
  slo: SloSettings,
): Promise<PostmortemData> {
  // One read after another: drafts are written inside a transaction (a resolve, a final SLO refresh), where reads never run in parallel.
  const delivered = (await repos.pages.forIncident(incident.id))
    .map((p) => p.deliveredAt)
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime());
  const service = incident.service;
  const serviceSlos = service ? slosForService(slo.catalog, service) : [];
  // Figures stay stored for a moment after the service changes: only the linked service's are the incident's.
  const sloFigures = service ? (await repos.sloFigures.forIncident(incident.id)).filter((s) => s.figures.service.toLowerCase() === service.toLowerCase()) : [];
  const order = (s: StoredSloFigures) => {
    const i = serviceSlos.findIndex((d) => d.id.toLowerCase() === s.figures.sloId.toLowerCase());
    return i < 0 ? serviceSlos.length : i;
  };
  const timeline = await repos.timeline.list(incident.id);
  const roles = await repos.roles.history(incident.id);
  const actions = await repos.actions.listForIncident(incident.id);
  const firstAlertReceivedAt = await repos.alerts.firstReceivedAt(incident.id);
  return {
    incident,
    timeline,
    roles,
    actions,
    firstPageDeliveredAt: delivered[0] ?? null,
    firstAlertReceivedAt,
    impact: impactWindow(incident),
    sloFigures: [...sloFigures].sort((a, b) => order(a) - order(b) || a.figures.sloId.localeCompare(b.figures.sloId)),
    slo: {
      configured: slo.catalog.slos.length > 0,
      serviceSlos: serviceSlos.map((d) => d.name),
      thresholds: service ? thresholdsFor(slo.policy, service) : [],
    },
  };
}
