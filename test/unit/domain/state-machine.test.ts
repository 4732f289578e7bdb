import { describe, expect, it } from 'vitest';
import { canTransition } from '../../../src/domain/state-machine.js';
import { STATUSES } from '../../../src/domain/model.js';

describe('status state machine', () => {
  it('lets active statuses move freely and into resolved', () => {
    for (const from of ['investigating', 'identified', 'monitoring'] as const) {
      for (const to of STATUSES) expect(canTransition(from, to), `${from} → ${to}`).toBe(true);
    }
  });

  it('leaves resolved only by reopening to investigating', () => {
    expect(STATUSES.filter((to) => canTransition('resolved', to))).toEqual(['investigating']);
  });
});
