/**
 * The bot's own metrics, by name: a contract. Alert rules and dashboards are
 * written against these names and labels, so a name is never changed; a new
 * need gets a new metric. Every label takes a bounded set of values (below):
 * never a title, a user, a channel or an incident id.
 */

/** Where a Slack request came from, as Bolt tells them apart; `other` for anything else Slack may send. */
export const SLACK_REQUEST_KINDS = ['command', 'event', 'action', 'view', 'shortcut', 'options', 'other'] as const;
export type SlackRequestKind = (typeof SLACK_REQUEST_KINDS)[number];

/** `error`: a listener failed for any reason but a refusal told to the user (a DomainError), or Bolt did. */
export const SLACK_REQUEST_OUTCOMES = ['ok', 'error'] as const;
export type SlackRequestOutcome = (typeof SLACK_REQUEST_OUTCOMES)[number];

/** `error`: ok:false from Slack (codes the bot tolerates, such as already_in_channel, too), an HTTP error, a timeout; a 429 is `rate_limited`. */
export const API_CALL_OUTCOMES = ['ok', 'error', 'rate_limited'] as const;
export type ApiCallOutcome = (typeof API_CALL_OUTCOMES)[number];

/** The Events API v2 actions (the bot sends trigger and resolve). */
export const PAGERDUTY_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export type PagerDutyAction = (typeof PAGERDUTY_ACTIONS)[number];

/** accepted: 202; rejected: 400 and any 4xx but 408 and 429 (refused, not retried); error: anything else, or no answer (retried). */
export const PAGERDUTY_OUTCOMES = ['accepted', 'rejected', 'error'] as const;
export type PagerDutyOutcome = (typeof PAGERDUTY_OUTCOMES)[number];

/** accepted: recorded (200); unauthorized: missing or wrong bearer token (401); bad_request: not a notification (400). */
export const ALERTMANAGER_OUTCOMES = ['accepted', 'unauthorized', 'bad_request'] as const;
export type AlertmanagerOutcome = (typeof ALERTMANAGER_OUTCOMES)[number];

/** Seconds; 3 is Slack's limit for an acknowledgement. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
const CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** From a decision to its delivery: milliseconds when all is well, up to the outbox's hour of retries when not. */
const DELIVERY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const TTA_BUCKETS = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400];
const TTR_BUCKETS = [300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 259_200, 604_800];

/** One metric: what Prometheus is told (name, help, type, labels) and a histogram's buckets. */
export interface MetricSpec {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labelNames: readonly string[];
  readonly buckets?: readonly number[];
}

/** What the bot counts as it works (in the listeners' thread and the outbox thread, summed on scrape). */
export const COUNTED = {
  slackRequests: {
    name: 'incident_bot_slack_requests_total',
    type: 'counter',
    help: 'Requests from Slack (HTTP or Socket Mode) handed to the listeners, by kind and outcome, counted when their listeners have finished.',
    labelNames: ['kind', 'outcome'],
  },
  slackAckDuration: {
    name: 'incident_bot_slack_ack_duration_seconds',
    type: 'histogram',
    help: "Time from a Slack request's arrival to its acknowledgement being sent (Slack gives up after 3 s).",
    labelNames: ['kind'],
    buckets: ACK_BUCKETS,
  },
  slackApiCalls: {
    name: 'incident_bot_slack_api_calls_total',
    type: 'counter',
    help: 'Slack Web API calls by method and outcome; HTTP 429 answers are counted as rate_limited.',
    labelNames: ['method', 'outcome'],
  },
  slackApiCallDuration: {
    name: 'incident_bot_slack_api_call_duration_seconds',
    type: 'histogram',
    help: 'Time a Slack Web API call took, answered or not, by method.',
    labelNames: ['method'],
    buckets: CALL_BUCKETS,
  },
  pagerDutyEvents: {
    name: 'incident_bot_pagerduty_events_total',
    type: 'counter',
    help: 'PagerDuty Events API v2 events sent, by action and outcome (accepted 202, rejected 400 or another 4xx not retried, error otherwise).',
    labelNames: ['action', 'outcome'],
  },
  pageDelivery: {
    name: 'incident_bot_page_delivery_seconds',
    type: 'histogram',
    help: "Time from the decision to page (its outbox job's creation) to PagerDuty's 202.",
    labelNames: [],
    buckets: DELIVERY_BUCKETS,
  },
  alertmanagerWebhooks: {
    name: 'incident_bot_alertmanager_webhooks_total',
    type: 'counter',
    help: 'Alertmanager webhook notifications received, by outcome (accepted, unauthorized, bad_request).',
    labelNames: ['outcome'],
  },
  outboxDelivery: {
    name: 'incident_bot_outbox_delivery_seconds',
    type: 'histogram',
    help: "Time from an outbox job's creation (the decision that needed it) to its completion, by job kind.",
    labelNames: ['kind'],
    buckets: DELIVERY_BUCKETS,
  },
  outboxGivenUp: {
    name: 'incident_bot_outbox_jobs_given_up_total',
    type: 'counter',
    help: 'Outbox jobs given up (a permanent failure, or still failing at the give-up time), by job kind.',
    labelNames: ['kind'],
  },
  incidentsDeclared: {
    name: 'incident_bot_incidents_declared_total',
    type: 'counter',
    help: 'Incidents declared, by severity at declaration and source (command, form, alert).',
    labelNames: ['severity', 'source'],
  },
  timeToAcknowledge: {
    name: 'incident_bot_incident_time_to_acknowledge_seconds',
    type: 'histogram',
    help: "Time from an incident's declaration to the first acknowledgement of its page, observed when recorded, by current severity.",
    labelNames: ['severity'],
    buckets: TTA_BUCKETS,
  },
  timeToResolve: {
    name: 'incident_bot_incident_time_to_resolve_seconds',
    type: 'histogram',
    help: "Time from an incident's declaration to its resolve, observed at each resolve (again after a reopen), by severity.",
    labelNames: ['severity'],
    buckets: TTR_BUCKETS,
  },
} as const satisfies Record<string, MetricSpec>;

/**
 * What the bot reads at each scrape (the listeners' thread only): from its database, shared by
 * every replica, and its own readiness, the checks of GET /readyz.
 */
export const READ_AT_SCRAPE = {
  outboxPending: {
    name: 'incident_bot_outbox_jobs_pending',
    type: 'gauge',
    help: 'Outbox jobs not yet done (waiting, retrying or running), by job kind.',
    labelNames: ['kind'],
  },
  outboxOldestPendingAge: {
    name: 'incident_bot_outbox_oldest_pending_age_seconds',
    type: 'gauge',
    help: 'Age of the oldest outbox job not yet done, by job kind (0 when none is pending).',
    labelNames: ['kind'],
  },
  incidentsOpen: {
    name: 'incident_bot_incidents_open',
    type: 'gauge',
    help: 'Incidents not resolved, by severity.',
    labelNames: ['severity'],
  },
  sloBudgetConsumed: {
    name: 'incident_bot_slo_budget_consumed_ratio',
    type: 'gauge',
    help: "Fraction of an SLO's error budget consumed by incidents whose impact ended within its current window (or goes on), summed from their recorded SLO figures.",
    labelNames: ['service', 'slo'],
  },
  ready: {
    name: 'incident_bot_ready',
    type: 'gauge',
    help: '1 while this replica can do its job (what GET /readyz answers 200 for), 0 while it is starting, stopping or a check fails.',
    labelNames: [],
  },
  readinessCheckOk: {
    name: 'incident_bot_readiness_check_ok',
    type: 'gauge',
    help: "1 while a readiness check (database, slackToken, socketMode, outbox) passes or does not apply, 0 while it fails or has no answer yet; /readyz says why.",
    labelNames: ['check'],
  },
} as const satisfies Record<string, MetricSpec>;

/** Every metric the bot defines itself (the process metrics of prom-client come on top). */
export const ALL_METRICS: readonly MetricSpec[] = [...Object.values(COUNTED), ...Object.values(READ_AT_SCRAPE)];
