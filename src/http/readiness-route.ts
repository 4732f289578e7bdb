import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Clock } from '../domain/ports.js';
import type { HealthState } from './health.js';
import { BODY_LIMITS } from './limits.js';
import { notApplicable, readinessHandler } from './readiness.js';
import { databaseWriteCheck, outboxAgeCheck } from './readiness-checks.js';
import { SocketWatch, TokenWatch, type SocketEvents } from './readiness-slack.js';
import type { Route } from './server.js';

/** How often Slack is asked whether it still accepts the bot token, unless the bot is told otherwise. */
export const TOKEN_CHECK_EVERY_MS = 60_000;

export interface ReadinessInput {
  readonly health: HealthState;
  /** The listeners' connection: the one commands are recorded through. */
  readonly sqlite: Database.Database;
  /** The clock outbox jobs are stamped with. */
  readonly clock: Clock;
  readonly maxOutboxAgeMs: number;
  readonly slack: { authTest(): Promise<unknown> };
  /** Socket Mode's client; undefined in HTTP mode. */
  readonly socket: SocketEvents | undefined;
  readonly logger: Logger;
}

export interface Readiness {
  /** `GET /readyz`. */
  readonly route: Route;
  /** The start's own auth.test succeeded. */
  tokenAccepted(): void;
  /** Asks Slack about the token every `tokenCheckEveryMs` (0: never by itself). */
  start(tokenCheckEveryMs: number): void;
  /** From now on /readyz says the bot is stopping; the periodic token check ends. */
  stop(): void;
}

/** Wires the four readiness checks to their sources and to the route. */
export function createReadiness(input: ReadinessInput): Readiness {
  const token = new TokenWatch(input.slack, input.logger.child({ component: 'readiness' }));
  const socket = input.socket ? new SocketWatch(input.socket) : undefined;
  let stopping = false;
  const handler = readinessHandler({
    health: input.health,
    stopping: () => stopping,
    checks: {
      database: databaseWriteCheck(input.sqlite),
      slackToken: token.result,
      socketMode: socket?.result ?? (() => notApplicable),
      outbox: outboxAgeCheck(input.sqlite, input.clock, input.maxOutboxAgeMs),
    },
  });
  return {
    route: { method: 'GET', path: '/readyz', maxBodyBytes: BODY_LIMITS.none, handler },
    tokenAccepted: () => token.accept(),
    start: (everyMs) => token.start(everyMs),
    stop() {
      stopping = true;
      token.stop();
    },
  };
}
