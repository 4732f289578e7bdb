import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import type { Fault } from '../support/slack-stand-in.js';

/** The announcement channel: people talk in it too, and the bot posts in it without being a member. */
const ANNOUNCE = 'C0ANNOUNCE';

const announcements = (h: Harness) => h.slack.channels.get(ANNOUNCE)!.messages.filter((m) => m.text.includes('INC-1*') && m.text.includes('declared'));

/**
 * Answers the announcement's first post with `fault`, then holds the retry's
 * look for it while `meanwhile` runs (people talking in the channel).
 */
async function announceWithRetry(h: Harness, fault: Fault, meanwhile: () => void): Promise<void> {
  const releasePost = h.slack.hold('chat.postMessage', (p) => p.channel === ANNOUNCE);
  await h.command('declare sev2 Queue backlog');
  await expect.poll(() => h.slack.held.length, { timeout: 10_000 }).toBe(1);
  h.slack.failNext('chat.postMessage', fault, 1);
  const releaseLook = h.slack.hold('conversations.history', (p) => p.channel === ANNOUNCE);
  releasePost();
  await expect.poll(() => h.slack.held.filter((c) => c.method === 'conversations.history').length, { timeout: 10_000 }).toBe(1);
  meanwhile();
  releaseLook();
  await h.settle();
}

describe('a retried announcement in a busy announcement channel', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('finds its own post below a few hundred newer messages and does not post it again', async () => {
    h = await Harness.start();
    await announceWithRetry(h, { kind: 'lost' }, () => {
      for (let i = 0; i < 250; i++) h.slack.userPosts(ANNOUNCE, 'U0BOB', `unrelated chatter ${i}`);
    });
    expect(announcements(h)).toHaveLength(1);
  });

  it('reads only what was said since the job was queued, and posts once when its first post never went out', async () => {
    h = await Harness.start();
    const yesterday = new Date(Date.now() - 24 * 3600_000);
    for (let i = 0; i < 300; i++) h.slack.userPosts(ANNOUNCE, 'U0BOB', `yesterday's chatter ${i}`, undefined, new Date(yesterday.getTime() + i * 1000));
    await announceWithRetry(h, { kind: 'http', status: 500 }, () => undefined);
    expect(announcements(h)).toHaveLength(1);
    const read = h.slack
      .callsTo('conversations.history')
      .filter((c) => c.params.channel === ANNOUNCE)
      .flatMap((c) => (c.response.messages as { text: string }[] | undefined) ?? []);
    expect(read.filter((m) => m.text.startsWith("yesterday's chatter"))).toEqual([]);
  });
});
