/**
 * What the domain needs from the world, as small interfaces. The database
 * implements the repositories (src/db), Slack the message source (src/slack).
 * Repositories are asynchronous, because PostgreSQL is; SQLite answers at
 * once behind the same promises. A verb's decision and its outbox rows are
 * written in one transaction, on either database: inside `transaction`, use
 * only the repositories it hands to `fn`.
 */
import type { KeptShorterThanWindow } from '../slo/budget.js';
import type { RecordedAlertNotification } from './recorded-alerts.js';
import type {
  ActionItem,
  ActiveStatus,
  AlertGroupAction,
  AlertStatus,
  DeclaredVia,
  Incident,
  Role,
  RoleHolder,
  Severity,
  Status,
  TimelineEntry,
  TimelineKind,
} from './model.js';
import type { SloFigureRepo, SloSettings, ThresholdPostRepo } from './slo-figures.js';
import type { StatsRepo } from './stats.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface NewIncident {
  readonly title: string;
  readonly description: string | null;
  readonly severity: Severity;
  readonly isPrivate: boolean;
  readonly declaredBy: string;
  readonly declaredAt: Date;
  readonly originChannelId: string | null;
  /** The affected service, already checked against the SLO catalog. */
  readonly service: string | null;
  /** Slash command, form or alert; absent: the command. */
  readonly declaredVia?: DeclaredVia;
}

export interface IncidentRepo {
  create(input: NewIncident): Promise<Incident>;
  get(id: number): Promise<Incident | undefined>;
  getByChannel(channelId: string): Promise<Incident | undefined>;
  listOpen(): Promise<Incident[]>;
  /** Conditional update: false when the severity was no longer `from` (someone else won). */
  changeSeverity(id: number, from: Severity, to: Severity, now: Date): Promise<boolean>;
  changeStatus(id: number, from: Status, to: Status, now: Date): Promise<boolean>;
  /** Conditional on the incident not being resolved already. */
  markResolved(id: number, now: Date, summary: string | null): Promise<boolean>;
  /** Conditional on the incident being resolved. */
  reopen(id: number, now: Date): Promise<boolean>;
  /** Keeps the first acknowledgement only: false when one was already recorded. */
  recordAcknowledged(id: number, at: Date): Promise<boolean>;
  /** Conditional on the service still being `from`. */
  setService(id: number, from: string | null, to: string, now: Date): Promise<boolean>;
  setImpact(id: number, edge: 'started' | 'ended', at: Date, now: Date): Promise<void>;
  /**
   * Moves the start of impact back to `at`, conditional on the start in force
   * (the declaration's time when none was set) being later: false when it was
   * not, as another alert group of the incident may have moved it meanwhile.
   */
  startImpactBefore(id: number, at: Date, now: Date): Promise<boolean>;
}

export interface NewActionItem {
  readonly incidentId: number;
  readonly text: string;
  readonly ownerId: string;
  readonly dueDate: string;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface ActionItemRepo {
  /** Adds an item with the next number of its incident. */
  add(item: NewActionItem): Promise<ActionItem>;
  get(incidentId: number, number: number): Promise<ActionItem | undefined>;
  listForIncident(incidentId: number): Promise<ActionItem[]>;
  listOpenForOwner(ownerId: string): Promise<ActionItem[]>;
  /** Moves an open item's due date, conditional on it still being `from`. */
  /** Moves an open item's due date from `from` to `to`, recording the change (stats read the due date of then); false when it had changed. */
  reschedule(incidentId: number, number: number, from: string, to: string, now: Date): Promise<boolean>;
  /** Conditional on the item being open: false when someone else closed it first. */
  close(incidentId: number, number: number, status: 'done' | 'dropped', by: string, now: Date, reason: string | null): Promise<boolean>;
}

export interface PostmortemRepo {
  /** Stores a newly rendered draft; returns its version. */
  saveDraft(incidentId: number, markdown: string, now: Date): Promise<number>;
  get(incidentId: number): Promise<{ markdown: string; version: number; canvasId: string | null; fileId: string | null; canvasVersion: number | null } | undefined>;
}

/** The names Slack showed for people: what the bot prints outside Slack names them with these. */
export interface NameRepo {
  /** Records the name last seen for a user; false when it was already the one recorded. */
  remember(userId: string, name: string, now: Date): Promise<boolean>;
  /** The recorded names of these users; a user never seen is absent. */
  namesOf(userIds: readonly string[]): Promise<Map<string, string>>;
}

export interface RoleTerm {
  readonly role: Role;
  readonly userId: string;
  readonly assignedAt: Date;
  readonly endedAt: Date | null;
}

export interface RoleRepo {
  current(incidentId: number): Promise<RoleHolder[]>;
  /** Every term of every role, in order: who held what, and when. */
  history(incidentId: number): Promise<RoleTerm[]>;
  /** Ends the current holder's term and starts `userId`'s; returns the previous holder. */
  assign(incidentId: number, role: Role, userId: string, by: string, now: Date): Promise<string | undefined>;
}

export interface NewTimelineEntry {
  readonly incidentId: number;
  readonly kind: TimelineKind;
  readonly text: string;
  readonly actorId: string | null;
  readonly occurredAt: Date;
  readonly messageTs?: string | null;
  readonly permalink?: string | null;
}

export interface TimelineRepo {
  /** Adds an entry; for a message already on the timeline, returns undefined. */
  add(entry: NewTimelineEntry): Promise<TimelineEntry | undefined>;
  list(incidentId: number): Promise<TimelineEntry[]>;
  updateMessageText(incidentId: number, messageTs: string, text: string): Promise<boolean>;
  removeMessage(incidentId: number, messageTs: string): Promise<boolean>;
}

/** A message the bot posts later, described by facts; rendered when it is sent. */
export type Notice =
  | { readonly type: 'declared' }
  | { readonly type: 'severity_changed'; readonly from: Severity; readonly to: Severity; readonly by: string }
  | {
      readonly type: 'status_update';
      readonly status: ActiveStatus;
      readonly message: string;
      readonly by: string;
    }
  | { readonly type: 'role_assigned'; readonly role: Role; readonly from: string | null; readonly to: string; readonly by: string }
  | { readonly type: 'resolved'; readonly by: string; readonly summary: string | null }
  | { readonly type: 'reopened'; readonly by: string }
  | { readonly type: 'page_requested'; readonly service: string; readonly by: string }
  | { readonly type: 'page_delivered'; readonly service: string }
  | { readonly type: 'page_failed'; readonly service: string; readonly error: string }
  /** A paging severity that paged nobody: no PagerDuty service at all, or none named `default` (`services` lists those there are). */
  | { readonly type: 'not_paged'; readonly severity: Severity; readonly services: readonly string[] }
  /**
   * An SLO's budget remaining fell to or below an error-budget policy
   * threshold: what the policy says to do, with the figures. `estimate`: the
   * remaining budget was estimated from incidents, not measured.
   */
  | {
      readonly type: 'slo_threshold';
      readonly sloId: string;
      readonly service: string;
      readonly name: string;
      readonly target: number;
      readonly windowText: string;
      /** The threshold's budget remaining, a fraction (0.25 for 25 %). */
      readonly threshold: number;
      /** Higher thresholds crossed in the same refresh, claimed with this one and named in its notice. */
      readonly alsoPassed?: readonly number[];
      /** Prometheus keeps less than the window: the remaining budget is that span's (see KeptShorterThanWindow). */
      readonly retention?: KeptShorterThanWindow;
      readonly actions: readonly string[];
      readonly remaining: number;
      readonly estimate: boolean;
      /** Over the last hour; null for an estimate. */
      readonly burnRate: number | null;
      readonly timeToExhaustionMs: number | null;
    };

/** A message about alerts, with the button that lets a person decide what the bot would not decide alone. */
export type AlertNotice =
  /** A notify-only group fired: a Declare incident button. */
  | {
      readonly type: 'alert_notify';
      readonly groupId: number;
      readonly title: string;
      readonly alertname: string;
      readonly service: string | null;
      readonly firing: number;
      readonly generatorUrl: string | null;
      readonly runbookUrl: string | null;
    }
  /** A second group of the same alert name and service while this incident is open: a Merge button. */
  | { readonly type: 'alert_merge_offer'; readonly groupId: number; readonly title: string; readonly alertname: string; readonly firing: number }
  /** The incident's group fired again within reopen_within of its resolve: a Reopen button. */
  | { readonly type: 'alert_reopen_offer'; readonly alertname: string; readonly firing: number }
  /** Every alert of the incident has resolved: a Resolve button (resolving stays a person's decision). */
  | { readonly type: 'alert_all_resolved'; readonly resolved: number };

export type OutboxJob =
  /** Create the channel, invite the declarer and role holders, post and pin the header. */
  | { readonly kind: 'incident.setup'; readonly incidentId: number; readonly payload: { readonly responseUrl: string | null } }
  /** After the pin: purpose, topic, and the declarer told the channel is ready. */
  | { readonly kind: 'incident.finish-setup'; readonly incidentId: number; readonly payload: { readonly responseUrl: string | null } }
  /** Bring topic and pinned header in line with the incident as it is when the job runs. */
  | { readonly kind: 'incident.sync'; readonly incidentId: number; readonly payload: Record<string, never> }
  | { readonly kind: 'slack.invite'; readonly incidentId: number; readonly payload: { readonly userIds: readonly string[] } }
  /** Bring a message's timeline entry in line with Slack: there while it has the timeline emoji, else gone. */
  | { readonly kind: 'timeline.reconcile'; readonly incidentId: number; readonly payload: { readonly channelId: string; readonly messageTs: string } }
  | {
      readonly kind: 'slack.post';
      readonly incidentId: number;
      readonly payload: { readonly target: 'incident' | 'announce'; readonly notice: Notice };
    }
  /** Send one Events API v2 event for one dedup key (page, or resolve a page). */
  | {
      readonly kind: 'pagerduty.event';
      readonly incidentId: number;
      readonly payload: { readonly action: 'trigger' | 'resolve'; readonly service: string; readonly dedupKey: string; readonly message: string | null };
    }
  /** Find who is on call at level 1, invite them, name them in the header. */
  | { readonly kind: 'pagerduty.oncall'; readonly incidentId: number; readonly payload: Record<string, never> }
  /**
   * Ask Prometheus (or estimate) what the incident costs each SLO of its
   * service, store the figures, refresh the header, post policy thresholds
   * newly crossed. `final`: at resolve, the figures the postmortem states.
   */
  | { readonly kind: 'slo.refresh'; readonly incidentId: number; readonly payload: { readonly final: boolean } }
  /**
   * Post an alert notice with its button: in the incident's channel
   * (`channel` null), or in a channel of its own for a notify-only group
   * (no incident: `incidentId` null).
   */
  | { readonly kind: 'alert.post'; readonly incidentId: number | null; readonly payload: { readonly channel: string | null; readonly notice: AlertNotice } }
  /**
   * Apply one Alertmanager notification (declare, join, offer): recorded by
   * the webhook before its 200, applied in the order received per group.
   */
  | { readonly kind: 'alert.receive'; readonly incidentId: null; readonly payload: { readonly receivedAt: string; readonly notification: RecordedAlertNotification } }
  /** Publish the stored postmortem draft: a channel canvas, or a Markdown file where canvases are off. */
  | {
      readonly kind: 'postmortem.publish';
      readonly incidentId: number;
      /** `replaceCanvas`: someone confirmed that this version replaces the canvas, edits and all. */
      readonly payload: { readonly version: number; readonly replaceCanvas?: { readonly by: string } };
    };

export type OutboxKind = OutboxJob['kind'];
export const OUTBOX_STATUSES = ['pending', 'running', 'done', 'failed'] as const;

export interface OutboxRepo {
  enqueue(job: OutboxJob, now: Date): Promise<void>;
}

export interface EventLog {
  /** Records a Slack event id; false when it was already recorded (a retried delivery). */
  markProcessed(eventId: string, now: Date): Promise<boolean>;
}

export interface Repositories {
  readonly incidents: IncidentRepo;
  readonly roles: RoleRepo;
  readonly timeline: TimelineRepo;
  readonly actions: ActionItemRepo;
  readonly postmortems: PostmortemRepo;
  readonly pages: PageRepo;
  readonly sloFigures: SloFigureRepo;
  readonly thresholdPosts: ThresholdPostRepo;
  readonly names: NameRepo;
  readonly alerts: AlertRepo;
  /** The records reliability figures are computed from (read only). */
  readonly stats: StatsRepo;
  readonly outbox: OutboxRepo;
  readonly events: EventLog;
  /**
   * Runs `fn` in one database transaction with repositories bound to it;
   * throwing rolls everything back. Nested calls (on the repositories handed
   * in) are savepoints. `fn` must not wait on anything but these repositories:
   * on SQLite the connection's other users wait for it.
   */
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
}

/** A Slack message as the timeline needs it. */
export interface SourceMessage {
  readonly userId: string | null;
  readonly text: string;
  readonly postedAt: Date;
  readonly permalink: string | null;
}

/** Who may be paged and when: from configuration, handed to the verbs. */
export interface PagingPolicy {
  /** Service names with a routing key; `default` is the service paged when none is named. */
  readonly services: readonly string[];
  readonly pageSeverities: readonly Severity[];
}

export interface PageRecord {
  readonly incidentId: number;
  readonly service: string;
  readonly dedupKey: string;
  readonly deliveredJobId: number | null;
  readonly deliveredAt: Date | null;
  readonly resolvedAt: Date | null;
}

export interface PageRepo {
  /** Records that `service` is paged for the incident (once per key; later asks refresh it). */
  requested(incidentId: number, service: string, dedupKey: string, by: string, now: Date): Promise<PageRecord>;
  forIncident(incidentId: number): Promise<PageRecord[]>;
  byDedupKey(dedupKey: string): Promise<PageRecord | undefined>;
  delivered(dedupKey: string, jobId: number, at: Date): Promise<void>;
  failed(dedupKey: string, error: string): Promise<void>;
  resolved(dedupKey: string, at: Date): Promise<void>;
}

/** What every domain verb receives. */
export interface Deps {
  readonly repos: Repositories;
  readonly clock: Clock;
  readonly paging: PagingPolicy;
  /** The team's time zone (IANA name): due dates are days on its calendar. */
  readonly timeZone: string;
  /** The SLO catalog and error-budget policy (empty catalog: no SLOs configured). */
  readonly slo: SloSettings;
}

/** An Alertmanager alert group as the bot keeps it: which incident it maps to, and what it did when it first fired. */
export interface AlertGroupRecord {
  readonly id: number;
  readonly groupKey: string;
  readonly incidentId: number | null;
  readonly action: AlertGroupAction;
  readonly offeredIncidentId: number | null;
  readonly alertname: string;
  readonly service: string | null;
  readonly firstStartsAt: Date;
  readonly runbookUrl: string | null;
  /** As in its last notification (Alertmanager's group status, over alerts max_alerts left out too). */
  readonly status: AlertStatus;
  readonly noticeChannel: string | null;
  readonly noticeTs: string | null;
}

export type NewAlertGroup = Omit<AlertGroupRecord, 'id' | 'noticeTs'>;

/** One alert of a group, by fingerprint, as last received. */
export interface AlertRecord {
  readonly groupKey: string;
  readonly fingerprint: string;
  readonly incidentId: number | null;
  readonly status: AlertStatus;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly generatorUrl: string | null;
}

export interface AlertRepo {
  group(groupKey: string): Promise<AlertGroupRecord | undefined>;
  groupById(id: number): Promise<AlertGroupRecord | undefined>;
  createGroup(group: NewAlertGroup, now: Date): Promise<AlertGroupRecord>;
  /** Links a group no incident has yet (a notice, a merge offer) and its alerts to an incident; false when someone linked it first. */
  linkGroup(id: number, to: number, now: Date): Promise<boolean>;
  /** Moves the group and its alerts to their superseded key (see superseded-group.ts), keeping their incident. */
  supersedeGroup(id: number, now: Date): Promise<void>;
  /** Another group of this alert name and service linked to an open incident: the incident a new group is offered to merge into. */
  openIncidentOfSameProblem(alertname: string, service: string | null, exceptGroupKey: string): Promise<number | undefined>;
  recordNotice(groupId: number, channel: string, ts: string): Promise<void>;
  recordGroupStatus(groupId: number, status: AlertStatus, now: Date): Promise<void>;
  alert(groupKey: string, fingerprint: string): Promise<AlertRecord | undefined>;
  /** Inserts or replaces the alert's last received state. */
  saveAlert(alert: AlertRecord, now: Date): Promise<void>;
  alertsOfIncident(incidentId: number): Promise<AlertRecord[]>;
  alertsOfGroup(groupKey: string): Promise<AlertRecord[]>;
  /** The runbook of the group that declared the incident (its first linked group with one). */
  runbookFor(incidentId: number): Promise<string | null>;
  /** When the bot first received any alert now linked to the incident (the postmortem's "detected"), or null. */
  firstReceivedAt(incidentId: number): Promise<Date | null>;
}
