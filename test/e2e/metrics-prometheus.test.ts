/**
 * The bot's /metrics scraped by a real Prometheus (Debian's package) every
 * second while an incident is scripted through signed HTTP: declared, paged
 * through the PagerDuty stand-in, linked to checkout-api, acknowledged and
 * resolved. What Prometheus stored is then checked against what happened,
 * through its own query API: the format parses, the counters and histograms
 * hold the incident, a quantile can be computed, and the budget gauge is the
 * incident's recorded figure.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { PagerDutyStandIn } from '../support/pagerduty-stand-in.js';
import { PrometheusServer, requirePrometheus } from '../support/prometheus-server.js';

const PD_SECRET = 'pd-webhook-secret';
const POLL = { timeout: 15_000, interval: 250 };

interface QueryAnswer {
  readonly status: string;
  readonly data: { readonly result: readonly { readonly metric: Record<string, string>; readonly value: [number, string] }[] };
}

describe.skipIf(!requirePrometheus())('the bot scraped by a real Prometheus', () => {
  let pd: PagerDutyStandIn;
  let h: Harness;
  let prometheus: PrometheusServer;

  /** An instant query's one value, or undefined while Prometheus has none. */
  const query = async (expr: string): Promise<number | undefined> => {
    const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const answer = (await res.json()) as QueryAnswer;
    if (answer.status !== 'success') throw new Error(`${expr}: ${JSON.stringify(answer)}`);
    const [first] = answer.data.result;
    return first ? Number(first.value[1]) : undefined;
  };

  beforeAll(async () => {
    pd = new PagerDutyStandIn();
    await pd.start();
    h = await Harness.start({
      env: { PAGERDUTY_ROUTING_KEY: 'R0DEFAULTKEY0000000000000000000', PAGERDUTY_EVENTS_URL: pd.url, PAGERDUTY_WEBHOOK_SECRET: PD_SECRET, SLO_FILES: 'examples/slo/checkout-api.yaml' },
      bot: { pagerduty: { retryTimeoutMs: 5, requestTimeoutMs: 2_000 } },
    });
    prometheus = await PrometheusServer.start({ scrapeTargets: [{ job: 'incident-bot', targets: [`127.0.0.1:${h.bot.port()}`], scrapeInterval: '1s' }] });
  }, 30_000);
  afterAll(async () => {
    await prometheus?.dispose();
    await h?.stop();
    await pd?.stop();
  });

  it('holds the scripted incident in what it scraped', async () => {
    await expect.poll(() => query('up{job="incident-bot"}'), POLL).toBe(1);
    const declared = 'sum(incident_bot_incidents_declared_total{severity="sev1",source="command"})';
    const resolvedCount = 'sum(incident_bot_incident_time_to_resolve_seconds_count{severity="sev1"})';
    // Counters of bounded labels start at 0: the series are there before anything happens; a histogram's from its first observation.
    expect(await query(declared)).toBe(0);
    expect(await query(resolvedCount)).toBeUndefined();

    await h.run('declare sev1 Checkout errors spiking', { userId: 'U0ALICE' });
    const channel = (await h.incidentChannel(1)).id;
    await h.run('service checkout-api', { channelId: channel });
    const body = JSON.stringify({
      event: { id: '01ACKPROM', event_type: 'incident.acknowledged', occurred_at: new Date().toISOString(), agent: { summary: 'Dan Oncall' }, data: { incident_key: (await h.bot.store.pages.forIncident(1))[0]!.dedupKey } },
    });
    const signature = `v1=${createHmac('sha256', PD_SECRET).update(body).digest('hex')}`;
    expect((await fetch(`${h.url}/pagerduty/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signature }, body })).status).toBe(200);
    await h.run('resolve Rolled back the deploy', { channelId: channel });
    await h.settle();

    await expect.poll(() => query(declared), POLL).toBe(1);
    await expect.poll(() => query(resolvedCount), POLL).toBe(1);
    await expect.poll(() => query('sum(incident_bot_incident_time_to_acknowledge_seconds_count{severity="sev1"})'), POLL).toBe(1);
    await expect.poll(() => query('incident_bot_incidents_open{severity="sev1"}'), POLL).toBe(0);
    // The page and its resolve, from the outbox thread, summed into the same scrape.
    await expect.poll(() => query('sum(incident_bot_pagerduty_events_total{outcome="accepted"})'), POLL).toBe(pd.events.filter((e) => e.status === 202).length);
    await expect.poll(() => query('incident_bot_page_delivery_seconds_count'), POLL).toBe(pd.acceptedTriggers().length);
    await expect.poll(() => query('sum(incident_bot_slack_requests_total{kind="command",outcome="ok"})'), POLL).toBe(3);
    // Histograms Prometheus can compute with: the ack time's median is a time, not NaN.
    const median = await query('histogram_quantile(0.5, sum by (le) (incident_bot_slack_ack_duration_seconds_bucket{kind="command"}))');
    expect(Number.isFinite(median) && median! > 0).toBe(true);
    // Read from what Prometheus scraped: the scrape after the outbox's last jobs (postmortem, refresh), however loaded the machine.
    await expect.poll(() => query('sum(incident_bot_outbox_delivery_seconds_count{kind="incident.setup"})'), POLL).toBe(1);
    await expect.poll(() => query('sum(incident_bot_outbox_jobs_pending)'), POLL).toBe(0);

    // Each of checkout-api's SLOs: what the resolved incident burned, as its final figures say.
    const final = await h.bot.store.sloFigures.forIncident(1);
    expect(final.length).toBeGreaterThan(0);
    for (const { figures } of final) {
      const burned = figures.incident.kind === 'missing' ? 0 : figures.incident.consumed;
      const gauge = `incident_bot_slo_budget_consumed_ratio{service="checkout-api",slo="${figures.name}"}`;
      await expect.poll(() => query(gauge), { ...POLL, message: figures.name }).toBeCloseTo(burned, 12);
    }
    // The process metrics came along, unprefixed.
    expect(await query('process_start_time_seconds{job="incident-bot"}')).toBeGreaterThan(1_600_000_000);
  }, 60_000);
});
