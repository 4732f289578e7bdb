import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import type { Fault } from '../support/slack-stand-in.js';

/** The bot posts in the announcement channel without being in it (chat:write.public), as the stand-in's C0ANNOUNCE is set up. */
const ANNOUNCE = 'C0ANNOUNCE';

/** Answers the announcement's first post with `fault`, whatever else is posted before it. */
async function failFirstAnnouncement(h: Harness, fault: Fault): Promise<void> {
  const release = h.slack.hold('chat.postMessage', (p) => p.channel === ANNOUNCE);
  await h.command('declare sev2 Queue backlog');
  await expect.poll(() => h.slack.held.length, { timeout: 10_000 }).toBe(1);
  // Faults are read once a held call is let through: this one is the announcement's.
  h.slack.failNext('chat.postMessage', fault, 1);
  release();
  await h.settle();
}

const announcements = (h: Harness) => h.slack.channels.get(ANNOUNCE)!.messages.filter((m) => m.text.includes('INC-1*') && m.text.includes('declared'));
const warnings = (h: Harness) => (h.slack.channels.get(h.slack.channelByName('inc-1-queue-backlog')!.id)!.messages ?? []).filter((m) => m.text.includes(':warning:'));

describe('an announcement whose first post failed, in a channel the bot posts in without being a member', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('is posted on the retry when Slack answered 500 without posting', async () => {
    h = await Harness.start();
    await failFirstAnnouncement(h, { kind: 'http', status: 500 });
    expect(announcements(h)).toHaveLength(1);
    expect(warnings(h)).toEqual([]);
  });

  it('is not posted twice, nor reported as failed, when the post went out but its answer was lost', async () => {
    h = await Harness.start();
    await failFirstAnnouncement(h, { kind: 'lost' });
    expect(announcements(h)).toHaveLength(1);
    expect(warnings(h)).toEqual([]);
  });
});
