import { BODY_LIMITS } from '../http/limits.js';
import type { Route } from '../http/server.js';
import { databaseGauges, type GaugeSources } from './database-gauges.js';
import { collectProcessMetrics } from './registry.js';
import { metricsHandler } from './scrape.js';
import { metricsChannelName, ThreadMetrics } from './thread-metrics.js';

/** One bot's metrics endpoint, and the link to its outbox thread's metrics. */
export interface BotMetrics {
  /** `GET /metrics`, on the bot's one server (HTTP mode and Socket Mode alike). */
  readonly route: Route;
  /** A channel name for a new outbox thread to answer on (OutboxThreadData.metricsChannel); its metrics are in every scrape from then on. */
  threadChannel(): string;
  /** Stops asking the thread (the bot stops). */
  close(): void;
}

/**
 * The bot's metrics: this thread's counters and the process metrics, the
 * gauges read from its database, and, once it runs, the outbox thread's
 * counters, summed at each scrape. With the outbox in this thread (a
 * simulated clock) its counts are in this thread's registry already.
 */
export function createBotMetrics(sources: GaugeSources): BotMetrics {
  collectProcessMetrics();
  const gauges = databaseGauges(sources);
  let thread: ThreadMetrics | undefined;
  return {
    route: {
      method: 'GET',
      path: '/metrics',
      maxBodyBytes: BODY_LIMITS.none,
      handler: metricsHandler({ gauges, thread: () => thread?.read() ?? Promise.resolve([]) }),
    },
    threadChannel() {
      const name = metricsChannelName();
      thread?.close();
      thread = new ThreadMetrics(name);
      return name;
    },
    close() {
      thread?.close();
      thread = undefined;
    },
  };
}
