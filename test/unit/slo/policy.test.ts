import { describe, expect, it } from 'vitest';
import { SloConfigError } from '../../../src/slo/model.js';
import {
  DEFAULT_ERROR_BUDGET_POLICY,
  loadErrorBudgetPolicy,
  newlyCrossedThresholds,
  thresholdInEffect,
  thresholdsFor,
  type ErrorBudgetPolicy,
} from '../../../src/slo/policy.js';
import { memoryFiles } from './memory-files.js';

function problemsOf(text: string, options: { knownServices?: string[] } = {}): readonly string[] {
  try {
    loadErrorBudgetPolicy('policy.yaml', { files: memoryFiles({ 'policy.yaml': text }), ...options });
  } catch (error) {
    if (error instanceof SloConfigError) return error.problems;
    throw error;
  }
  throw new Error('the policy was accepted');
}

const load = (text: string, knownServices?: string[]): ErrorBudgetPolicy =>
  loadErrorBudgetPolicy('policy.yaml', { files: memoryFiles({ 'policy.yaml': text }), ...(knownServices ? { knownServices } : {}) });

describe('the default policy', () => {
  it('is the issue list when no file is given: 50 % notify, 25 % freeze non-critical, 10 % freeze all + review, 0 % reliability only', () => {
    for (const path of [undefined, '', '  ']) expect(loadErrorBudgetPolicy(path)).toBe(DEFAULT_ERROR_BUDGET_POLICY);
    expect(DEFAULT_ERROR_BUDGET_POLICY.defaultThresholds).toEqual([
      { budgetRemaining: 0.5, actions: ['notify'] },
      { budgetRemaining: 0.25, actions: ['freeze non-critical deployments'] },
      { budgetRemaining: 0.1, actions: ['freeze all deployments', 'reliability review meeting'] },
      { budgetRemaining: 0, actions: ['reliability work only'] },
    ]);
  });

  it('is what examples/error-budget-policy.yaml gives by default, and that file gives payments its own list', () => {
    const policy = loadErrorBudgetPolicy('examples/error-budget-policy.yaml', { knownServices: ['payments', 'checkout-api'] });
    expect(policy.defaultThresholds).toEqual(DEFAULT_ERROR_BUDGET_POLICY.defaultThresholds);
    expect(thresholdsFor(policy, 'Payments').map((t) => t.budgetRemaining)).toEqual([0.75, 0.5, 0]);
    expect(thresholdsFor(policy, 'checkout-api')).toBe(policy.defaultThresholds);
  });
});

describe('a policy file', () => {
  it('is sorted from the most budget remaining to the least, whatever the order written, and takes one action without brackets', () => {
    const policy = load('thresholds:\n  - budget_remaining: 0\n    actions: stop\n  - budget_remaining: 80\n    actions: [look]\n  - budget_remaining: "20%"\n    actions: [slow down]\n');
    expect(policy.defaultThresholds).toEqual([
      { budgetRemaining: 0.8, actions: ['look'] },
      { budgetRemaining: 0.2, actions: ['slow down'] },
      { budgetRemaining: 0, actions: ['stop'] },
    ]);
  });

  it('per service replaces the default, and a file of services only keeps the built-in default for the rest', () => {
    const policy = load('services:\n  search:\n    thresholds:\n      - budget_remaining: 30%\n        actions: [page the search lead]\n');
    expect(thresholdsFor(policy, 'search')).toEqual([{ budgetRemaining: 0.3, actions: ['page the search lead'] }]);
    expect(thresholdsFor(policy, 'checkout-api')).toEqual(DEFAULT_ERROR_BUDGET_POLICY.defaultThresholds);
    // A service whose name is an Object.prototype key is just a name.
    expect(thresholdsFor(policy, 'constructor')).toEqual(DEFAULT_ERROR_BUDGET_POLICY.defaultThresholds);
  });

  it('names every problem at once, with file and path', () => {
    expect(
      problemsOf(
        [
          'thresholds:',
          '  - budget_remaining: "5,0%"',
          '    actions: []',
          '  - budget_remaining: 150%',
          '    actions: [notify]',
          '    action: [typo]',
          '  - actions: [notify]',
          'services:',
          '  "bad name":',
          '    thresholds: [{ budget_remaining: 5%, actions: [x] }]',
          '  search:',
          '    thresholds: []',
          'defaults: {}',
        ].join('\n'),
      ),
    ).toEqual([
      'policy.yaml: thresholds[0].budget_remaining: "5,0%" is not a percentage (write it like 99.9%)',
      'policy.yaml: thresholds[0].actions: must not be an empty list',
      'policy.yaml: thresholds[1].budget_remaining: 150% is over 100%',
      'policy.yaml: thresholds[1].action: is not a key of a threshold (known: budget_remaining, actions)',
      'policy.yaml: thresholds[2].budget_remaining: is required',
      'policy.yaml: services.bad name: is not a service name: use letters, digits, - _ or . (like checkout-api)',
      'policy.yaml: services.search.thresholds: must not be an empty list',
      'policy.yaml: defaults: is not a key of an error-budget policy (known: thresholds, services)',
    ]);
  });

  it('refuses a level listed twice, a service no SLO has, and a __proto__ service', () => {
    expect(problemsOf('thresholds:\n  - { budget_remaining: 50%, actions: [a] }\n  - { budget_remaining: 50, actions: [b] }\n')).toEqual([
      'policy.yaml: thresholds[1].budget_remaining: 50% is listed twice',
    ]);
    expect(problemsOf('services:\n  chekout:\n    thresholds: [{ budget_remaining: 5%, actions: [x] }]\n', { knownServices: ['checkout'] })).toEqual([
      'policy.yaml: services.chekout: no SLO in the SLO files is for a service named "chekout"',
    ]);
    expect(problemsOf('services:\n  __proto__:\n    thresholds: [{ budget_remaining: 5%, actions: [x] }]\n')).toContain(
      'policy.yaml: services.__proto__: is not a service name: use letters, digits, - _ or . (like checkout-api)',
    );
  });

  it('refuses an empty file, bad YAML, several documents and a missing file', () => {
    expect(problemsOf('# nothing yet\n')[0]).toMatch(/^policy\.yaml: is empty; write thresholds/);
    expect(problemsOf('thresholds: [\n')[0]).toMatch(/^policy\.yaml: line \d+, column \d+: .*\(not valid YAML\)$/);
    expect(problemsOf('thresholds: []\n---\nthresholds: []\n')).toEqual(['policy.yaml: holds 2 YAML documents; write the policy as one']);
    expect(() => loadErrorBudgetPolicy('nowhere.yaml', { files: memoryFiles({}) })).toThrow(/nowhere\.yaml: cannot be read/);
  });
});

describe('which threshold applies', () => {
  const thresholds = DEFAULT_ERROR_BUDGET_POLICY.defaultThresholds;
  const level = (remaining: number) => thresholdInEffect(thresholds, remaining)?.budgetRemaining;

  it('is none above every threshold, and otherwise the lowest one at or above the budget remaining', () => {
    expect(level(1)).toBeUndefined();
    expect(level(0.51)).toBeUndefined();
    expect(level(0.5)).toBe(0.5);
    expect(level(0.3)).toBe(0.5);
    expect(level(0.25)).toBe(0.25);
    expect(level(0.1)).toBe(0.1);
    expect(level(0.05)).toBe(0.1);
    expect(level(0)).toBe(0);
    expect(level(-0.4)).toBe(0);
  });

  it('counts a budget computed as exactly 25 % as crossing 25 %, floating point notwithstanding', () => {
    const remaining = 1 - 0.00075 / (1 - 0.999);
    expect(remaining).not.toBe(0.25);
    expect(level(remaining)).toBe(0.25);
  });
});

describe('thresholds newly crossed', () => {
  const thresholds = DEFAULT_ERROR_BUDGET_POLICY.defaultThresholds;
  const crossed = (previous: number | undefined, current: number) => newlyCrossedThresholds(thresholds, previous, current).map((t) => t.budgetRemaining);

  it('are those at or below now and not before, most budget first', () => {
    expect(crossed(0.6, 0.55)).toEqual([]);
    expect(crossed(0.6, 0.5)).toEqual([0.5]);
    expect(crossed(0.5, 0.4)).toEqual([]);
    expect(crossed(0.4, 0.05)).toEqual([0.25, 0.1]);
    expect(crossed(0.05, -0.1)).toEqual([0]);
  });

  it('are none when the budget recovers, and again when it falls back', () => {
    expect(crossed(0.2, 0.6)).toEqual([]);
    expect(crossed(0.6, 0.2)).toEqual([0.5, 0.25]);
  });

  it('with no previous reading, are every threshold already crossed', () => {
    expect(crossed(undefined, 0.2)).toEqual([0.5, 0.25]);
    expect(crossed(undefined, 0.9)).toEqual([]);
  });
});
