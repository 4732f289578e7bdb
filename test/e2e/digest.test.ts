import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { buttonPressBody } from '../support/signed-requests.js';
import { Harness } from '../support/harness.js';
import type { SlackStandIn, StandInMessage } from '../support/slack-stand-in.js';
import { sharedWorld } from '../support/shared-world.js';
import { query, storedTime } from '../support/store-sql.js';

const MONDAY_0900 = new Date('2026-11-23T09:00:00Z');

/** Three incidents, follow-ups for three owners: overdue, due this week, due later, done. */
async function seed(h: Harness, clock: FixedClock): Promise<void> {
  clock.set('2026-10-01T10:00:00Z');
  await h.run('declare sev2 Checkout errors spiking', { userId: 'U0ALICE' });
  await h.run('declare sev3 Search slow', { userId: 'U0BOB' });
  const c1 = (await h.incidentChannel(1)).id;
  const c2 = (await h.incidentChannel(2)).id;
  await h.run('action Add a timeout to the payment client <@U0BOB> due 2026-11-01', { channelId: c1 });
  await h.run('action Canary stage for checkout <@U0ALICE> due 2026-11-20', { channelId: c1 });
  await h.run('action Alert on 5xx <@U0BOB> due 2026-11-10', { channelId: c1 });
  await h.run('action Rebuild the index nightly <@U0CAROL> due 2026-11-25', { channelId: c2 });
  await h.run('action Capacity plan <@U0CAROL> due 2026-12-31', { channelId: c2 });
  await h.run('action Already finished <@U0BOB> due 2026-11-02', { channelId: c2 });
  await h.run('done 3', { channelId: c2 });
}

const digestMessages = (slack: SlackStandIn, channel = 'C0ANNOUNCE'): StandInMessage[] =>
  slack.channels.get(channel)!.messages.filter((m) => m.metadata?.event_type === 'incident_digest');

describe('the weekly digest', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('posts overdue items grouped by owner, totals first, then the coming week, and DMs each owner', async () => {
    const clock = new FixedClock();
    h = await Harness.start({ bot: { clock } });
    await seed(h, clock);
    clock.set(new Date(MONDAY_0900.getTime() + 30_000));
    expect(await h.bot.digest.scheduler.check()).toBe('posted');

    const [message, ...more] = digestMessages(h.slack);
    expect(more).toHaveLength(0);
    const text = JSON.stringify(message!.blocks);
    expect(message!.text).toBe('Action items digest, 2026-11-23: 3 overdue across 2 owners, 1 due in the coming week');
    // Owners in order, each item with incident, link, due date and days overdue.
    const order = ['Overdue for <@U0ALICE>', 'Canary stage for checkout', 'Overdue for <@U0BOB>', 'Add a timeout', 'Alert on 5xx', 'Due in the coming week', 'Rebuild the index nightly'].map((t) => text.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain(`*INC-1 #1* Add a timeout to the payment client\\n<#${(await h.incidentChannel(1)).id}> INC-1: Checkout errors spiking · due 2026-11-01, *22 days overdue*`);
    expect(text).toContain('*3 days overdue*');
    expect(text).not.toContain('Capacity plan');
    expect(text).not.toContain('Already finished');
    expect((message!.blocks as { type: string }[]).filter((b) => b.type === 'actions')).toHaveLength(4);

    const dmBob = h.slack.channels.get('D0BOB')!.messages.filter((m) => m.metadata?.event_type === 'incident_digest');
    expect(dmBob).toHaveLength(1);
    expect(JSON.stringify(dmBob[0]!.blocks)).toContain('Add a timeout');
    expect(JSON.stringify(dmBob[0]!.blocks)).not.toContain('Canary stage');
    expect(h.slack.channels.get('D0ALICE')!.messages).toHaveLength(1);
    expect(h.slack.channels.get('D0CAROL')).toBeUndefined(); // nothing overdue for carol: no DM

    // The cron fires again, the process restarts, the clock jumps back: still once.
    expect(await h.bot.digest.scheduler.check()).toBe('already-done');
    clock.advance(-20_000);
    expect(await h.bot.digest.scheduler.check()).toBe('already-done');
    expect(digestMessages(h.slack)).toHaveLength(1);
  });

  it('posts nothing when nothing is overdue', async () => {
    const clock = new FixedClock(new Date('2026-11-20T10:00:00Z'));
    h = await Harness.start({ bot: { clock } });
    await h.run('declare sev3 Minor');
    await h.run('action Someday <@U0BOB> due 2026-11-24', { channelId: (await h.incidentChannel(1)).id });
    clock.set(MONDAY_0900);
    expect(await h.bot.digest.scheduler.check()).toBe('nothing-overdue');
    expect(digestMessages(h.slack)).toHaveLength(0);
    expect(h.slack.channels.get('D0BOB')).toBeUndefined();
  });

  it('respects DIGEST_DM_OWNERS=false and DIGEST_CHANNEL', async () => {
    const clock = new FixedClock();
    h = await Harness.start({ bot: { clock }, env: { DIGEST_DM_OWNERS: 'false', DIGEST_CHANNEL: 'C0GENERAL' } });
    h.slack.channels.get('C0GENERAL')!.members.add('UBOT0001');
    await seed(h, clock);
    clock.set(MONDAY_0900);
    await h.bot.digest.scheduler.check();
    expect(digestMessages(h.slack, 'C0GENERAL')).toHaveLength(1);
    expect(digestMessages(h.slack, 'C0ANNOUNCE')).toHaveLength(0);
    expect(h.slack.channels.get('D0BOB')).toBeUndefined();
  });

  it('splits a long digest over several messages in a thread, within Slack limits, every item once', async () => {
    const clock = new FixedClock(new Date('2026-10-01T10:00:00Z'));
    h = await Harness.start({ bot: { clock }, env: { DIGEST_DM_OWNERS: 'false' } });
    await h.run('declare sev2 Many follow-ups');
    const channel = (await h.incidentChannel(1)).id;
    const owners = ['U0ALICE', 'U0BOB', 'U0CAROL', 'U0DAN'];
    for (let i = 1; i <= 40; i++) await h.run(`action Follow-up number ${i} <@${owners[i % 4]}> due 2026-11-${String((i % 20) + 1).padStart(2, '0')}`, { channelId: channel });
    clock.set(MONDAY_0900);
    await h.bot.digest.scheduler.check();
    const messages = digestMessages(h.slack);
    expect(messages.length).toBe(3);
    const [root, ...replies] = messages;
    expect(root!.thread_ts).toBeUndefined();
    expect(replies.every((m) => m.thread_ts === root!.ts)).toBe(true);
    for (const m of messages) expect(m.blocks!.length).toBeLessThanOrEqual(50);
    const all = messages.map((m) => JSON.stringify(m.blocks)).join('');
    for (let i = 1; i <= 40; i++) expect(all.match(new RegExp(`Follow-up number ${i}\\b`, 'g')), `item ${i}`).toHaveLength(1);
  });

  it('Done and Snooze buttons act on the item, record who pressed, and go on the timeline', async () => {
    const clock = new FixedClock();
    h = await Harness.start({ bot: { clock } });
    await seed(h, clock);
    clock.set(MONDAY_0900);
    await h.bot.digest.scheduler.check();
    const press = (actionId: string, value: string, user: string) =>
      h.interact(buttonPressBody({ userId: user, actionId, value, channelId: 'C0ANNOUNCE', responseUrl: h.slack.responseUrl(`press-${actionId}`) }));
    expect((await press('action_item_snooze', '{"incidentId":1,"number":1}', 'U0CAROL')).status).toBe(200);
    expect((await press('action_item_done', '{"incidentId":1,"number":3}', 'U0BOB')).status).toBe(200);
    await h.settle();
    expect((await h.bot.store.actions.get(1, 1))!.dueDate).toBe('2026-11-30');
    expect(await h.bot.store.actions.get(1, 3)).toMatchObject({ status: 'done', closedBy: 'U0BOB' });
    const timeline = (await h.bot.store.timeline.list(1)).map((e) => e.text);
    expect(timeline).toContain('Action INC-1 #1 snoozed by <@U0CAROL>: due 2026-11-30 (was 2026-11-01)');
    expect(timeline).toContain('Action INC-1 #3 done: Alert on 5xx');
    expect(h.slack.responsesFor('press-action_item_snooze')[0]!.text).toContain('now due 2026-11-30');
  });

  it('answers /incident digest to the asker, and /incident digest here in the channel', async () => {
    const clock = new FixedClock();
    h = await Harness.start({ bot: { clock } });
    await seed(h, clock);
    clock.set('2026-11-23T15:00:00Z');
    const { responseId } = await h.run('digest', { channelId: 'C0GENERAL', userId: 'U0DAN' });
    const answers = h.slack.responsesFor(responseId);
    expect(answers[0]!.response_type).toBe('ephemeral');
    expect(String(answers[0]!.text)).toContain('3 overdue across 2 owners');
    expect(digestMessages(h.slack)).toHaveLength(0);

    const channel = await h.incidentChannel(1);
    await h.run('digest here', { channelId: channel.id });
    expect(channel.messages.at(-1)!.text).toContain('3 overdue across 2 owners');
    const { replies } = await h.run('digest now', { channelId: channel.id });
    expect(replies[0]).toContain('`digest` takes only `here`');
  });

  it('tells how to get /incident digest here where the bot may not post, and posts nothing', async () => {
    const clock = new FixedClock();
    h = await Harness.start({ bot: { clock } });
    await seed(h, clock);
    clock.set('2026-11-23T15:00:00Z');
    // A private channel without the bot, and a DM between two people: Slack answers channel_not_found to both.
    h.slack.addChannel('G0SECRET', 'secret', true, 'U0DAN', ['U0DAN']);
    const posts = h.slack.callsTo('chat.postMessage').length;
    for (const channelId of ['G0SECRET', 'D0DANCAROL']) {
      const { replies } = await h.run('digest here', { channelId, userId: 'U0DAN' });
      expect(replies.join('\n'), channelId).toContain("I can't post in this conversation because I'm not in it, so the digest was not posted.");
      expect(replies.join('\n'), channelId).toContain('run `/incident digest` without `here`');
    }
    // A public channel the bot has not joined, where Slack refuses bots without chat:write.public.
    h.slack.failNext('chat.postMessage', { kind: 'error', error: 'not_in_channel' });
    const { replies } = await h.run('digest here', { channelId: 'C0GENERAL', userId: 'U0DAN' });
    expect(replies.join('\n')).toContain('invite me first');
    expect(h.slack.channels.get('G0SECRET')!.messages).toHaveLength(0);
    // One refused try each, none retried, none that got through.
    const tries = h.slack.callsTo('chat.postMessage').slice(posts).filter((c) => ['G0SECRET', 'D0DANCAROL', 'C0GENERAL'].includes(String(c.params.channel)));
    expect(tries.map((c) => [c.params.channel, c.response.error])).toEqual([['G0SECRET', 'channel_not_found'], ['D0DANCAROL', 'channel_not_found'], ['C0GENERAL', 'not_in_channel']]);
  });
});

describe('exactly once', () => {
  it('posts once with two instances on one database file, and completes a digest a crashed poster left half done', async () => {
    const { slack, databaseFile, dispose } = await sharedWorld();
    const clock = new FixedClock();
    const env = { DIGEST_DM_OWNERS: 'false' };
    const a = await Harness.start({ slack, databaseFile, env, bot: { clock, digestLeaseMs: 60_000 } });
    const b = await Harness.start({ slack, databaseFile, env, bot: { clock, digestLeaseMs: 60_000 } });
    try {
      clock.set('2026-10-01T10:00:00Z');
      await a.run('declare sev2 Many follow-ups');
      const channel = (await a.incidentChannel(1)).id;
      for (let i = 1; i <= 40; i++) await a.run(`action Item ${i} <@U0BOB> due 2026-11-0${(i % 9) + 1}`, { channelId: channel });

      // Period 1: both instances fire at once.
      clock.set(MONDAY_0900);
      const outcomes = await Promise.all([a.bot.digest.scheduler.check(), b.bot.digest.scheduler.check()]);
      expect(outcomes.sort()).toEqual(['busy', 'posted']);
      expect(digestMessages(slack)).toHaveLength(3);

      // Period 2: instance A crashes in the middle. Its second message reached Slack but
      // the answer was lost, then A died; B takes over when A's lease runs out.
      clock.set('2026-11-30T09:00:00Z');
      const original = slack.onCall;
      slack.onCall = (call) => {
        // After the first message of the digest, the next one is posted but its answer is lost.
        if (call.method === 'chat.postMessage' && call.status === 200) {
          slack.failNext('chat.postMessage', { kind: 'lost' }, 1);
          slack.onCall = original;
        }
      };
      await expect(a.bot.digest.scheduler.check()).rejects.toThrow();
      slack.onCall = original;
      slack.clearFaults();
      // A gave its claim back when it failed; simulate the harder case, a crash that could not:
      await query(a, "update digest_runs set lease_until = ?, owner = 'dead-process' where period = ?", [storedTime(a, new Date(clock.now().getTime() + 60_000)), '2026-11-30T09:00:00.000Z']);
      expect(await b.bot.digest.scheduler.check()).toBe('busy');
      clock.advance(61_000);
      expect(await b.bot.digest.scheduler.check()).toBe('posted');

      const second = digestMessages(slack).filter((m) => (m.metadata!.event_payload as { period: string }).period === '2026-11-30T09:00:00.000Z');
      const parts = second.map((m) => (m.metadata!.event_payload as { part: string }).part).sort();
      expect(parts).toEqual(['channel-0', 'channel-1', 'channel-2']);
      const root = second.find((m) => !m.thread_ts)!;
      expect(second.filter((m) => m.thread_ts).every((m) => m.thread_ts === root.ts)).toBe(true);
      expect(await a.bot.digest.scheduler.check()).toBe('already-done');
    } finally {
      await a.stop();
      await b.stop();
      await dispose();
    }
  });
});
