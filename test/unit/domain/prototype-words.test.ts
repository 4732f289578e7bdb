import { describe, expect, it } from 'vitest';
import { parseActionInput } from '../../../src/domain/action-input.js';
import { completeActionItem, dropActionItem } from '../../../src/domain/actions.js';
import { parseIncidentCommand, parseRole, parseSeverity } from '../../../src/domain/command-parser.js';
import { declareIncident } from '../../../src/domain/declare.js';
import { looksLikeDate, parseDueDate } from '../../../src/domain/due-date.js';
import { DomainError } from '../../../src/domain/errors.js';
import { pageOnDemand } from '../../../src/domain/paging.js';
import { memoryDeps } from '../../support/memory-store.js';

/**
 * Words that name properties every plain object inherits. Looked up in a
 * `Record<string, …>`, `constructor` found Object itself: `role constructor @bob`
 * went to the database as a role, `due next constructor` to date-fns as a weekday.
 */
const WORDS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const alice = { type: 'slack', userId: 'U0ALICE', teamId: 'T1' } as const;

/** Runs `run` (a parser, or a verb that answers a promise) and answers its refusal. */
async function refusal(run: () => unknown): Promise<DomainError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('was accepted');
}

async function expectUsage(run: () => unknown, usage: string): Promise<void> {
  const error = await refusal(run);
  expect(error.code).toBe('INVALID_INPUT');
  expect(error.userMessage).toContain(`Usage: \`/incident ${usage}`);
}

describe.each(WORDS)('the word %j', (word) => {
  it('is no role, severity, status or command', async () => {
    expect(parseRole(word)).toBeUndefined();
    expect(parseSeverity(word)).toBeUndefined();
    await expectUsage(() => parseIncidentCommand(`role ${word} <@U0BOB>`), 'role');
    await expectUsage(() => parseIncidentCommand(`declare ${word} Checkout down`), 'declare');
    await expectUsage(() => parseIncidentCommand(`severity ${word}`), 'severity');
    await expectUsage(() => parseIncidentCommand(`status ${word} all good`), 'status');
    expect((await refusal(() => parseIncidentCommand(`${word} now`))).userMessage).toContain('is not an /incident command. Try `/incident help`');
  });

  it('is no weekday: as a due date it is refused with the action usage', async () => {
    expect(parseDueDate(word, '2026-11-22')).toBeUndefined();
    expect(parseDueDate(`next ${word}`, '2026-11-22')).toBeUndefined();
    expect(looksLikeDate(word)).toBe(false);
    await expectUsage(() => parseActionInput(`fix it due next ${word}`, 'U0ALICE', '2026-11-22'), 'action');
    // Not a date at all, so it stays part of the text, like "failed due to OOM".
    expect(parseActionInput(`fix it due ${word}`, 'U0ALICE', '2026-11-22').text).toBe(`fix it due ${word}`);
  });

  it('is no item number', async () => {
    const deps = memoryDeps();
    const incident = await declareIncident(deps, alice, { severity: 'sev3', title: 'Search slow' });
    await deps.store.incidents.recordChannel(incident.id, 'C1', 'inc-1-search-slow');
    await expectUsage(() => completeActionItem(deps, alice, 'C1', word), 'done');
    await expectUsage(() => dropActionItem(deps, alice, 'C1', word, 'not needed'), 'drop');
  });

  it('is no PagerDuty service: with no default service the page is refused with the usage', async () => {
    const deps = { ...memoryDeps(), paging: { services: ['db'], pageSeverities: ['sev1' as const] } };
    const incident = await declareIncident(deps, alice, { severity: 'sev3', title: 'Search slow' });
    await deps.store.incidents.recordChannel(incident.id, 'C1', 'inc-1-search-slow');
    const error = await refusal(() => pageOnDemand(deps, alice, 'C1', [word, 'now']));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.userMessage).toContain('name one of: db.\nUsage: `/incident page');
    expect(await deps.store.pages.forIncident(incident.id)).toHaveLength(0);
  });
});
