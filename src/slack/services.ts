import type { Logger } from 'pino';
import type { Deps } from '../domain/ports.js';
import type { SlackGateway } from './gateway.js';

/** What the Slack listeners are handed: domain dependencies and the way to reach Slack. */
export interface SlackServices {
  readonly deps: Deps;
  readonly slack: SlackGateway;
  readonly logger: Logger;
  readonly timelineEmoji: string;
  /** Who PagerDuty has on call (read-only, answered at once). */
  /** Builds the digest as of now (the scheduled one has its own runner and claims). */
  readonly digest: { preview(channel: string): { plan: { totals: { overdue: number; upcoming: number } }; parts: Iterable<{ text: string; blocks: unknown[]; thread: 'root' | 'reply' }> } };
  readonly onCall: { readonly configured: boolean; now(): Promise<{ name: string; email: string | null }[]> };
}
