import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertmanagerServer, requireAlertmanager, type AlertmanagerAlert } from '../support/alertmanager-server.js';
import { Harness } from '../support/harness.js';
import { PrometheusServer, requirePrometheus } from '../support/prometheus-server.js';
import { count } from '../support/store-sql.js';

/**
 * The whole chain on real time: metrics this test serves, a real Prometheus
 * scraping them and evaluating the SLO's 14.4x multi-window page (windows cut to
 * 20s/5s), a real Alertmanager routing it to the bot, the bot declaring a SEV1
 * linked to the SLO, and the alert resolving once the endpoint turns healthy.
 */
const TOKEN = 'alert-chain-token-0123456789';
const ALERTNAME = 'CheckoutAvailabilityFastBurn';

/**
 * checkout-api's request counters, advanced on every scrape: while failing, half
 * of each scrape's 100 requests are 5xx (50 % errors, far above 14.4 x 0.1 %);
 * once healthy, the 5xx counter stops growing. The job label comes from the
 * scrape config, as it would for a real target.
 */
async function checkoutMetrics(): Promise<{ target: string; setHealthy: () => void; scrapes: () => number; close: () => Promise<void> }> {
  let ok = 0;
  let failed = 0;
  let healthy = false;
  let scrapes = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    scrapes += 1;
    if (healthy) ok += 100;
    else {
      ok += 50;
      failed += 50;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(
      [
        '# HELP http_requests_total Checkout requests by status.',
        '# TYPE http_requests_total counter',
        `http_requests_total{status="200"} ${ok}`,
        `http_requests_total{status="500"} ${failed}`,
        '',
      ].join('\n'),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    setHealthy: () => {
      healthy = true;
    },
    scrapes: () => scrapes,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Polls `check` (sync or async) until it gives a value; fails after `ms` with what it waited for. */
async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms: number, log = () => ''): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const realBinaries = requirePrometheus() && requireAlertmanager();

describe.skipIf(!realBinaries)('metrics -> real Prometheus burn-rate rule -> real Alertmanager -> the bot', () => {
  let h: Harness;
  let alertmanager: AlertmanagerServer;
  let prometheus: PrometheusServer;
  let metrics: Awaited<ReturnType<typeof checkoutMetrics>>;
  const logs = () => `--- prometheus ---\n${prometheus?.log ?? ''}\n--- alertmanager ---\n${alertmanager?.log ?? ''}`;

  beforeAll(async () => {
    h = await Harness.start({
      env: {
        ALERTMANAGER_WEBHOOK_TOKEN: TOKEN,
        SLO_FILES: 'examples/slo/checkout-api.yaml',
        ALERT_RULES_FILE: 'test/fixtures/alert-chain/alert-rules.yaml',
      },
    });
    metrics = await checkoutMetrics();
    alertmanager = await AlertmanagerServer.start({ receiver: { url: `${h.url}/alertmanager/webhook`, bearerToken: TOKEN, groupWait: '1s', groupInterval: '1s' } });
    prometheus = await PrometheusServer.start({
      scrapeTargets: [{ job: 'checkout-api', targets: [metrics.target], scrapeInterval: '1s' }],
      ruleFiles: [resolve('test/fixtures/alert-chain/checkout-api.rules.yaml')],
      alertmanagerUrl: alertmanager.url,
      evaluationInterval: '1s',
    });
  }, 30_000);
  afterAll(async () => {
    await prometheus?.dispose();
    await alertmanager?.dispose();
    await metrics?.close();
    await h?.stop();
  });

  it('declares one SEV1 linked to checkout-api from the burning endpoint, and offers Resolve once it turns healthy', async () => {

    // Failing: the rule fires within a few scrapes and the bot declares. The row is
    // written before its Slack channel is made, so wait for the channel too.
    const incident = await until('the incident and its channel', async () => {
      const found = await h.bot.store.incidents.get(1);
      return found?.channelId ? found : undefined;
    }, 20_000, logs);
    const firing = await until<AlertmanagerAlert>(
      'the alert in Alertmanager',
      async () => (await alertmanager.alerts()).find((a) => a.labels.alertname === ALERTNAME),
      5_000,
      logs,
    );
    expect(metrics.scrapes()).toBeGreaterThan(1);
    expect(firing.labels).toMatchObject({ sloth_service: 'checkout-api', sloth_slo: 'checkout_availability', sloth_severity: 'page' });
    expect(incident).toMatchObject({ severity: 'sev1', service: 'checkout-api', declaredBy: 'system:alertmanager' });
    expect(incident.impactStartedAt).not.toBeNull();
    expect(Math.abs(incident.impactStartedAt!.getTime() - new Date(firing.startsAt).getTime())).toBeLessThanOrEqual(2_000);
    const channelId = incident.channelId!;

    // Healthy: the 5s window drops under the line, Prometheus sends resolved, Alertmanager posts it.
    metrics.setHealthy();
    const offer = await until(
      'the all-resolved Resolve offer',
      () => h.slack.channels.get(channelId)?.messages.find((m) => m.text.includes('Every alert of INC-1 has resolved')),
      25_000,
      logs,
    );
    expect(offer).toBeDefined();
    await h.settle();
    expect((await h.bot.store.timeline.list(1)).filter((e) => e.kind === 'alert_resolved').length).toBeGreaterThanOrEqual(1);
    // Every re-send along the way went to the same incident; resolving stays a person's decision.
    expect(await count(h, 'select count(*) as n from incidents')).toBe(1);
    expect((await h.bot.store.incidents.get(1))!.status).not.toBe('resolved');
  }, 55_000);
});
