import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { PagerDutyStandIn } from '../support/pagerduty-stand-in.js';

const env = (pd: PagerDutyStandIn) => ({ PAGERDUTY_ROUTING_KEY: 'R0DEFAULTKEY0000000000000000000', PAGERDUTY_EVENTS_URL: pd.url });

describe('a page still being retried when the incident is resolved', () => {
  let pd: PagerDutyStandIn;
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
    await pd?.stop();
  });

  it('is not sent once PagerDuty is back: nobody is woken for an incident already over', async () => {
    pd = new PagerDutyStandIn();
    await pd.start();
    const clock = new FixedClock(new Date('2026-11-22T09:00:00Z'));
    h = await Harness.start({ env: env(pd), bot: { clock, pagerduty: { retryTimeoutMs: 5, requestTimeoutMs: 5_000 }, outbox: { baseBackoffMs: 1_000, maxBackoffMs: 60_000, pollMs: 10 } } });
    pd.mode = 'error';
    await h.run('declare sev1 Checkout errors spiking');
    // Past the moment the page waits for the channel to link to it: it is sent, and refused.
    clock.advance(5_000);
    await h.settle();
    expect(pd.events.filter((e) => e.status === 500).length).toBeGreaterThan(0);
    // Fixed while PagerDuty was down; the trigger waits in its backoff, the resolve behind it.
    // Sent, not run: settling would wait for the posts held up behind the retried page.
    expect((await h.command('resolve Rolled back', { channelId: (await h.incidentChannel(1)).id })).ack.status).toBe(200);
    pd.mode = 'ok';
    for (let s = 0; s < 12; s++) {
      clock.advance(10_000);
      await h.settle();
    }
    expect(pd.acceptedTriggers()).toEqual([]);
    // Still told: an attempt whose answer was lost may have reached it.
    expect(pd.events.filter((e) => e.body.event_action === 'resolve' && e.status === 202)).toHaveLength(1);
    const text = (await h.incidentChannel(1)).messages.map((m) => m.text).join('\n');
    expect(text).not.toContain('the on-call is being notified');
    expect(text).toContain('was resolved before PagerDuty accepted the page');
    // Nothing is left waiting.
    expect((await h.bot.store.outbox.list()).filter((j) => j.kind === 'pagerduty.event' && j.status !== 'done')).toEqual([]);
  });
});
