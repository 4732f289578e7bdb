import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import { openStore, type OpenedDatabase } from './db/open-store.js';
import type { Store } from './db/repositories.js';
import type { StoreDecorator } from './db/store.js';
import type { Clock, Deps } from './domain/ports.js';
import { systemClock } from './domain/ports.js';
import { PagerDutyClient, type PagerDutyClientOptions } from './pagerduty/client.js';
import { pagingPolicy } from './pagerduty/policy.js';
import { pagerDutyWebhookHandler } from './pagerduty/webhook.js';
import { alertmanagerWebhookHandler } from './alertmanager/webhook.js';
import { createOutboxWorker } from './effects/outbox-setup.js';
import { inlineOutbox, threadedOutbox, type OutboxRunner } from './outbox/outbox-runner.js';
import type { OutboxWorkerOptions } from './effects/outbox-worker.js';
import { healthHandler, type HealthState } from './http/health.js';
import { databaseWriteCheck } from './http/readiness-checks.js';
import { postgresWriteCheck } from './http/readiness-postgres.js';
import { createReadiness, TOKEN_CHECK_EVERY_MS } from './http/readiness-route.js';
import { refusingOnceStopping } from './jobs/stoppable-gateway.js';
import { BODY_LIMITS, SOCKET_ACK_GRACE_MS, STOP_GRACE_MS } from './http/limits.js';
import { createHttpServer, listen, type Route } from './http/server.js';
import { slackEventsHandler } from './http/slack-events.js';
import { createLogger } from './logger.js';
import { createBotMetrics } from './metrics/bot-metrics.js';
import { meterIncidentRecords } from './metrics/incident-records.js';
import { MeteredWebClient } from './metrics/web-api.js';
import { DigestRunner } from './jobs/digest-runner.js';
import { DigestScheduler } from './jobs/digest-scheduler.js';
import { SloRefreshScheduler } from './jobs/slo-refresh-scheduler.js';
import { measuringPrometheus } from './prometheus/from-config.js';
import { createSlackApp, type BotIdentity } from './slack/app.js';
import { SlackGateway } from './slack/gateway.js';
import { KnownUsers } from './slack/known-users.js';
import { createGateway, webClientOptions } from './slack/web-client.js';
import { tokenRefusal } from './slack/token-refusal.js';

export interface BotOptions {
  /** A simulated clock; implies the outbox runs in this thread, where the clock is. */
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly outbox?: Partial<OutboxWorkerOptions>;
  /** Run outbox jobs in the listeners' thread instead of a thread of their own. */
  readonly outboxInline?: boolean;
  /** How often the outbox thread checkpoints the WAL on its own (default 30 s); its commits also do. */
  readonly checkpointEveryMs?: number;
  /** How long one Slack call may take before it counts as failed (and is retried by the outbox). */
  readonly slackTimeoutMs?: number;
  /** How patiently to wait for Slack to accept the token at start (retried until it answers). */
  readonly identityRetry?: { readonly minTimeout: number; readonly maxTimeout: number };
  readonly pagerduty?: PagerDutyClientOptions;
  readonly digestLeaseMs?: number;
  /** How often to look for a due digest; 0 = never by itself (tests call `digest.check()`). */
  readonly digestCheckEveryMs?: number;
  /** How often to queue SLO refreshes of open incidents (default SLO_REFRESH); 0 = never by itself (tests call `slo.scheduler.tick()`). */
  readonly sloRefreshEveryMs?: number;
  /** Where to listen; defaults to all interfaces. */
  readonly host?: string;
  /** How long a stop waits for requests in flight and their listeners (default STOP_GRACE_MS). */
  readonly stopGraceMs?: number;
  /** How often /readyz's view of the bot token is refreshed with an auth.test (default TOKEN_CHECK_EVERY_MS); 0 = only at start. */
  readonly tokenCheckEveryMs?: number;
}

export interface Bot {
  readonly config: Config;
  /** The database the store is on, SQLite or PostgreSQL. */
  readonly database: OpenedDatabase;
  /** SQLite's connection; throws on PostgreSQL (tests that read SQLite directly). */
  readonly db: Db;
  readonly store: Store;
  readonly health: HealthState;
  readonly logger: Logger;
  /** The weekly digest: its scheduler (check() runs a due period) and runner. */
  readonly digest: { readonly scheduler: DigestScheduler; readonly runner: DigestRunner };
  /** The periodic SLO refresh: tick() queues a refresh of every open incident linked to a service. */
  readonly slo: { readonly scheduler: SloRefreshScheduler };
  /** Slack requests whose listeners still run (work after the ack: replies, reads): settled() waits for them. */
  readonly listeners: { settled(timeoutMs: number): Promise<boolean> };
  /** The outbox runner; available once started. */
  readonly worker: OutboxRunner;
  /** Starts serving; resolves with the port (useful with PORT=0). */
  start(): Promise<number>;
  /** The port the server listens on, once it does (0 before). */
  port(): number;
  stop(): Promise<void>;
}

/**
 * The composition root: database → repositories → Slack gateway → Bolt →
 * HTTP server, and the outbox runner once Slack has told us who we are.
 */
export function createBot(config: Config, options: BotOptions = {}): Bot {
  const logger = options.logger ?? createLogger(config.log.level);
  const clock = options.clock ?? systemClock;
  const slackTimeoutMs = options.slackTimeoutMs ?? 10_000;
  const health: HealthState = { databaseReady: false, slackReady: false, startedAt: new Date() };

  let runner: OutboxRunner | undefined;
  // Work queued by a verb starts as soon as its transaction has committed:
  // every view of the store kicks the runner, a transaction's too.
  const kickOnEnqueue: StoreDecorator = (repos, afterCommit) => {
    const enqueue = repos.outbox.enqueue;
    repos.outbox.enqueue = async (job, now) => {
      await enqueue(job, now);
      afterCommit(() => runner?.kick());
    };
  };
  // Declarations, acknowledgements and resolves are counted as they are written (the outbox thread's too).
  const database = openStore(config.database.url, [meterIncidentRecords, kickOnEnqueue], {
    poolSize: config.database.poolSize,
    onIdleError: (error) => logger.warn({ err: error }, 'a PostgreSQL connection failed while idle; the pool opens another'),
  });
  const { store } = database;
  // SQLite is migrated as it opens; PostgreSQL at start, before anything is served.
  if (database.dialect === 'sqlite') health.databaseReady = true;
  const clientOptions = webClientOptions(config, logger, slackTimeoutMs);
  const slack = createGateway(config, logger, slackTimeoutMs);
  // Start-up waits out a Slack outage (healthz says 503 meanwhile) but not a
  // bad token: this client retries network errors, 5xx and 429 forever, never
  // an ok:false answer such as invalid_auth.
  const identityClient = new SlackGateway(
    new MeteredWebClient(config.slack.botToken, {
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

  const deps: Deps = { repos: store, clock, timeZone: config.timeZone, paging: pagingPolicy(config), slo: config.slo };
  const pagerduty = new PagerDutyClient(config.pagerduty, options.pagerduty);
  const onCall = { configured: pagerduty.onCallConfigured, now: () => pagerduty.onCallNow() };
  // A scheduled digest posts part after part, for minutes with hundreds of owners' DMs: once a stop
  // has begun, the post under way ends and is recorded, and the run's next Slack call is refused. The
  // run gives its period back, and the next start (or another replica) resumes it, looking in Slack
  // for the part first. Waited out, a long run held the stop past its deadline (exit 1, outbox and
  // database left unclosed). `/incident digest` previews post through the listeners' gateway, not this.
  let digestStopping = false;
  const digestSlack = refusingOnceStopping(slack, 'the digest', () => digestStopping);
  const digestRunner = new DigestRunner(
    store.digest,
    digestSlack,
    { channel: config.digest.channel, dmOwners: config.digest.dmOwners, timeZone: config.timeZone, leaseMs: options.digestLeaseMs },
    clock,
    logger.child({ component: 'digest' }),
    store.stats,
  );
  const longestWindowMs = Math.max(0, ...config.slo.catalog.slos.map((s) => s.window.ms));
  const sloScheduler = new SloRefreshScheduler(store, clock, logger.child({ component: 'slo-refresh' }), longestWindowMs);
  // Built at start so a PROMETHEUS_URL or credentials that cannot work stop it with the reason.
  const prometheus = measuringPrometheus(config.prometheus);
  const digestScheduler = new DigestScheduler(config.digest.cron, config.timeZone, digestRunner, clock, logger.child({ component: 'digest' }));
  const slackApp = createSlackApp(
    config,
    { deps, slack, logger, timelineEmoji: config.incidents.timelineEmoji, onCall, digest: digestRunner, people: new KnownUsers(slack, logger), prometheus },
    identityPromise,
    clientOptions,
    logger,
  );

  // Each route's body limit is checked before its signature: see src/http/limits.ts.
  const databaseCheck = database.sqlite ? databaseWriteCheck(database.sqlite.$client) : postgresWriteCheck(database.pool!);
  const readiness = createReadiness({ health, databaseCheck, store, clock, maxOutboxAgeMs: config.readiness.maxOutboxAgeMs, slack, socket: slackApp.socket, logger });
  const metrics = createBotMetrics({ store, clock, slos: config.slo.catalog.slos, readiness: () => readiness.report() });
  const routes: Route[] = [{ method: 'GET', path: '/healthz', maxBodyBytes: BODY_LIMITS.none, handler: healthHandler(health) }, readiness.route, metrics.route];
  // Without a secret nothing could be verified: the endpoint does not exist (404).
  if (config.pagerduty.webhookSecret) {
    routes.push({
      method: 'POST',
      path: '/pagerduty/webhook',
      maxBodyBytes: BODY_LIMITS.pagerDutyWebhook,
      handler: pagerDutyWebhookHandler(config.pagerduty.webhookSecret, deps, logger),
    });
  }
  // Likewise without a token: nobody could be told apart from Alertmanager.
  if (config.alertmanager.webhookToken) {
    routes.push({
      method: 'POST',
      path: '/alertmanager/webhook',
      maxBodyBytes: BODY_LIMITS.alertmanagerWebhook,
      handler: alertmanagerWebhookHandler(config.alertmanager.webhookToken, deps, logger.child({ component: 'alertmanager' })),
    });
  }
  if (slackApp.httpListener) {
    routes.push({
      method: 'POST',
      path: '/slack/events',
      maxBodyBytes: BODY_LIMITS.slackEvents,
      handler: slackEventsHandler({ signingSecret: config.slack.signingSecret!, bolt: slackApp.httpListener, logger }),
    });
  }
  const http = createHttpServer(routes, { onError: (error) => logger.error({ err: error }, 'http handler failed') });
  const { server } = http;
  let stopping: Promise<void> | undefined;

  function createRunner(botUserId: string): OutboxRunner {
    if (options.outboxInline || options.clock) {
      return inlineOutbox(createOutboxWorker({ config, store, slack, logger, clock, botUserId: () => botUserId, options: options.outbox, pagerduty: options.pagerduty }));
    }
    return threadedOutbox(
      {
        config,
        botUserId,
        slackTimeoutMs,
        options: options.outbox ?? {},
        pagerduty: options.pagerduty ?? {},
        checkpointEveryMs: options.checkpointEveryMs ?? 30_000,
        metricsChannel: metrics.threadChannel(),
      },
      database.sqlite,
      store.outbox,
      clock,
      logger,
    );
  }

  return {
    config,
    database,
    get db(): Db {
      if (!database.sqlite) throw new Error('bot.db is SQLite\'s connection; this bot runs on PostgreSQL');
      return database.sqlite;
    },
    store,
    health,
    logger,
    digest: { scheduler: digestScheduler, runner: digestRunner },
    listeners: { settled: (timeoutMs) => slackApp.requests.settled(timeoutMs) },
    slo: { scheduler: sloScheduler },
    get worker(): OutboxRunner {
      if (!runner) throw new Error('the bot has not started');
      return runner;
    },
    port: () => {
      const address = server.address();
      return typeof address === 'object' && address ? address.port : 0;
    },
    async start() {
      await database.ready();
      health.databaseReady = true;
      const port = await listen(server, config.http.port, options.host);
      // A refused token stops the start with the variable to fix; an outage is waited out (above).
      const accepted = await identityClient.authTest().catch((error: unknown) => {
        throw tokenRefusal('SLACK_BOT_TOKEN', error) ?? error;
      });
      identity = accepted;
      // Stopped while waiting for Slack (a signal during a Slack outage): start nothing more.
      if (stopping) return port;
      resolveIdentity(identity);
      health.slackReady = true;
      // The scopes the token holds, as Slack said in that answer: checked against the manifest's now, not a minute later.
      readiness.tokenAccepted({ scopes: accepted.scopes });
      readiness.start(options.tokenCheckEveryMs ?? TOKEN_CHECK_EVERY_MS);
      if (Object.keys(config.pagerduty.services).length === 0) logger.info('paging is off: no PAGERDUTY_ROUTING_KEY or PAGERDUTY_SERVICES');
      runner = createRunner(identity.userId);
      await runner.start();
      if (config.slack.socketMode) {
        await slackApp.app.start().catch((error: unknown) => {
          throw tokenRefusal('SLACK_APP_TOKEN', error) ?? error;
        });
      }
      const every = options.digestCheckEveryMs ?? 30_000;
      if (every > 0 && config.digest.channel) digestScheduler.start(every);
      const sloEvery = options.sloRefreshEveryMs ?? config.slo.refreshMs;
      if (sloEvery > 0 && config.slo.catalog.slos.length > 0) sloScheduler.start(sloEvery);
      logger.info({ port, mode: config.slack.socketMode ? 'socket' : 'http', bot: identity.userId }, 'incident bot started');
      return port;
    },
    stop() {
      stopping ??= (async () => {
        const stopStarted = performance.now();
        readiness.stop();
        digestStopping = true;
        const deadline = Date.now() + (options.stopGraceMs ?? STOP_GRACE_MS);
        const left = () => Math.max(0, deadline - Date.now());
        // Socket Mode: what arrives from now on is left for Slack to send again; what is in hand is
        // acknowledged (a command in its PostgreSQL transaction commits first), then the socket closes.
        if (config.slack.socketMode) {
          if (!(await slackApp.requests.drain(Math.min(left(), SOCKET_ACK_GRACE_MS)))) logger.warn({ processing: slackApp.requests.inFlight() }, 'closing the socket with requests unacknowledged');
          await slackApp.app.stop().catch(() => undefined);
        }
        // No new requests; those in flight are answered (or cut at the deadline).
        const answered = await http.close(left());
        // Listeners go on after their acknowledgement (replies, lookups): let them end before the database closes.
        const finished = await slackApp.requests.settled(left());
        if (!answered || !finished) logger.warn({ inFlight: http.inFlight(), processing: slackApp.requests.inFlight() }, 'stopped with requests unfinished');
        await digestScheduler.stop();
        sloScheduler.stop();
        // The outbox ends its current job; pending ones stay in the database for the next start.
        await runner?.stop();
        // Unknown (left out of the line) when the database cannot answer: the stop goes on.
        const pendingJobs = await store.health.unfinishedJobs().catch(() => undefined);
        metrics.close();
        await database.close();
        logger.info({ stopMs: Math.round(performance.now() - stopStarted), pendingJobs }, 'incident bot stopped');
      })();
      return stopping;
    },
  };
}
