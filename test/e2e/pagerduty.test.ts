import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness, type HarnessOptions } from '../support/harness.js';
import { PagerDutyStandIn } from '../support/pagerduty-stand-in.js';
import { sharedWorld } from '../support/shared-world.js';

const SECRET = 'pd-webhook-secret';
// A page that times out is sent again (PagerDuty merges it by dedup key), and the stand-in counts both:
// a loaded machine can take more than a few hundred milliseconds to answer, so only the outage test,
// whose point is a silent PagerDuty, waits briefly.
const PD_OPTIONS = { retryTimeoutMs: 5, requestTimeoutMs: 5_000 };
const OUTAGE_PD_OPTIONS = { retryTimeoutMs: 5, requestTimeoutMs: 300 };

function pagerDutyEnv(pd: PagerDutyStandIn, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PAGERDUTY_ROUTING_KEY: 'R0DEFAULTKEY0000000000000000000',
    PAGERDUTY_SERVICES: 'checkout=R0CHECKOUTKEY00000000000000000, payments=R0PAYMENTSKEY00000000000000000',
    PAGERDUTY_EVENTS_URL: pd.url,
    PAGERDUTY_API_URL: pd.url,
    PAGERDUTY_API_TOKEN: 'pd-api-token',
    PAGERDUTY_ESCALATION_POLICY_ID: 'P0POLICY',
    PAGERDUTY_WEBHOOK_SECRET: SECRET,
    ...extra,
  };
}

function webhook(eventType: string, dedupKey: string, id = `01${Math.random().toString(36).slice(2, 12).toUpperCase()}`) {
  return JSON.stringify({
    event: {
      id,
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: '2026-11-22T09:04:00.000Z',
      agent: { html_url: 'https://acme.pagerduty.com/users/PUSER0', id: 'PUSER0', self: null, summary: 'Dan Oncall', type: 'user_reference' },
      client: null,
      data: { id: 'Q0PDINCIDENT', type: 'incident', incident_key: dedupKey, number: 42, status: eventType.split('.')[1], title: 'x' },
    },
  });
}

/** The dedup key the bot recorded for a page: unique to this database's incident, so read, not spelled out. */
async function keyOf(h: Harness, incidentId: number, service = 'default'): Promise<string> {
  const page = (await h.bot.store.pages.forIncident(incidentId)).find((p) => p.service === service);
  if (!page) throw new Error(`no page of ${service} for incident ${incidentId}`);
  return page.dedupKey;
}

async function postWebhook(h: Harness, body: string, secret = SECRET) {
  const signature = `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return fetch(`${h.url}/pagerduty/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signature }, body });
}

describe('paging PagerDuty', () => {
  let pd: PagerDutyStandIn;
  let h: Harness;
  const start = async (options: HarnessOptions = {}) => {
    h = await Harness.start({ ...options, env: { ...pagerDutyEnv(pd), ...options.env }, bot: { pagerduty: PD_OPTIONS, ...options.bot } });
    return h;
  };

  beforeEach(async () => {
    pd = new PagerDutyStandIn();
    await pd.start();
  });
  afterEach(async () => {
    await h?.stop();
    await pd.stop();
  });

  it('pages on declare at a paging severity, with a valid, complete event, and brings in the on-call', async () => {
    await start();
    await h.run('declare sev1 Checkout errors spiking', { userId: 'U0ALICE' });
    const [event] = pd.events;
    expect(pd.events).toHaveLength(1);
    expect(event!.problems).toEqual([]);
    expect(event!.body).toMatchObject({
      routing_key: 'R0DEFAULTKEY0000000000000000000',
      event_action: 'trigger',
      dedup_key: await keyOf(h, 1),
      payload: {
        summary: '[SEV1] INC-1: Checkout errors spiking',
        severity: 'critical',
        source: 'incident-bot',
        component: 'default',
        custom_details: { incident: 'INC-1', severity: 'SEV1', status: 'investigating', incident_commander: 'U0ALICE', declared_by: 'U0ALICE' },
      },
    });
    const channel = await h.incidentChannel(1);
    expect((event!.body.links as { href: string }[])[0]!.href).toContain(channel.id);

    const texts = channel.messages.map((m) => m.text);
    expect(texts.some((t) => t.includes('Paged PagerDuty (default)'))).toBe(true);
    expect(texts.some((t) => t.includes('PagerDuty accepted the page (default)'))).toBe(true);

    // On call: level 1 only, found in Slack by e-mail, invited, named in the header.
    expect(pd.restRequests.every((r) => r.problems.length === 0)).toBe(true);
    expect(pd.restRequests[0]!.auth).toBe('Token token=pd-api-token');
    expect(channel.members).toContain('U0DAN');
    expect(JSON.stringify(channel.messages.find((m) => channel.pins.has(m.ts))!.blocks)).toContain('*On call (PagerDuty)*\\n<@U0DAN>');
    expect((await h.bot.store.timeline.list(1)).some((e) => e.kind === 'paged')).toBe(true);
  });

  it('invites the on-call after Slack failed the first invite for a moment, and names them only then', async () => {
    await start({ bot: { outbox: { baseBackoffMs: 50 } } });
    await h.run('declare sev3 Payments timeouts');
    const channel = await h.incidentChannel(1);
    h.slack.failNext('conversations.invite', { kind: 'error', error: 'internal_error' });
    await h.run('page', { channelId: channel.id });
    await h.settle();
    expect(channel.members).toContain('U0DAN');
    expect(JSON.stringify(channel.messages.find((m) => channel.pins.has(m.ts))!.blocks)).toContain('*On call (PagerDuty)*\\n<@U0DAN>');
  });

  it('does not page below the paging severities, pages once when raised into them', async () => {
    await start();
    await h.run('declare sev3 Slow admin pages');
    expect(pd.events).toHaveLength(0);
    const channel = (await h.incidentChannel(1)).id;
    await h.run('severity sev2', { channelId: channel });
    expect(pd.events.map((e) => e.body.payload)).toMatchObject([{ severity: 'error', summary: '[SEV2] INC-1: Slow admin pages' }]);
    await h.run('severity sev1', { channelId: channel });
    await h.run('severity sev3', { channelId: channel });
    await h.run('severity sev2', { channelId: channel });
    expect(pd.events).toHaveLength(1);
  });

  it('honours PAGE_SEVERITIES', async () => {
    await start({ env: { PAGE_SEVERITIES: 'sev1' } });
    await h.run('declare sev2 Search slow');
    expect(pd.events).toHaveLength(0);
  });

  it('pages a named service on demand, and again when asked again, under one dedup key', async () => {
    await start();
    await h.run('declare sev3 Payments timeouts');
    const channel = (await h.incidentChannel(1)).id;
    const { replies } = await h.run('page checkout Need the checkout team: card auth failing', { channelId: channel });
    expect(replies[0]).toContain('Paging PagerDuty (checkout) for INC-1');
    await h.run('page checkout Still failing', { channelId: channel });
    await h.run('page Wake the default rota', { channelId: channel });
    const [checkout, rota] = [await keyOf(h, 1, 'checkout'), await keyOf(h, 1)];
    expect(checkout).not.toBe(rota);
    expect(pd.events.map((e) => [e.body.routing_key, e.body.dedup_key, (e.body.payload as { component: string }).component])).toEqual([
      ['R0CHECKOUTKEY00000000000000000', checkout, 'checkout'],
      ['R0CHECKOUTKEY00000000000000000', checkout, 'checkout'],
      ['R0DEFAULTKEY0000000000000000000', rota, 'default'],
    ]);
    expect((pd.events[0]!.body.payload as { summary: string }).summary).toBe('[SEV3] INC-1: Payments timeouts (Need the checkout team: card auth failing)');
    expect(pd.events.every((e) => e.problems.length === 0)).toBe(true);
  });

  it('resolves every paged key when the incident is resolved', async () => {
    await start();
    await h.run('declare sev1 Checkout down');
    const channel = (await h.incidentChannel(1)).id;
    await h.run('page payments', { channelId: channel });
    await h.run('resolve Rolled back', { channelId: channel });
    const resolves = pd.events.filter((e) => e.body.event_action === 'resolve');
    expect(resolves.map((e) => e.body.dedup_key).sort()).toEqual([await keyOf(h, 1), await keyOf(h, 1, 'payments')].sort());
    expect(resolves.every((e) => e.problems.length === 0 && e.status === 202)).toBe(true);
  });

  it('shows PagerDuty 400 errors in the channel and does not retry them', async () => {
    await start();
    pd.mode = 'invalid';
    await h.run('declare sev1 Checkout down');
    expect(pd.events).toHaveLength(1);
    const text = (await h.incidentChannel(1)).messages.map((m) => m.text).join('\n');
    expect(text).toContain('Paging PagerDuty (default) failed: PagerDuty answered 400: Event object is invalid');
    expect(text).toContain("'payload.summary' is missing or blank");
  });

  it('rides out 429 with retries', async () => {
    await start();
    pd.mode = 'ratelimited';
    await h.command('declare sev1 Checkout down');
    for (let i = 0; i < 200 && !pd.events.some((e) => e.status === 429); i++) await new Promise((r) => setTimeout(r, 20));
    pd.mode = 'ok';
    await h.settle();
    await new Promise((r) => setTimeout(r, 1500));
    await h.settle();
    expect(pd.events.filter((e) => e.status === 429).length).toBeGreaterThan(0);
    expect(pd.acceptedTriggers(await keyOf(h, 1))).toHaveLength(1);
  });

  it('says paging is off, and never crashes, without a routing key', async () => {
    h = await Harness.start();
    await h.run('declare sev1 Checkout down');
    const { replies } = await h.run('page', { channelId: (await h.incidentChannel(1)).id });
    expect(replies[0]).toContain('Paging is off');
    expect(pd.events).toHaveLength(0);
    const oncall = await h.run('oncall');
    expect(oncall.replies[0]).toContain('On-call lookup is off');
    expect((await fetch(`${h.url}/pagerduty/webhook`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('answers /incident oncall with level 1 from PagerDuty', async () => {
    await start();
    const { replies } = await h.run('oncall');
    expect(replies[0]).toContain('<@U0DAN> (level 1)');
    expect(replies[0]).not.toContain('Erin');
  });
});

describe('PagerDuty outages and restarts', () => {
  it('retries through a PagerDuty outage of several minutes and delivers exactly one trigger', async () => {
    const pd = new PagerDutyStandIn();
    await pd.start();
    const clock = new FixedClock(new Date('2026-11-22T09:00:00Z'));
    const h = await Harness.start({ env: pagerDutyEnv(pd), bot: { clock, pagerduty: OUTAGE_PD_OPTIONS, outbox: { baseBackoffMs: 1_000, maxBackoffMs: 60_000, pollMs: 10 } } });
    try {
      pd.mode = 'error';
      await h.run('declare sev1 Checkout errors spiking');
      // Seven minutes of outage: 500s, then silence, then back.
      for (let minute = 0; minute < 7; minute++) {
        if (minute === 4) pd.mode = 'silent';
        for (let s = 0; s < 6; s++) {
          clock.advance(10_000);
          await h.settle();
        }
      }
      pd.mode = 'ok';
      for (let s = 0; s < 12; s++) {
        clock.advance(10_000);
        await h.settle();
      }
      expect(pd.events.filter((e) => e.status === 500).length).toBeGreaterThan(3);
      expect(pd.acceptedTriggers(await keyOf(h, 1))).toHaveLength(1);
      expect(pd.events.every((e) => e.problems.length === 0)).toBe(true);
      expect((await h.incidentChannel(1)).messages.some((m) => m.text.includes('PagerDuty accepted the page'))).toBe(true);
    } finally {
      await h.stop();
      await pd.stop();
    }
  });

  it('picks up pending pages after a restart and sends them once', async () => {
    const pd = new PagerDutyStandIn();
    await pd.start();
    const { slack, databaseFile, dispose } = await sharedWorld();
    try {
      pd.mode = 'error';
      const first = await Harness.start({ slack, databaseFile, env: pagerDutyEnv(pd), bot: { pagerduty: PD_OPTIONS, outbox: { baseBackoffMs: 50 } } });
      // Stopped once PagerDuty has refused the trigger: the page is left pending, to be retried.
      await first.command('declare sev1 Checkout errors spiking');
      await expect.poll(() => pd.events.length, { timeout: 5_000, interval: 20 }).toBeGreaterThan(0);
      await first.stop();
      expect(pd.acceptedTriggers()).toHaveLength(0);

      pd.mode = 'ok';
      const second = await Harness.start({ slack, databaseFile, env: pagerDutyEnv(pd), bot: { pagerduty: PD_OPTIONS, outbox: { baseBackoffMs: 50, pollMs: 20 } } });
      // The page keeps the retry time the first bot gave it (its backoff grows
      // while the first bot runs, more on a loaded machine): wait for it, bounded.
      const key = await keyOf(second, 1);
      await expect.poll(() => pd.acceptedTriggers(key).length, { timeout: 15_000, interval: 50 }).toBe(1);
      await second.settle();
      expect(pd.acceptedTriggers()).toHaveLength(1);
      await second.stop();
    } finally {
      await dispose();
      await pd.stop();
    }
  });
});

describe('PagerDuty webhooks', () => {
  let pd: PagerDutyStandIn;
  let h: Harness;
  let key: string;
  beforeEach(async () => {
    pd = new PagerDutyStandIn();
    await pd.start();
    h = await Harness.start({ env: pagerDutyEnv(pd), bot: { pagerduty: PD_OPTIONS } });
    await h.run('declare sev1 Checkout errors spiking');
    key = await keyOf(h, 1);
  });
  afterEach(async () => {
    await h.stop();
    await pd.stop();
  });

  it('puts acknowledgements, escalations and resolves on the timeline at PagerDuty time; the first ack is kept', async () => {
    const ack = webhook('incident.acknowledged', key, '01ACK');
    expect((await postWebhook(h, ack)).status).toBe(200);
    expect((await postWebhook(h, ack)).status).toBe(200); // PagerDuty retried the delivery
    const later = webhook('incident.acknowledged', key, '01ACK2').replace('09:04:00', '09:09:00');
    await postWebhook(h, later);
    await postWebhook(h, webhook('incident.escalated', key, '01ESC'));
    await postWebhook(h, webhook('incident.resolved', key, '01RES'));
    const entries = (await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'pagerduty');
    expect(entries.map((e) => e.text)).toEqual([
      'Acknowledged in PagerDuty (default) by Dan Oncall',
      'Escalated in PagerDuty (default) by Dan Oncall',
      'Resolved in PagerDuty (default) by Dan Oncall',
      'Acknowledged in PagerDuty (default) by Dan Oncall',
    ]);
    expect(entries[0]!.occurredAt).toEqual(new Date('2026-11-22T09:04:00Z'));
    expect((await h.bot.store.incidents.get(1))!.acknowledgedAt).toEqual(new Date('2026-11-22T09:04:00Z'));

    // The postmortem measures time to acknowledge from it, and knows when the page went out.
    await h.run('resolve', { channelId: (await h.incidentChannel(1)).id });
    const draft = (await h.bot.store.postmortems.get(1))!.markdown;
    expect(draft).toMatch(/\| Time to acknowledge \| (\d+ minutes?|\d+ h \d+ min|none: acknowledged .+ before the declaration) \|/);
    expect(draft).toMatch(/First page delivered \d+ minutes? after declaration/);
    expect(draft).toContain('Acknowledged in PagerDuty (default) by Dan Oncall');
  });

  it('refuses a bad signature with 401 and changes nothing', async () => {
    const before = (await h.bot.store.timeline.list(1)).length;
    expect((await postWebhook(h, webhook('incident.acknowledged', key), 'wrong-secret')).status).toBe(401);
    const unsigned = await fetch(`${h.url}/pagerduty/webhook`, { method: 'POST', body: webhook('incident.acknowledged', key) });
    expect(unsigned.status).toBe(401);
    expect(await h.bot.store.timeline.list(1)).toHaveLength(before);
    expect((await h.bot.store.incidents.get(1))!.acknowledgedAt).toBeNull();
  });

  it('refuses an unreadable occurred_at with 400 and the reason, and changes nothing', async () => {
    const before = (await h.bot.store.timeline.list(1)).length;
    for (const at of ['yesterday', '2026-02-30T09:04:00Z', '', '2026-11-22 09:04']) {
      const body = webhook('incident.acknowledged', key).replace('2026-11-22T09:04:00.000Z', at);
      const res = await postWebhook(h, body);
      expect(res.status, at).toBe(400);
      expect(await res.json(), at).toEqual({ error: expect.stringMatching(/^not a PagerDuty v3 webhook: event\.occurred_at: /) });
    }
    const notJson = await postWebhook(h, '{"event":');
    expect([notJson.status, await notJson.json()]).toEqual([400, { error: 'not a PagerDuty v3 webhook: the body is not JSON' }]);
    expect(await h.bot.store.timeline.list(1)).toHaveLength(before);
    expect((await h.bot.store.incidents.get(1))!.acknowledgedAt).toBeNull();
  });

  it('accepts and ignores unknown dedup keys and other event types', async () => {
    const before = (await h.bot.store.timeline.list(1)).length;
    const unknown = await postWebhook(h, webhook('incident.acknowledged', 'someone-elses-key'));
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ outcome: 'unknown' });
    const other = await postWebhook(h, webhook('incident.annotated', key));
    expect(await other.json()).toEqual({ outcome: 'ignored' });
    expect(await h.bot.store.timeline.list(1)).toHaveLength(before);
  });

  it('maps a key of either form to the page that recorded it, and no other', async () => {
    // A page an earlier release recorded, still open, keeps the key it was sent with.
    await h.bot.store.pages.requested(1, 'checkout', 'incident-1-checkout', 'U0ALICE', new Date());
    expect(key).toMatch(/^incident-1-[0-9a-z]+-default$/);
    expect(await (await postWebhook(h, webhook('incident.acknowledged', key, '01NEWACK'))).json()).toEqual({ outcome: 'recorded' });
    expect(await (await postWebhook(h, webhook('incident.resolved', 'incident-1-checkout', '01OLDRES'))).json()).toEqual({ outcome: 'recorded' });
    // The old form of this incident's default key is some earlier database's (or another install's) incident 1.
    expect(await (await postWebhook(h, webhook('incident.acknowledged', 'incident-1-default', '01STRANGER'))).json()).toEqual({ outcome: 'unknown' });
    const entries = (await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'pagerduty');
    expect(entries.map((e) => e.text)).toEqual(['Acknowledged in PagerDuty (default) by Dan Oncall', 'Resolved in PagerDuty (checkout) by Dan Oncall']);
    expect((await h.bot.store.pages.byDedupKey('incident-1-checkout'))!.resolvedAt).toEqual(new Date('2026-11-22T09:04:00Z'));
  });

  it('takes NUL characters in a webhook without failing (PostgreSQL refuses them in text): the name is cleaned, a key with one is not ours', async () => {
    const withNul = (body: string, field: string) => body.replace(field, field.replace(/(.)$/, '\\u0000$1'));
    const ack = withNul(withNul(webhook('incident.acknowledged', key, '01NULACK'), 'Dan Oncall'), '01NULACK');
    const first = await postWebhook(h, ack);
    expect([first.status, await first.json()]).toEqual([200, { outcome: 'recorded' }]);
    const again = await postWebhook(h, ack); // PagerDuty's redelivery is still recognised
    expect([again.status, await again.json()]).toEqual([200, { outcome: 'duplicate' }]);
    const strangeKey = await postWebhook(h, withNul(webhook('incident.resolved', key, '01NULKEY'), key));
    expect([strangeKey.status, await strangeKey.json()]).toEqual([200, { outcome: 'unknown' }]);
    const entries = (await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'pagerduty');
    expect(entries.map((e) => e.text)).toEqual(['Acknowledged in PagerDuty (default) by Dan Oncall']);
  });
});
