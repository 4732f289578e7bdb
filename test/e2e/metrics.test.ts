/**
 * GET /metrics of the running bot, after incidents scripted through signed
 * HTTP (and Socket Mode): every count is held to what the stand-ins and the
 * database recorded, so a metric that counts wrong, twice or in one thread
 * only fails here. The counters live per thread for the whole test file, so
 * each test reads what its own steps added (after minus before).
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DECLARED_VIA, SEVERITIES } from '../../src/domain/model.js';
import { ALL_METRICS, API_CALL_OUTCOMES, COUNTED, READ_AT_SCRAPE, SLACK_REQUEST_KINDS } from '../../src/metrics/names.js';
import { OUTBOX_KINDS } from '../../src/metrics/registry.js';
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS } from '../../src/slack/ids.js';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { PagerDutyStandIn } from '../support/pagerduty-stand-in.js';
import { interactivityBody, viewSubmissionPayload } from '../support/signed-requests.js';
import { APP_TOKEN, TEAM_ID } from '../support/slack-stand-in.js';
import { CHECKOUT_AVAILABILITY_SLO_FILE } from '../support/slo-fixtures.js';
import { count, query } from '../support/store-sql.js';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}
interface Scrape {
  readonly types: readonly [string, string][];
  readonly samples: readonly Sample[];
  /** The sum of the samples named `name` whose labels include `labels`. */
  value(name: string, labels?: Record<string, string>): number;
}

/** GET /metrics, read as Prometheus reads the text format (0.0.4). */
async function scrape(h: Harness): Promise<Scrape> {
  const res = await fetch(`${h.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const lines = (await res.text()).split('\n');
  const types = lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ').slice(2, 4) as [string, string]);
  const samples = lines
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
  const value = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
  return { types, samples, value };
}

const PD_SECRET = 'pd-webhook-secret';
const AM_TOKEN = 'am-token-1234567890';
const FIRING = readFileSync('test/fixtures/alertmanager/firing.json', 'utf8');

function pagerDutyEnv(pd: PagerDutyStandIn): Record<string, string> {
  return { PAGERDUTY_ROUTING_KEY: 'R0DEFAULTKEY0000000000000000000', PAGERDUTY_EVENTS_URL: pd.url, PAGERDUTY_WEBHOOK_SECRET: PD_SECRET };
}

async function acknowledgePage(h: Harness, dedupKey: string): Promise<void> {
  const body = JSON.stringify({
    event: { id: `01ACK${dedupKey}`, event_type: 'incident.acknowledged', occurred_at: new Date().toISOString(), agent: { summary: 'Dan Oncall' }, data: { incident_key: dedupKey } },
  });
  const signature = `v1=${createHmac('sha256', PD_SECRET).update(body).digest('hex')}`;
  const res = await fetch(`${h.url}/pagerduty/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signature }, body });
  expect(await res.json()).toEqual({ outcome: 'recorded' });
}

async function alertmanager(h: Harness, body: string, auth = `Bearer ${AM_TOKEN}`): Promise<number> {
  return (await fetch(`${h.url}/alertmanager/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body })).status;
}

function declareByForm(h: Harness, title: string) {
  const values = {
    [BLOCK_IDS.title]: { [ACTION_IDS.title]: { type: 'plain_text_input', value: title } },
    [BLOCK_IDS.severity]: { [ACTION_IDS.severity]: { type: 'static_select', selected_option: { value: 'sev3' } } },
  };
  return h.interact(interactivityBody(viewSubmissionPayload('U0CAROL', CALLBACK_IDS.declareModal, values, '{"originChannelId":null}')));
}

/** What the database says the outbox finished, by kind and status, for jobs after `afterId`. */
async function finishedJobs(h: Harness, afterId: number, status: 'done' | 'failed'): Promise<Map<string, number>> {
  const rows = await query<{ kind: string; n: number | string }>(h, `SELECT kind, count(*) AS n FROM outbox WHERE id > ? AND status = ? GROUP BY kind`, [afterId, status]);
  // PostgreSQL answers count(*) as a bigint: a string from pg.
  return new Map(rows.map((r) => [r.kind, Number(r.n)]));
}
const lastJobId = (h: Harness) => count(h, 'SELECT coalesce(max(id), 0) AS id FROM outbox');

/** The Web API calls the stand-in answered since `from`, by method and the outcome the bot should have counted. */
function answeredCalls(h: Harness, from: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of h.slack.calls.slice(from)) {
    const outcome = call.status === 429 ? 'rate_limited' : call.status === 200 && call.response.ok === true ? 'ok' : 'error';
    const key = `${call.method} ${outcome}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

let h: Harness | undefined;
let pd: PagerDutyStandIn | undefined;
afterEach(async () => {
  await h?.stop();
  await pd?.stop();
  h = pd = undefined;
});

describe('GET /metrics over HTTP, the outbox on its own thread', () => {
  it('counts a scripted incident as the stand-ins and the database recorded it, with bounded labels only', async () => {
    pd = new PagerDutyStandIn();
    await pd.start();
    h = await Harness.start({ env: { ...pagerDutyEnv(pd), ALERTMANAGER_WEBHOOK_TOKEN: AM_TOKEN, SLO_FILES: 'examples/slo/checkout-api.yaml' }, bot: { pagerduty: { retryTimeoutMs: 5, requestTimeoutMs: 2_000 } } });
    const before = await scrape(h);
    const [fromCall, fromJob] = [h.slack.calls.length, await lastJobId(h)];

    h.slack.failNext('conversations.setPurpose', { kind: 'ratelimited', retryAfter: 0 });
    await h.run('declare sev1 Checkout errors spiking', { userId: 'U0ALICE' });
    expect((await declareByForm(h, 'Admin pages slow')).status).toBe(200);
    expect(await alertmanager(h, FIRING)).toBe(200);
    expect(await alertmanager(h, FIRING, 'Bearer wrong')).toBe(401);
    expect(await alertmanager(h, '{"version":')).toBe(400);
    await h.settle();
    await acknowledgePage(h, (await h.bot.store.pages.forIncident(1))[0]!.dedupKey); // the key is unique to this database's incident: read it
    // PagerDuty refuses an on-demand page for the alert's incident (400).
    pd.mode = 'invalid';
    await h.run('page Need more hands', { channelId: (await h.incidentChannel(3)).id });
    pd.mode = 'ok';
    await h.run('resolve Rolled back the deploy', { channelId: (await h.incidentChannel(1)).id });
    const alerted = (await h.bot.store.incidents.get(3))!;
    expect(alerted).toMatchObject({ declaredBy: 'system:alertmanager', service: 'checkout-api' });

    const after = await scrape(h);
    const added = (name: string, labels: Record<string, string> = {}) => after.value(name, labels) - before.value(name, labels);

    // Declared by severity and source; open incidents as the database has them.
    expect(added(COUNTED.incidentsDeclared.name, { severity: 'sev1', source: 'command' })).toBe(1);
    expect(added(COUNTED.incidentsDeclared.name, { severity: 'sev3', source: 'form' })).toBe(1);
    expect(added(COUNTED.incidentsDeclared.name, { severity: alerted.severity, source: 'alert' })).toBe(1);
    expect(added(COUNTED.incidentsDeclared.name)).toBe(3);
    for (const severity of SEVERITIES) {
      expect(after.value(READ_AT_SCRAPE.incidentsOpen.name, { severity })).toBe((await h.bot.store.incidents.listOpen()).filter((i) => i.severity === severity).length);
    }
    // INC-1: acknowledged, then resolved, each observed once.
    expect(added(`${COUNTED.timeToAcknowledge.name}_count`, { severity: 'sev1' })).toBe(1);
    expect(added(`${COUNTED.timeToResolve.name}_count`, { severity: 'sev1' })).toBe(1);
    expect(added(`${COUNTED.timeToResolve.name}_count`)).toBe(1);

    // PagerDuty, from the outbox thread: what the stand-in accepted and refused.
    const resolves = pd.events.filter((e) => e.body.event_action === 'resolve' && e.status === 202);
    expect(pd.acceptedTriggers().length).toBeGreaterThanOrEqual(2);
    expect(added(COUNTED.pagerDutyEvents.name, { action: 'trigger', outcome: 'accepted' })).toBe(pd.acceptedTriggers().length);
    expect(added(COUNTED.pagerDutyEvents.name, { action: 'resolve', outcome: 'accepted' })).toBe(resolves.length);
    expect(added(COUNTED.pagerDutyEvents.name, { action: 'trigger', outcome: 'rejected' })).toBe(1);
    expect(added(`${COUNTED.pageDelivery.name}_count`)).toBe(pd.acceptedTriggers().length);
    expect(added(COUNTED.alertmanagerWebhooks.name, { outcome: 'accepted' })).toBe(1);
    expect(added(COUNTED.alertmanagerWebhooks.name, { outcome: 'unauthorized' })).toBe(1);
    expect(added(COUNTED.alertmanagerWebhooks.name, { outcome: 'bad_request' })).toBe(1);

    // Slack requests: three commands and a form, each acknowledged once.
    expect(added(COUNTED.slackRequests.name, { kind: 'command', outcome: 'ok' })).toBe(3);
    expect(added(COUNTED.slackRequests.name, { kind: 'view', outcome: 'ok' })).toBe(1);
    expect(added(COUNTED.slackRequests.name, { outcome: 'error' })).toBe(0);
    expect(added(`${COUNTED.slackAckDuration.name}_count`, { kind: 'command' })).toBe(3);
    expect(added(`${COUNTED.slackAckDuration.name}_count`, { kind: 'view' })).toBe(1);

    // Web API calls from both threads, method by method, as the stand-in answered them; the 429 apart.
    const answered = answeredCalls(h, fromCall);
    expect(answered.get('conversations.setPurpose rate_limited')).toBe(1);
    for (const method of new Set([...h.slack.calls.slice(fromCall)].map((c) => c.method))) {
      for (const outcome of API_CALL_OUTCOMES) expect(added(COUNTED.slackApiCalls.name, { method, outcome }), `${method} ${outcome}`).toBe(answered.get(`${method} ${outcome}`) ?? 0);
      expect(added(`${COUNTED.slackApiCallDuration.name}_count`, { method })).toBe(added(COUNTED.slackApiCalls.name, { method }));
    }

    // The outbox: each job done observed once by kind, nothing given up, nothing left pending.
    const done = await finishedJobs(h, fromJob, 'done');
    expect(done.get('incident.setup')).toBe(3);
    for (const kind of OUTBOX_KINDS) {
      expect(added(`${COUNTED.outboxDelivery.name}_count`, { kind }), kind).toBe(done.get(kind) ?? 0);
      expect(added(COUNTED.outboxGivenUp.name, { kind })).toBe(0);
      expect(after.value(READ_AT_SCRAPE.outboxPending.name, { kind })).toBe(0);
      expect(after.value(READ_AT_SCRAPE.outboxOldestPendingAge.name, { kind })).toBe(0);
    }
    // The alert's incident is linked to checkout-api: its budget is what its recorded figures say.
    const figures = (await h.bot.store.sloFigures.forIncident(3)).map((f) => f.figures);
    const burned = figures.reduce((sum, f) => sum + (f.incident.kind === 'missing' ? 0 : f.incident.consumed), 0);
    expect(figures.length).toBeGreaterThan(0);
    expect(after.value(READ_AT_SCRAPE.sloBudgetConsumed.name, { service: 'checkout-api' })).toBeCloseTo(burned, 12);

    // One family per name, every metric of the contract among them, and the process metrics.
    const families = after.types.map(([name]) => name);
    expect(new Set(families).size).toBe(families.length);
    for (const metric of ALL_METRICS) expect(after.types, metric.name).toContainEqual([metric.name, metric.type]);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_seconds']) expect(families).toContain(name);

    // Labels: exactly the contract's, with values from bounded sets; no title, person, channel or incident.
    const bounded: Record<string, readonly string[]> = { severity: SEVERITIES, source: DECLARED_VIA, outcome: [...API_CALL_OUTCOMES, 'accepted', 'rejected', 'unauthorized', 'bad_request'] };
    for (const sample of after.samples.filter((s) => s.name.startsWith('incident_bot_'))) {
      const spec = ALL_METRICS.find((m) => sample.name === m.name || sample.name.replace(/_(bucket|sum|count)$/, '') === m.name)!;
      expect(Object.keys(sample.labels).filter((l) => l !== 'le').sort(), sample.name).toEqual([...spec.labelNames].sort());
      for (const [label, value] of Object.entries(sample.labels)) {
        if (bounded[label]) expect(bounded[label], `${sample.name} ${label}`).toContain(value);
        expect(value).not.toMatch(/Checkout errors|Admin pages|INC-|^[UCDT]0[A-Z0-9]+$/);
      }
      if (sample.name.startsWith('incident_bot_slack_requests') || sample.name.startsWith('incident_bot_slack_ack')) expect(SLACK_REQUEST_KINDS).toContain(sample.labels.kind);
      if (sample.labels.kind && sample.name.includes('outbox')) expect(OUTBOX_KINDS).toContain(sample.labels.kind);
      if (sample.labels.method) expect(sample.labels.method).toMatch(/^[a-z]+(\.[a-zA-Z0-9]+)+$/);
    }
  });

  it('counts a listener that failed, a job given up, and the job it leaves', async () => {
    h = await Harness.start();
    await h.run('declare sev3 Search slow');
    const before = await scrape(h);
    const fromJob = await lastJobId(h);
    // The form cannot open (Slack refuses the trigger): the person gets an apology, the request counts as an error.
    h.slack.failNext('views.open', { kind: 'error', error: 'expired_trigger_id' });
    await h.run('declare');
    // A post Slack refuses for good is given up (and its failure told in the channel).
    h.slack.failNext('chat.postMessage', { kind: 'error', error: 'channel_not_found' });
    await h.run('status identified Bad index', { channelId: (await h.incidentChannel(1)).id });
    const after = await scrape(h);
    const added = (name: string, labels: Record<string, string> = {}) => after.value(name, labels) - before.value(name, labels);

    expect(added(COUNTED.slackRequests.name, { kind: 'command', outcome: 'error' })).toBe(1);
    expect(added(COUNTED.slackRequests.name, { kind: 'command', outcome: 'ok' })).toBe(1);
    expect(added(COUNTED.slackApiCalls.name, { method: 'views.open', outcome: 'error' })).toBe(1);
    const failed = await finishedJobs(h, fromJob, 'failed');
    expect([...failed.values()].reduce((a, b) => a + b, 0)).toBe(1);
    for (const kind of OUTBOX_KINDS) expect(added(COUNTED.outboxGivenUp.name, { kind }), kind).toBe(failed.get(kind) ?? 0);
  });
});

describe('GET /metrics in Socket Mode', () => {
  it('is served on the same port, and counts what comes over the socket', async () => {
    h = await Harness.start({ env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '' } });
    const before = await scrape(h);
    await h.slack.deliverOverSocket('slash_commands', {
      team_id: TEAM_ID,
      channel_id: 'C0GENERAL',
      user_id: 'U0ALICE',
      command: '/incident',
      text: 'declare sev2 Socket declared',
      api_app_id: 'A0TEST',
      response_url: h.slack.responseUrl('socket-metrics'),
      trigger_id: 'trigger-socket',
    });
    await h.settle();
    const after = await scrape(h);
    expect(after.value(COUNTED.slackRequests.name, { kind: 'command', outcome: 'ok' }) - before.value(COUNTED.slackRequests.name, { kind: 'command', outcome: 'ok' })).toBe(1);
    expect(after.value(`${COUNTED.slackAckDuration.name}_count`, { kind: 'command' }) - before.value(`${COUNTED.slackAckDuration.name}_count`, { kind: 'command' })).toBe(1);
    expect(after.value(COUNTED.incidentsDeclared.name, { severity: 'sev2', source: 'command' }) - before.value(COUNTED.incidentsDeclared.name, { severity: 'sev2', source: 'command' })).toBe(1);
    expect(after.value(READ_AT_SCRAPE.incidentsOpen.name, { severity: 'sev2' })).toBe(1);
  });
});

describe('GET /metrics with the outbox in the listeners\' thread (a simulated clock)', () => {
  const MINUTE = 60_000;
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reads the budget incidents consumed and the outbox's backlog from the database at the scrape", async () => {
    dir = mkdtempSync(join(tmpdir(), 'metrics-'));
    writeFileSync(join(dir, 'checkout.yaml'), CHECKOUT_AVAILABILITY_SLO_FILE);
    const clock = new FixedClock(new Date('2026-11-30T00:00:00Z'));
    h = await Harness.start({ env: { SLO_FILES: join(dir, 'checkout.yaml') }, bot: { clock } });
    await h.run('declare sev2 Checkout failing');
    const channel = (await h.incidentChannel(1)).id;
    await h.run('service checkout-api', { channelId: channel });
    await h.run('impact started 2026-11-29 22:00', { channelId: channel });
    await h.run('impact ended 2026-11-29 22:30', { channelId: channel });
    // No Prometheus: a SEV2's estimate, half the requests failing for 30 minutes, of 99.9 % over 30 days (43.2 min).
    expect((await scrape(h)).value(READ_AT_SCRAPE.sloBudgetConsumed.name, { service: 'checkout-api', slo: 'checkout_availability' })).toBeCloseTo(15 / 43.2, 12);

    // Slack down for posts: the status post waits for its retry, which a clock that stands still never reaches.
    h.slack.failNext('chat.postMessage', { kind: 'http', status: 503 }, 100);
    await h.run('status identified Bad deploy', { channelId: channel });
    clock.advance(10 * MINUTE);
    const stuck = await scrape(h);
    const pending = (await h.bot.store.outbox.list()).filter((j) => j.status === 'pending' || j.status === 'running');
    expect(pending.map((j) => j.kind)).toContain('slack.post');
    for (const kind of OUTBOX_KINDS) expect(stuck.value(READ_AT_SCRAPE.outboxPending.name, { kind }), kind).toBe(pending.filter((j) => j.kind === kind).length);
    expect(stuck.value(READ_AT_SCRAPE.outboxOldestPendingAge.name, { kind: 'slack.post' })).toBe(600);

    h.slack.clearFaults();
    await h.settle();
    const cleared = await scrape(h);
    expect(cleared.value(READ_AT_SCRAPE.outboxPending.name)).toBe(0);
    expect(cleared.value(READ_AT_SCRAPE.outboxOldestPendingAge.name)).toBe(0);
  });
});
