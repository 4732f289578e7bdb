import { describe, expect, it } from 'vitest';
import { renderPostmortem } from '../../../src/postmortem/render.js';
import { entry, postmortemData, section } from './fixture.js';

describe('the postmortem summary of a reopened incident', () => {
  it('says it was resolved first, reopened, and that its times count to the last resolve', () => {
    const markdown = renderPostmortem(
      postmortemData({
        timeline: [
          entry('declared', 0, 'Declared SEV2 (major degradation) by <@U0ALICE>: Checkout errors spiking'),
          entry('resolved', 20, 'Resolved by <@U0ALICE>: Restarted the pods'),
          entry('reopened', 30, 'Reopened by <@U0BOB>'),
          entry('resolved', 47, 'Resolved by <@U0ALICE>: Rolled back deploy 4812'),
        ],
      }),
    );
    expect(section(markdown, 'Summary')).toContain(
      'resolved 2026-11-16 10:47 UTC, 47 minutes later. It was first resolved at 2026-11-16 10:20 UTC and reopened once; its times count to the last resolve.',
    );
  });

  it('says nothing of it when never reopened', () => {
    expect(section(renderPostmortem(postmortemData()), 'Summary')).not.toContain('reopened');
  });
});
