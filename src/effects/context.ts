import type { Logger } from 'pino';
import type { Store } from '../db/repositories.js';
import type { Clock } from '../domain/ports.js';
import type { SlackGateway } from '../slack/gateway.js';

/** What the outbox handlers share: the store to read state from and Slack to write it to. */
export interface EffectContext {
  readonly store: Store;
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly announceChannel: string | undefined;
  readonly timelineEmoji: string;
  /** The bot's own user id, learnt from auth.test at start. */
  botUserId(): string;
}
