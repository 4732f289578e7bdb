import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { PagerDutyStandIn } from '../support/pagerduty-stand-in.js';

const env = (pd: PagerDutyStandIn) => ({ PAGERDUTY_ROUTING_KEY: 'R0DEFAULTKEY0000000000000000000', PAGERDUTY_EVENTS_URL: pd.url });
const NGINX_403 = '<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr><center>nginx</center></body></html>';

describe('a page answered by a proxy in front of PagerDuty, not by PagerDuty', () => {
  let pd: PagerDutyStandIn;
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
    await pd?.stop();
  });

  async function start() {
    pd = new PagerDutyStandIn();
    await pd.start();
    const clock = new FixedClock(new Date('2026-11-22T09:00:00Z'));
    h = await Harness.start({ env: env(pd), bot: { clock, pagerduty: { retryTimeoutMs: 5, requestTimeoutMs: 5_000 }, outbox: { baseBackoffMs: 1_000, maxBackoffMs: 60_000, pollMs: 10 } } });
    return clock;
  }

  it("is given up at its HTML 403 and the channel told, with the proxy's words, instead of retried for an hour", async () => {
    const clock = await start();
    pd.page = { status: 403, body: NGINX_403 };
    await h.run('declare sev1 Checkout errors spiking');
    clock.advance(5_000);
    await h.settle();
    for (let s = 0; s < 3; s++) {
      clock.advance(60_000);
      await h.settle();
    }
    expect(pd.events).toHaveLength(1);
    const text = (await h.incidentChannel(1)).messages.map((m) => m.text).join('\n');
    expect(text).toContain('Paging PagerDuty (default) failed: PagerDuty answered 403 with a page that is not PagerDuty\'s JSON (a proxy\'s?): "403 Forbidden 403 Forbidden nginx"');
    expect(text).toContain('check PAGERDUTY_EVENTS_URL');
    expect((await h.bot.store.outbox.list()).filter((j) => j.kind === 'pagerduty.event' && j.status !== 'done')).toEqual([]);
  });

  it("is retried at a load balancer's 502 page, as a 502, and delivered once PagerDuty answers", async () => {
    const clock = await start();
    pd.page = { status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>' };
    await h.run('declare sev1 Checkout errors spiking');
    clock.advance(5_000);
    await h.settle();
    const [job] = (await h.bot.store.outbox.list()).filter((j) => j.kind === 'pagerduty.event');
    expect(job!.status).toBe('pending');
    expect(job!.lastError).toContain('PagerDuty answered 502');
    pd.page = undefined;
    for (let s = 0; s < 6 && pd.acceptedTriggers().length === 0; s++) {
      clock.advance(10_000);
      await h.settle();
    }
    expect(pd.acceptedTriggers()).toHaveLength(1);
    expect((await h.incidentChannel(1)).messages.map((m) => m.text).join('\n')).toContain('PagerDuty accepted the page');
  });
});
