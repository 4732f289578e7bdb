/**
 * The digest's reliability week on the team's calendar: Monday 09:00 to
 * Monday 09:00 in DIGEST_TIMEZONE, whatever daylight saving did in between,
 * so consecutive digests count every incident once and none twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';

describe("the digest's reliability week across a daylight-saving change", () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  /** The reliability line of the digest posted for the period `tick`. */
  async function reliabilityAt(clock: FixedClock, tick: string): Promise<string> {
    clock.set(tick);
    expect(await h.bot.digest.scheduler.check()).toBe('posted');
    const message = h.slack.channels.get('C0ANNOUNCE')!.messages.filter((m) => (m.metadata?.event_payload as { period?: string } | undefined)?.period === new Date(tick).toISOString());
    const line = /\*Reliability, the last 7 days\*: [^\\]*/.exec(JSON.stringify(message[0]!.blocks));
    return line![0];
  }

  async function declareAt(clock: FixedClock, at: string, title: string): Promise<void> {
    clock.set(at);
    const { replies } = await h.run(`declare sev3 ${title}`, { userId: 'U0ALICE' });
    expect(replies.join('\n')).not.toContain('sorry');
  }

  it('spring forward: an incident just before one Monday 09:00 digest is not counted again by the next', async () => {
    const clock = new FixedClock(new Date('2026-03-01T10:00:00Z'));
    h = await Harness.start({ bot: { clock }, env: { DIGEST_TIMEZONE: 'Europe/London', DIGEST_DM_OWNERS: 'false' } });
    await h.run('declare sev3 Old incident', { userId: 'U0ALICE' });
    await h.run('action Long overdue <@U0BOB> due 2026-03-02', { channelId: (await h.incidentChannel(1)).id });
    // Monday 23 March, 08:30 GMT: before that morning's digest.
    await declareAt(clock, '2026-03-23T08:30:00Z', 'Early Monday');
    expect(await reliabilityAt(clock, '2026-03-23T09:00:00Z')).toContain('incidents 1 (was 0)');
    // Clocks went forward on Sunday 29 March: the next digest is 09:00 BST, 08:00 UTC.
    expect(await reliabilityAt(clock, '2026-03-30T08:00:00Z')).toContain('incidents 0 (was 1, −100 %)');
  });

  it('fall back: an incident just after one Monday 09:00 digest is counted by the next', async () => {
    const clock = new FixedClock(new Date('2026-10-01T10:00:00Z'));
    h = await Harness.start({ bot: { clock }, env: { DIGEST_TIMEZONE: 'Europe/London', DIGEST_DM_OWNERS: 'false' } });
    await h.run('declare sev3 Old incident', { userId: 'U0ALICE' });
    await h.run('action Long overdue <@U0BOB> due 2026-10-02', { channelId: (await h.incidentChannel(1)).id });
    // Monday 19 October, 09:00 BST (08:00 UTC): the digest; 09:30 BST, an incident.
    expect(await reliabilityAt(clock, '2026-10-19T08:00:00Z')).toContain('incidents 0 (was 0)');
    await declareAt(clock, '2026-10-19T08:30:00Z', 'Monday after the digest');
    // Clocks went back on Sunday 25 October: the next digest is 09:00 GMT, 09:00 UTC.
    expect(await reliabilityAt(clock, '2026-10-26T09:00:00Z')).toContain('incidents 1 (was 0)');
  });
});
