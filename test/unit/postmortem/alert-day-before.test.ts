import { describe, expect, it } from 'vitest';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { at, postmortemData, section } from './fixture.js';

describe('the postmortem when the first alert came the day before the declaration', () => {
  it('dates the alert in Detection, so it does not read as the same day', () => {
    // Declared 2026-11-16 10:00 UTC; the group's first alert reached the bot at 23:00 UTC the evening before.
    const markdown = renderPostmortem(postmortemData({ firstAlertReceivedAt: at(-11 * 60) }));
    expect(section(markdown, 'Detection')).toContain('reached the bot at 2026-11-15 23:00 UTC, 11 h 00 min before the declaration.');
  });
});
