import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { DigestPlan } from '../domain/digest.js';
import { ACTION_STATUSES, ALERT_GROUP_ACTIONS, ALERT_STATUSES, DECLARED_VIA, ROLES, SEVERITIES, STATUSES, TIMELINE_KINDS } from '../domain/model.js';
import { OUTBOX_STATUSES, type OutboxKind } from '../domain/ports.js';

const ms = (name: string) => integer(name, { mode: 'timestamp_ms' });

/**
 * One row an incident; the id is the number users see (INC-<id>), handed out by
 * SQLite inside the declaring transaction so concurrent declarations never share one.
 * The Slack columns record how far the channel set-up got, so a restart resumes it.
 */
export const incidents = sqliteTable(
  'incidents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    description: text('description'),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    status: text('status', { enum: STATUSES }).notNull(),
    isPrivate: integer('is_private', { mode: 'boolean' }).notNull().default(false),
    declaredBy: text('declared_by').notNull(),
    declaredAt: ms('declared_at').notNull(),
    /** Slash command, form or alert: rows from before this column read as alert when the alert bot declared them, else command. */
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
    headerPinned: integer('header_pinned', { mode: 'boolean' }).notNull().default(false),
    /** Who PagerDuty had on call (level 1) when the incident was paged, found in Slack by e-mail: the first of oncallUserIds. */
    oncallUserId: text('oncall_user_id'),
    /** Everyone PagerDuty had on call at level 1, in its order; null in rows recorded before it was kept (oncallUserId alone). */
    oncallUserIds: text('oncall_user_ids', { mode: 'json' }).$type<string[]>(),
    /** The topic last set: Slack posts a notice for every topic change, so unchanged ones are not sent. */
    topic: text('topic'),
    /** The affected service, one of the SLO catalog's: its SLOs are what the incident costs. */
    service: text('service'),
    /** When users were really hurt, when someone said so; else the impact runs from declaration to resolve. */
    impactStartedAt: ms('impact_started_at'),
    impactEndedAt: ms('impact_ended_at'),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('incidents_channel_id_unique').on(t.channelId),
    index('incidents_status_idx').on(t.status),
  ],
);

/** Role history: the current holder is the row with no `ended_at`. */
export const roleAssignments = sqliteTable(
  'role_assignments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id').notNull().references(() => incidents.id),
    role: text('role', { enum: ROLES }).notNull(),
    userId: text('user_id').notNull(),
    assignedBy: text('assigned_by').notNull(),
    assignedAt: ms('assigned_at').notNull(),
    endedAt: ms('ended_at'),
  },
  (t) => [
    uniqueIndex('role_assignments_current_unique')
      .on(t.incidentId, t.role)
      .where(sql`ended_at IS NULL`),
  ],
);

export const timelineEntries = sqliteTable(
  'timeline_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id').notNull().references(() => incidents.id),
    kind: text('kind', { enum: TIMELINE_KINDS }).notNull(),
    text: text('text').notNull(),
    actorId: text('actor_id'),
    occurredAt: ms('occurred_at').notNull(),
    /** The Slack message an emoji put on the timeline; one entry per message. */
    messageTs: text('message_ts'),
    permalink: text('permalink'),
  },
  (t) => [
    index('timeline_incident_time_idx').on(t.incidentId, t.occurredAt),
    uniqueIndex('timeline_message_unique').on(t.incidentId, t.messageTs),
  ],
);

/** Slack event ids already applied: a retried delivery finds its id here and changes nothing. */
export const processedEvents = sqliteTable('processed_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: ms('received_at').notNull(),
});

/**
 * The kind that runs behind all others: a timeline capture only catches the
 * timeline up with Slack, while a responder waits for everything else. The
 * claim and the partial indexes below must name the same kind.
 */
export const BACKGROUND_KIND = 'timeline.reconcile' satisfies OutboxKind;

/**
 * Side effects decided in a transaction and delivered after it: Slack calls now,
 * PagerDuty events later. Jobs of one queue run in id order.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id'),
    kind: text('kind').notNull(),
    /**
     * Jobs of one queue run in order: `incident:<id>` for Slack, `pagerduty:<dedup key>` for pages,
     * `timeline:<incident id>:<message ts>` for one message's timeline captures.
     */
    queue: text('queue').notNull().default(''),
    /** Urgent jobs (a channel's first set-up, a page) go first: the others wait while one is due or running. */
    urgent: integer('urgent', { mode: 'boolean' }).notNull().default(false),
    payload: text('payload', { mode: 'json' }).notNull(),
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
    // The claim's two lanes (outbox.repo.ts): a flood of timeline captures is
    // neither read when looking for foreground work nor sorted to take the next few.
    index('outbox_foreground_due_idx').on(t.status, t.nextRunAt).where(sql.raw(`kind <> '${BACKGROUND_KIND}'`)),
    index('outbox_background_due_idx').on(t.status, t.nextRunAt).where(sql.raw(`kind = '${BACKGROUND_KIND}'`)),
  ],
);

/** Follow-ups, numbered within their incident. The digest reads open items by due date. */
export const actionItems = sqliteTable(
  'action_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: integer('incident_id').notNull().references(() => incidents.id),
    number: integer('number').notNull(),
    text: text('text').notNull(),
    ownerId: text('owner_id').notNull(),
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
export const actionItemReschedules = sqliteTable(
  'action_item_reschedules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actionItemId: integer('action_item_id').notNull().references(() => actionItems.id),
    wasDue: text('was_due').notNull(),
    due: text('due').notNull(),
    at: ms('at').notNull(),
  },
  (t) => [index('action_item_reschedules_item_idx').on(t.actionItemId, t.at)],
);

/** The postmortem draft of an incident, as last rendered, and where it was published. */
export const postmortems = sqliteTable('postmortems', {
  incidentId: integer('incident_id').primaryKey().references(() => incidents.id),
  markdown: text('markdown').notNull(),
  version: integer('version').notNull().default(1),
  renderedAt: ms('rendered_at').notNull(),
  canvasId: text('canvas_id'),
  fileId: text('file_id'),
  publishedVersion: integer('published_version'),
  /**
   * The draft version the channel canvas was last written with. After that the
   * canvas is the team's: a re-publish goes beside it, and only an explicit
   * "Replace the canvas" writes it again.
   */
  canvasVersion: integer('canvas_version'),
});

/**
 * One row per incident and PagerDuty service paged: its dedup key, and what
 * PagerDuty last said. A trigger job checks it so a crash after PagerDuty
 * accepted an event does not send that event again.
 */
export const pages = sqliteTable(
  'pages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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

/**
 * One row per scheduled digest period (a cron tick): the claim that makes it
 * post once, with a lease a crashed poster's successor can take over, and the
 * items it lists, fixed when first computed so a resumed run posts the same.
 */
export const digestRuns = sqliteTable('digest_runs', {
  period: text('period').primaryKey(),
  status: text('status', { enum: ['claimed', 'done'] }).notNull(),
  owner: text('owner').notNull(),
  leaseUntil: ms('lease_until').notNull(),
  /** The calendar day the digest is about (overdue = due before it). */
  day: text('day').notNull(),
  plan: text('plan', { mode: 'json' }).$type<DigestPlan>(),
  createdAt: ms('created_at').notNull(),
  finishedAt: ms('finished_at'),
});

/** Each message of a digest once Slack has it: a resumed run skips these. */
export const digestParts = sqliteTable(
  'digest_parts',
  {
    period: text('period').notNull().references(() => digestRuns.period),
    part: text('part').notNull(),
    ts: text('ts').notNull(),
  },
  (t) => [uniqueIndex('digest_parts_unique').on(t.period, t.part)],
);

/**
 * The name Slack last showed for each person (a slash command's `user_name`, a
 * mention's label), so what the bot prints outside Slack, where a mention
 * cannot be rendered, can name people with only the database at hand.
 */
export const people = sqliteTable('people', {
  userId: text('user_id').primaryKey(),
  name: text('name').notNull(),
  seenAt: ms('seen_at').notNull(),
});

/**
 * What each SLO of an incident's service says about it, as last computed:
 * the budget this incident burned and what is left in the window (measured
 * or estimated, or why it is missing). `final` rows were computed at
 * resolve and are what the postmortem states.
 */
export const sloFigures = sqliteTable(
  'slo_figures',
  {
    incidentId: integer('incident_id').notNull().references(() => incidents.id),
    sloId: text('slo_id').notNull(),
    figures: text('figures', { mode: 'json' }).notNull(),
    computedAt: ms('computed_at').notNull(),
    final: integer('final', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('slo_figures_incident_slo_unique').on(t.incidentId, t.sloId)],
);

/**
 * Error-budget policy thresholds already posted: one row per SLO, window
 * period and threshold, inserted in the transaction that queues the posts,
 * so each crossing is posted once across restarts and instances.
 */
export const sloThresholdPosts = sqliteTable(
  'slo_threshold_posts',
  {
    sloId: text('slo_id').notNull(),
    /** Which window period: the crossing time divided by the window's length. */
    period: integer('period').notNull(),
    /** The threshold's budget remaining, in basis points (5000 = 50 %). */
    thresholdBp: integer('threshold_bp').notNull(),
    incidentId: integer('incident_id'),
    postedAt: ms('posted_at').notNull(),
  },
  (t) => [uniqueIndex('slo_threshold_posts_unique').on(t.sloId, t.period, t.thresholdBp)],
);

/**
 * One row per Alertmanager alert group (its `groupKey`, opaque: it depends on
 * the route the alert took). The group maps to at most one incident at a
 * time: a repeat of the group finds its incident here instead of opening
 * another. `notice_*`: where the notice of a notify-only group was posted,
 * the only place its Declare button is trusted.
 */
export const alertGroups = sqliteTable(
  'alert_groups',
  {
    // A short number for button values; the group key itself can be long.
    id: integer('id').primaryKey({ autoIncrement: true }),
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

/** Each alert of a group, by fingerprint, as last received: a repeat finds the same status and start and changes nothing. */
export const alerts = sqliteTable(
  'alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    groupKey: text('group_key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    incidentId: integer('incident_id').references(() => incidents.id),
    status: text('status', { enum: ALERT_STATUSES }).notNull(),
    startsAt: ms('starts_at').notNull(),
    endsAt: ms('ends_at'),
    labels: text('labels', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    annotations: text('annotations', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    generatorUrl: text('generator_url'),
    receivedAt: ms('received_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('alerts_group_fingerprint_unique').on(t.groupKey, t.fingerprint), index('alerts_incident_idx').on(t.incidentId, t.status)],
);
