import { describe, expect, it } from 'vitest';
import { parseTargetFraction } from '../../../src/slo/percentage.js';

describe("OpenSLO's target: 1", () => {
  it('is refused as leaving no budget, without suggesting targetPercent: 1 (a 1 % target)', () => {
    const parsed = parseTargetFraction(1);
    expect(parsed).toEqual({ ok: false, message: '1 is not a fraction below 1: it leaves no error budget; use a target below 1, like 0.999' });
    expect(parseTargetFraction(99.9)).toEqual({ ok: false, message: '99.9 is not a fraction below 1; write 0.999 for 99.9% (or targetPercent: 99.9)' });
  });
});
