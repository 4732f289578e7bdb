import { describe, expect, it } from 'vitest';
import { loadSloCatalog } from '../../../src/slo/catalog.js';
import { SloConfigError } from '../../../src/slo/model.js';
import { parseTargetPercentage } from '../../../src/slo/percentage.js';
import { memoryFiles } from './memory-files.js';

const value = (parsed: { ok: true; value: number } | { ok: false; message: string }) => (parsed.ok ? parsed.value : parsed.message);

describe('a target written as a bare fraction in quotes', () => {
  it('is refused like the unquoted number, not read as 0.999 % (a budget of 99 % of the window)', () => {
    expect(value(parseTargetPercentage('0.999'))).toBe('0.999 reads as 0.999%; targets here are percentages, so write 99.9% for a fraction of 0.999');
    expect(value(parseTargetPercentage(' 0.95 '))).toMatch(/^0\.95 reads as 0\.95%/);
    // With its percent sign it is what the person wrote on purpose.
    expect(value(parseTargetPercentage('0.999%'))).toBeCloseTo(0.00999, 12);
    expect(value(parseTargetPercentage('99.9'))).toBe(0.999);
  });

  it('stops the start with the file and path named', () => {
    const files = memoryFiles({
      'slos/payments.yaml': 'version: "prometheus/v1"\nservice: payments\nslos:\n  - name: availability\n    objective: "0.999"\n    sli:\n      raw:\n        error_ratio_query: x[{{.window}}]\n',
    });
    let problems: readonly string[] = [];
    try {
      loadSloCatalog(['slos/payments.yaml'], { files });
    } catch (error) {
      if (error instanceof SloConfigError) problems = error.problems;
    }
    expect(problems).toEqual(['slos/payments.yaml: slos[0].objective: 0.999 reads as 0.999%; targets here are percentages, so write 99.9% for a fraction of 0.999']);
  });
});
