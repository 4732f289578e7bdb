import { sql } from 'drizzle-orm';
import { boolean, index, integer, json, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { DigestPlan } from '../../domain/digest.js';
import { ACTION_STATUSES, ALERT_GROUP_ACTIONS, ALERT_STATUSES, DECLARED_VIA, ROLES, SEVERITIES, STATUSES, TIMELINE_KINDS } from '../../domain/model.js';
import { OUTBOX_STATUSES } from '../../domain/ports.js';
import { BACKGROUND_KIND } from '../schema.js';

/**
 * The PostgreSQL twin of ../schema.ts: the same tables, columns, indexes and
 * keys, and the same row types, so one set of repository ports serves both.
 * The comments that explain each column live there; only what differs is said here.
 *
 * Times are timestamptz at millisecond precision: a JS Date holds no more, so
 * a value read back compares equal to the one stored (a lease, a run time).
 * Ids are identity columns BY DEFAULT, so a copy from SQLite can keep its ids.
 * Enumerations stay text, as in SQLite: a new value needs no ALTER TYPE.
 */
const ms = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
const id = () => integer('id').primaryKey().generatedByDefaultAsIdentity();

/** One row an incident; the id is the number users see (INC-<id>). */
export const incidents = pgTable(
  'incidents',
  {
    id: id(),
    title: text('title').notNull(),
    description: text('description'),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    status: text('status', { enum: STATUSES }).notNull(),
    isPrivate: boolean('is_private').notNull().default(false),
    declaredBy: text('declared_by').notNull(),
    declaredAt: ms('declared_at').notNull(),
    /** Slash command, form or alert. */
    declaredVia: text('declared_via', { enum: DECLARED_VIA }).notNull().default('command'),
    resolvedAt: ms('resolved_at'),
    acknowledgedAt: ms('acknowledged_at'),
    resolveSummary: text('resolve_summary'),
    originChannelId: text('origin_channel_id'),
    channelId: text('channel_id'),
    channelName: text('channel_name'),
    /** The name last sent to conversations.create, and its suffix number: a restart goes on from there. */
    channelNameTried: text('channel_name_tried'),
    channelAttempt: integer('channel_attempt').notNull().default(0),
    headerTs: text('header_ts'),
    headerPinned: boolean('header_pinned').notNull().default(false),
    /** Who PagerDuty had on call (level 1) when the incident was paged: the first of oncallUserIds. */
    oncallUserId: text('oncall_user_id'),
    /** Everyone PagerDuty had on call at level 1; null in rows recorded before it was kept. */
    oncallUserIds: json('oncall_user_ids').$type<string[]>(),
    /** The topic last set, so an unchanged one is not sent again. */
    topic: text('topic'),
    /** The affected service, one of the SLO catalog's. */
    service: text('service'),
    /** When users were really hurt, when someone said so. */
    impactStartedAt: ms('impact_started_at'),
    impactEndedAt: ms('impact_ended_at'),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('incidents_channel_id_unique').on(t.channelId), index('incidents_status_idx').on(t.status)],
);

/** Role history: the current holder is the row with no `ended_at`. */
export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: id(),
    incidentId: integer('incident_id').notNull().references(() => incidents.id),
    role: text('role', { enum: ROLES }).notNull(),
    userId: text('user_id').notNull(),
    assignedBy: text('assigned_by').notNull(),
    assignedAt: ms('assigned_at').notNull(),
    endedAt: ms('ended_at'),
  },
  (t) => [uniqueIndex('role_assignments_current_unique').on(t.incidentId, t.role).where(sql`ended_at IS NULL`)],
);

export const timelineEntries = pgTable(
  'timeline_entries',
  {
    id: id(),
    incidentId: integer('incident_id').notNull().references(() => incidents.id),
    kind: text('kind', { enum: TIMELINE_KINDS }).notNull(),
    text: text('text').notNull(),
    actorId: text('actor_id'),
    occurredAt: ms('occurred_at').notNull(),
    /** The Slack message an emoji put on the timeline; one entry per message (NULLs distinct, as in SQLite). */
    messageTs: text('message_ts'),
    permalink: text('permalink'),
  },
  (t) => [
    index('timeline_incident_time_idx').on(t.incidentId, t.occurredAt),
    uniqueIndex('timeline_message_unique').on(t.incidentId, t.messageTs),
  ],
);

/** Slack event ids already applied: a retried delivery finds its id here and changes nothing. */
export const processedEvents = pgTable('processed_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: ms('received_at').notNull(),
});

/** Side effects decided in a transaction and delivered after it. Jobs of one queue run in id order. */
export const outbox = pgTable(
  'outbox',
  {
    id: id(),
    incidentId: integer('incident_id'),
    kind: text('kind').notNull(),
    /** `incident:<id>`, `pagerduty:<dedup key>` or `timeline:<incident id>:<message ts>`. */
    queue: text('queue').notNull().default(''),
    /** Urgent jobs (a channel's first set-up, a page) go first. */
    urgent: boolean('urgent').notNull().default(false),
    // json, not jsonb: kept as written, as SQLite keeps JSON text. jsonb sorts an object's keys (by
    // length), and an alert's labels, carried here to the job that applies them, are written out
    // on the timeline in their order.
    payload: json('payload').notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextRunAt: ms('next_run_at').notNull(),
    leaseUntil: ms('lease_until'),
    lastError: text('last_error'),
    createdAt: ms('created_at').notNull(),
    finishedAt: ms('finished_at'),
  },
  (t) => [
    index('outbox_status_next_idx').on(t.status, t.nextRunAt),
    index('outbox_incident_idx').on(t.incidentId, t.status),
    index('outbox_queue_idx').on(t.queue, t.status),
    // The claim's two lanes: a flood of timeline captures is neither read for foreground work nor sorted.
    index('outbox_foreground_due_idx').on(t.status, t.nextRunAt).where(sql.raw(`kind <> '${BACKGROUND_KIND}'`)),
    index('outbox_background_due_idx').on(t.status, t.nextRunAt).where(sql.raw(`kind = '${BACKGROUND_KIND}'`)),
  ],
);

/** Follow-ups, numbered within their incident. */
export const actionItems = pgTable(
  'action_items',
  {
    id: id(),
    incidentId: integer('incident_id').notNull().references(() => incidents.id),
    number: integer('number').notNull(),
    text: text('text').notNull(),
    ownerId: text('owner_id').notNull(),
    /** `yyyy-MM-dd`, text as in SQLite: compared as strings, and the row type stays a string. */
    dueDate: text('due_date').notNull(),
    status: text('status', { enum: ACTION_STATUSES }).notNull().default('open'),
    dropReason: text('drop_reason'),
    createdBy: text('created_by').notNull(),
    createdAt: ms('created_at').notNull(),
    closedBy: text('closed_by'),
    closedAt: ms('closed_at'),
  },
  (t) => [
    uniqueIndex('action_items_number_unique').on(t.incidentId, t.number),
    index('action_items_status_due_idx').on(t.status, t.dueDate),
    index('action_items_owner_idx').on(t.ownerId, t.status),
  ],
);

/**
 * Each change of a follow-up's due date (a snooze), with the date in force
 * before it: the figures of a past period read the due date of then, not the
 * one a later snooze wrote over it.
 */
export const actionItemReschedules = pgTable(
  'action_item_reschedules',
  {
    id: id(),
    actionItemId: integer('action_item_id').notNull().references(() => actionItems.id),
    wasDue: text('was_due').notNull(),
    due: text('due').notNull(),
    at: ms('at').notNull(),
  },
  (t) => [index('action_item_reschedules_item_idx').on(t.actionItemId, t.at)],
);

/** The postmortem draft of an incident, as last rendered, and where it was published. */
export const postmortems = pgTable('postmortems', {
  incidentId: integer('incident_id').primaryKey().references(() => incidents.id),
  markdown: text('markdown').notNull(),
  version: integer('version').notNull().default(1),
  renderedAt: ms('rendered_at').notNull(),
  canvasId: text('canvas_id'),
  fileId: text('file_id'),
  publishedVersion: integer('published_version'),
  /** The draft version the channel canvas was last written with; after that the canvas is the team's. */
  canvasVersion: integer('canvas_version'),
});

/** One row per incident and PagerDuty service paged: its dedup key, and what PagerDuty last said. */
export const pages = pgTable(
  'pages',
  {
    id: id(),
    incidentId: integer('incident_id').notNull().references(() => incidents.id),
    service: text('service').notNull(),
    dedupKey: text('dedup_key').notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: ms('requested_at').notNull(),
    /** The outbox job whose trigger PagerDuty last accepted. */
    deliveredJobId: integer('delivered_job_id'),
    deliveredAt: ms('delivered_at'),
    resolvedAt: ms('resolved_at'),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('pages_dedup_unique').on(t.dedupKey), index('pages_incident_idx').on(t.incidentId)],
);

/** One row per scheduled digest period: the claim that makes it post once, and the items it lists. */
export const digestRuns = pgTable('digest_runs', {
  period: text('period').primaryKey(),
  status: text('status', { enum: ['claimed', 'done'] }).notNull(),
  owner: text('owner').notNull(),
  leaseUntil: ms('lease_until').notNull(),
  /** The calendar day the digest is about (overdue = due before it). */
  day: text('day').notNull(),
  plan: jsonb('plan').$type<DigestPlan>(),
  createdAt: ms('created_at').notNull(),
  finishedAt: ms('finished_at'),
});

/** Each message of a digest once Slack has it: a resumed run skips these. */
export const digestParts = pgTable(
  'digest_parts',
  {
    period: text('period').notNull().references(() => digestRuns.period),
    part: text('part').notNull(),
    ts: text('ts').notNull(),
  },
  (t) => [uniqueIndex('digest_parts_unique').on(t.period, t.part)],
);

/** The name Slack last showed for each person, for what the bot prints outside Slack. */
export const people = pgTable('people', {
  userId: text('user_id').primaryKey(),
  name: text('name').notNull(),
  seenAt: ms('seen_at').notNull(),
});

/** What each SLO of an incident's service says about it, as last computed; `final` at resolve. */
export const sloFigures = pgTable(
  'slo_figures',
  {
    incidentId: integer('incident_id').notNull().references(() => incidents.id),
    sloId: text('slo_id').notNull(),
    figures: jsonb('figures').notNull(),
    computedAt: ms('computed_at').notNull(),
    final: boolean('final').notNull().default(false),
  },
  (t) => [uniqueIndex('slo_figures_incident_slo_unique').on(t.incidentId, t.sloId)],
);

/** Error-budget policy thresholds already posted: one row per SLO, window period and threshold. */
export const sloThresholdPosts = pgTable(
  'slo_threshold_posts',
  {
    sloId: text('slo_id').notNull(),
    /** The crossing time divided by the window's length (a minute at least): far inside a 32-bit integer. */
    period: integer('period').notNull(),
    /** The threshold's budget remaining, in basis points (5000 = 50 %). */
    thresholdBp: integer('threshold_bp').notNull(),
    incidentId: integer('incident_id'),
    postedAt: ms('posted_at').notNull(),
  },
  (t) => [uniqueIndex('slo_threshold_posts_unique').on(t.sloId, t.period, t.thresholdBp)],
);

/** One row per Alertmanager alert group (its opaque `groupKey`), mapped to at most one incident at a time. */
export const alertGroups = pgTable(
  'alert_groups',
  {
    // A short number for button values; the group key itself can be long.
    id: id(),
    groupKey: text('group_key').notNull(),
    incidentId: integer('incident_id').references(() => incidents.id),
    action: text('action', { enum: ALERT_GROUP_ACTIONS }).notNull(),
    /** The incident a merge was offered into (action `merge_offered`), until someone takes it. */
    offeredIncidentId: integer('offered_incident_id').references(() => incidents.id),
    alertname: text('alertname').notNull(),
    service: text('service'),
    firstStartsAt: ms('first_starts_at').notNull(),
    runbookUrl: text('runbook_url'),
    /** The group's status in its last notification: `resolved` only when none of its alerts fires, sent or not (max_alerts). */
    status: text('status', { enum: ALERT_STATUSES }).notNull().default('firing'),
    /** Where the notice of a notify-only group was posted: the only place its Declare button is trusted. */
    noticeChannel: text('notice_channel'),
    noticeTs: text('notice_ts'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('alert_groups_group_key_unique').on(t.groupKey),
    index('alert_groups_name_service_idx').on(t.alertname, t.service),
    index('alert_groups_incident_idx').on(t.incidentId),
  ],
);

/** Each alert of a group, by fingerprint, as last received. */
export const alerts = pgTable(
  'alerts',
  {
    id: id(),
    groupKey: text('group_key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    incidentId: integer('incident_id').references(() => incidents.id),
    status: text('status', { enum: ALERT_STATUSES }).notNull(),
    startsAt: ms('starts_at').notNull(),
    endsAt: ms('ends_at'),
    // json, as the outbox's payload: the keys come back in the order Alertmanager sent them.
    labels: json('labels').$type<Record<string, string>>().notNull(),
    annotations: json('annotations').$type<Record<string, string>>().notNull(),
    generatorUrl: text('generator_url'),
    receivedAt: ms('received_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('alerts_group_fingerprint_unique').on(t.groupKey, t.fingerprint), index('alerts_incident_idx').on(t.incidentId, t.status)],
);
