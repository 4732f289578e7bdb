import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertmanagerServer, firingAlert, requireAlertmanager, resolvedAlert } from '../support/alertmanager-server.js';
import { Harness } from '../support/harness.js';

/** The real Alertmanager (Debian's prometheus-alertmanager) with the bot as its webhook receiver. */
const TOKEN = 'real-am-token-0123456789';
const FIXTURE = JSON.parse(readFileSync('test/fixtures/alertmanager/firing.json', 'utf8')) as { alerts: { labels: Record<string, string>; annotations: Record<string, string> }[] };
const RULE = { labels: FIXTURE.alerts[0]!.labels, annotations: FIXTURE.alerts[0]!.annotations };

async function until<T>(what: string, check: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!requireAlertmanager())('a real Alertmanager posting to the bot', () => {
  let h: Harness;
  let alertmanager: AlertmanagerServer;
  beforeAll(async () => {
    h = await Harness.start({ env: { ALERTMANAGER_WEBHOOK_TOKEN: TOKEN, SLO_FILES: 'examples/slo/checkout-api.yaml' } });
    alertmanager = await AlertmanagerServer.start({ receiver: { url: `${h.url}/alertmanager/webhook`, bearerToken: TOKEN } });
  }, 30_000);
  afterAll(async () => {
    await alertmanager?.dispose();
    await h?.stop();
  });

  it('declares one incident linked to the SLO for a firing page, and offers Resolve when Alertmanager says it resolved', async () => {
    const activeAt = new Date(Date.now() - 60_000);
    await alertmanager.pushAlerts([firingAlert(RULE, { activeAt })]);
    const incident = await until('the incident', () => h.bot.store.incidents.get(1));
    expect(incident).toMatchObject({ service: 'checkout-api', declaredBy: 'system:alertmanager' });
    expect(incident.impactStartedAt?.getTime()).toBe(activeAt.getTime());
    await alertmanager.pushAlerts([resolvedAlert(RULE, { activeAt, resolvedAt: new Date() })]);
    await until('the Resolve offer', () => {
      const channel = h.bot.store.incidents.get(1)?.channelId;
      return channel ? h.slack.channels.get(channel)?.messages.find((m) => m.text.includes('Every alert of INC-1 has resolved')) : undefined;
    });
    expect(h.bot.store.incidents.listOpen()).toHaveLength(1);
    expect(h.bot.db.$client.prepare('select count(*) as n from incidents').get()).toEqual({ n: 1 });
  }, 60_000);
});
