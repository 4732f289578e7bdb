import type { Logger } from 'pino';
import { tokenRefusal, type TokenRefusedError } from '../slack/token-refusal.js';
import { failing, passing, type CheckResult, type ReadinessCheck } from './readiness.js';
import { DECLARATION_SCOPES, missingScopes, missingScopesWarning } from './readiness-scopes.js';

/** What auth.test tells the watch: the scopes the token holds (x-oauth-scopes), when Slack says. */
export interface TokenAnswer {
  readonly scopes?: readonly string[] | undefined;
}

/**
 * Whether Slack still accepts the bot token, as of the last `auth.test`: the
 * start's own, then one every `everyMs`. Only a refusal (invalid_auth,
 * token_revoked, account_inactive…) makes the bot unready; an outage or a
 * timeout says nothing about the token, so the last answer stands. The route
 * reads the last answer and never calls Slack itself.
 *
 * Each answer also says which scopes the token holds: those manifest.yml asks
 * for and the install lacks are logged once (again only when they change),
 * and the bot is unready only while it lacks one every declaration needs.
 */
export class TokenWatch {
  private accepted = false;
  private refusal: TokenRefusedError | undefined;
  /** The manifest's scopes the token lacked at the last answer that said; undefined: none said yet. */
  private missing: readonly string[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly slack: { authTest(): Promise<TokenAnswer | void> },
    private readonly logger: Logger,
  ) {}

  /** An auth.test succeeded (the start's own, or this watch's), with the scopes it said the token holds. */
  accept(answer: TokenAnswer = {}): void {
    this.accepted = true;
    this.refusal = undefined;
    if (answer.scopes) this.noteScopes(answer.scopes);
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
    const blocking = (this.missing ?? []).filter((scope) => DECLARATION_SCOPES.includes(scope));
    if (blocking.length > 0) {
      return failing(
        `The bot token lacks ${blocking.join(', ')}, which every declaration needs: update the app from manifest.yml and reinstall it to the workspace.`,
      );
    }
    return this.accepted ? passing : { status: 'pending', reason: 'Slack has not accepted the bot token yet.' };
  };

  private noteScopes(granted: readonly string[]): void {
    const missing = missingScopes(granted);
    if (this.missing !== undefined && missing.join(',') === this.missing.join(',')) return;
    if (missing.length > 0) this.logger.warn({ missingScopes: missing }, missingScopesWarning(missing));
    else if (this.missing?.length) this.logger.info('the bot token now holds every scope manifest.yml asks for');
    this.missing = missing;
  }

  private async ask(): Promise<void> {
    try {
      const answer = await this.slack.authTest();
      if (this.refusal) this.logger.info('Slack accepts the bot token again');
      this.accept(answer ?? {});
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
