/**
 * Synthetic request history for a real Prometheus, and the figures it must
 * give, worked out from the same description by plain arithmetic.
 *
 * The traffic is a steady `requestsPerSecond`, failing at `backgroundErrorRatio`
 * except during outages, each failing at its own ratio. Two counters carry it,
 * as a service's middleware would: http_requests_total{job, status="200"} and
 * {status="500"}, both 0 at `start`, sampled every `stepSeconds` up to `end`.
 * Rates are constant between boundaries, so every counter value is an exact
 * integral and needs no simulation.
 */

export interface Outage {
  readonly start: Date;
  readonly end: Date;
  /** Share of requests failing between start and end, 0..1. */
  readonly errorRatio: number;
}

export interface SyntheticTraffic {
  readonly job: string;
  readonly requestsPerSecond: number;
  readonly backgroundErrorRatio: number;
  /** Non-overlapping, inside [start, end]. */
  readonly outages: readonly Outage[];
  readonly start: Date;
  readonly end: Date;
  readonly stepSeconds: number;
}

export const REQUESTS_METRIC = 'http_requests_total';

function checkTraffic(traffic: SyntheticTraffic): void {
  const { start, end, stepSeconds, requestsPerSecond, backgroundErrorRatio } = traffic;
  if (!(end > start)) throw new RangeError('the traffic must end after it starts');
  if (!(stepSeconds > 0)) throw new RangeError('the sample step must be positive');
  if (!(requestsPerSecond > 0)) throw new RangeError('the request rate must be positive');
  const ratios = [backgroundErrorRatio, ...traffic.outages.map((o) => o.errorRatio)];
  if (ratios.some((r) => !(r >= 0 && r <= 1))) throw new RangeError('error ratios are between 0 and 1');
  const sorted = [...traffic.outages].sort((a, b) => a.start.getTime() - b.start.getTime());
  sorted.forEach((outage, i) => {
    if (!(outage.end > outage.start)) throw new RangeError('an outage must end after it starts');
    if (outage.start < start || outage.end > end) throw new RangeError('outages must lie inside the traffic');
    const next = sorted[i + 1];
    if (next && next.start < outage.end) throw new RangeError('outages must not overlap');
  });
}

function overlapSeconds(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  return Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart)) / 1000;
}

/**
 * Requests and failed requests between two instants (clipped to the traffic):
 * rate × seconds, with each outage's seconds at its ratio and the rest at the
 * background ratio.
 */
export function expectedRequests(traffic: SyntheticTraffic, from: Date, to: Date): { total: number; errors: number } {
  const lo = Math.max(from.getTime(), traffic.start.getTime());
  const hi = Math.min(to.getTime(), traffic.end.getTime());
  if (hi <= lo) return { total: 0, errors: 0 };
  const seconds = (hi - lo) / 1000;
  let errorSeconds = seconds * traffic.backgroundErrorRatio;
  for (const outage of traffic.outages) {
    errorSeconds += overlapSeconds(lo, hi, outage.start.getTime(), outage.end.getTime()) * (outage.errorRatio - traffic.backgroundErrorRatio);
  }
  return { total: seconds * traffic.requestsPerSecond, errors: errorSeconds * traffic.requestsPerSecond };
}

/** Failed requests ÷ requests between two instants. */
export function expectedErrorRatio(traffic: SyntheticTraffic, from: Date, to: Date): number {
  const { total, errors } = expectedRequests(traffic, from, to);
  return errors / total;
}

/**
 * What `sum(rate(5xx[w])) / sum(rate(all[w]))` (or increase) evaluates to at `at`
 * in Prometheus 2.x. A range selector there takes the samples in [at − w, at],
 * both ends included. rate() extrapolates the counters' growth over the sampled
 * span to the whole range, but by the same factor for every series here (they
 * share sample times and none resets), so the factor cancels in the ratio: the
 * ratio is exactly the error ratio between the first and last sample in range.
 * (Prometheus 3 leaves the range's start out; the window then loses one step.)
 */
export function expectedWindowRatio(traffic: SyntheticTraffic, at: Date, windowSeconds: number): number {
  const step = traffic.stepSeconds * 1000;
  const origin = traffic.start.getTime();
  const lo = Math.max(origin, at.getTime() - windowSeconds * 1000);
  const hi = Math.min(traffic.end.getTime(), at.getTime());
  const firstSample = origin + Math.ceil((lo - origin) / step) * step;
  const lastSample = origin + Math.floor((hi - origin) / step) * step;
  return expectedErrorRatio(traffic, new Date(firstSample), new Date(lastSample));
}

/** 6 decimals keep the file small; the rounding is far below any tolerance a test uses. */
function number(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

/**
 * The traffic as an OpenMetrics text file for `promtool tsdb create-blocks-from
 * openmetrics`: one counter family, each series' samples in time order,
 * timestamps in seconds, and the `# EOF` line promtool requires.
 */
export function requestsOpenMetrics(traffic: SyntheticTraffic): string {
  checkTraffic(traffic);
  const lines = [`# HELP http_requests Requests served, by status.`, `# TYPE http_requests counter`];
  const step = traffic.stepSeconds * 1000;
  const count = Math.floor((traffic.end.getTime() - traffic.start.getTime()) / step);
  for (const status of ['200', '500'] as const) {
    const labels = `{job=${JSON.stringify(traffic.job)},status="${status}"}`;
    for (let i = 0; i <= count; i += 1) {
      const at = traffic.start.getTime() + i * step;
      const { total, errors } = expectedRequests(traffic, traffic.start, new Date(at));
      lines.push(`${REQUESTS_METRIC}${labels} ${number(status === '500' ? errors : total - errors)} ${at / 1000}`);
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}
