import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../db/repositories.js';
import type { Clock } from '../domain/ports.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { EffectContext } from './context.js';
import { PagerDutyClient, type PagerDutyClientOptions } from '../pagerduty/client.js';
import { pagingPolicy } from '../pagerduty/policy.js';
import { measuringPrometheus } from '../prometheus/from-config.js';
import { sendPagerDutyEvent } from './pagerduty-event.js';
import { inviteOnCall } from './pagerduty-oncall.js';
import { DEFAULT_OUTBOX_OPTIONS, OutboxWorker, type JobHandler, type OutboxWorkerOptions } from './outbox-worker.js';
import { inviteToIncident, postNotice } from './post-notice.js';
import { postAlertNotice } from './post-alert-notice.js';
import { applyAlerts } from './apply-alerts.js';
import { publishPostmortem } from './publish-postmortem.js';
import { reconcileTimeline } from './reconcile-timeline.js';
import { refreshSlo } from './refresh-slo.js';
import { reportFailure } from './report-failure.js';
import { finishSetup, setupIncident } from './setup-incident.js';
import { syncIncident } from './sync-incident.js';

export interface OutboxParts {
  readonly config: Config;
  readonly store: Store;
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly botUserId: () => string;
  readonly options?: Partial<OutboxWorkerOptions>;
  readonly pagerduty?: PagerDutyClientOptions;
}

/** The outbox worker with every job kind's handler, for whichever thread runs it. */
export function createOutboxWorker(parts: OutboxParts): OutboxWorker {
  const ctx: EffectContext = {
    store: parts.store,
    slack: parts.slack,
    pagerduty: new PagerDutyClient(parts.config.pagerduty, parts.pagerduty),
    // Built here, so the outbox thread has its own client from the same config.
    prometheus: measuringPrometheus(parts.config.prometheus),
    logger: parts.logger,
    clock: parts.clock,
    timeZone: parts.config.timeZone,
    config: parts.config,
    deps: { repos: parts.store, clock: parts.clock, timeZone: parts.config.timeZone, paging: pagingPolicy(parts.config), slo: parts.config.slo },
    announceChannel: parts.config.incidents.announceChannel,
    timelineEmoji: parts.config.incidents.timelineEmoji,
    botUserId: parts.botUserId,
  };
  const handlers: Record<string, JobHandler> = {
    'incident.setup': (job) => setupIncident(ctx, job as never),
    'incident.finish-setup': (job) => finishSetup(ctx, job as never),
    'incident.sync': (job) => syncIncident(ctx, job),
    'slack.post': (job) => postNotice(ctx, job as never),
    'slack.invite': (job) => inviteToIncident(ctx, job as never),
    'timeline.reconcile': (job) => reconcileTimeline(ctx, job as never),
    'postmortem.publish': (job) => publishPostmortem(ctx, job as never),
    'pagerduty.event': (job) => sendPagerDutyEvent(ctx, job as never),
    'pagerduty.oncall': (job) => inviteOnCall(ctx, job),
    'slo.refresh': (job) => refreshSlo(ctx, job as never),
    'alert.post': (job) => postAlertNotice(ctx, job as never),
    'alert.receive': (job) => applyAlerts(ctx, job as never),
  };
  return new OutboxWorker(
    parts.store.outbox,
    handlers,
    (job, error) => reportFailure(ctx, job, error),
    parts.clock,
    parts.logger.child({ component: 'outbox' }),
    { ...DEFAULT_OUTBOX_OPTIONS, ...parts.options },
  );
}
