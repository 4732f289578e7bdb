import type { Logger } from 'pino';
import { tokenRefusal, type TokenRefusedError } from '../slack/token-refusal.js';
import { failing, passing, type CheckResult, type ReadinessCheck } from './readiness.js';

/**
 * Whether Slack still accepts the bot token, as of the last `auth.test`: the
 * start's own, then one every `everyMs`. Only a refusal (invalid_auth,
 * token_revoked, account_inactive…) makes the bot unready; an outage or a
 * timeout says nothing about the token, so the last answer stands. The route
 * reads the last answer and never calls Slack itself.
 */
export class TokenWatch {
  private accepted = false;
  private refusal: TokenRefusedError | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly slack: { authTest(): Promise<unknown> },
    private readonly logger: Logger,
  ) {}

  /** The start's own auth.test succeeded. */
  accept(): void {
    this.accepted = true;
    this.refusal = undefined;
  }

  /** Asks Slack once; a check already under way is joined rather than doubled. */
  check(): Promise<void> {
    this.checking ??= this.ask().finally(() => (this.checking = undefined));
    return this.checking;
  }

  start(everyMs: number): void {
    if (everyMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.check(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  readonly result: ReadinessCheck = (): CheckResult => {
    if (this.refusal) return failing(`${this.refusal.message} Until it accepts a token, nothing the bot decides reaches Slack.`);
    return this.accepted ? passing : { status: 'pending', reason: 'Slack has not accepted the bot token yet.' };
  };

  private async ask(): Promise<void> {
    try {
      await this.slack.authTest();
      if (this.refusal) this.logger.info('Slack accepts the bot token again');
      this.accept();
    } catch (error) {
      const refusal = tokenRefusal('SLACK_BOT_TOKEN', error);
      if (!refusal) {
        this.logger.warn({ err: error }, 'could not ask Slack whether it still accepts the bot token; the last answer stands');
        return;
      }
      if (this.refusal?.slackError !== refusal.slackError) this.logger.error({ slackError: refusal.slackError }, refusal.message);
      this.refusal = refusal;
    }
  }
}

/** The events of @slack/socket-mode's SocketModeClient (3.x) that say where its connection stands. */
const SOCKET_STATES = {
  connecting: 'connecting',
  connected: 'connected',
  // Not in its README's table, but what SlackWebSocket emits on the client the moment the socket
  // closes, whoever closed it; `reconnecting` follows only after a delay (5 s, more after failures).
  close: 'closed',
  reconnecting: 'reconnecting',
  disconnecting: 'disconnecting',
  disconnected: 'disconnected',
} as const;

type SocketState = (typeof SOCKET_STATES)[keyof typeof SOCKET_STATES];

/** The part of Bolt's SocketModeReceiver['client'] this reads. */
export interface SocketEvents {
  on(event: string, listener: () => void): unknown;
}

/**
 * Whether the Socket Mode connection is up, from the client's own lifecycle
 * events: only between `connected` (Slack's hello) and the next close can
 * commands, buttons and events reach the bot.
 */
export class SocketWatch {
  private state: SocketState = 'connecting';
  private since = new Date();

  constructor(client: SocketEvents) {
    for (const [event, state] of Object.entries(SOCKET_STATES)) {
      client.on(event, () => {
        this.state = state;
        this.since = new Date();
      });
    }
  }

  readonly result: ReadinessCheck = (): CheckResult => {
    if (this.state === 'connected') return passing;
    return failing(
      `Socket Mode is not connected to Slack (${this.state} since ${this.since.toISOString()}): commands, buttons and events cannot reach the bot.`,
    );
  };
}
