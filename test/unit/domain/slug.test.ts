import { describe, expect, it } from 'vitest';
import { incidentChannelName, slugify } from '../../../src/domain/slug.js';

describe('incident channel names', () => {
  it('uses lowercase letters, digits and dashes only', () => {
    expect(incidentChannelName(12, 'Checkout errors spiking!')).toBe('inc-12-checkout-errors-spiking');
    expect(incidentChannelName(3, 'Café crème & <@U123> API 5xx')).toBe('inc-3-cafe-creme-api-5xx');
    expect(incidentChannelName(4, '日本語だけ')).toBe('inc-4');
    expect(slugify('  --Hello__World--  ')).toBe('hello-world');
  });

  it('stays within 80 characters, without a trailing dash, suffix included', () => {
    const long = 'word '.repeat(40);
    for (const attempt of [0, 1, 9, 19]) {
      const name = incidentChannelName(123456, long, attempt);
      expect(name.length).toBeLessThanOrEqual(80);
      expect(name).toMatch(/^[a-z0-9-]+$/);
      expect(name).not.toMatch(/--|-$/);
    }
    expect(incidentChannelName(7, 'db down', 1)).toBe('inc-7-db-down-2');
  });
});
