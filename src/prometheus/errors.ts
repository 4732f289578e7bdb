import type { PrometheusQuery } from './port.js';

/**
 * Why a figure is missing, so the bot can say so and try again later:
 * - unreachable: no connection (refused, DNS, reset before an answer);
 * - timeout: no complete answer within the client's bound;
 * - http-status: an HTTP error without a Prometheus error body (a proxy's 401, 502…);
 * - bad-query: the expression must be fixed (Prometheus's bad_data, or a result
 *   that is not one number / one series, or a range too fine for Prometheus);
 * - query-failed: Prometheus understood the query but could not run it
 *   (errorType execution, timeout, canceled, internal, unavailable…);
 * - bad-response: an answer that is not the Prometheus HTTP API's JSON.
 */
export const PROMETHEUS_ERROR_KINDS = [
  'unreachable',
  'timeout',
  'http-status',
  'bad-query',
  'query-failed',
  'bad-response',
] as const;
export type PrometheusErrorKind = (typeof PROMETHEUS_ERROR_KINDS)[number];

export interface PrometheusErrorDetails {
  readonly query: PrometheusQuery;
  /** The HTTP status, when an answer came. */
  readonly status?: number;
  /** Prometheus's own errorType and error text, when it sent them. */
  readonly errorType?: string;
  readonly prometheusMessage?: string;
  readonly cause?: unknown;
}

/**
 * A query that gave no figure. `reason` is one plain sentence fit to show
 * (no credentials in it; escape it before putting it in Slack mrkdwn).
 */
export class PrometheusError extends Error {
  readonly query: PrometheusQuery;
  readonly status: number | undefined;
  readonly errorType: string | undefined;
  readonly prometheusMessage: string | undefined;

  constructor(
    readonly kind: PrometheusErrorKind,
    readonly reason: string,
    details: PrometheusErrorDetails,
  ) {
    super(`${kind}: ${reason}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PrometheusError';
    this.query = details.query;
    this.status = details.status;
    this.errorType = details.errorType;
    this.prometheusMessage = details.prometheusMessage;
  }

  /**
   * Whether asking the same thing later may give a figure. A bad query gives
   * the same answer every time, and so does a refused credential; the rest
   * (down, slow, overloaded, a proxy's 502) can pass.
   */
  get retryable(): boolean {
    if (this.kind === 'bad-query') return false;
    if (this.kind === 'http-status') return this.status === undefined || this.status === 429 || this.status >= 500;
    return true;
  }
}

export function isPrometheusError(error: unknown): error is PrometheusError {
  return error instanceof PrometheusError;
}
