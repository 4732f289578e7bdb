import { describe, expect, it } from 'vitest';
import { parseButtonValue } from '../../../src/slack/actions/button-origin.js';
import { ActionItemButtonValue, AlertGroupButtonValue, IncidentButtonValue, parsePostmortemButtonValue } from '../../../src/slack/metadata.js';

describe('button values', () => {
  it('reads the values the bot writes', () => {
    expect(parseButtonValue(ActionItemButtonValue, '{"incidentId":12,"number":3}')).toEqual({ incidentId: 12, number: 3 });
    expect(parseButtonValue(IncidentButtonValue, '{"incidentId":2147483647}')).toEqual({ incidentId: 2147483647 });
  });

  it('refuses, as a button of an older message, numbers no row can have (past PostgreSQL integer)', () => {
    for (const [schema, raw] of [
      [IncidentButtonValue, '{"incidentId":3000000000}'],
      [ActionItemButtonValue, '{"incidentId":1,"number":2147483648}'],
      [ActionItemButtonValue, '{"incidentId":1e300,"number":1}'],
      [AlertGroupButtonValue, '{"groupId":9007199254740993}'],
    ] as const) {
      expect(() => parseButtonValue(schema as typeof IncidentButtonValue, raw)).toThrow(/older message; nothing was changed/);
    }
    expect(parsePostmortemButtonValue('{"incidentId":1,"version":3000000000}')).toBeUndefined();
  });
});
