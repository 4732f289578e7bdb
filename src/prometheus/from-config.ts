import type { Config } from '../config.js';
import { PrometheusClient } from './client.js';
import type { PrometheusQueries } from './port.js';

/**
 * The Prometheus client of PROMETHEUS_URL (and its credentials and timeout),
 * with the server as it may be shown; undefined when none is configured.
 * Throws an Error naming the problem when the URL or credentials cannot work.
 */
export function measuringPrometheus(settings: Config['prometheus']): { readonly queries: PrometheusQueries; readonly server: string } | undefined {
  if (!settings) return undefined;
  const client = new PrometheusClient(settings);
  return { queries: client, server: client.server };
}
