import pLimit, { type LimitFunction } from 'p-limit';
import { cutText } from '../domain/clean-text.js';
import { describePrometheusQuery } from './describe.js';
import { PrometheusError } from './errors.js';
import type { PrometheusQueries, PrometheusQuery, SeriesPoint } from './port.js';
import { apiEnvelope, queryData, type QueryData } from './response.js';
import { singleSeries, singleValue } from './results.js';
import { authorizationHeader, prometheusEndpoint, type PrometheusConnection } from './connection.js';
import { parseStorageRetention, runtimeInfoAnswer, StorageRetentionCache, type StorageRetention } from './retention.js';

export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 10_000;
/**
 * Queries in flight at once from one client. A refresh tick of fifty linked
 * incidents asks hundreds of queries; sent at once they queue inside
 * Prometheus and time out together. Queued here, each waits its turn and its
 * timeout starts when it is sent.
 */
export const DEFAULT_PROMETHEUS_CONCURRENCY = 8;
/** Prometheus refuses a range query of more than 11,000 steps (web/api/v1/api.go). */
export const MAX_POINTS_PER_SERIES = 11_000;

export interface PrometheusClientOptions extends PrometheusConnection {
  /** Bound on each query, connection to last byte; the figure is then missing, not late. */
  readonly timeoutMs?: number;
  /** Queries in flight at once (DEFAULT_PROMETHEUS_CONCURRENCY); the rest wait their turn. */
  readonly maxConcurrent?: number;
  /** The clock of the storage retention's cache (retention.ts), for tests; Date.now by default. */
  readonly now?: () => number;
}

/** Prometheus's error texts quote the query; a long one would drown the sentence it sits in. */
/** Prometheus's own words, shortened for a message: whole characters only, as every cut the bot makes. */
function clip(text: string, max = 300): string {
  return cutText(text, max + 1);
}

function seconds(date: Date): string {
  return String(date.getTime() / 1000);
}

/**
 * The Prometheus HTTP API adapter: POSTs form-encoded queries (no URL length
 * limit for long PromQL) to /api/v1/query and /api/v1/query_range over Node's
 * fetch, and turns every way of not getting a figure into a PrometheusError.
 */
export class PrometheusClient implements PrometheusQueries {
  /** The server as it may be shown: no credentials, no query string. */
  readonly server: string;
  readonly timeoutMs: number;
  private readonly base: URL;
  private readonly authorization: string | undefined;
  private readonly inFlight: LimitFunction;
  private readonly retention: StorageRetentionCache;

  /** Throws an Error naming the problem when the URL or the credentials cannot work. */
  constructor(options: PrometheusClientOptions) {
    const { base, username, password } = prometheusEndpoint(options.url, options);
    this.base = base;
    this.server = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    this.authorization = authorizationHeader({ bearerToken: options.bearerToken, username, password });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PROMETHEUS_TIMEOUT_MS;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) throw new RangeError(`the Prometheus timeout must be a positive number of milliseconds, not ${options.timeoutMs}`);
    this.inFlight = pLimit(options.maxConcurrent ?? DEFAULT_PROMETHEUS_CONCURRENCY);
    this.retention = new StorageRetentionCache(() => this.inFlight(() => this.askStorageRetention()), options.now);
  }

  /**
   * How far back Prometheus keeps samples (its time retention), asked once per
   * STORAGE_RETENTION_KEPT_MS; undefined when it does not say (a size limit
   * only, an older Prometheus, a proxy that refuses the status page). Never rejects.
   */
  storageRetention(): Promise<StorageRetention | undefined> {
    return this.retention.get();
  }

  private async askStorageRetention(): Promise<StorageRetention | undefined> {
    const url = new URL(`${this.base.pathname.replace(/\/+$/, '')}/api/v1/status/runtimeinfo${this.base.search}`, this.base);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'manual' });
    if (response.status !== 200) return undefined;
    const answer = runtimeInfoAnswer.safeParse(await response.json());
    return answer.success && answer.data.data.storageRetention !== undefined ? parseStorageRetention(answer.data.data.storageRetention) : undefined;
  }

  /** describePrometheusQuery with this client's server named. */
  describe(query: PrometheusQuery): string {
    return describePrometheusQuery(query, this.server);
  }

  async queryValue(expr: string, at: Date): Promise<number | null> {
    const query: PrometheusQuery = { kind: 'instant', expr, at };
    this.checkExpr(query);
    if (Number.isNaN(at.getTime())) throw new PrometheusError('bad-query', 'the query time is not a valid date', { query });
    const data = await this.post('query', { query: expr, time: seconds(at) }, query);
    return singleValue(query, data);
  }

  async querySeries(expr: string, start: Date, end: Date, stepSeconds: number): Promise<SeriesPoint[]> {
    const query: PrometheusQuery = { kind: 'range', expr, start, end, stepSeconds };
    this.checkExpr(query);
    this.checkRange(query, start, end, stepSeconds);
    const data = await this.post('query_range', { query: expr, start: seconds(start), end: seconds(end), step: String(stepSeconds) }, query);
    return singleSeries(query, data);
  }

  private checkExpr(query: PrometheusQuery): void {
    if (query.expr.trim() === '') throw new PrometheusError('bad-query', 'the query is empty: write a PromQL expression', { query });
  }

  private checkRange(query: PrometheusQuery, start: Date, end: Date, stepSeconds: number): void {
    const refuse = (reason: string) => new PrometheusError('bad-query', reason, { query });
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw refuse('the query range has a date that is not valid');
    if (end < start) throw refuse('the query range ends before it starts');
    if (!Number.isFinite(stepSeconds) || stepSeconds <= 0) throw refuse(`the step must be a positive number of seconds, not ${stepSeconds}`);
    const spanSeconds = (end.getTime() - start.getTime()) / 1000;
    // Checked here so the reason can say which step would do; Prometheus only says no.
    if (Math.floor(spanSeconds / stepSeconds) > MAX_POINTS_PER_SERIES) {
      throw refuse(`a step of ${stepSeconds} s gives more than ${MAX_POINTS_PER_SERIES} points, which Prometheus refuses: use a step of at least ${Math.ceil(spanSeconds / MAX_POINTS_PER_SERIES)} s`);
    }
  }

  private post(endpoint: 'query' | 'query_range', params: Record<string, string>, query: PrometheusQuery): Promise<QueryData> {
    return this.inFlight(() => this.send(endpoint, params, query));
  }

  private async send(endpoint: 'query' | 'query_range', params: Record<string, string>, query: PrometheusQuery): Promise<QueryData> {
    const url = new URL(`${this.base.pathname.replace(/\/+$/, '')}/api/v1/${endpoint}${this.base.search}`, this.base);
    // Ask Prometheus to give up when we do, so an abandoned query stops costing it.
    const body = new URLSearchParams({ ...params, timeout: String(this.timeoutMs / 1000) });
    const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };
    if (this.authorization) headers.authorization = this.authorization;
    const signal = AbortSignal.timeout(this.timeoutMs);
    let status: number;
    let statusText: string;
    let location: string | null;
    let text: string;
    try {
      // A followed 301/302 turns the POST into a GET without its body: refuse redirects and say where they point.
      const response = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
      ({ status, statusText } = response);
      location = response.headers.get('location');
      text = await response.text(); // inside the try: the timeout covers a body that stalls too
    } catch (error) {
      if (signal.aborted) {
        throw new PrometheusError('timeout', `Prometheus at ${this.server} did not answer within ${this.timeoutMs / 1000} s`, { query, cause: error });
      }
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : String(error);
      throw new PrometheusError('unreachable', `Prometheus at ${this.server} could not be reached (${why})`, { query, cause: error });
    }
    return this.read(status, statusText, location, text, query);
  }

  private read(status: number, statusText: string, location: string | null, text: string, query: PrometheusQuery): QueryData {
    const httpError = (): PrometheusError => {
      const hint = status === 401 || status === 403 ? ': check the Prometheus credentials'
        : status >= 300 && status < 400 ? `: it redirects to ${location ?? 'an unnamed address'}, so set the Prometheus URL to that address` : '';
      return new PrometheusError('http-status', `Prometheus at ${this.server} answered HTTP ${status}${statusText ? ` ${statusText}` : ''}${hint}`, { query, status });
    };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (status < 200 || status >= 300) throw httpError();
      throw new PrometheusError('bad-response', `Prometheus at ${this.server} answered HTTP ${status} with something that is not JSON`, { query, status });
    }
    const envelope = apiEnvelope.safeParse(json);
    if (!envelope.success) {
      if (status < 200 || status >= 300) throw httpError();
      throw new PrometheusError('bad-response', `Prometheus at ${this.server} answered JSON that is not its HTTP API's`, { query, status });
    }
    if (envelope.data.status === 'error') {
      const { errorType, error } = envelope.data;
      const details = { query, status, errorType, prometheusMessage: error };
      const message = clip(error ?? 'no reason given');
      if (errorType === 'bad_data') throw new PrometheusError('bad-query', `Prometheus refused the query: ${message}`, details);
      throw new PrometheusError('query-failed', `Prometheus could not run the query (${errorType ?? 'error'}): ${message}`, details);
    }
    if (status < 200 || status >= 300) throw httpError();
    const data = queryData.safeParse(envelope.data.data);
    if (!data.success) throw new PrometheusError('bad-response', `Prometheus at ${this.server} answered a result this client cannot read`, { query, status });
    return data.data;
  }
}
