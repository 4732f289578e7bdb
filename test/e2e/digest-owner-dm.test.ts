/**
 * The owner's own digest (DIGEST_DM_OWNERS) for someone with hundreds of
 * follow-ups: every message within Slack's limits, every item once, and the
 * heading counting the whole list, not the first message's share of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import type { StandInMessage } from '../support/slack-stand-in.js';
import { messageProblems } from '../support/slack-limits.js';

const MONDAY_0900 = new Date('2026-11-23T09:00:00Z');

describe("the weekly digest's owner DM", () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  async function seedFor(owner: string, overdue: number, upcoming: number): Promise<void> {
    const incident = (await h.bot.store.incidents.get(1))!;
    await h.bot.store.transaction(async (tx) => {
      const add = (text: string, dueDate: string) =>
        tx.actions.add({ incidentId: incident.id, text, ownerId: owner, dueDate, createdBy: 'U0ALICE', createdAt: new Date('2026-10-01T10:00:00Z') });
      for (let i = 1; i <= overdue; i++) await add(`Overdue follow-up ${i}`, `2026-11-${String((i % 20) + 1).padStart(2, '0')}`);
      for (let i = 1; i <= upcoming; i++) await add(`Upcoming follow-up ${i}`, '2026-11-26');
    });
  }

  const dms = (channel: string): StandInMessage[] => h.slack.channels.get(channel)?.messages.filter((m) => m.metadata?.event_type === 'incident_digest') ?? [];

  it('heads 300 overdue follow-ups with 300, in messages Slack takes, each item once', async () => {
    const clock = new FixedClock(new Date('2026-10-01T10:00:00Z'));
    h = await Harness.start({ bot: { clock } });
    await h.run('declare sev2 Many follow-ups', { userId: 'U0ALICE' });
    await seedFor('U0BOB', 300, 5);
    clock.set(MONDAY_0900);
    expect(await h.bot.digest.scheduler.check()).toBe('posted');

    const messages = dms('D0BOB');
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(messageProblems({ text: m.text, blocks: m.blocks })).toEqual([]);
    const [root, ...replies] = messages;
    expect(replies.every((m) => m.thread_ts === root!.ts)).toBe(true);
    const heading = JSON.stringify(root!.blocks);
    expect(heading).toContain('*300 overdue*');
    expect(heading).toContain('*5 due in the coming week*');
    const all = messages.map((m) => JSON.stringify(m.blocks)).join('');
    for (let i = 1; i <= 300; i++) expect(all.match(new RegExp(`Overdue follow-up ${i}\\b`, 'g')), `item ${i}`).toHaveLength(1);
    for (let i = 1; i <= 5; i++) expect(all.match(new RegExp(`Upcoming follow-up ${i}\\b`, 'g')), `upcoming ${i}`).toHaveLength(1);
  });

  it('resumed after a failure, lists the items it planned: one done meanwhile does not push another out of the DM', async () => {
    const clock = new FixedClock(new Date('2026-10-01T10:00:00Z'));
    h = await Harness.start({ bot: { clock } });
    await h.run('declare sev2 Many follow-ups', { userId: 'U0ALICE' });
    await seedFor('U0BOB', 40, 0);
    clock.set(MONDAY_0900);
    // Bob's first DM goes out; Slack fails the second, and the run stops there.
    h.slack.onCall = (call) => {
      if (call.method === 'chat.postMessage' && call.params.channel === 'U0BOB' && call.status === 200) {
        h.slack.failNext('chat.postMessage', { kind: 'error', error: 'internal_error' });
        h.slack.onCall = undefined;
      }
    };
    await expect(h.bot.digest.scheduler.check()).rejects.toThrow();
    expect(dms('D0BOB')).toHaveLength(1);
    // Bob closes one of the items his first DM listed before the run resumes.
    const first = /\*INC-1 #(\d+)\*/.exec(JSON.stringify(dms('D0BOB')[0]!.blocks))!;
    expect(await h.bot.store.actions.close(1, Number(first[1]), 'done', 'U0BOB', clock.now(), null)).toBe(true);
    clock.advance(30_000);
    expect(await h.bot.digest.scheduler.check()).toBe('posted');

    const messages = dms('D0BOB');
    expect(messages).toHaveLength(3);
    const all = messages.map((m) => JSON.stringify(m.blocks)).join('');
    for (let i = 1; i <= 40; i++) expect(all.match(new RegExp(`Overdue follow-up ${i}\\b`, 'g')), `item ${i}`).toHaveLength(1);
  });
});
