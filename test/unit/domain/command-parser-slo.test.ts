import { describe, expect, it } from 'vitest';
import { parseIncidentCommand } from '../../../src/domain/command-parser.js';
import { HELP_LINES } from '../../../src/domain/usage.js';

describe('/incident slo', () => {
  it('takes one service name, or none', () => {
    expect(parseIncidentCommand('slo')).toEqual({ kind: 'slo', service: undefined });
    expect(parseIncidentCommand('SLO checkout-api')).toEqual({ kind: 'slo', service: 'checkout-api' });
  });

  it('refuses more than one word, with its usage', () => {
    expect(() => parseIncidentCommand('slo checkout-api search')).toThrow(/Give one service name, or none for every SLO\.\nUsage: `\/incident slo \[service\]`/);
  });

  it('is in the help', () => {
    expect(HELP_LINES.some((l) => l.startsWith('`/incident slo [service]`'))).toBe(true);
  });
});
