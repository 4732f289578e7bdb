import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { combineMetrics } from '../../../src/metrics/scrape.js';

/** Two threads' registries, as the listeners' thread and the outbox thread each have one. */
function thread() {
  const registry = new Registry();
  const calls = new Counter({ name: 'calls_total', help: 'calls', labelNames: ['method', 'outcome'], registers: [registry] });
  const took = new Histogram({ name: 'call_seconds', help: 'took', labelNames: ['method'], buckets: [0.1, 1], registers: [registry] });
  return { registry, calls, took };
}

/** `name{labels} value` lines of the text format, by series. */
async function samples(registry: Registry): Promise<Map<string, number>> {
  const text = await registry.metrics();
  return new Map(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const at = l.lastIndexOf(' ');
        return [l.slice(0, at), Number(l.slice(at + 1))];
      }),
  );
}

describe('combineMetrics', () => {
  it("sums a counter's series and a histogram's buckets, sum and count across threads", async () => {
    const main = thread();
    const outbox = thread();
    main.calls.inc({ method: 'auth.test', outcome: 'ok' });
    outbox.calls.inc({ method: 'chat.postMessage', outcome: 'ok' }, 3);
    main.calls.inc({ method: 'chat.postMessage', outcome: 'ok' }, 2);
    outbox.calls.inc({ method: 'chat.postMessage', outcome: 'rate_limited' });
    main.took.observe({ method: 'chat.postMessage' }, 0.05);
    outbox.took.observe({ method: 'chat.postMessage' }, 0.5);
    outbox.took.observe({ method: 'chat.postMessage' }, 2);

    const combined = combineMetrics([await main.registry.getMetricsAsJSON(), await outbox.registry.getMetricsAsJSON()]);
    const s = await samples(combined);
    expect(s.get('calls_total{method="auth.test",outcome="ok"}')).toBe(1);
    expect(s.get('calls_total{method="chat.postMessage",outcome="ok"}')).toBe(5);
    expect(s.get('calls_total{method="chat.postMessage",outcome="rate_limited"}')).toBe(1);
    expect(s.get('call_seconds_bucket{le="0.1",method="chat.postMessage"}')).toBe(1);
    expect(s.get('call_seconds_bucket{le="1",method="chat.postMessage"}')).toBe(2);
    expect(s.get('call_seconds_bucket{le="+Inf",method="chat.postMessage"}')).toBe(3);
    expect(s.get('call_seconds_count{method="chat.postMessage"}')).toBe(3);
    expect(s.get('call_seconds_sum{method="chat.postMessage"}')).toBeCloseTo(2.55, 10);
    // One family each, however many threads had it.
    const text = await combined.metrics();
    expect(text.match(/^# TYPE calls_total counter$/gm)).toHaveLength(1);
    expect(text.match(/^# TYPE call_seconds histogram$/gm)).toHaveLength(1);
  });

  it("keeps what only one thread has as it is, the process metrics included (prom-client's cluster aggregation would drop the start time)", async () => {
    const main = thread();
    collectDefaultMetrics({ register: main.registry });
    const gauges = new Registry();
    new Gauge({ name: 'pending', help: 'pending', labelNames: ['kind'], registers: [gauges], aggregator: 'omit', collect() { this.set({ kind: 'slack.post' }, 4); } });
    const combined = combineMetrics([await main.registry.getMetricsAsJSON(), await gauges.getMetricsAsJSON(), []]);
    const s = await samples(combined);
    expect(s.get('process_start_time_seconds')).toBeGreaterThan(1_600_000_000);
    expect(s.get('pending{kind="slack.post"}')).toBe(4);
    expect([...s.keys()].some((k) => k.startsWith('nodejs_eventloop_lag_seconds'))).toBe(true);
    expect(combined.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
