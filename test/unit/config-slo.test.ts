import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const BASE = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('SLO and Prometheus settings', () => {
  it('reads the SLO files and the policy with the rest, and Prometheus settings', () => {
    const config = loadConfig({
      ...BASE,
      SLO_FILES: 'examples/slo',
      ERROR_BUDGET_POLICY_FILE: 'examples/error-budget-policy.yaml',
      PROMETHEUS_URL: 'http://127.0.0.1:9090',
      PROMETHEUS_BEARER_TOKEN: 't0ken',
      SLO_REFRESH: '30s',
      SLO_ESTIMATE_SEV2: '40%',
    });
    expect(config.slo.catalog.slos.map((s) => s.id)).toContain('checkout-api/checkout_availability');
    expect(config.slo.refreshMs).toBe(30_000);
    expect(config.slo.estimates).toEqual({ sev1: 1, sev2: 0.4, sev3: 0.1 });
    expect(config.prometheus).toEqual({ url: 'http://127.0.0.1:9090', bearerToken: 't0ken', timeoutMs: 10_000 });
  });

  it('lists a bad SLO file by file and path beside every other problem, in one round', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slo-config-'));
    const file = join(dir, 'checkout.yaml');
    writeFileSync(file, 'service: checkout\nslos:\n  - name: a\n    target: "99,9%"\n    sli: { error_ratio_query: "x[{{.window}}]" }\n');
    const listed = problems({ SLACK_BOT_TOKEN: 'nope', SLO_FILES: file, PROMETHEUS_URL: 'not a url', SLO_REFRESH: 'often', PROMETHEUS_USERNAME: 'u' });
    expect(listed.find((p) => p.startsWith('SLO_FILES: '))).toContain(`${file}: slos[0].target: "99,9%" is not a percentage`);
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SLACK_BOT_TOKEN /),
        expect.stringMatching(/^SLACK_SIGNING_SECRET is required/),
        'PROMETHEUS_URL must be a URL like http://prometheus:9090',
        expect.stringMatching(/^PROMETHEUS_USERNAME and PROMETHEUS_PASSWORD go together/),
        'SLO_REFRESH must be a duration like 5m, 30s or 1h',
      ]),
    );
  });

  it('names a policy service that no SLO file has', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slo-policy-'));
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'services:\n  chekout-api:\n    thresholds:\n      - budget_remaining: 50%\n        actions: [notify]\n');
    expect(problems({ ...BASE, SLO_FILES: 'examples/slo/checkout-api.yaml', ERROR_BUDGET_POLICY_FILE: policy }).join('\n')).toContain('ERROR_BUDGET_POLICY_FILE: ');
  });
});
