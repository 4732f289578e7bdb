import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { count } from '../support/store-sql.js';

const NOT_PAGED = 'Not paged: PagerDuty is not configured';

describe('a paging severity while paging is off says that nobody was paged', () => {
  let h: Harness;
  afterEach(async () => h.stop());

  const headerOf = async (id: number) => {
    const c = await h.incidentChannel(id);
    return JSON.stringify(c.messages.find((m) => c.pins.has(m.ts))!.blocks);
  };
  const noticesIn = async (id: number) => (await h.incidentChannel(id)).messages.filter((m) => !m.blocks && m.text.includes(NOT_PAGED));

  it('on declaring a SEV1: in the header and once in the channel', async () => {
    h = await Harness.start({ env: { PAGE_SEVERITIES: 'sev1' } });
    await h.run('declare sev1 Checkout down');
    expect(await headerOf(1)).toContain(NOT_PAGED);
    expect(await noticesIn(1)).toHaveLength(1);
    // Nothing was queued for PagerDuty.
    expect(await count(h, "select count(*) n from outbox where kind like 'pagerduty.%'")).toBe(0);

    await h.run('declare sev2 Search slow');
    expect(await headerOf(2)).not.toContain(NOT_PAGED);
    expect(await noticesIn(2)).toHaveLength(0);
  });

  it('on raising into a paging severity, and not while it stays in one', async () => {
    h = await Harness.start({ env: { PAGE_SEVERITIES: 'sev1' } });
    await h.run('declare sev3 Search slow');
    const channel = (await h.incidentChannel(1)).id;
    expect(await noticesIn(1)).toHaveLength(0);
    expect(await headerOf(1)).not.toContain(NOT_PAGED);

    await h.run('severity sev1', { channelId: channel });
    expect(await noticesIn(1)).toHaveLength(1);
    expect(await headerOf(1)).toContain(NOT_PAGED);

    await h.run('status identified Found it', { channelId: channel });
    expect(await noticesIn(1)).toHaveLength(1);

    await h.run('severity sev2', { channelId: channel });
    expect(await headerOf(1)).not.toContain(NOT_PAGED);
  });

  it('names the services there are when none is the default', async () => {
    h = await Harness.start({ env: { PAGE_SEVERITIES: 'sev1', PAGERDUTY_SERVICES: 'checkout=R0CHECKOUTKEY00000000000000000' } });
    await h.run('declare sev1 Checkout down');
    const notice = (await h.incidentChannel(1)).messages.find((m) => m.text.includes('Not paged'))!;
    expect(notice.text).toContain('`/incident page checkout`');
    // Services exist: the header does not claim PagerDuty is missing (a named page may follow).
    expect(await headerOf(1)).not.toContain(NOT_PAGED);
  });
});
