import type { Logger } from 'pino';
import type { Store } from '../db/repositories.js';
import type { Clock, Deps } from '../domain/ports.js';
import type { Config } from '../config.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { PagerDutyClient } from '../pagerduty/client.js';
import type { MeasuringPrometheus } from '../slo/measure.js';

/** What the outbox handlers share: the store to read state from and Slack to write it to. */
export interface EffectContext {
  readonly store: Store;
  readonly slack: SlackGateway;
  readonly pagerduty: PagerDutyClient;
  /** Where SLIs are measured (PROMETHEUS_URL); undefined: SLO figures are estimates. */
  readonly prometheus: MeasuringPrometheus | undefined;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly timeZone: string;
  /** The same dependencies the listeners hand the domain, for handlers that call a verb. */
  readonly deps: Deps;
  readonly config: Config;
  readonly announceChannel: string | undefined;
  readonly timelineEmoji: string;
  /** The bot's own user id, learnt from auth.test at start. */
  botUserId(): string;
}
