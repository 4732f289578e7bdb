import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertmanagerServer, firingAlert, requireAlertmanager, resolvedAlert } from '../support/alertmanager-server.js';
import { Harness } from '../support/harness.js';
import { count as countRows, query } from '../support/store-sql.js';
import type { StandInChannel } from '../support/slack-stand-in.js';

/** The real Alertmanager (Debian's prometheus-alertmanager) with the bot as its webhook receiver. */
const TOKEN = 'real-am-token-0123456789';
const FIXTURE = JSON.parse(readFileSync('test/fixtures/alertmanager/firing.json', 'utf8')) as { alerts: { labels: Record<string, string>; annotations: Record<string, string> }[] };
const RULE = { labels: FIXTURE.alerts[0]!.labels, annotations: FIXTURE.alerts[0]!.annotations };

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The incident's channel once it is set up, else undefined (for `until`). */
async function channelOf(h: Harness, id: number): Promise<StandInChannel | undefined> {
  try {
    return await h.incidentChannel(id);
  } catch {
    return undefined;
  }
}

/** One webhook as Alertmanager sent it and the bot answered it. */
interface Delivery {
  readonly groupKey: string;
  readonly alerts: number;
  readonly status: number;
  readonly ms: number;
}

/**
 * Between Alertmanager and the bot: forwards each webhook as it came and notes
 * it, so a test can see Alertmanager's repeats, which the bot must ignore, and
 * how long each answer took.
 */
async function recordingProxy(target: string): Promise<{ url: string; deliveries: Delivery[]; close: () => Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const started = performance.now();
      const headers: Record<string, string> = { 'content-type': req.headers['content-type'] ?? 'application/json' };
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      fetch(`${target}${req.url}`, { method: req.method, headers, body })
        .then(async (answer) => {
          const text = await answer.text();
          const parsed = JSON.parse(body.toString('utf8')) as { groupKey: string; alerts: unknown[] };
          deliveries.push({ groupKey: parsed.groupKey, alerts: parsed.alerts.length, status: answer.status, ms: performance.now() - started });
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, deliveries, close: () => new Promise((r) => server.close(() => r())) };
}

/** A rule's alert under another name: its own Alertmanager group (grouped by alertname, sloth_service, sloth_slo). */
const named = (alertname: string, extra: Record<string, string> = {}) => ({ ...RULE, labels: { ...RULE.labels, alertname, ...extra } });

describe.skipIf(!requireAlertmanager())('a real Alertmanager posting to the bot', () => {
  let h: Harness;
  let alertmanager: AlertmanagerServer;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  const incidentsOf = async (alertname: string) =>
    (await query<{ id: number }>(h, 'select incident_id as id from alert_groups where alertname = ? and incident_id is not null', [alertname])).map((r) => r.id);
  const count = (sql: string) => countRows(h, sql);

  beforeAll(async () => {
    h = await Harness.start({ env: { ALERTMANAGER_WEBHOOK_TOKEN: TOKEN, SLO_FILES: 'examples/slo/checkout-api.yaml' } });
    proxy = await recordingProxy(h.url);
    // repeat_interval 2s: Alertmanager re-sends every unchanged firing group about every 2 s during the tests, as it does hourly in production.
    alertmanager = await AlertmanagerServer.start({ receiver: { url: `${proxy.url}/alertmanager/webhook`, bearerToken: TOKEN, repeatInterval: '2s' } });
  }, 30_000);
  afterAll(async () => {
    await alertmanager?.dispose();
    await proxy?.close();
    await h?.stop();
  });

  it('declares one incident linked to the SLO for a firing page, and offers Resolve when Alertmanager says it resolved', async () => {
    const activeAt = new Date(Date.now() - 60_000);
    await alertmanager.pushAlerts([firingAlert(RULE, { activeAt })]);
    const incident = await until('the incident', () => h.bot.store.incidents.get(1));
    expect(incident).toMatchObject({ service: 'checkout-api', declaredBy: 'system:alertmanager' });
    expect(incident.impactStartedAt?.getTime()).toBe(activeAt.getTime());
    await alertmanager.pushAlerts([resolvedAlert(RULE, { activeAt, resolvedAt: new Date() })]);
    await until('the Resolve offer', async () => {
      const channel = (await h.bot.store.incidents.get(1))?.channelId;
      return channel ? h.slack.channels.get(channel)?.messages.find((m) => m.text.includes('Every alert of INC-1 has resolved')) : undefined;
    });
    expect(await h.bot.store.incidents.listOpen()).toHaveLength(1);
    expect(await count('select count(*) as n from incidents')).toBe(1);
  }, 60_000);

  it('changes nothing when Alertmanager re-sends the group after its repeat_interval', async () => {
    const activeAt = new Date(Date.now() - 30_000);
    await alertmanager.pushAlerts([firingAlert(named('RepeatedBurn'), { activeAt })]);
    const [id] = await until('the incident', async () => ((await incidentsOf('RepeatedBurn')).length === 1 ? incidentsOf('RepeatedBurn') : undefined));
    await h.settle();
    const sent = () => proxy.deliveries.filter((d) => d.groupKey.includes('RepeatedBurn'));
    const first = sent().length;
    const before = { incidents: await count('select count(*) as n from incidents'), timeline: (await h.bot.store.timeline.list(id!)).length, messages: (await h.incidentChannel(id!)).messages.length };
    // Two repeats of the same firing alert, each answered 200.
    await until('two repeats', () => (sent().length >= first + 2 ? true : undefined), 10_000);
    await h.settle();
    expect(sent().every((d) => d.status === 200)).toBe(true);
    expect({ incidents: await count('select count(*) as n from incidents'), timeline: (await h.bot.store.timeline.list(id!)).length, messages: (await h.incidentChannel(id!)).messages.length }).toEqual(before);
    expect(await incidentsOf('RepeatedBurn')).toEqual([id]);
  }, 30_000);

  it('takes a flapping alert (resolved, then firing again within reopen_within) back to the same incident with a Reopen offer', async () => {
    const rule = named('FlappingBurn');
    const activeAt = new Date(Date.now() - 30_000);
    await alertmanager.pushAlerts([firingAlert(rule, { activeAt })]);
    const [id] = await until('the incident', async () => ((await incidentsOf('FlappingBurn')).length === 1 ? incidentsOf('FlappingBurn') : undefined));
    await alertmanager.pushAlerts([resolvedAlert(rule, { activeAt, resolvedAt: new Date() })]);
    // The incident exists once its notification is applied; its channel a moment later (set-up).
    await until('the Resolve offer', async () => (await channelOf(h, id!))?.messages.find((m) => m.text.includes(`Every alert of INC-${id} has resolved`)));
    await h.run('resolve Error rate back to normal', { channelId: (await h.incidentChannel(id!)).id });
    expect((await h.bot.store.incidents.get(id!))!.status).toBe('resolved');
    const incidents = await count('select count(*) as n from incidents');

    // It fires again: Alertmanager starts a new alert of the same labels.
    await alertmanager.pushAlerts([firingAlert(rule, { activeAt: new Date() })]);
    const reopen = await until('the Reopen offer', async () => (await channelOf(h, id!))?.messages.find((m) => m.text.includes('is firing again')));
    expect(reopen).toBeDefined();
    expect(await count('select count(*) as n from incidents')).toBe(incidents);
    expect(await incidentsOf('FlappingBurn')).toEqual([id]);
    expect((await h.bot.store.timeline.list(id!)).filter((e) => e.kind === 'alert_fired')).toHaveLength(2);
    // Reopening stays a person's decision.
    expect((await h.bot.store.incidents.get(id!))!.status).toBe('resolved');
  }, 30_000);

  it('makes exactly 20 incidents from a storm of 200 alerts in 20 groups pushed within two seconds, every webhook answered 200 at once', async () => {
    const before = await count('select count(*) as n from incidents');
    const activeAt = new Date(Date.now() - 10_000);
    const storm = Array.from({ length: 20 }, (_, g) => Array.from({ length: 10 }, (_, i) => firingAlert(named(`StormBurn${g}`, { instance: `i-${i}` }), { activeAt })));
    // In ten pushes, as ten Prometheus servers' evaluations might arrive: two groups each.
    const started = Date.now();
    await Promise.all(Array.from({ length: 10 }, (_, p) => alertmanager.pushAlerts([...storm[2 * p]!, ...storm[2 * p + 1]!])));
    expect(Date.now() - started).toBeLessThan(2_000);
    await until('20 incidents', async () => ((await count('select count(*) as n from incidents')) >= before + 20 ? true : undefined), 20_000);
    await h.settle();
    const stormDeliveries = () => proxy.deliveries.filter((d) => d.groupKey.includes('StormBurn'));
    // Every alert reached its incident, one incident per group.
    // As text: PostgreSQL keeps the labels as jsonb, which LIKE does not take.
    await until('every alert', async () => ((await count("select count(*) as n from alerts where cast(labels as text) like '%StormBurn%' and incident_id is not null")) === 200 ? true : undefined), 10_000);
    expect(await count('select count(*) as n from incidents')).toBe(before + 20);
    for (let g = 0; g < 20; g++) {
      const ids = await incidentsOf(`StormBurn${g}`);
      expect(ids).toHaveLength(1);
      expect(await h.bot.store.alerts.alertsOfIncident(ids[0]!)).toHaveLength(10);
    }
    expect(stormDeliveries().length).toBeGreaterThanOrEqual(20);
    expect(stormDeliveries().filter((d) => d.status !== 200)).toEqual([]);
    // Answered at once, not after the outbox's work (seconds for 20 set-ups): the issue's
    // one-second bound is held by the 1,000-alert storm in alertmanager-webhook.test.ts; here,
    // beside a real Alertmanager and the rest of the suite on two cores, twice that.
    expect(Math.max(...stormDeliveries().map((d) => d.ms)), `answer times ${stormDeliveries().map((d) => Math.round(d.ms)).join(' ')}`).toBeLessThan(2_000);
  }, 40_000);
});
