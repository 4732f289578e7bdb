import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import type { RecordedCall } from '../support/slack-stand-in.js';

/**
 * A flood of timeline reactions in one incident queues a capture per message,
 * each a few Slack reads. None of it may hold up what a responder waits for:
 * the status update goes out first, and the captures all land afterwards.
 * Everything here is counted in Slack calls, never in seconds.
 */
describe('fairness inside one incident', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  const reactionEvent = (channel: string, ts: string, user: string) => ({
    type: 'reaction_added',
    user,
    reaction: 'pushpin',
    item: { type: 'message', channel, ts },
    item_user: 'U0BOB',
    event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
  });

  /** Sends every event, `width` requests at a time, as Slack does under load. */
  async function flood(events: Record<string, unknown>[], width = 25): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < events.length) {
        const res = await h.event(events[next++]!);
        if (res.status !== 200) throw new Error(`ack was ${res.status}`);
      }
    };
    await Promise.all(Array.from({ length: width }, lane));
  }

  /** Posts `count` messages and puts the timeline emoji on each (and a second reactor on every tenth). */
  function reactedMessages(channel: string, count: number): { ts: string[]; events: Record<string, unknown>[] } {
    const ts: string[] = [];
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const message = h.slack.userPosts(channel, 'U0BOB', `Observation ${i}: p99 at ${400 + i} ms`);
      h.slack.react(channel, message.ts, 'U0ALICE', 'pushpin');
      ts.push(message.ts);
      events.push(reactionEvent(channel, message.ts, 'U0ALICE'));
      if (i % 10 === 0) {
        h.slack.react(channel, message.ts, 'U0CAROL', 'pushpin');
        events.push(reactionEvent(channel, message.ts, 'U0CAROL'));
      }
    }
    return { ts, events };
  }

  const isStatusPost = (channel: string, words: string) => (c: RecordedCall) =>
    c.method === 'chat.postMessage' && c.params.channel === channel && String(c.params.text ?? '').includes(words);
  /** Captures Slack had answered before the call at `index` (each capture asks reactions.get once). */
  const capturesAnsweredBefore = (index: number) => h.slack.calls.slice(0, index).filter((c) => c.method === 'reactions.get').length;
  const pinned = async () => (await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'pinned_message');

  it('posts a status update ahead of a flood of captures, then captures every message exactly once', async () => {
    h = await Harness.start();
    await h.run('declare sev1 Checkout errors spiking');
    const channel = (await h.incidentChannel(1)).id;
    const count = 600;
    const { ts, events } = reactedMessages(channel, count);
    // Slack's reads stall while the flood comes in, then answer slowly: the
    // status update arrives with every capture still to do.
    for (const method of ['conversations.history', 'reactions.get', 'chat.getPermalink']) h.slack.slowDown(method, 20);
    const release = h.slack.hold('conversations.history');
    await flood(events);
    release();

    const status = await h.command('status identified Bad deploy of checkout-api', { channelId: channel, userId: 'U0ALICE' });
    expect(status.ack.status).toBe(200);
    await expect.poll(() => h.slack.calls.findIndex(isStatusPost(channel, 'Bad deploy of checkout-api')), { timeout: 15_000, interval: 5 }).toBeGreaterThan(-1);
    // Queued behind the captures, the post would come after all of them; ahead
    // of them, only those in flight (and a few more on a busy machine) finish first.
    const posted = h.slack.calls.findIndex(isStatusPost(channel, 'Bad deploy of checkout-api'));
    expect(capturesAnsweredBefore(posted)).toBeLessThan(count / 4);

    await h.bot.worker.idle(30_000, 1_000);
    const entries = await pinned();
    expect(entries).toHaveLength(count);
    expect(new Set(entries.map((e) => e.messageTs))).toEqual(new Set(ts));
  }, 60_000);

  it('keeps slots free for a status update while every capture waits on a read', async () => {
    h = await Harness.start();
    await h.run('declare sev1 Checkout errors spiking');
    const channel = (await h.incidentChannel(1)).id;
    // More captures than the outbox has slots (64), each stuck on its first read.
    const { events } = reactedMessages(channel, 80);
    const release = h.slack.hold('conversations.history');
    await flood(events);
    const running = async () => (await h.bot.store.outbox.list()).filter((j) => j.kind === 'timeline.reconcile' && j.status === 'running').length;
    await expect.poll(running, { timeout: 5_000, interval: 5 }).toBeGreaterThanOrEqual(56);

    await h.command('status identified Bad deploy of checkout-api', { channelId: channel, userId: 'U0ALICE' });
    // The post goes out while every capture's read is still held: with every
    // slot taken by a capture, it would wait for a read that never comes back.
    await expect.poll(() => h.slack.calls.findIndex(isStatusPost(channel, 'Bad deploy of checkout-api')), { timeout: 5_000, interval: 5 }).toBeGreaterThan(-1);

    release();
    await h.settle();
    expect(await pinned()).toHaveLength(80);
  });
});
