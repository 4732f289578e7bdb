import type { Server } from 'node:http';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/client.js';
import { createRepositories, type Store } from './db/repositories.js';
import type { Clock, Deps } from './domain/ports.js';
import { systemClock } from './domain/ports.js';
import type { EffectContext } from './effects/context.js';
import { DEFAULT_OUTBOX_OPTIONS, OutboxWorker, type JobHandler, type OutboxWorkerOptions } from './effects/outbox-worker.js';
import { inviteToIncident, postNotice } from './effects/post-notice.js';
import { reportFailure } from './effects/report-failure.js';
import { reconcileTimeline } from './effects/reconcile-timeline.js';
import { setupIncident } from './effects/setup-incident.js';
import { syncIncident } from './effects/sync-incident.js';
import { healthHandler, type HealthState } from './http/health.js';
import { createHttpServer, listen, type Route } from './http/server.js';
import { createLogger, slackLogger } from './logger.js';
import { createSlackApp, type BotIdentity } from './slack/app.js';
import { SlackGateway } from './slack/gateway.js';

export interface BotOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly outbox?: Partial<OutboxWorkerOptions>;
  /** How long one Slack call may take before it counts as failed (and is retried by the outbox). */
  readonly slackTimeoutMs?: number;
  /** How patiently to wait for Slack to accept the token at start (retried until it answers). */
  readonly identityRetry?: { readonly minTimeout: number; readonly maxTimeout: number };
  /** Where to listen; defaults to all interfaces. */
  readonly host?: string;
}

export interface Bot {
  readonly config: Config;
  readonly db: Db;
  readonly store: Store;
  readonly worker: OutboxWorker;
  readonly health: HealthState;
  readonly logger: Logger;
  /** Starts serving; resolves with the port (useful with PORT=0). */
  start(): Promise<number>;
  /** The port the server listens on, once it does (0 before). */
  port(): number;
  stop(): Promise<void>;
}

/**
 * The composition root: database → repositories → Slack gateway → outbox →
 * Bolt → HTTP server. Everything the process needs, nothing started yet.
 */
export function createBot(config: Config, options: BotOptions = {}): Bot {
  const logger = options.logger ?? createLogger(config.log.level);
  const clock = options.clock ?? systemClock;
  const health: HealthState = { databaseReady: false, slackReady: false, startedAt: new Date() };

  const db = openDatabase(config.database.url);
  health.databaseReady = true;
  const store = createRepositories(db);

  const clientOptions: WebClientOptions = {
    slackApiUrl: config.slack.apiUrl,
    logger: slackLogger(logger),
    // The outbox is the one place Slack calls are retried: it knows, before
    // repeating a post or a channel creation, whether the first one went
    // through. The client's own silent retries would double them.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.slackTimeoutMs ?? 10_000,
  };
  const slack = new SlackGateway(new WebClient(config.slack.botToken, clientOptions));
  // Start-up waits out a Slack outage (healthz says 503 meanwhile) but not a
  // bad token: the client retries network errors, 5xx and 429 forever, never
  // an ok:false answer such as invalid_auth.
  const identityClient = new SlackGateway(
    new WebClient(config.slack.botToken, {
      ...clientOptions,
      rejectRateLimitedCalls: false,
      retryConfig: { forever: true, factor: 2, ...(options.identityRetry ?? { minTimeout: 500, maxTimeout: 30_000 }) },
    }),
  );

  let identity: BotIdentity | undefined;
  let resolveIdentity!: (id: BotIdentity) => void;
  const identityPromise = new Promise<BotIdentity>((resolve) => {
    resolveIdentity = resolve;
  });

  const ctx: EffectContext = {
    store,
    slack,
    logger,
    clock,
    announceChannel: config.incidents.announceChannel,
    timelineEmoji: config.incidents.timelineEmoji,
    botUserId: () => identity?.userId ?? '',
  };
  const handlers: Record<string, JobHandler> = {
    'incident.setup': (job) => setupIncident(ctx, job as never),
    'incident.sync': (job) => syncIncident(ctx, job),
    'slack.post': (job) => postNotice(ctx, job as never),
    'slack.invite': (job) => inviteToIncident(ctx, job as never),
    'timeline.reconcile': (job) => reconcileTimeline(ctx, job as never),
  };
  const worker = new OutboxWorker(
    store.outbox,
    handlers,
    (job, error) => reportFailure(ctx, job, error),
    clock,
    logger.child({ component: 'outbox' }),
    { ...DEFAULT_OUTBOX_OPTIONS, ...options.outbox },
  );
  // Work queued by a verb starts as soon as its transaction has committed.
  const enqueue = store.outbox.enqueue;
  store.outbox.enqueue = (job, now) => {
    enqueue(job, now);
    worker.kick();
  };

  const deps: Deps = { repos: store, clock };
  const slackApp = createSlackApp(
    config,
    { deps, slack, logger, timelineEmoji: config.incidents.timelineEmoji },
    identityPromise,
    clientOptions,
    logger,
  );

  const routes: Route[] = [{ method: 'GET', path: '/healthz', handler: healthHandler(health) }];
  if (slackApp.httpListener) routes.push({ method: 'POST', path: '/slack/events', handler: slackApp.httpListener });
  const server: Server = createHttpServer(routes, (error) => logger.error({ err: error }, 'http handler failed'));

  return {
    config,
    db,
    store,
    worker,
    health,
    logger,
    port: () => {
      const address = server.address();
      return typeof address === 'object' && address ? address.port : 0;
    },
    async start() {
      const port = await listen(server, config.http.port, options.host);
      identity = await identityClient.authTest();
      resolveIdentity(identity);
      health.slackReady = true;
      if (config.slack.socketMode) await slackApp.app.start();
      worker.start();
      logger.info({ port, mode: config.slack.socketMode ? 'socket' : 'http', bot: identity.userId }, 'incident bot started');
      return port;
    },
    async stop() {
      await worker.stop();
      if (config.slack.socketMode) await slackApp.app.stop().catch(() => undefined);
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      db.$client.close();
    },
  };
}
