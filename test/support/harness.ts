/**
 * Runs the real bot (createBot: Bolt, database, outbox) over HTTP against the
 * Slack stand-in, and speaks to it as Slack does. Every e2e test and the demo
 * go through here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createBot, type Bot, type BotOptions } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { harnessDatabase, harnessStore, type HarnessDatabase, type HarnessStore } from './harness-postgres.js';
import { BOT_TOKEN, SlackStandIn, type StandInChannel } from './slack-stand-in.js';
import {
  eventCallbackBody,
  postSigned,
  slashCommandBody,
  type SignOptions,
  type SlackResponse,
  SIGNING_SECRET,
} from './signed-requests.js';

export interface HarnessOptions {
  readonly env?: Record<string, string>;
  readonly bot?: BotOptions;
  /** Reuse a stand-in (and its channels) across a restart. */
  readonly slack?: SlackStandIn;
  /** Reuse a database file across a restart (on PostgreSQL, the database that file names). */
  readonly databaseFile?: string;
  /** The bot's store: STORE in the environment unless told, SQLite unless either says `postgres` (see harness-postgres.ts). */
  readonly store?: HarnessStore;
}

export interface CommandResult {
  readonly ack: SlackResponse;
  readonly responseId: string;
}

export class Harness {
  private constructor(
    /** A simulated clock stands still: only jobs due now are waited for. */
    private readonly horizonMs: number,
    readonly slack: SlackStandIn,
    readonly bot: Bot,
    readonly url: string,
    readonly databaseFile: string,
    private readonly ownsSlack: boolean,
    private readonly tmp: string | undefined,
    private readonly database: HarnessDatabase | undefined,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const slack = options.slack ?? new SlackStandIn();
    if (!options.slack) await slack.start();
    const tmp = options.databaseFile ? undefined : mkdtempSync(join(tmpdir(), 'incident-bot-'));
    const databaseFile = options.databaseFile ?? join(tmp!, 'incidents.db');
    // On PostgreSQL the file is never written: its path names the database a restart finds again.
    const database = harnessStore(options.store) === 'postgres' ? await harnessDatabase(options.databaseFile) : undefined;
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: database?.url ?? databaseFile,
      PORT: '0',
      INCIDENT_ANNOUNCE_CHANNEL: 'C0ANNOUNCE',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...options.env,
    });
    const bot = createBot(config, {
      logger: pino({ level: config.log.level }),
      outbox: { pollMs: 50, baseBackoffMs: 20, maxBackoffMs: 200 },
      host: '127.0.0.1',
      // Digests run when a test calls bot.digest.scheduler.check(), never behind its back.
      digestCheckEveryMs: 0,
      // Likewise SLO refreshes: bot.slo.scheduler.tick() queues them.
      sloRefreshEveryMs: 0,
      ...options.bot,
    });
    const port = await bot.start();
    return new Harness(options.bot?.clock ? 0 : 1_000, slack, bot, `http://127.0.0.1:${port}`, databaseFile, !options.slack, tmp, database);
  }

  /** Sends `/incident <text>` as `userId` from `channelId`; resolves with the HTTP ack. */
  async command(text: string, opts: { userId?: string; channelId?: string; sign?: SignOptions } = {}): Promise<CommandResult> {
    const responseId = randomUUID();
    const body = slashCommandBody({ text, userId: opts.userId, channelId: opts.channelId, responseUrl: this.slack.responseUrl(responseId) });
    const ack = await postSigned(`${this.url}/slack/events`, body, 'application/x-www-form-urlencoded', opts.sign);
    return { ack, responseId };
  }

  /** Sends a command and waits until the bot has answered it and finished its queued work. */
  async run(text: string, opts: { userId?: string; channelId?: string } = {}): Promise<{ replies: string[]; responseId: string }> {
    const { ack, responseId } = await this.command(text, opts);
    if (ack.status !== 200) throw new Error(`ack was ${ack.status}: ${ack.body}`);
    await this.settle();
    // What the user sees: the acknowledgement's own text, if any, then what came through response_url.
    const inAck = ack.body ? [String(ack.json().text ?? '')] : [];
    return { replies: [...inAck, ...this.slack.responsesFor(responseId).map((r) => String(r.text ?? ''))], responseId };
  }

  async event(event: Record<string, unknown>, opts: { eventId?: string; retryNum?: number; sign?: SignOptions } = {}): Promise<SlackResponse> {
    const { body } = eventCallbackBody(event, opts.eventId);
    const headers: Record<string, string> = opts.retryNum ? { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {};
    return postSigned(`${this.url}/slack/events`, body, 'application/json', { ...opts.sign, headers: { ...headers, ...opts.sign?.headers } });
  }

  async interact(body: string, sign?: SignOptions): Promise<SlackResponse> {
    return postSigned(`${this.url}/slack/events`, body, 'application/x-www-form-urlencoded', sign);
  }

  /** Waits for listeners that run after the ack and for the outbox to drain, each within `timeoutMs`. */
  async settle(timeoutMs = 10_000): Promise<void> {
    // Listeners continue after the HTTP ack; give them a moment, then wait for the outbox.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 15));
      // Replies and reads run after the ack, outside the outbox (a live Prometheus query, a Slack lookup).
      await this.bot.listeners.settled(timeoutMs);
      await this.bot.worker.idle(timeoutMs, this.horizonMs);
    }
  }

  /** The channel of incident `id`, once set up. */
  async incidentChannel(id: number): Promise<StandInChannel> {
    const incident = await this.bot.store.incidents.get(id);
    const channel = incident?.channelId ? this.slack.channels.get(incident.channelId) : undefined;
    if (!channel) throw new Error(`INC-${id} has no channel yet`);
    return channel;
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.database?.release();
    if (this.ownsSlack) await this.slack.stop();
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
  }
}
