/**
 * Replicas of the real bot, each a process of its own, on one real
 * PostgreSQL database, sharing one Slack stand-in and one PagerDuty stand-in:
 * what a deployment of several replicas behind a load balancer is, driven as
 * Slack drives it (signed requests into any replica). The tests read the
 * database with a pool of their own, which survives a server restart.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { BotProcess } from './bot-process.js';
import { PagerDutyStandIn } from './pagerduty-stand-in.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';
import { eventCallbackBody, postSigned, slashCommandBody, type SlackResponse } from './signed-requests.js';
import { SlackStandIn } from './slack-stand-in.js';
import { ownerOfLocalPort } from './socket-owner.js';

export const PAGERDUTY_ROUTING_KEY = 'R0REPLICASKEY000000000000000000';

/** What every replica is started with: paging on, fast polling, short backoff. */
export interface ReplicaSettings {
  readonly env?: Record<string, string>;
  /** BotOptions for test/support/bot-entry.ts (leases, polls); merged over the defaults below. */
  readonly botOptions?: Record<string, unknown>;
}

export interface Sent {
  readonly ack: SlackResponse;
  readonly responseId: string;
}

export class ReplicaWorld {
  readonly replicas = new Set<BotProcess>();
  private readonly pool: pg.Pool;

  private constructor(
    readonly postgres: PostgresServer,
    readonly databaseUrl: string,
    readonly slack: SlackStandIn,
    readonly pagerduty: PagerDutyStandIn,
    private readonly settings: ReplicaSettings,
  ) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    // A restart of the server hangs up on idle connections: the pool drops them and opens others.
    this.pool.on('error', () => undefined);
  }

  static async start(settings: ReplicaSettings = {}): Promise<ReplicaWorld> {
    const slack = new SlackStandIn();
    const pagerduty = new PagerDutyStandIn();
    const [postgres] = await Promise.all([startPostgres({ database: 'replicas' }), slack.start(), pagerduty.start()]);
    return new ReplicaWorld(postgres, postgres.url, slack, pagerduty, settings);
  }

  /** One more replica on the same database and stand-ins; resolves once its /healthz says 200. */
  async startReplica(extra: ReplicaSettings = {}): Promise<BotProcess> {
    const replica = await BotProcess.start({
      slackApiUrl: this.slack.apiUrl,
      databaseUrl: this.databaseUrl,
      readyTimeoutMs: 30_000,
      env: {
        NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
        PAGERDUTY_ROUTING_KEY,
        PAGERDUTY_EVENTS_URL: this.pagerduty.url,
        PAGE_SEVERITIES: 'sev1',
        DATABASE_POOL_SIZE: '4',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
        ...this.settings.env,
        ...extra.env,
      },
      botOptions: {
        digestCheckEveryMs: 0,
        sloRefreshEveryMs: 0,
        pagerduty: { retryTimeoutMs: 5, requestTimeoutMs: 5_000 },
        ...this.settings.botOptions,
        ...extra.botOptions,
        outbox: { pollMs: 100, baseBackoffMs: 50, maxBackoffMs: 500, ...(this.settings.botOptions?.outbox as object), ...(extra.botOptions?.outbox as object) },
      },
    });
    this.replicas.add(replica);
    return replica;
  }

  /** `/incident <text>` as Slack posts it, to `replica`; `body` to send one already made (a retry). */
  async command(replica: BotProcess, text: string, opts: { userId?: string; channelId?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Sent> {
    const responseId = randomUUID();
    const body = opts.body ?? slashCommandBody({ text, userId: opts.userId, channelId: opts.channelId, responseUrl: this.slack.responseUrl(responseId) });
    const ack = await postSigned(`${replica.url}/slack/events`, body, 'application/x-www-form-urlencoded', { headers: opts.headers });
    return { ack, responseId };
  }

  /** An Events API callback to `replica`; the same `eventId` with `retryNum` is Slack's retry of it. */
  event(replica: BotProcess, event: Record<string, unknown>, eventId: string, retryNum = 0): Promise<SlackResponse> {
    const { body } = eventCallbackBody(event, eventId);
    const headers: Record<string, string> = retryNum ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {};
    return postSigned(`${replica.url}/slack/events`, body, 'application/json', { headers });
  }

  /** Rows from the shared database. */
  async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(text, values)).rows;
  }

  /** Whether no outbox job is waiting or running: every replica's work is done. */
  async outboxIdle(): Promise<boolean> {
    const [row] = await this.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'running')");
    return row?.n === '0';
  }

  /** The living replica whose connection a stand-in saw coming from `port`. */
  async replicaAt(port: number): Promise<BotProcess | undefined> {
    const living = [...this.replicas].filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    const pid = await ownerOfLocalPort(port, living.map((r) => r.pid));
    return living.find((r) => r.pid === pid);
  }

  /** SIGKILL, as a machine lost; resolves once it is gone. */
  async kill(replica: BotProcess): Promise<void> {
    replica.kill('SIGKILL');
    await replica.exited;
    this.replicas.delete(replica);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.replicas].map((r) => r.dispose()));
    await this.pool.end().catch(() => undefined);
    await Promise.all([this.slack.stop(), this.pagerduty.stop(), this.postgres.stop()]);
  }
}
