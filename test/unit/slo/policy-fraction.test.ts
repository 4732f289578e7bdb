import { describe, expect, it } from 'vitest';
import { SloConfigError } from '../../../src/slo/model.js';
import { loadErrorBudgetPolicy } from '../../../src/slo/policy.js';
import { memoryFiles } from './memory-files.js';

const read = (text: string) => loadErrorBudgetPolicy('policy.yaml', { files: memoryFiles({ 'policy.yaml': text }) });

function problemsOf(text: string): readonly string[] {
  try {
    read(text);
  } catch (error) {
    if (error instanceof SloConfigError) return error.problems;
    throw error;
  }
  throw new Error('the policy was accepted');
}

describe('a policy threshold written as a bare fraction', () => {
  it('is refused at start, naming the line, instead of read as 0.25 % (which fires only once the budget is all but gone)', () => {
    expect(problemsOf('thresholds:\n  - budget_remaining: 0.5\n    actions: [notify]\n  - budget_remaining: "0.25"\n    actions: [freeze]\n')).toEqual([
      'policy.yaml: thresholds[0].budget_remaining: 0.5 reads as 0.5%; write 50% for a fraction of 0.5, or 0.5% if that is meant',
      'policy.yaml: thresholds[1].budget_remaining: 0.25 reads as 0.25%; write 25% for a fraction of 0.25, or 0.25% if that is meant',
    ]);
  });

  it('is taken as meant with its percent sign, and 0, 1 and whole numbers stay percentages', () => {
    const policy = read('thresholds:\n  - { budget_remaining: 0.5%, actions: [a] }\n  - { budget_remaining: 0, actions: [b] }\n  - { budget_remaining: 1, actions: [c] }\n  - { budget_remaining: 50, actions: [d] }\n');
    expect(policy.defaultThresholds.map((t) => t.budgetRemaining)).toEqual([0.5, 0.01, 0.005, 0]);
  });
});
