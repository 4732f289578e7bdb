import type { IncomingMessage, ServerResponse } from 'node:http';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { registry } from './registry.js';
import type { MetricsJson } from './thread-metrics.js';

/**
 * One registry from several threads' metrics: a metric both threads count
 * (Web API calls, job deliveries) is summed series by series, buckets and
 * all; one that only a single thread has is kept as it is, whatever its
 * aggregator says (prom-client's cluster aggregation would drop
 * process_start_time_seconds, written for workers that each have one).
 */
export function combineMetrics(parts: readonly MetricsJson[]): Registry {
  const seen = new Map<string, number>();
  for (const part of parts) for (const metric of part) seen.set(metric.name, (seen.get(metric.name) ?? 0) + 1);
  return AggregatorRegistry.aggregate(parts.map((part) => part.map((metric) => (seen.get(metric.name) === 1 ? { ...metric, aggregator: 'first' as const } : metric))));
}

export interface ScrapeSources {
  /** The gauges read from this bot's database (database-gauges.ts). */
  readonly gauges: Registry;
  /** The outbox thread's metrics, or none where the outbox runs in this thread (its counts are already in this registry). */
  readonly thread: () => Promise<MetricsJson>;
}

/**
 * `GET /metrics`: Prometheus's text format, this thread's counters with the
 * outbox thread's, summed, and the gauges read from the database now.
 */
export function metricsHandler(sources: ScrapeSources) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parts = await Promise.all([registry.getMetricsAsJSON(), sources.gauges.getMetricsAsJSON(), sources.thread()]);
    const combined = combineMetrics(parts);
    const text = await combined.metrics();
    res.writeHead(200, { 'content-type': combined.contentType });
    res.end(text);
  };
}
