/**
 * The incident vocabulary shared by the database, the parsers and the views.
 * Each enumeration is an `as const` array so drizzle columns, zod schemas and
 * TypeScript types are all derived from one list.
 */
export const SEVERITIES = ['sev1', 'sev2', 'sev3'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_MEANING: Record<Severity, string> = {
  sev1: 'complete outage or data loss',
  sev2: 'major degradation',
  sev3: 'minor impact',
};

export const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type Status = (typeof STATUSES)[number];
/** Statuses a `/incident status` update may set; `resolved` has its own verb. */
export const ACTIVE_STATUSES = ['investigating', 'identified', 'monitoring'] as const;
export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];

export const ROLES = ['ic', 'tech', 'comms', 'scribe'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_TITLES: Record<Role, string> = {
  ic: 'Incident Commander',
  tech: 'Tech Lead',
  comms: 'Comms Lead',
  scribe: 'Scribe',
};

export const TIMELINE_KINDS = [
  'declared',
  'severity_changed',
  'role_assigned',
  'status_update',
  'note',
  'pinned_message',
  'resolved',
  'reopened',
  'action_added',
  'action_done',
  'action_dropped',
  'action_snoozed',
  'paged',
  'pagerduty',
  'service_changed',
  'impact_changed',
  'slo_threshold',
  /** An Alertmanager alert fired (or fired again) for the incident: labels and the Prometheus link. */
  'alert_fired',
  'alert_resolved',
  /** An alert group was linked to the incident: declared from its notice, or merged into it. */
  'alert_group_linked',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
/** What the bot did with an alert group when it first fired: opened an incident, posted a notice, or offered a merge. */
export const ALERT_GROUP_ACTIONS = ['declared', 'notified', 'merge_offered'] as const;
export type AlertGroupAction = (typeof ALERT_GROUP_ACTIONS)[number];

/**
 * How an incident came to be declared: the slash command, the form, or an
 * alert (Alertmanager's own declaration, or a person pressing Declare on an
 * alert's notice). Reliability figures break incidents down by it.
 */
export const DECLARED_VIA = ['command', 'form', 'alert'] as const;
export type DeclaredVia = (typeof DECLARED_VIA)[number];

export const ACTION_STATUSES = ['open', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** A follow-up: INC-12 #3, owned by someone, due on a calendar day. */
export interface ActionItem {
  readonly id: number;
  readonly incidentId: number;
  /** Short number within its incident: the 3 of INC-12 #3. */
  readonly number: number;
  readonly text: string;
  readonly ownerId: string;
  /** A calendar day, `YYYY-MM-DD`, in the team's time zone. */
  readonly dueDate: string;
  readonly status: ActionStatus;
  readonly dropReason: string | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly closedBy: string | null;
  readonly closedAt: Date | null;
}

export function actionRef(item: Pick<ActionItem, 'incidentId' | 'number'>): string {
  return `${incidentRef(item.incidentId)} #${item.number}`;
}

export interface Incident {
  readonly id: number;
  readonly title: string;
  readonly description: string | null;
  readonly severity: Severity;
  readonly status: Status;
  readonly isPrivate: boolean;
  readonly declaredBy: string;
  readonly declaredAt: Date;
  readonly resolvedAt: Date | null;
  /** First acknowledgement of a page (PagerDuty); time to acknowledge is measured to it. */
  readonly acknowledgedAt: Date | null;
  readonly resolveSummary: string | null;
  /** Who PagerDuty had on call at level 1 when paged, as Slack users, in PagerDuty's order; empty until found. */
  readonly oncallUserIds: readonly string[];
  readonly channelId: string | null;
  readonly channelName: string | null;
  readonly headerTs: string | null;
  /** The affected service (one of the SLO catalog's), or null when none is linked. */
  readonly service: string | null;
  /** When users were really hurt, when someone recorded it; null = from declaration / to resolve. */
  readonly impactStartedAt: Date | null;
  readonly impactEndedAt: Date | null;
}

export interface RoleHolder {
  readonly role: Role;
  readonly userId: string;
  readonly assignedAt: Date;
}

export interface TimelineEntry {
  readonly id: number;
  readonly incidentId: number;
  readonly kind: TimelineKind;
  readonly text: string;
  readonly actorId: string | null;
  readonly occurredAt: Date;
  readonly messageTs: string | null;
  readonly permalink: string | null;
}

/** Who asked for something: a person in Slack, or the bot itself on a schedule. */
export type Actor =
  | { readonly type: 'slack'; readonly userId: string; readonly teamId: string }
  | { readonly type: 'system'; readonly job: string };

/** The reference users see: INC-12. */
export function incidentRef(incidentId: number): string {
  return `INC-${incidentId}`;
}

/** The id stored as "who did it": a Slack user id, or `system:<job>` for the bot's own jobs. */
export function actorId(actor: Actor): string {
  return actor.type === 'slack' ? actor.userId : `system:${actor.job}`;
}
