import { describe, expect, it } from 'vitest';
import { ALL_METRICS, COUNTED, READ_AT_SCRAPE } from '../../../src/metrics/names.js';
import { registry } from '../../../src/metrics/registry.js';

/**
 * The names are a contract (alert rules and the dashboard are written against
 * them), held here to Prometheus's naming conventions
 * (prometheus.io/docs/practices/naming): snake_case with the application's
 * prefix, base units, `_total` on counters and only there, and labels that
 * cannot carry a person, a channel or an incident.
 */
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
/** What a label must never be: values that grow with use, or name people and incidents. */
const UNBOUNDED_LABELS = ['user', 'user_id', 'channel', 'channel_id', 'incident', 'incident_id', 'title', 'id', 'text', 'team', 'url', 'dedup_key', 'group_key'];
/** Prometheus's own suffixes for a histogram's series, and labels it adds itself. */
const RESERVED_SUFFIXES = ['_bucket', '_count', '_sum'];
const RESERVED_LABELS = ['le', 'quantile', 'job', 'instance'];

describe('metric names', () => {
  it.each(ALL_METRICS.map((m) => [m.name, m] as const))('%s follows the conventions', (name, metric) => {
    expect(name).toMatch(SNAKE);
    expect(name.startsWith('incident_bot_')).toBe(true);
    expect(metric.help.length).toBeGreaterThan(20);
    if (metric.type === 'counter') expect(name.endsWith('_total')).toBe(true);
    else expect(name.endsWith('_total')).toBe(false);
    // Times in seconds, fractions as _ratio: no _ms, _minutes or _percent.
    expect(name).not.toMatch(/_(ms|milliseconds|minutes|hours|days|percent)(_|$)/);
    if (metric.type === 'histogram') expect(name.endsWith('_seconds')).toBe(true);
    for (const suffix of RESERVED_SUFFIXES) expect(name.endsWith(suffix)).toBe(false);
    for (const label of metric.labelNames) {
      expect(label).toMatch(SNAKE);
      expect(UNBOUNDED_LABELS).not.toContain(label);
      expect(RESERVED_LABELS).not.toContain(label);
    }
    expect(new Set(metric.labelNames).size).toBe(metric.labelNames.length);
  });

  it('gives every metric its own name, durations in seconds and counters of things in _total', () => {
    const names = ALL_METRICS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    // Every time is a duration in seconds (a histogram or an age gauge).
    for (const metric of ALL_METRICS.filter((m) => /duration|delivery|time_to|_age_/.test(m.name))) expect(metric.name.endsWith('_seconds'), metric.name).toBe(true);
    expect(READ_AT_SCRAPE.sloBudgetConsumed.name.endsWith('_ratio')).toBe(true);
  });

  it('registers each counted metric under its name, type and labels', async () => {
    const exported = await registry.getMetricsAsJSON();
    for (const spec of Object.values(COUNTED)) {
      const metric = exported.find((m) => m.name === spec.name);
      expect(metric, spec.name).toBeDefined();
      expect(String(metric!.type)).toBe(spec.type);
      expect(metric!.help).toBe(spec.help);
      for (const value of metric!.values) {
        const labels = Object.keys(value.labels).filter((l) => l !== 'le');
        expect(labels.sort(), spec.name).toEqual([...spec.labelNames].sort());
      }
    }
  });
});
