import type { Logger } from 'pino';
import type { Audience } from '../domain/access.js';
import type { Deps } from '../domain/ports.js';
import type { SlackGateway } from './gateway.js';
import type { KnownUsers } from './known-users.js';
import type { PrometheusQueries } from '../prometheus/port.js';

/** What the Slack listeners are handed: domain dependencies and the way to reach Slack. */
export interface SlackServices {
  readonly deps: Deps;
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly timelineEmoji: string;
  /** Confirms with Slack that a person named in a command exists, before it is recorded. */
  readonly people: KnownUsers;
  /** Builds the digest as of now (the scheduled one has its own runner and claims). */
  readonly digest: { preview(channel: string, audience: Audience): Promise<{ plan: { totals: { overdue: number; upcoming: number } }; parts: AsyncIterable<{ text: string; blocks: unknown[]; thread: 'root' | 'reply' }> }> };
  /** Who PagerDuty has on call (read-only, answered at once). */
  readonly onCall: { readonly configured: boolean; now(): Promise<{ name: string; email: string | null }[]> };
  /** Where `/incident slo` asks for the budget live (PROMETHEUS_URL); undefined: stored figures only. */
  readonly prometheus?: { readonly queries: PrometheusQueries; readonly server: string } | undefined;
}
