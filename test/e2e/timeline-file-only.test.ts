import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

describe('a pinned message with no text of its own', () => {
  let h: Harness;
  let channel: string;

  beforeEach(async () => {
    h = await Harness.start();
    await h.run('declare sev2 Checkout latency');
    channel = (await h.incidentChannel(1)).id;
  });
  afterEach(async () => h.stop());

  it('is recorded saying it holds only a file or attachment, not as an empty line', async () => {
    // A screenshot shared without a comment: Slack's message has files and an empty text.
    const message = h.slack.userPosts(channel, 'U0BOB', '');
    message.files = [{ id: 'F0GRAPH', name: 'p99.png', title: 'p99.png', mimetype: 'image/png' }];
    h.slack.react(channel, message.ts, 'U0ALICE', 'pushpin');
    await h.event({ type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin', item: { type: 'message', channel, ts: message.ts }, item_user: 'U0BOB', event_ts: message.ts });
    await h.settle();

    const [entry] = (await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'pinned_message');
    expect(entry!.text).toBe('(no text: a file or attachment, see the message)');
    const timeline = (await h.run('timeline', { channelId: channel })).replies[0]!;
    expect(timeline).toContain('<@U0BOB>: (no text: a file or attachment, see the message) (<https://');
  });
});
