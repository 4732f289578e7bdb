import { describe, expect, it } from 'vitest';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { duration } from '../../../src/domain/time.js';
import { at, postmortemData, section } from './fixture.js';

describe('durations of a day or more in the postmortem', () => {
  it('are written in days, hours and minutes', () => {
    expect(duration(47)).toBe('47 minutes');
    expect(duration(125)).toBe('2 h 05 min');
    expect(duration(27 * 60)).toBe('1 d 3 h');
    expect(duration(62 * 60 + 10)).toBe('2 d 14 h 10 min');
  });

  it('say an incident resolved 27 hours after its declaration lasted 1 d 3 h, in the summary and the impact table', () => {
    const markdown = renderPostmortem(postmortemData({ incident: { resolvedAt: at(27 * 60) } }));
    expect(section(markdown, 'Summary')).toContain('2026-11-17 13:00 UTC, 1 d 3 h later.');
    expect(section(markdown, 'Impact')).toContain('| Time to resolve | 1 d 3 h (from the declaration: no impact start recorded) |');
    expect(markdown).not.toMatch(/\b27 h\b/);
  });
});
