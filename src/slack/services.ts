import type { Logger } from 'pino';
import type { Deps } from '../domain/ports.js';
import type { SlackGateway } from './gateway.js';

/** What the Slack listeners are handed: domain dependencies and the way to reach Slack. */
export interface SlackServices {
  readonly deps: Deps;
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly timelineEmoji: string;
}
