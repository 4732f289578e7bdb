import { describe, expect, it } from 'vitest';
import { parseIncidentCommand, parseRole, parseSeverity } from '../../../src/domain/command-parser.js';
import { DomainError } from '../../../src/domain/errors.js';

function refusal(text: string): DomainError {
  try {
    parseIncidentCommand(text);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('parseIncidentCommand', () => {
  it.each([
    ['', { kind: 'declare-form' }],
    ['declare', { kind: 'declare-form' }],
    ['  DECLARE  ', { kind: 'declare-form' }],
    ['declare sev1 Checkout errors spiking', { kind: 'declare', severity: 'sev1', title: 'Checkout errors spiking' }],
    ['declare SEV2   Many   spaces ', { kind: 'declare', severity: 'sev2', title: 'Many spaces' }],
    ['declare 3 Minor', { kind: 'declare', severity: 'sev3', title: 'Minor' }],
    ['declare sev-1 Dash', { kind: 'declare', severity: 'sev1', title: 'Dash' }],
    ['role ic <@U123>', { kind: 'role', role: 'ic', userId: 'U123' }],
    ['role commander <@U123>', { kind: 'role', role: 'ic', userId: 'U123' }],
    ['role lead <@W9>', { kind: 'role', role: 'tech', userId: 'W9' }],
    ['role tech-lead <@U1>', { kind: 'role', role: 'tech', userId: 'U1' }],
    ['role communications <@U1>', { kind: 'role', role: 'comms', userId: 'U1' }],
    ['role Scribe <@U1>', { kind: 'role', role: 'scribe', userId: 'U1' }],
    ['roles', { kind: 'roles' }],
    ['severity SEV1', { kind: 'severity', severity: 'sev1' }],
    ['status identified Bad deploy', { kind: 'status', status: 'identified', message: 'Bad deploy' }],
    ['status Monitoring', { kind: 'status', status: 'monitoring', message: '' }],
    ['note Rolled back', { kind: 'note', text: 'Rolled back' }],
    ['timeline', { kind: 'timeline' }],
    ['list', { kind: 'list' }],
    ['help', { kind: 'help' }],
  ])('%j', (text, expected) => {
    expect(parseIncidentCommand(text)).toEqual(expected);
  });

  it.each([
    ['frobnicate', 'is not an /incident command'],
    ['declare sev4 Title', '"sev4" is not a severity'],
    ['declare Checkout down', '"Checkout" is not a severity'],
    ['declare sev1', 'needs a title'],
    [`declare sev1 ${'x'.repeat(151)}`, 'keep it under 150'],
    ['role', 'Say which role'],
    ['role boss <@U1>', '"boss" is not a role'],
    ['role ic bob', 'Mention exactly one person'],
    ['role ic <@U1> <@U2>', 'Mention exactly one person'],
    ['severity', 'Say which severity'],
    ['severity sev1 now', 'is not a severity'],
    ['status', 'Say which status'],
    ['status fixed', '"fixed" is not a status'],
    ['status resolved', '/incident resolve'],
    ['note   ', 'The note is missing'],
    ['list everything', 'takes nothing after it'],
  ])('refuses %j', (text, message) => {
    const error = refusal(text);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.userMessage).toContain(message);
  });

  it('shows the right usage with each refusal', () => {
    expect(refusal('role boss <@U1>').userMessage).toContain('Usage: `/incident role <ic|tech|comms|scribe> @user`');
    expect(refusal('status fixed').userMessage).toContain('Usage: `/incident status <investigating|identified|monitoring> [message]`');
  });
});

describe('parseSeverity and parseRole', () => {
  it('accepts the spellings people use and nothing else', () => {
    expect(['sev1', 'SEV1', 'Sev1', '1', 'sev-1'].map(parseSeverity)).toEqual(['sev1', 'sev1', 'sev1', 'sev1', 'sev1']);
    expect(['sev0', 'sev4', 'p1', 'critical', ''].map(parseSeverity)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(parseRole('COMMS')).toBe('comms');
    expect(parseRole('boss')).toBeUndefined();
  });
});
