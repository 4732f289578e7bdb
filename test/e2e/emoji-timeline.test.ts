import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

describe('the emoji timeline', () => {
  let h: Harness;
  let channel: string;

  const reaction = (type: 'reaction_added' | 'reaction_removed', user: string, ts: string, name = 'pushpin', ch = channel) => ({
    type,
    user,
    reaction: name,
    item: { type: 'message', channel: ch, ts },
    item_user: 'U0BOB',
    event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
  });
  const pinned = async () => (await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'pinned_message');

  beforeEach(async () => {
    h = await Harness.start();
    await h.run('declare sev1 Checkout errors spiking');
    channel = (await h.incidentChannel(1)).id;
  });
  afterEach(async () => h.stop());

  it('records a reacted message with its author, text, post time and permalink', async () => {
    const message = h.slack.userPosts(channel, 'U0BOB', 'Error rate is 40% on <https://grafana.example/d/1|checkout>');
    await new Promise((r) => setTimeout(r, 20)); // the reaction comes later than the post
    h.slack.react(channel, message.ts, 'U0ALICE', 'pushpin');
    const res = await h.event(reaction('reaction_added', 'U0ALICE', message.ts));
    expect(res.status).toBe(200);
    await h.settle();

    const [entry] = await pinned();
    expect(entry).toMatchObject({ actorId: 'U0BOB', text: 'Error rate is 40% on checkout (https://grafana.example/d/1)', messageTs: message.ts });
    expect(entry!.occurredAt.getTime()).toBe(Math.round(Number(message.ts) * 1000));
    expect(entry!.permalink).toContain(`/archives/${channel}/p`);
    const timeline = (await h.run('timeline', { channelId: channel })).replies[0]!;
    expect(timeline).toContain('<@U0BOB>: Error rate is 40%');
  });

  it('never adds a second entry for a retried delivery or a second reactor', async () => {
    const message = h.slack.userPosts(channel, 'U0BOB', 'DB failover started');
    h.slack.react(channel, message.ts, 'U0ALICE', 'pushpin');
    const event = reaction('reaction_added', 'U0ALICE', message.ts);
    await h.event(event, { eventId: 'Ev0RETRY1' });
    await h.event(event, { eventId: 'Ev0RETRY1', retryNum: 1 });
    await h.event(event, { eventId: 'Ev0RETRY1', retryNum: 2 });
    h.slack.react(channel, message.ts, 'U0CAROL', 'pushpin');
    await h.event(reaction('reaction_added', 'U0CAROL', message.ts));
    await h.settle();
    expect(await pinned()).toHaveLength(1);
  });

  it('removes the entry only when the last timeline reaction goes', async () => {
    const message = h.slack.userPosts(channel, 'U0BOB', 'Rolled back');
    h.slack.react(channel, message.ts, 'U0ALICE', 'pushpin');
    h.slack.react(channel, message.ts, 'U0CAROL', 'pushpin');
    await h.event(reaction('reaction_added', 'U0ALICE', message.ts));
    await h.settle();
    expect(await pinned()).toHaveLength(1);

    h.slack.unreact(channel, message.ts, 'U0ALICE', 'pushpin');
    await h.event(reaction('reaction_removed', 'U0ALICE', message.ts));
    await h.settle();
    expect(await pinned()).toHaveLength(1);

    h.slack.unreact(channel, message.ts, 'U0CAROL', 'pushpin');
    const removal = reaction('reaction_removed', 'U0CAROL', message.ts);
    await h.event(removal, { eventId: 'Ev0REMOVE' });
    await h.settle();
    expect(await pinned()).toHaveLength(0);

    // Pinned again later, then the old removal is retried: the retry changes nothing.
    h.slack.react(channel, message.ts, 'U0DAN', 'pushpin');
    await h.event(reaction('reaction_added', 'U0DAN', message.ts));
    await h.event(removal, { eventId: 'Ev0REMOVE', retryNum: 1 });
    await h.settle();
    expect(await pinned()).toHaveLength(1);
  });

  it('follows edits and deletions of a pinned message', async () => {
    const message = h.slack.userPosts(channel, 'U0BOB', 'Cause: expired TLS cert');
    h.slack.react(channel, message.ts, 'U0ALICE', 'pushpin');
    await h.event(reaction('reaction_added', 'U0ALICE', message.ts));
    await h.settle();

    h.slack.editMessage(channel, message.ts, 'Cause: expired TLS cert on the payments gateway &amp; its proxy');
    await h.event({
      type: 'message',
      subtype: 'message_changed',
      channel,
      hidden: true,
      ts: `${Math.floor(Date.now() / 1000)}.000200`,
      event_ts: `${Math.floor(Date.now() / 1000)}.000200`,
      message: { type: 'message', user: 'U0BOB', text: 'Cause: expired TLS cert on the payments gateway &amp; its proxy', ts: message.ts, edited: { user: 'U0BOB', ts: '1.1' } },
      previous_message: { type: 'message', user: 'U0BOB', text: 'Cause: expired TLS cert', ts: message.ts },
    });
    await h.settle();
    expect((await pinned())[0]!.text).toBe('Cause: expired TLS cert on the payments gateway & its proxy');

    h.slack.deleteMessage(channel, message.ts);
    await h.event({
      type: 'message',
      subtype: 'message_deleted',
      channel,
      hidden: true,
      deleted_ts: message.ts,
      ts: `${Math.floor(Date.now() / 1000)}.000300`,
      event_ts: `${Math.floor(Date.now() / 1000)}.000300`,
      previous_message: { type: 'message', user: 'U0BOB', text: 'x', ts: message.ts },
    });
    await h.settle();
    expect(await pinned()).toHaveLength(0);
  });

  it('records a reacted reply in a thread', async () => {
    const parent = h.slack.userPosts(channel, 'U0BOB', 'Thread: what changed?');
    const reply = h.slack.userPosts(channel, 'U0CAROL', 'Feature flag checkout_v2 flipped at 09:02', parent.ts);
    h.slack.react(channel, reply.ts, 'U0ALICE', 'pushpin');
    await h.event(reaction('reaction_added', 'U0ALICE', reply.ts));
    await h.settle();
    expect((await pinned())[0]).toMatchObject({ actorId: 'U0CAROL', text: 'Feature flag checkout_v2 flipped at 09:02' });
  });

  it('ignores other emoji and messages outside incident channels', async () => {
    const message = h.slack.userPosts(channel, 'U0BOB', 'lol');
    h.slack.react(channel, message.ts, 'U0ALICE', 'joy');
    await h.event(reaction('reaction_added', 'U0ALICE', message.ts, 'joy'));
    const elsewhere = h.slack.userPosts('C0GENERAL', 'U0BOB', 'unrelated');
    await h.event(reaction('reaction_added', 'U0ALICE', elsewhere.ts, 'pushpin', 'C0GENERAL'));
    await h.settle();
    expect(await pinned()).toHaveLength(0);
  });
});

describe('a custom timeline emoji', () => {
  it('uses TIMELINE_EMOJI instead of pushpin', async () => {
    const h = await Harness.start({ env: { TIMELINE_EMOJI: ':memo:' } });
    try {
      await h.run('declare sev3 Slow builds');
      const channel = (await h.incidentChannel(1)).id;
      const message = h.slack.userPosts(channel, 'U0BOB', 'Cache node evicted');
      h.slack.react(channel, message.ts, 'U0ALICE', 'pushpin');
      await h.event({ type: 'reaction_added', user: 'U0ALICE', reaction: 'pushpin', item: { type: 'message', channel, ts: message.ts }, item_user: 'U0BOB', event_ts: '1.1' });
      h.slack.react(channel, message.ts, 'U0ALICE', 'memo');
      await h.event({ type: 'reaction_added', user: 'U0ALICE', reaction: 'memo', item: { type: 'message', channel, ts: message.ts }, item_user: 'U0BOB', event_ts: '1.2' });
      await h.settle();
      expect((await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'pinned_message').map((e) => e.text)).toEqual(['Cache node evicted']);
      expect(JSON.stringify((await h.incidentChannel(1)).messages[0]!.blocks)).toContain(':memo:');
    } finally {
      await h.stop();
    }
  });
});
