import type { Logger } from 'pino';
import type { Store } from '../db/store.js';
import type { Clock } from '../domain/ports.js';
import type { HealthState } from './health.js';
import { BODY_LIMITS } from './limits.js';
import { notApplicable, readinessHandler, readinessReporter, type ReadinessBody, type ReadinessCheck, type ReadinessSources } from './readiness.js';
import { outboxAgeCheck } from './readiness-checks.js';
import { SocketWatch, TokenWatch, type SocketEvents, type TokenAnswer } from './readiness-slack.js';
import type { Route } from './server.js';

/** How often Slack is asked whether it still accepts the bot token, unless the bot is told otherwise. */
export const TOKEN_CHECK_EVERY_MS = 60_000;

export interface ReadinessInput {
  readonly health: HealthState;
  /**
   * Whether commands can be recorded now, on the connection they are
   * recorded through: databaseWriteCheck on SQLite, postgresWriteCheck
   * (./readiness-postgres.ts) on PostgreSQL.
   */
  readonly databaseCheck: ReadinessCheck;
  /** The store the outbox check reads its oldest undelivered job from. */
  readonly store: Pick<Store, 'health'>;
  /** The clock outbox jobs are stamped with. */
  readonly clock: Clock;
  readonly maxOutboxAgeMs: number;
  /** Asked every minute whether it accepts the token; its answer says the scopes the token holds. */
  readonly slack: { authTest(): Promise<TokenAnswer | void> };
  /** Socket Mode's client; undefined in HTTP mode. */
  readonly socket: SocketEvents | undefined;
  readonly logger: Logger;
}

export interface Readiness {
  /** `GET /readyz`. */
  readonly route: Route;
  /** The start's own auth.test succeeded; with its answer, the scopes it said are checked at once. */
  tokenAccepted(answer?: TokenAnswer): void;
  /** Asks Slack about the token every `tokenCheckEveryMs` (0: never by itself). */
  start(tokenCheckEveryMs: number): void;
  /** From now on /readyz says the bot is stopping; the periodic token check ends. */
  stop(): void;
  /** What /readyz would answer now (for the metrics). */
  report(): Promise<ReadinessBody>;
}

/** Wires the four readiness checks to their sources and to the route. */
export function createReadiness(input: ReadinessInput): Readiness {
  const token = new TokenWatch(input.slack, input.logger.child({ component: 'readiness' }));
  const socket = input.socket ? new SocketWatch(input.socket) : undefined;
  let stopping = false;
  const sources: ReadinessSources = {
    health: input.health,
    stopping: () => stopping,
    checks: {
      database: input.databaseCheck,
      slackToken: token.result,
      socketMode: socket?.result ?? (() => notApplicable),
      outbox: outboxAgeCheck(input.store.health, input.clock, input.maxOutboxAgeMs),
    },
  };
  const handler = readinessHandler(sources);
  const report = readinessReporter(sources);
  return {
    route: { method: 'GET', path: '/readyz', maxBodyBytes: BODY_LIMITS.none, handler },
    tokenAccepted: (answer) => token.accept(answer),
    start: (everyMs) => token.start(everyMs),
    stop() {
      stopping = true;
      token.stop();
    },
    report,
  };
}
