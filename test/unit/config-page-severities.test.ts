import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems } from '../support/config-problems.js';
import { isPagingSeverity } from '../../src/domain/paging.js';
import type { Deps } from '../../src/domain/ports.js';
import { pagingPolicy } from '../../src/pagerduty/policy.js';

const VALID = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PAGERDUTY_ROUTING_KEY: 'R0KEY' };

const problemsOf = (env: NodeJS.ProcessEnv) => configProblems(env, VALID);

/** Which severities page by themselves, as the paging verb decides it from the loaded configuration. */
function pagingSeverities(env: NodeJS.ProcessEnv): string[] {
  const deps = { paging: pagingPolicy(loadConfig({ ...VALID, ...env })) } as Deps;
  return (['sev1', 'sev2', 'sev3'] as const).filter((severity) => isPagingSeverity(deps, severity));
}

describe('PAGE_SEVERITIES', () => {
  it('none turns automatic paging off and keeps the service for /incident page', () => {
    // There was no way to do this: an empty value is unset, and so sev1,sev2.
    expect(pagingSeverities({ PAGE_SEVERITIES: 'none' })).toEqual([]);
    expect(pagingSeverities({ PAGE_SEVERITIES: ' NONE ' })).toEqual([]);
    expect(loadConfig({ ...VALID, PAGE_SEVERITIES: 'none' }).pagerduty.services).toEqual({ default: 'R0KEY' });
  });

  it('is sev1,sev2 unset or empty, and a list otherwise', () => {
    expect(pagingSeverities({})).toEqual(['sev1', 'sev2']);
    expect(pagingSeverities({ PAGE_SEVERITIES: '' })).toEqual(['sev1', 'sev2']);
    expect(pagingSeverities({ PAGE_SEVERITIES: 'SEV1, sev3' })).toEqual(['sev1', 'sev3']);
  });

  it('refuses none mixed with severities, and anything else, saying how to write it', () => {
    for (const value of ['none,sev1', 'off', 'critical']) {
      expect(problemsOf({ PAGE_SEVERITIES: value }), value).toEqual(['PAGE_SEVERITIES must be severities like sev1,sev2, or none (no severity pages by itself)']);
    }
  });
});
