import { describe, expect, it } from 'vitest';
import { parseActionInput } from '../../../src/domain/action-input.js';
import { completeActionItem } from '../../../src/domain/actions.js';
import { parseIncidentCommand } from '../../../src/domain/command-parser.js';
import { declareIncident } from '../../../src/domain/declare.js';
import { escapeTyped, quoted } from '../../../src/domain/echo.js';
import { DomainError } from '../../../src/domain/errors.js';
import { safe } from '../../../src/slack/text.js';
import { memoryDeps } from '../../support/memory-store.js';

/** Runs `run` (a parser, or a verb that answers a promise) and answers its refusal's message. */
async function messageOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error.userMessage;
    throw error;
  }
  throw new Error('was accepted');
}

/** What a refusal must never carry: live broadcast mentions, links, or any markup of the user's. */
function expectInert(message: string): void {
  expect(message).not.toMatch(/<!|<https?:|<mailto:|<#/);
  expect(message).not.toMatch(/@(here|channel|everyone)\b/);
}

describe('quoted', () => {
  it('escapes like safe, so there is one rule for every echo', () => {
    const typed = '<!here> & <https://evil.example|click> @channel <@U123>';
    expect(escapeTyped(typed)).toBe(safe(typed));
    expect(quoted('<!here>&<x.io|a> @channel <@U1>')).toBe('"&lt;!here&gt;&amp;&lt;x.io|a&gt; @\u200dchannel <@U1>"');
  });

  it('cuts a long word short before escaping, so no entity is cut in half', () => {
    const long = `${'<'.repeat(39)}<<<<`;
    expect(quoted(long)).toBe(`"${'&lt;'.repeat(40)}…"`);
    expect(quoted('sev9')).toBe('"sev9"');
  });
});

describe('refusals that quote what was typed', () => {
  // What fromSlackText makes of `&lt;!here&gt;` (typed literally), `<!here>` (a real mention) and a typed link.
  const words = ['<!here>', '@here', '<!channel>', '<https://evil.example|click>', '@everyone'];

  it.each(words)('never carry %j live', async (word) => {
    const deps = memoryDeps();
    const alice = { type: 'slack', userId: 'U0ALICE', teamId: 'T1' } as const;
    const incident = await declareIncident(deps, alice, { severity: 'sev3', title: 'Search slow' });
    await deps.store.incidents.recordChannel(incident.id, 'C1', 'inc-1-search-slow');
    const messages = await Promise.all([
      messageOf(() => parseIncidentCommand(word)),
      messageOf(() => parseIncidentCommand(`declare ${word} title`)),
      messageOf(() => parseIncidentCommand(`role ${word} <@U0BOB>`)),
      messageOf(() => parseIncidentCommand(`severity ${word}`)),
      messageOf(() => parseIncidentCommand(`status ${word}`)),
      messageOf(() => parseActionInput(`fix it due next ${word}`, 'U1', '2026-11-22')),
      messageOf(() => completeActionItem(deps, alice, 'C1', word)),
    ]);
    for (const message of messages) {
      // Usage lines are ours; what is checked is the echo of the word before them.
      expectInert(message.split('\nUsage:')[0]!);
    }
    expect(messages[0]).toContain(quoted(word));
  });
});
