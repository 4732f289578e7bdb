import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BUTTON_IDS } from '../../src/slack/ids.js';
import { Harness } from '../support/harness.js';
import { sharedWorld } from '../support/shared-world.js';
import { buttonPressBody } from '../support/signed-requests.js';
import { count } from '../support/store-sql.js';

/**
 * Alertmanager's webhook into the running bot over HTTP, with the payload
 * shapes Alertmanager 0.25 really sends (test/fixtures/alertmanager).
 */
const TOKEN = 'am-token-1234567890';
const FIRING = JSON.parse(readFileSync('test/fixtures/alertmanager/firing.json', 'utf8')) as Payload;
const RESOLVED = JSON.parse(readFileSync('test/fixtures/alertmanager/resolved.json', 'utf8')) as Payload;
type Payload = Record<string, unknown> & { groupKey: string; alerts: Record<string, unknown>[] };

const ENV = { ALERTMANAGER_WEBHOOK_TOKEN: TOKEN, SLO_FILES: 'examples/slo/checkout-api.yaml' };

async function send(h: Harness, body: unknown, auth: string | null = `Bearer ${TOKEN}`): Promise<{ status: number; json: Record<string, unknown>; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${h.url}/alertmanager/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, ms: Date.now() - started };
}

function alert(n: number, status: 'firing' | 'resolved' = 'firing'): Record<string, unknown> {
  const first = FIRING.alerts[0]!;
  return { ...first, status, labels: { ...(first.labels as object), instance: `i-${n}` }, fingerprint: `fp-${n}`, endsAt: status === 'resolved' ? '2026-12-03T15:10:00Z' : '0001-01-01T00:00:00Z' };
}


function press(h: Harness, userId: string, channelId: string, message: { ts: string; blocks?: unknown[] }, actionId: string) {
  const el = (message.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
  if (!el) throw new Error(`no ${actionId} button on the message`);
  return h.interact(buttonPressBody({ userId, actionId, value: el.value, channelId, messageTs: message.ts, blocks: message.blocks, responseUrl: h.slack.responseUrl(`${actionId}-${userId}`) }));
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('POST /alertmanager/webhook', () => {
  it('does not exist without ALERTMANAGER_WEBHOOK_TOKEN', async () => {
    h = await Harness.start();
    expect((await send(h, FIRING)).status).toBe(404);
    expect(await count(h, 'select count(*) as n from incidents')).toBe(0);
  });

  it('refuses a missing or wrong token (401) and a malformed body (400, with the reason), changing nothing', async () => {
    h = await Harness.start({ env: ENV });
    expect((await send(h, FIRING, null)).status).toBe(401);
    expect((await send(h, FIRING, 'Bearer wrong')).status).toBe(401);
    expect((await send(h, FIRING, `Basic ${TOKEN}`)).status).toBe(401);
    const notJson = await send(h, '{"version":');
    expect(notJson.status).toBe(400);
    expect(String(notJson.json.error)).toMatch(/not JSON/);
    const v3 = await send(h, { ...FIRING, version: '3' });
    expect(v3.status).toBe(400);
    expect(String(v3.json.error)).toMatch(/version must be "4"/);
    const noFingerprint = await send(h, { ...FIRING, alerts: [{ ...FIRING.alerts[0], fingerprint: undefined }] });
    expect(String(noFingerprint.json.error)).toMatch(/alerts\.0\.fingerprint/);
    // Not RFC 3339: Date.parse read "foo 1" and "1" as 2001, and took a year PostgreSQL cannot store (its job then failed for ever).
    for (const [field, value] of [['startsAt', 'foo 1'], ['startsAt', '-200000-01-01T00:00:00Z'], ['endsAt', '1'], ['endsAt', '2026-02-30T00:00:00Z']]) {
      const badTime = await send(h, { ...FIRING, alerts: [{ ...FIRING.alerts[0], [field!]: value }] });
      expect(badTime.status, value).toBe(400);
      expect(String(badTime.json.error), value).toContain(`alerts.0.${field}: must be an RFC 3339 time`);
    }
    await h.settle();
    expect(await count(h, 'select count(*) as n from incidents')).toBe(0);
    expect(await count(h, 'select count(*) as n from alert_groups')).toBe(0);
    expect(await count(h, "select count(*) as n from outbox where kind = 'alert.receive'")).toBe(0);
  });

  it('declares one SEV from a firing group, IC unassigned with a Take IC button that works; a repeat changes nothing; a new alert joins; all resolved offers Resolve', async () => {
    h = await Harness.start({ env: ENV });
    const first = await send(h, FIRING);
    expect(first).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(first.ms).toBeLessThan(1000);
    await h.settle();
    const incident = (await h.bot.store.incidents.get(1))!;
    expect(incident).toMatchObject({ severity: 'sev2', service: 'checkout-api', declaredBy: 'system:alertmanager', impactStartedAt: new Date('2026-12-03T14:54:45.572Z') });
    const channel = await h.incidentChannel(1);
    const header = channel.messages[0]!;
    const headerJson = JSON.stringify(header.blocks);
    expect(headerJson).toContain('checkout-api checkout_availability is burning its error budget too fast (page)');
    expect(headerJson).toContain('https://runbooks.example.com/slo/checkout-api/checkout_availability');
    expect(headerJson).toContain('_unassigned_');
    expect((await h.bot.store.timeline.list(1)).some((e) => e.kind === 'alert_fired' && e.text.includes('http://prometheus.example:9090/graph'))).toBe(true);

    // Take IC: refused from elsewhere, works in the channel.
    const forged = await h.interact(buttonPressBody({ userId: 'U0MALLORY', actionId: BUTTON_IDS.takeIc, value: JSON.stringify({ incidentId: 1 }), channelId: 'C0GENERAL', responseUrl: h.slack.responseUrl('forged') }));
    expect(forged.status).toBe(200);
    await h.settle();
    expect(await h.bot.store.roles.current(1)).toEqual([]);
    await press(h, 'U0ALICE', channel.id, header, BUTTON_IDS.takeIc);
    await h.settle();
    expect((await h.bot.store.roles.current(1)).map((r) => [r.role, r.userId])).toEqual([['ic', 'U0ALICE']]);
    expect(JSON.stringify(channel.messages[0]!.blocks)).not.toContain(BUTTON_IDS.takeIc);

    // Alertmanager's repeat (or its retry of an answer lost in transit): recorded, and applying it changes nothing.
    const effects = "select count(*) as n from outbox where kind <> 'alert.receive'";
    const before = { timeline: (await h.bot.store.timeline.list(1)).length, messages: channel.messages.length, jobs: await count(h, effects) };
    expect((await send(h, FIRING)).status).toBe(200);
    await h.settle();
    expect(await count(h, "select count(*) as n from outbox where kind = 'alert.receive' and status = 'done'")).toBe(2);
    expect({ timeline: (await h.bot.store.timeline.list(1)).length, messages: channel.messages.length, jobs: await count(h, effects) }).toEqual(before);

    // A new alert joins the same incident.
    await send(h, { ...FIRING, alerts: [FIRING.alerts[0], alert(2)] });
    await h.settle();
    expect(await count(h, 'select count(*) as n from incidents')).toBe(1);
    expect((await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'alert_fired')).toHaveLength(2);

    // Every alert resolved: a message with a Resolve button, which resolves.
    await send(h, { ...RESOLVED, alerts: [RESOLVED.alerts[0], alert(2, 'resolved')] });
    await h.settle();
    const offer = channel.messages.find((m) => m.text.includes('Every alert of INC-1 has resolved'))!;
    expect(offer).toBeDefined();
    expect((await h.bot.store.incidents.get(1))!.status).not.toBe('resolved');
    await press(h, 'U0ALICE', channel.id, offer, BUTTON_IDS.resolve);
    await h.settle();
    expect((await h.bot.store.incidents.get(1))!.status).toBe('resolved');

    // Flapping: fires again within reopen_within → back to INC-1 with a Reopen button, no new incident.
    await send(h, { ...FIRING, alerts: [{ ...FIRING.alerts[0], startsAt: new Date().toISOString() }] });
    await h.settle();
    expect(await count(h, 'select count(*) as n from incidents')).toBe(1);
    const reopen = channel.messages.find((m) => m.text.includes('is firing again'))!;
    expect(reopen).toBeDefined();
    await press(h, 'U0ALICE', channel.id, reopen, BUTTON_IDS.alertReopen);
    await h.settle();
    expect((await h.bot.store.incidents.get(1))!.status).toBe('investigating');
  });

  it('posts a notice with a Declare incident button for a warning; pressing it declares with the presser as IC', async () => {
    h = await Harness.start({ env: ENV });
    const warning = { ...FIRING, groupKey: '{}:{alertname="SlowCheckout"}', commonLabels: {}, alerts: [{ ...FIRING.alerts[0], labels: { alertname: 'SlowCheckout', severity: 'warning' } }] };
    expect((await send(h, warning)).status).toBe(200);
    await h.settle();
    expect(await count(h, 'select count(*) as n from incidents')).toBe(0);
    const announce = h.slack.channels.get('C0ANNOUNCE')!;
    const notice = announce.messages.find((m) => m.text.includes('SlowCheckout'))!;
    expect(notice).toBeDefined();
    await press(h, 'U0BOB', announce.id, notice, BUTTON_IDS.alertDeclare);
    await h.settle();
    expect((await h.bot.store.roles.current(1)).map((r) => [r.role, r.userId])).toEqual([['ic', 'U0BOB']]);
    expect((await h.incidentChannel(1)).members.has('U0BOB')).toBe(true);
  });

  it('offers a second group of the same problem a Merge in the open incident, merging only when pressed there, or an incident of its own', async () => {
    h = await Harness.start({ env: ENV });
    await send(h, FIRING);
    await h.settle();
    await send(h, { ...FIRING, groupKey: '{}/{team="b"}:{alertname="CheckoutAvailabilityFastBurn"}', alerts: [alert(7)] });
    await h.settle();
    expect(await count(h, 'select count(*) as n from incidents')).toBe(1);
    expect(await h.bot.store.alerts.alertsOfIncident(1)).toHaveLength(1);
    const channel = await h.incidentChannel(1);
    const offer = channel.messages.find((m) => m.text.includes('Another alert group'))!;
    // The same button value sent from another channel is refused.
    const value = (offer.blocks as { elements?: { action_id: string; value: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === BUTTON_IDS.alertMerge)!.value;
    await h.interact(buttonPressBody({ userId: 'U0MALLORY', actionId: BUTTON_IDS.alertMerge, value, channelId: 'C0GENERAL', responseUrl: h.slack.responseUrl('forged-merge') }));
    await h.settle();
    expect(await h.bot.store.alerts.alertsOfIncident(1)).toHaveLength(1);
    await press(h, 'U0ALICE', channel.id, offer, BUTTON_IDS.alertMerge);
    await h.settle();
    expect(await h.bot.store.alerts.alertsOfIncident(1)).toHaveLength(2);
    expect((await h.bot.store.timeline.list(1)).some((e) => e.kind === 'alert_group_linked')).toBe(true);

    // A third group: another problem after all. Declare separately gives it an incident of its own, at the rules' severity.
    await send(h, { ...FIRING, groupKey: '{}/{team="c"}:{alertname="CheckoutAvailabilityFastBurn"}', alerts: [alert(8)] });
    await h.settle();
    const second = channel.messages.filter((m) => m.text.includes('Another alert group')).at(-1)!;
    expect(second.ts).not.toBe(offer.ts);
    const separate = (second.blocks as { elements?: { action_id: string; value: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === BUTTON_IDS.alertDeclareSeparately)!.value;
    await h.interact(buttonPressBody({ userId: 'U0MALLORY', actionId: BUTTON_IDS.alertDeclareSeparately, value: separate, channelId: 'C0GENERAL', responseUrl: h.slack.responseUrl('forged-separate') }));
    await h.settle();
    expect(await count(h, 'select count(*) as n from incidents')).toBe(1);
    await press(h, 'U0BOB', channel.id, second, BUTTON_IDS.alertDeclareSeparately);
    await h.settle();
    expect(await count(h, 'select count(*) as n from incidents')).toBe(2);
    expect((await h.bot.store.incidents.get(2))!.severity).toBe((await h.bot.store.incidents.get(1))!.severity);
    expect((await h.bot.store.alerts.alertsOfIncident(2)).map((a) => a.fingerprint)).toEqual([alert(8).fingerprint]);
    expect((await h.bot.store.roles.current(2)).map((r) => [r.role, r.userId])).toEqual([['ic', 'U0BOB']]);
    // Pressed again (or Merge after it): already decided, nothing changes.
    await press(h, 'U0ALICE', channel.id, second, BUTTON_IDS.alertMerge);
    await h.settle();
    expect(await h.bot.store.alerts.alertsOfIncident(1)).toHaveLength(2);
  });

  it('makes exactly 50 incidents from 50 groups of 20 alerts sent within three seconds (and 10 re-sent), every webhook answered 200 within a second', async () => {
    h = await Harness.start({ env: ENV });
    const group = (g: number) => {
      const alerts = Array.from({ length: 20 }, (_, i) => ({ ...alert(g * 100 + i), labels: { alertname: `Storm${g}`, severity: 'critical', instance: `i-${i}` } }));
      return send(h!, { ...FIRING, groupKey: `{}:{alertname="Storm${g}"}`, commonLabels: { alertname: `Storm${g}`, severity: 'critical' }, alerts });
    };
    // Spread over ~2.5 s, as Alertmanager's group_wait timers fire for 50 new groups; then 10 re-sent (retries of answers it did not get).
    const answers = await Promise.all([
      ...Array.from({ length: 50 }, async (_, g) => {
        await new Promise((r) => setTimeout(r, g * 50));
        return group(g);
      }),
      ...Array.from({ length: 10 }, async (_, g) => {
        await new Promise((r) => setTimeout(r, 2600 + g * 50));
        return group(g);
      }),
    ]);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(Math.max(...answers.map((a) => a.ms)), `answer times ${answers.map((a) => a.ms).join(' ')}`).toBeLessThan(1000);
    // The 200 means recorded; the outbox opens the incidents after it: 50 set-ups, which on
    // PostgreSQL with every suite running at once took longer than the usual 10 s to drain.
    await h.settle(30_000);
    expect(await count(h, 'select count(*) as n from incidents')).toBe(50);
    expect(await count(h, 'select count(*) as n from alerts where incident_id is not null')).toBe(1000);
  }, 60_000);

  it('still opens the incident after a restart when the bot stopped right after its 200', async () => {
    const world = await sharedWorld();
    try {
      // Slack is down: nothing of the incident reaches it before the stop.
      world.slack.failNext('conversations.create', { kind: 'http', status: 503 }, 1000);
      const channelsBefore = world.slack.channels.size;
      h = await Harness.start({ env: ENV, slack: world.slack, databaseFile: world.databaseFile, bot: { stopGraceMs: 300 } });
      expect((await send(h, FIRING)).status).toBe(200);
      await h.bot.stop().catch(() => undefined);
      h = undefined;
      expect(world.slack.channels.size).toBe(channelsBefore);
      world.slack.clearFaults();
      h = await Harness.start({ env: ENV, slack: world.slack, databaseFile: world.databaseFile });
      await h.settle();
      expect(await count(h, 'select count(*) as n from incidents')).toBe(1);
      expect((await h.incidentChannel(1)).messages[0]!.text).toContain('INC-1');
    } finally {
      await h?.stop();
      h = undefined;
      await world.dispose();
    }
  }, 30_000);
});
