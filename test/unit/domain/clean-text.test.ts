import { describe, expect, it } from 'vitest';
import { cleanLine, cleanText, hasVisibleCharacter } from '../../../src/domain/clean-text.js';
import { parseIncidentCommand, validateTitle } from '../../../src/domain/command-parser.js';
import { parseActionInput } from '../../../src/domain/action-input.js';
import { declareIncident } from '../../../src/domain/declare.js';
import { DomainError } from '../../../src/domain/errors.js';
import { memoryDeps } from '../../support/memory-store.js';

const ZWSP = '\u200b';
const RLO = '\u202e';

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('was accepted');
}

describe('cleanText and cleanLine', () => {
  it.each([
    ['zero-width spaces', ZWSP.repeat(3)],
    ['a right-to-left override alone', RLO],
    ['every bidi override and isolate', '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069'],
    ['marks, joiners, word joiner, BOM, soft hyphen', '\u200e\u200f\u061c\u200c\u200d\u2060\ufeff\u00ad'],
    ['C0 and C1 controls', '\u0000\u0001\u0007\u001b\u007f\u0085\u009b'],
    ['Hangul fillers and the braille blank', '\u3164\u115f\uffa0\u2800'],
    ['variation selectors and tags with nothing to attach to', '\ufe0f\u{e0067}\u{e007f}'],
    ['a lone surrogate', '\ud800'],
    ['a combining mark with no letter', '\u0301'],
  ])('leaves nothing of %s', (_name, text) => {
    expect(cleanText(text)).toBe('');
    expect(cleanLine(` ${text} `)).toBe('');
    expect(hasVisibleCharacter(cleanText(text))).toBe(false);
  });

  it('strips overrides, isolates, controls and zero-width characters from inside text', () => {
    expect(cleanLine(`pay${RLO}gpj.exe`)).toBe('paygpj.exe');
    expect(cleanLine(`a\u2066b\u2069c\u200bd\u0007e\u009bf\u00adg`)).toBe('abcdefg');
    expect(cleanLine('DB\u0000 down')).toBe('DB down');
  });

  it('keeps line breaks and tabs in multi-line text, and makes one line of the rest', () => {
    expect(cleanText('first\r\nsecond\rthird\u2028fourth\n\tindented')).toBe('first\nsecond\nthird\nfourth\n\tindented');
    expect(cleanLine('first\r\nsecond\t third')).toBe('first second third');
  });

  it('keeps the joiners and selectors that emoji and scripts need', () => {
    for (const text of ['👩‍💻 on it', '❤️ fixed', '👁️‍🗨️', '🏴󠁧󠁢󠁥󠁮󠁧󠁿 region', 'می‌خواهم', 'क्‍ष', '1️⃣ first', '👍🏽']) {
      expect(cleanText(text)).toBe(text);
    }
  });

  it('is idempotent', () => {
    for (const text of [`a${ZWSP}\u200db`, `a\u200d${ZWSP}b`, `x\ufe0f\ufe0f`, `${RLO}ok${ZWSP}`]) {
      expect(cleanText(cleanText(text))).toBe(cleanText(text));
    }
  });
});

describe('every stored text goes through the cleaning', () => {
  it.each([
    ['three zero-width spaces', `declare sev3 ${ZWSP.repeat(3)}`],
    ['a right-to-left override', `declare sev3 ${RLO}`],
    ['a Hangul filler', 'declare sev3 \u3164'],
  ])('refuses a title of %s with the usage', (_name, text) => {
    const error = refusal(() => parseIncidentCommand(text));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.userMessage).toContain('Usage: `/incident declare');
  });

  it('says a title with nothing visible has no visible character (the form shows this line)', () => {
    expect(refusal(() => validateTitle(`${ZWSP}${RLO}`)).userMessage).toMatch(/^The title has no visible character/);
    expect(refusal(() => validateTitle('   ')).userMessage).toMatch(/^The incident needs a title/);
  });

  it('cleans titles, notes, status messages, summaries, action texts and drop reasons as they are parsed', () => {
    expect(parseIncidentCommand(`declare sev2 Search${RLO} slow${ZWSP}`)).toMatchObject({ title: 'Search slow' });
    expect(parseIncidentCommand(`note rolled${RLO} back\nthen checked`)).toEqual({ kind: 'note', text: 'rolled back\nthen checked' });
    expect(parseIncidentCommand(`status identified bad${ZWSP} deploy`)).toEqual({ kind: 'status', status: 'identified', message: 'bad deploy' });
    expect(parseIncidentCommand(`status identified ${ZWSP}${RLO}`)).toEqual({ kind: 'status', status: 'identified', message: '' });
    expect(parseIncidentCommand(`resolve ${RLO}fixed`)).toEqual({ kind: 'resolve', summary: 'fixed' });
    expect(parseIncidentCommand(`resolve ${RLO}`)).toEqual({ kind: 'resolve', summary: '' });
    expect(parseIncidentCommand(`drop 2 not\u2066 needed`)).toEqual({ kind: 'drop', number: '2', reason: 'not needed' });
    expect(parseIncidentCommand(`drop 2 ${ZWSP}`)).toEqual({ kind: 'drop', number: '2', reason: '' });
    expect(parseActionInput(`add a${RLO} canary`, 'U1', '2026-11-22').text).toBe('add a canary');
    expect(parseIncidentCommand(`page db wake${RLO} up${ZWSP}`)).toEqual({ kind: 'page', words: ['db', 'wake', 'up'] });
  });

  it('refuses a note or an action of nothing visible with their usage', () => {
    expect(refusal(() => parseIncidentCommand(`note ${ZWSP}${RLO}`)).userMessage).toContain('The note is missing.\nUsage: `/incident note');
    expect(refusal(() => parseIncidentCommand(`action ${RLO}`)).userMessage).toContain('Usage: `/incident action');
    expect(refusal(() => parseActionInput(`\u0301 <@U1>`, 'U1', '2026-11-22')).userMessage).toContain('Say what needs doing');
  });

  it('cleans the declare form description, and keeps none when nothing visible is left', async () => {
    const deps = memoryDeps();
    const alice = { type: 'slack', userId: 'U0ALICE', teamId: 'T1' } as const;
    expect((await declareIncident(deps, alice, { severity: 'sev3', title: 'One', description: `checkout${RLO} down\nfor EU` })).description).toBe('checkout down\nfor EU');
    expect((await declareIncident(deps, alice, { severity: 'sev3', title: 'Two', description: ZWSP.repeat(4) })).description).toBeNull();
    await expect(declareIncident(deps, alice, { severity: 'sev3', title: RLO })).rejects.toThrow(DomainError);
    expect(await deps.store.incidents.listOpen()).toHaveLength(2);
  });
});
