import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';

const MONDAY_0900 = new Date('2026-11-23T09:00:00Z');

describe('a weekly digest resumed in a busy channel', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('finds its message below a few hundred newer ones, posted before its answer was lost, and does not post it again', async () => {
    const clock = new FixedClock();
    h = await Harness.start({ bot: { clock }, env: { DIGEST_DM_OWNERS: 'false' } });
    clock.set('2026-10-01T10:00:00Z');
    await h.run('declare sev2 Checkout errors spiking');
    await h.run('action Add a timeout to the payment client <@U0BOB> due 2026-11-01', { channelId: (await h.incidentChannel(1)).id });

    clock.set(MONDAY_0900);
    // The digest's post reaches Slack, its answer does not: the run stops and gives the period back.
    h.slack.failNext('chat.postMessage', { kind: 'lost' }, 1);
    await expect(h.bot.digest.scheduler.check()).rejects.toThrow();
    for (let i = 0; i < 250; i++) h.slack.userPosts('C0ANNOUNCE', 'U0BOB', `unrelated chatter ${i}`);

    expect(await h.bot.digest.scheduler.check()).toBe('posted');
    const digests = h.slack.channels.get('C0ANNOUNCE')!.messages.filter((m) => m.metadata?.event_type === 'incident_digest');
    expect(digests).toHaveLength(1);
  });
});
