import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

/** Edits and deletions of a message on the timeline, as Slack delivers them: late, retried, or as a tombstone. */
describe('the timeline follows a pinned message as it is now', () => {
  let h: Harness;
  let channel: string;
  const pinned = async () => (await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'pinned_message');
  const stamp = () => `${Math.floor(Date.now() / 1000)}.000200`;
  const pin = async (ts: string) => {
    h.slack.react(channel, ts, 'U0ALICE', 'pushpin');
    await h.event({ type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin', item: { type: 'message', channel, ts }, item_user: 'U0BOB', event_ts: stamp() });
    await h.settle();
  };
  const changed = (message: Record<string, unknown>, previousText: string) => ({
    type: 'message',
    subtype: 'message_changed',
    channel,
    hidden: true,
    ts: stamp(),
    event_ts: stamp(),
    message: { type: 'message', user: 'U0BOB', ...message },
    previous_message: { type: 'message', user: 'U0BOB', text: previousText, ts: message.ts },
  });

  beforeEach(async () => {
    h = await Harness.start();
    await h.run('declare sev1 Checkout errors spiking');
    channel = (await h.incidentChannel(1)).id;
  });
  afterEach(async () => h.stop());

  it('keeps the newest text when an earlier edit is delivered after a later one (a Slack retry)', async () => {
    const message = h.slack.userPosts(channel, 'U0BOB', 'Cause: cert');
    await pin(message.ts);

    h.slack.editMessage(channel, message.ts, 'Cause: expired cert');
    const first = changed({ ts: message.ts, text: 'Cause: expired cert', edited: { user: 'U0BOB', ts: stamp() } }, 'Cause: cert');
    h.slack.editMessage(channel, message.ts, 'Cause: expired cert on the payments gateway');
    const second = changed({ ts: message.ts, text: 'Cause: expired cert on the payments gateway', edited: { user: 'U0BOB', ts: stamp() } }, 'Cause: expired cert');

    // The first edit's delivery timed out; Slack retries it after the second was delivered.
    await h.event(second, { eventId: 'Ev0EDIT2' });
    await h.event(first, { eventId: 'Ev0EDIT1', retryNum: 1 });
    await h.settle();
    expect((await pinned()).map((e) => e.text)).toEqual(['Cause: expired cert on the payments gateway']);
  });
});
