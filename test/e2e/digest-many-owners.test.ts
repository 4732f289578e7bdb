/**
 * The weekly digest's DMs to 200 owners when Slack stops the bot part way
 * through: nothing is asked of Slack before a rate limit's Retry-After has
 * passed, the resumed run does not read every remaining DM back before
 * posting it (only the one whose fate is unknown), and every owner gets one DM.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { USERS } from '../support/slack-stand-in.js';

const MONDAY_0900 = new Date('2026-11-23T09:00:00Z');
const OWNERS = Array.from({ length: 200 }, (_, i) => `U0OWNER${String(i + 1).padStart(3, '0')}`);

describe('the weekly digest to 200 owners', () => {
  let h: Harness;
  // The stand-in's workspace gets 200 more people for this file only.
  beforeAll(() => {
    for (const owner of OWNERS) USERS[owner] = { name: owner.toLowerCase(), email: `${owner.toLowerCase()}@example.com` };
  });
  afterAll(() => {
    for (const owner of OWNERS) delete USERS[owner];
  });
  afterEach(async () => h?.stop());

  /** 200 owners with one overdue follow-up each; Slack takes 80 DMs, then answers the next with `fault`. */
  async function startFailingAfter80(fault: Parameters<Harness['slack']['failNext']>[1]): Promise<FixedClock> {
    const clock = new FixedClock(new Date('2026-10-01T10:00:00Z'));
    h = await Harness.start({ bot: { clock } });
    await h.run('declare sev2 Big review', { userId: 'U0ALICE' });
    const incident = (await h.bot.store.incidents.get(1))!;
    await h.bot.store.transaction(async (tx) => {
      for (const owner of OWNERS) await tx.actions.add({ incidentId: incident.id, text: `Follow-up of ${owner}`, ownerId: owner, dueDate: '2026-11-10', createdBy: 'U0ALICE', createdAt: clock.now() });
    });
    clock.set(MONDAY_0900);
    let dms = 0;
    h.slack.onCall = (call) => {
      if (call.method === 'chat.postMessage' && String(call.params.channel).startsWith('U0OWNER') && call.status === 200 && ++dms === 80) {
        h.slack.failNext('chat.postMessage', fault);
        h.slack.onCall = undefined;
      }
    };
    await expect(h.bot.digest.scheduler.check()).rejects.toThrow();
    return clock;
  }

  function expectOneDmEach(): void {
    for (const owner of OWNERS) {
      const messages = h.slack.channels.get(`D${owner.slice(1)}`)?.messages.filter((m) => m.metadata?.event_type === 'incident_digest') ?? [];
      expect(messages, owner).toHaveLength(1);
    }
  }

  it("asks Slack nothing before a rate limit's Retry-After has passed, then resumes", async () => {
    const clock = await startFailingAfter80({ kind: 'ratelimited', retryAfter: 60 });
    const before = h.slack.calls.length;
    clock.advance(30_000);
    expect(await h.bot.digest.scheduler.check()).toBe('busy');
    expect(h.slack.calls.slice(before).map((c) => c.method)).toEqual([]);
    clock.advance(31_000);
    expect(await h.bot.digest.scheduler.check()).toBe('posted');
    expectOneDmEach();
  });

  it('resumed, looks in Slack only for the DM whose fate is unknown, not for each of the 120 left', async () => {
    const clock = await startFailingAfter80({ kind: 'error', error: 'internal_error' });
    const before = h.slack.calls.length;
    clock.advance(30_000);
    expect(await h.bot.digest.scheduler.check()).toBe('posted');
    const resumed = h.slack.calls.slice(before);
    expect(resumed.filter((c) => ['conversations.open', 'conversations.history', 'conversations.replies'].includes(c.method)).length).toBeLessThanOrEqual(2);
    expect(resumed.filter((c) => c.method === 'chat.postMessage' && c.status === 200)).toHaveLength(120);
    expectOneDmEach();
  });
});
