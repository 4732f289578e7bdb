import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { PagerDutyStandIn } from '../support/pagerduty-stand-in.js';

describe('PagerDuty down with a second event of one page waiting behind the first', () => {
  let pd: PagerDutyStandIn;
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
    await pd?.stop();
  });

  it('holds up none of the Slack posts of any incident', async () => {
    pd = new PagerDutyStandIn();
    await pd.start();
    h = await Harness.start({ env: { PAGERDUTY_ROUTING_KEY: 'R0DEFAULTKEY0000000000000000000', PAGERDUTY_EVENTS_URL: pd.url }, bot: { pagerduty: { retryTimeoutMs: 5, requestTimeoutMs: 5_000 } } });
    pd.mode = 'error';
    await h.command('declare sev1 Checkout errors spiking');
    await expect.poll(() => h.bot.store.incidents.get(1).then((i) => i?.channelId), { timeout: 10_000 }).toBeTruthy();
    const channel = (await h.bot.store.incidents.get(1))!.channelId!;
    // Paged again while the first trigger is still being retried: the second waits behind it (one dedup key).
    await h.command('page Still failing', { channelId: channel });
    await h.command('status monitoring Rolled back', { channelId: channel });
    await expect
      .poll(() => h.slack.channels.get(channel)!.messages.some((m) => m.text.includes('Rolled back')), { timeout: 5_000 })
      .toBe(true);
    pd.mode = 'ok';
  });
});
