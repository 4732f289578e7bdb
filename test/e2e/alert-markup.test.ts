import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { messageProblems } from '../support/slack-limits.js';

/**
 * What an Alertmanager notification can make the bot write in Slack, over the
 * wire: its texts and URLs are Prometheus's and whoever wrote the rules, and
 * none of them may become a ping or a link the bot did not mean.
 */
const TOKEN = 'am-token-1234567890';
const FIRING = JSON.parse(readFileSync('test/fixtures/alertmanager/firing.json', 'utf8')) as Payload;
type Payload = Record<string, unknown> & { groupKey: string; alerts: Record<string, unknown>[] };
const ENV = { ALERTMANAGER_WEBHOOK_TOKEN: TOKEN, SLO_FILES: 'examples/slo/checkout-api.yaml' };

/** A ping in mrkdwn: a special mention, a user group, or the user the alert names. */
const PING = /<!(?:channel|here|everyone|subteam)|<@U0BOB>/;

async function send(h: Harness, body: unknown): Promise<number> {
  const res = await fetch(`${h.url}/alertmanager/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

/** Everything the bot sent to Slack: Web API calls and response_url answers. */
function allSent(h: Harness): string {
  return JSON.stringify([h.slack.calls.map((c) => c.params), h.slack.responses.map((r) => r.body)]);
}

const warning = (alert: Record<string, unknown>, labels: Record<string, string> = {}): Payload => ({
  ...FIRING,
  groupKey: '{}:{alertname="SlowCheckout"}',
  commonLabels: {},
  alerts: [{ ...FIRING.alerts[0], ...alert, labels: { alertname: 'SlowCheckout', severity: 'warning', ...labels } }],
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** A generatorURL as Prometheus builds it from a long expression, and a runbook link longer than a section. */
const LONG_GENERATOR = `http://prometheus.example:9090/graph?g0.expr=${'sum%28rate%28http_requests_total%7Bcode%3D~%225..%22%7D%5B5m%5D%29%29'.repeat(100)}`.slice(0, 4254);
const LONG_RUNBOOK = `https://runbooks.example.com/slo/checkout-api?${'section=availability&'.repeat(150)}`;

describe('an alert cannot make the bot ping', () => {
  it('posts the notice of an alert whose generatorURL or runbook is !channel or a user group, unlinked', async () => {
    h = await Harness.start({ env: ENV });
    const urls = ['!channel', '!subteam^S0X', 'javascript:alert(1)'];
    for (const [i, url] of urls.entries()) {
      const body = warning({ generatorURL: url, fingerprint: `fp-${i}`, annotations: { summary: `slow ${i}`, runbook_url: url } });
      expect(await send(h, { ...body, groupKey: `{}:{alertname="SlowCheckout${i}"}` })).toBe(200);
    }
    await h.settle();
    const notices = h.slack.channels.get('C0ANNOUNCE')!.messages.filter((m) => m.text.includes('SlowCheckout'));
    expect(notices).toHaveLength(urls.length);
    for (const notice of notices) {
      expect(messageProblems(notice)).toEqual([]);
      expect(JSON.stringify(notice.blocks)).toContain('Declare incident');
    }
    expect(allSent(h)).not.toMatch(PING);
  });

  it('posts a notice and a header Slack takes from links thousands of characters long: each whole or only its label', async () => {
    h = await Harness.start({ env: ENV });
    const annotations = { ...(FIRING.alerts[0]!.annotations as object), runbook_url: LONG_RUNBOOK };
    expect(await send(h, warning({ generatorURL: LONG_GENERATOR, annotations }))).toBe(200);
    expect(await send(h, { ...FIRING, alerts: [{ ...FIRING.alerts[0], generatorURL: LONG_GENERATOR, annotations }] })).toBe(200);
    await h.settle();
    const notice = h.slack.channels.get('C0ANNOUNCE')!.messages.find((m) => m.text.includes('SlowCheckout'))!;
    expect(messageProblems(notice)).toEqual([]);
    expect(notice.text).toContain('declared · Prometheus · ');
    expect(JSON.stringify(notice.blocks)).toContain('declared · Prometheus · Runbook.');
    const header = (await h.incidentChannel(1)).messages[0]!;
    expect(messageProblems(header)).toEqual([]);
    expect(JSON.stringify(header.blocks)).toContain(':book: *Runbook*: open the runbook');
  });

  it('declares, offers a merge, posts a notice and writes the timeline and postmortem of alerts whose texts hold mentions, pinging nobody', async () => {
    h = await Harness.start({ env: ENV });
    const markup = 'owner <@U0BOB> <!here>';
    const first = FIRING.alerts[0]!;
    const annotations = { ...(first.annotations as object), summary: `disk full, ${markup}`, description: `the disk is full; ${markup}` };
    const labels = { ...(first.labels as object), team: markup };
    const declared = { ...FIRING, alerts: [{ ...first, annotations, labels }] };
    expect(await send(h, declared)).toBe(200);
    // The same alert name and service under another group key: a merge offer quoting the summary.
    expect(await send(h, { ...declared, groupKey: '{}/{team="b"}:{alertname="CheckoutAvailabilityFastBurn"}', alerts: [{ ...first, annotations, labels, fingerprint: 'fp-2' }] })).toBe(200);
    expect(await send(h, warning({ annotations }, { team: markup }))).toBe(200);
    await h.settle();
    const channel = await h.incidentChannel(1);
    expect((await h.bot.store.incidents.get(1))!.title).toBe('disk full, owner ‹@U0BOB› ‹!here›');
    expect(channel.messages.some((m) => m.text.includes('Another alert group'))).toBe(true);
    expect(h.slack.channels.get('C0ANNOUNCE')!.messages.some((m) => m.text.includes('SlowCheckout'))).toBe(true);
    const timeline = (await h.run('timeline', { channelId: channel.id })).replies[0]!;
    expect(timeline).toContain('team="owner ‹@U0BOB› ‹!here›"');
    await h.run('resolve disk cleaned', { channelId: channel.id, userId: 'U0ALICE' });
    const canvas = h.slack.canvases.get(channel.canvasId!)!;
    expect(canvas.markdown).toContain('disk full, owner ‹@U0BOB›');
    expect(canvas.markdown).not.toContain('@U0BOB)');
    for (const message of channel.messages) expect(messageProblems(message)).toEqual([]);
    expect(allSent(h)).not.toMatch(PING);
  });
});
