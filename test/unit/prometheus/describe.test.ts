import { describe, expect, it } from 'vitest';
import { describePrometheusQuery, prometheusDuration } from '../../../src/prometheus/describe.js';

describe('saying what was asked of Prometheus', () => {
  it('writes windows as PromQL durations, refusing what PromQL cannot say exactly', () => {
    expect(prometheusDuration(30 * 86_400)).toBe('30d');
    expect(prometheusDuration(86_400)).toBe('1d');
    expect(prometheusDuration(5_400)).toBe('1h30m');
    expect(prometheusDuration(90)).toBe('1m30s');
    expect(() => prometheusDuration(0)).toThrow(RangeError);
    expect(() => prometheusDuration(1.5)).toThrow(/whole number/);
  });

  it('describes an instant query and a range query in one plain sentence', () => {
    const expr = 'sum(rate(http_requests_total{status=~"5.."}[5m]))';
    expect(describePrometheusQuery({ kind: 'instant', expr, at: new Date('2026-11-29T12:15:00Z') }, 'http://prom:9090'))
      .toBe(`instant query ${expr} at 2026-11-29T12:15:00Z on http://prom:9090`);
    expect(describePrometheusQuery({ kind: 'range', expr, start: new Date('2026-11-29T12:00:00Z'), end: new Date('2026-11-29T14:00:00Z'), stepSeconds: 60 }))
      .toBe(`range query ${expr} from 2026-11-29T12:00:00Z to 2026-11-29T14:00:00Z (2h), every 1m`);
  });
});
