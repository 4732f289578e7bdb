/**
 * The real Alertmanager (Debian's prometheus-alertmanager, 0.25 here) with a
 * WebhookSink as its receiver, configured as the README's example is: what it
 * posts, when it posts again and when it does not, so the bot's webhook is
 * built against observed behaviour rather than the documentation's word.
 *
 * The fixtures in test/fixtures/alertmanager/ are bodies this file captured
 * from the real binary; every run checks the binary still sends exactly that
 * (timestamps and the port aside). UPDATE_ALERTMANAGER_FIXTURES=1 rewrites them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AlertmanagerServer,
  firingAlert,
  requireAlertmanager,
  resolvedAlert,
  type AlertRuleInstance,
} from '../support/alertmanager-server.js';
import { WebhookSink, type SinkRequest } from '../support/webhook-sink.js';

const TOKEN = 'am-harness-token-5f1c';
const HOOK = '/alertmanager/webhook';
const FIXTURES = fileURLToPath(new URL('../fixtures/alertmanager/', import.meta.url));
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

const labels = z.record(z.string(), z.string());
/** Webhook payload version 4 as Alertmanager 0.25 sends it; strict, so a new field shows up here first. */
const WebhookPayload = z.strictObject({
  receiver: z.string(),
  status: z.enum(['firing', 'resolved']),
  alerts: z.array(z.strictObject({
    status: z.enum(['firing', 'resolved']),
    labels,
    annotations: labels,
    startsAt: z.string(),
    endsAt: z.string(),
    generatorURL: z.string(),
    fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  })),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: labels,
  externalURL: z.string(),
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: z.number().int(),
});
type WebhookPayload = z.infer<typeof WebhookPayload>;

const payload = (request: SinkRequest): WebhookPayload => WebhookPayload.parse(request.body);
const groupOf = (alertname: string) => (request: SinkRequest) => payload(request).groupLabels.alertname === alertname;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The page alert the example rules raise for checkout_availability, as Prometheus renders it. */
const CHECKOUT_PAGE: AlertRuleInstance = {
  labels: {
    alertname: 'CheckoutAvailabilityFastBurn',
    severity: 'critical',
    sloth_id: 'checkout-api-checkout_availability',
    sloth_service: 'checkout-api',
    sloth_severity: 'page',
    sloth_slo: 'checkout_availability',
  },
  annotations: {
    summary: 'checkout-api checkout_availability is burning its error budget too fast (page)',
    description: 'checkout_availability (99.9% over 30d) has burned error budget at more than 14.4x (1h and 5m) or 6x (6h and 30m) the sustainable rate.',
    runbook_url: 'https://runbooks.example.com/slo/checkout-api/checkout_availability',
  },
  generatorURL: 'http://prometheus.example:9090/graph?g0.expr=ALERTS%7Balertname%3D%22CheckoutAvailabilityFastBurn%22%7D&g0.tab=1',
};

/** What may differ between two captures of the same alert: the times and Alertmanager's port. */
function normalised(body: WebhookPayload): WebhookPayload {
  const time = (t: string) => (t === GO_ZERO_TIME ? t : '<time>');
  return {
    ...body,
    externalURL: '<external url>',
    alerts: body.alerts.map((a) => ({ ...a, startsAt: time(a.startsAt), endsAt: time(a.endsAt) })),
  };
}

/** Saves the raw bytes on request; otherwise the fixture must be what the binary sends now. */
function checkFixture(name: string, request: SinkRequest): void {
  const file = `${FIXTURES}${name}`;
  if (process.env.UPDATE_ALERTMANAGER_FIXTURES === '1') writeFileSync(file, request.rawBody);
  const saved = WebhookPayload.parse(JSON.parse(readFileSync(file, 'utf8')));
  expect(normalised(payload(request))).toEqual(normalised(saved));
}

describe.skipIf(!requireAlertmanager())('a real Alertmanager posting to a webhook', () => {
  let sink: WebhookSink;
  let alertmanager: AlertmanagerServer;

  beforeAll(async () => {
    sink = await WebhookSink.start();
    alertmanager = await AlertmanagerServer.start({ receiver: { url: `${sink.url}${HOOK}`, bearerToken: TOKEN } });
  });
  afterAll(async () => {
    await alertmanager?.dispose();
    await sink?.close();
  });

  describe('one page alert from firing to resolved', () => {
    const activeAt = new Date(Date.now() - 5 * 60_000);

    it('posts it firing within group_wait, with the bearer token from the credentials file and a version 4 payload', async () => {
      const began = Date.now();
      await alertmanager.pushAlerts([firingAlert(CHECKOUT_PAGE, { activeAt })]);
      const request = await sink.waitFor(groupOf('CheckoutAvailabilityFastBurn'), { timeoutMs: 5_000 });
      expect(Date.now() - began).toBeLessThan(4_000);

      expect(request.method).toBe('POST');
      expect(request.path).toBe(HOOK);
      // The file holds the token and a newline; Alertmanager trims it.
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toMatch(/^Alertmanager\//);

      const body = payload(request);
      expect(body).toMatchObject({ version: '4', status: 'firing', receiver: 'incident-bot', truncatedAlerts: 0, externalURL: alertmanager.url });
      expect(body.groupLabels).toEqual({ alertname: 'CheckoutAvailabilityFastBurn', sloth_service: 'checkout-api', sloth_slo: 'checkout_availability' });
      expect(body.groupKey).toBe('{}:{alertname="CheckoutAvailabilityFastBurn", sloth_service="checkout-api", sloth_slo="checkout_availability"}');
      expect(body.commonLabels).toEqual(CHECKOUT_PAGE.labels);
      expect(body.alerts).toHaveLength(1);
      const [alert] = body.alerts;
      expect(alert).toMatchObject({ status: 'firing', labels: CHECKOUT_PAGE.labels, annotations: CHECKOUT_PAGE.annotations, generatorURL: CHECKOUT_PAGE.generatorURL });
      expect(new Date(alert!.startsAt).getTime()).toBe(activeAt.getTime());
      // The endsAt Prometheus sent (now + 4 min) is not passed on: a firing alert has Go's zero time.
      expect(alert!.endsAt).toBe(GO_ZERO_TIME);
      checkFixture('firing.json', request);
    });

    it('posts it resolved, same group and fingerprint, once Prometheus sends an endsAt in the past', async () => {
      const fired = await sink.waitFor(groupOf('CheckoutAvailabilityFastBurn'));
      const resolvedAt = new Date(Date.now() - 1_000);
      const from = sink.requests.length;
      await alertmanager.pushAlerts([resolvedAlert(CHECKOUT_PAGE, { activeAt, resolvedAt })]);
      const request = await sink.waitFor(groupOf('CheckoutAvailabilityFastBurn'), { from, timeoutMs: 5_000 });

      const body = payload(request);
      expect(body.status).toBe('resolved');
      expect(body.groupKey).toBe(payload(fired).groupKey);
      expect(body.alerts).toHaveLength(1);
      expect(body.alerts[0]).toMatchObject({ status: 'resolved', fingerprint: payload(fired).alerts[0]!.fingerprint });
      expect(new Date(body.alerts[0]!.endsAt).getTime()).toBe(resolvedAt.getTime());
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      checkFixture('resolved.json', request);
    });
  });

  it('does not post a re-sent firing alert again before repeat_interval, and posts the group when an alert joins it', async () => {
    const alert: AlertRuleInstance = { labels: { alertname: 'RepeatProbe', instance: 'a' } };
    const activeAt = new Date();
    await alertmanager.pushAlerts([firingAlert(alert, { activeAt })]);
    const first = await sink.waitFor(groupOf('RepeatProbe'), { timeoutMs: 5_000 });
    const from = sink.requests.length;

    // Prometheus re-sends at every evaluation; here faster, across three group_intervals (1 s).
    for (let i = 0; i < 3; i += 1) {
      await sleep(1_000);
      await alertmanager.pushAlerts([firingAlert(alert, { activeAt })]);
    }
    await sleep(1_200);
    expect(sink.requests.slice(from).filter(groupOf('RepeatProbe')), sink.describe(from)).toEqual([]);

    // The window above was long enough to see a post: a change to the group is posted at the next group_interval.
    await alertmanager.pushAlerts([firingAlert({ labels: { alertname: 'RepeatProbe', instance: 'b' } }, { activeAt: new Date() })]);
    const second = payload(await sink.waitFor(groupOf('RepeatProbe'), { from, timeoutMs: 4_000 }));
    expect(second.groupKey).toBe(payload(first).groupKey);
    expect(second.alerts.map((a) => a.labels.instance).sort()).toEqual(['a', 'b']);
  });

  it('keeps its notification log over a restart: a still-firing alert re-sent afterwards is not posted again', async () => {
    const alert: AlertRuleInstance = { labels: { alertname: 'RestartProbe' } };
    const activeAt = new Date();
    await alertmanager.pushAlerts([firingAlert(alert, { activeAt })]);
    await sink.waitFor(groupOf('RestartProbe'), { timeoutMs: 5_000 });
    // Alertmanager logs a notification (its nflog) only after the post returned, and no API shows
    // that log: give it a moment, or a loaded machine can stop it before the entry exists.
    await sleep(500);

    const port = alertmanager.port;
    await alertmanager.stop();
    expect(alertmanager.running).toBe(false);
    await alertmanager.restart();
    expect(alertmanager.port).toBe(port);
    // Alerts live in memory only: until Prometheus re-sends, Alertmanager knows none.
    expect(await alertmanager.alerts()).toEqual([]);

    const from = sink.requests.length;
    await alertmanager.pushAlerts([firingAlert(alert, { activeAt })]);
    expect((await alertmanager.alerts()).map((a) => a.labels.alertname)).toContain('RestartProbe');
    await sleep(2_500); // group_wait 1 s and a group_interval: a forgotten log would have posted by now
    expect(sink.requests.slice(from).filter(groupOf('RestartProbe')), sink.describe(from)).toEqual([]);
  });
});

describe.skipIf(!requireAlertmanager())('a real Alertmanager whose webhook fails', () => {
  let sink: WebhookSink;
  let alertmanager: AlertmanagerServer;

  beforeAll(async () => {
    sink = await WebhookSink.start();
    // group_interval 1 min: any second post within seconds is a retry of the same flush, not a new flush.
    alertmanager = await AlertmanagerServer.start({ receiver: { url: `${sink.url}${HOOK}`, bearerToken: TOKEN, groupInterval: '1m' } });
  });
  afterAll(async () => {
    await alertmanager?.dispose();
    await sink?.close();
  });

  it('retries a post answered 500 until it is answered 200, the same payload each time', async () => {
    sink.respondWith((request, index) => {
      const previous = sink.requests.slice(0, index).filter((r) => r.rawBody.includes('"RetryProbe"'));
      return request.rawBody.includes('"RetryProbe"') && previous.length < 2 ? 500 : 200;
    });
    await alertmanager.pushAlerts([firingAlert({ labels: { alertname: 'RetryProbe' } }, { activeAt: new Date() })]);
    await sink.waitFor((r) => groupOf('RetryProbe')(r) && r.status === 200, { timeoutMs: 8_000 });

    const posts = sink.requests.filter(groupOf('RetryProbe'));
    expect(posts.map((r) => r.status)).toEqual([500, 500, 200]);
    const bodies = posts.map((r) => payload(r));
    expect(new Set(bodies.map((b) => b.groupKey)).size).toBe(1);
    expect(new Set(bodies.map((b) => b.alerts[0]!.fingerprint)).size).toBe(1);
    expect(posts.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    // Backoff, not the next flush a minute away.
    expect(posts[2]!.receivedAt.getTime() - posts[0]!.receivedAt.getTime()).toBeLessThan(6_000);
  });

  it('does not retry a post answered 400', async () => {
    sink.respondWith((request) => (request.rawBody.includes('"RefusedProbe"') ? 400 : 200));
    await alertmanager.pushAlerts([firingAlert({ labels: { alertname: 'RefusedProbe' } }, { activeAt: new Date() })]);
    await sink.waitFor(groupOf('RefusedProbe'), { timeoutMs: 5_000 });
    await sleep(2_500); // the 500s above were retried within about a second
    expect(sink.requests.filter(groupOf('RefusedProbe')).map((r) => r.status)).toEqual([400]);
  });
});

describe.skipIf(!requireAlertmanager())('a real Alertmanager in an alert storm', () => {
  let sink: WebhookSink;
  let alertmanager: AlertmanagerServer;

  beforeAll(async () => {
    sink = await WebhookSink.start();
    alertmanager = await AlertmanagerServer.start({ receiver: { url: `${sink.url}${HOOK}`, bearerToken: TOKEN, maxAlerts: 10 } });
  });
  afterAll(async () => {
    await alertmanager?.dispose();
    await sink?.close();
  });

  it('posts one group for 30 alerts pushed at once, cut to max_alerts and counting the rest in truncatedAlerts', async () => {
    const activeAt = new Date();
    const storm = Array.from({ length: 30 }, (_, i) => firingAlert({ labels: { alertname: 'StormProbe', instance: `host-${i}` } }, { activeAt }));
    await alertmanager.pushAlerts(storm);
    const body = payload(await sink.waitFor(groupOf('StormProbe'), { timeoutMs: 5_000 }));
    expect(body.alerts).toHaveLength(10);
    expect(body.truncatedAlerts).toBe(20);
    expect(body.commonLabels).toEqual({ alertname: 'StormProbe' });
    await sleep(1_500);
    expect(sink.requests.filter(groupOf('StormProbe'))).toHaveLength(1);
  });
});
