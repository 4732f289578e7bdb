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

  it('removes the entry of a thread parent deleted while it has replies (Slack leaves a tombstone)', async () => {
    const parent = h.slack.userPosts(channel, 'U0BOB', 'Failover to us-west started');
    h.slack.userPosts(channel, 'U0CAROL', 'replica lag 4s', parent.ts);
    await pin(parent.ts);
    expect(await pinned()).toHaveLength(1);

    // Slack does not send message_deleted here: the parent becomes a tombstone, told as an edit.
    // Whether a tombstone keeps the reactions is not documented: the tombstone alone removes the entry.
    h.slack.editMessage(channel, parent.ts, 'This message was deleted.');
    await h.event(changed({ subtype: 'tombstone', hidden: true, ts: parent.ts, thread_ts: parent.ts, reply_count: 1, text: 'This message was deleted.', user: 'USLACKBOT' }, 'Failover to us-west started'));
    await h.settle();
    expect(await pinned()).toHaveLength(0);
  });
});
