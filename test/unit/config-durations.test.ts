import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems as problemsOf, MINIMAL_ENV as VALID } from '../support/config-problems.js';


describe('duration settings', () => {
  it('refuses 0, which made every Prometheus query time out at once, the SLO refresh stop, and /readyz fail on any queued job', () => {
    expect(problemsOf({ PROMETHEUS_URL: 'http://prometheus:9090', PROMETHEUS_TIMEOUT: '0ms', SLO_REFRESH: '0m', READY_MAX_OUTBOX_AGE: '0s' })).toEqual([
      'PROMETHEUS_TIMEOUT must be from 1ms to 24h (like 10s or 1m), not 0ms',
      'SLO_REFRESH must be from 1s to 24h (like 5m, 30s or 1h), not 0m',
      'READY_MAX_OUTBOX_AGE must be 1s or longer (like 5m, 30s or 1h), not 0s',
    ]);
  });

  it("refuses timers past Node's limit, which fire after 1 ms: a 1000h timeout aborted every query, a 1000h refresh spun", () => {
    expect(problemsOf({ PROMETHEUS_TIMEOUT: '1000h', SLO_REFRESH: '25h' })).toEqual([
      'PROMETHEUS_TIMEOUT must be from 1ms to 24h (like 10s or 1m), not 1000h',
      'SLO_REFRESH must be from 1s to 24h (like 5m, 30s or 1h), not 25h',
    ]);
  });

  it('still says how to write one that is no duration at all', () => {
    expect(problemsOf({ PROMETHEUS_TIMEOUT: 'soon', READY_MAX_OUTBOX_AGE: '5min' })).toEqual([
      'PROMETHEUS_TIMEOUT must be a duration like 10s or 1m',
      'READY_MAX_OUTBOX_AGE must be a duration like 5m, 30s or 1h',
    ]);
  });

  it('reads the bounds, the defaults and every unit as milliseconds', () => {
    const config = loadConfig({ ...VALID, PROMETHEUS_URL: 'http://prometheus:9090', PROMETHEUS_TIMEOUT: '1ms', SLO_REFRESH: '24h', READY_MAX_OUTBOX_AGE: '1s' });
    expect([config.prometheus?.timeoutMs, config.slo.refreshMs, config.readiness.maxOutboxAgeMs]).toEqual([1, 86_400_000, 1_000]);
    const defaults = loadConfig({ ...VALID, PROMETHEUS_URL: 'http://prometheus:9090', SLO_REFRESH: ' ', READY_MAX_OUTBOX_AGE: '' });
    expect([defaults.prometheus?.timeoutMs, defaults.slo.refreshMs, defaults.readiness.maxOutboxAgeMs]).toEqual([10_000, 300_000, 300_000]);
    expect(loadConfig({ ...VALID, READY_MAX_OUTBOX_AGE: ' 2 m ' }).readiness.maxOutboxAgeMs).toBe(120_000);
  });
});
