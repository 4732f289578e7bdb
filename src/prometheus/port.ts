import type { StorageRetention } from './retention.js';

/**
 * What the bot asks of Prometheus, and nothing more: one number at an instant,
 * or one series over a range, and how far back it keeps samples. The SLO code depends on this port, never on HTTP,
 * so a test can hand it a fake and the adapter can change without touching it.
 */

/** One point of a range query: Prometheus's evaluation time and the value there. */
export interface SeriesPoint {
  readonly t: Date;
  /** NaN when Prometheus computed NaN there (0/0: no requests), ±Infinity for x/0. */
  readonly v: number;
}

export interface PrometheusQueries {
  /**
   * Evaluates `expr` at `at` (POST /api/v1/query). The expression must give one
   * number: a scalar, or a vector of at most one series (aggregate with sum()).
   * Resolves null when the vector is empty (no sample in the lookback: no data);
   * NaN and ±Infinity come back as such, so "no data" and "no requests" differ.
   * Rejects with a PrometheusError saying why there is no figure.
   */
  queryValue(expr: string, at: Date): Promise<number | null>;

  /**
   * Evaluates `expr` every `stepSeconds` from `start` to `end`, both included
   * (POST /api/v1/query_range). At most one series; an empty result is [].
   * Steps where the expression had no sample are absent from the array.
   * Rejects with a PrometheusError saying why there is no figure.
   */
  querySeries(expr: string, start: Date, end: Date, stepSeconds: number): Promise<SeriesPoint[]>;

  /**
   * How far back Prometheus keeps samples (its time retention), so a figure
   * over a longer range can say it covers less (retention.ts). Resolves
   * undefined when that is not known; never rejects. Optional: a source
   * without it (a test's fake) is taken to keep everything asked of it.
   */
  storageRetention?(): Promise<StorageRetention | undefined>;
}

/** What was asked, in the terms the bot shows people (see describePrometheusQuery). */
export type PrometheusQuery =
  | { readonly kind: 'instant'; readonly expr: string; readonly at: Date }
  | { readonly kind: 'range'; readonly expr: string; readonly start: Date; readonly end: Date; readonly stepSeconds: number };
