import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { PagerDutyClient, type PagerDutyEvent } from '../../../src/pagerduty/client.js';
import { judgeEventAnswer } from '../../../src/pagerduty/event-answer.js';
import { PagerDutyStandIn } from '../../support/pagerduty-stand-in.js';

const NGINX_403 = '<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const PROXY_413 = '<!DOCTYPE html><html><head><style>body{color:red}</style><script>var x = "<b>";</script></head><body><p>Request Entity Too Large &amp; refused by corp&#45;proxy</p></body></html>';
const ALB_502 = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';

const TRIGGER: PagerDutyEvent = {
  routing_key: 'R0DEFAULTKEY0000000000000000000',
  event_action: 'trigger',
  dedup_key: 'incident-1-mkx3b2c0-default',
  payload: { summary: '[SEV1] INC-1: Checkout down', source: 'incident-bot', severity: 'critical' },
};

describe('an Events API answer that is not JSON (a proxy or load balancer in front of PagerDuty)', () => {
  let pd: PagerDutyStandIn;
  let client: PagerDutyClient;
  beforeEach(async () => {
    pd = new PagerDutyStandIn();
    await pd.start();
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', PAGERDUTY_ROUTING_KEY: TRIGGER.routing_key, PAGERDUTY_EVENTS_URL: pd.url });
    client = new PagerDutyClient(config.pagerduty, { retryTimeoutMs: 5, requestTimeoutMs: 5_000 });
  });
  afterEach(async () => {
    await pd.stop();
  });

  it("keeps a proxy's HTML 403 as a 403, refused at once with its page quoted", async () => {
    pd.page = { status: 403, body: NGINX_403 };
    const answer = await client.send(TRIGGER);
    expect(answer).toEqual({ status: 403, body: undefined, excerpt: '403 Forbidden 403 Forbidden nginx' });
    expect(judgeEventAnswer(answer)).toEqual({
      kind: 'refused',
      reason: expect.stringMatching(/^PagerDuty answered 403 with a page that is not PagerDuty's JSON \(a proxy's\?\): "403 Forbidden 403 Forbidden nginx" \(.*PAGERDUTY_EVENTS_URL/),
    });
    expect(pd.events).toHaveLength(1);
  });

  it("reads a 413 page's words, without its scripts, styles or tags", async () => {
    pd.page = { status: 413, body: PROXY_413 };
    const answer = await client.send(TRIGGER);
    expect(answer.excerpt).toBe('Request Entity Too Large & refused by corp-proxy');
    expect(judgeEventAnswer(answer)).toMatchObject({ kind: 'refused', reason: expect.stringContaining("(the event is over PagerDuty's 512 KB limit)") });
  });

  it("keeps a load balancer's 502 page a 502, retried, saying what answered", async () => {
    pd.page = { status: 502, body: ALB_502 };
    const answer = await client.send(TRIGGER);
    expect(judgeEventAnswer(answer)).toEqual({ kind: 'unavailable', reason: `PagerDuty answered 502 with a page that is not PagerDuty's JSON (a proxy's?): "502 Bad Gateway 502 Bad Gateway"` });
  });

  it('keeps an empty or plain-text answer by its status, and a long page cut short', async () => {
    pd.page = { status: 401, body: '' };
    expect(await client.send(TRIGGER)).toEqual({ status: 401, body: undefined });
    pd.page = { status: 403, body: `Denied by policy: ${'blocked '.repeat(100)}`, contentType: 'text/plain' };
    const answer = await client.send(TRIGGER);
    expect(answer.status).toBe(403);
    expect(answer.excerpt!.length).toBeLessThanOrEqual(200);
    expect(answer.excerpt).toMatch(/^Denied by policy: blocked blocked .*…$/);
  });

  it('rejects a non-JSON answer to GET /oncalls with an error naming its status', async () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', PAGERDUTY_API_URL: pd.url, PAGERDUTY_API_TOKEN: 't', PAGERDUTY_ESCALATION_POLICY_ID: 'P0POLICY' });
    const rest = new PagerDutyClient(config.pagerduty, { requestTimeoutMs: 5_000 });
    pd.restPage = { status: 403, body: NGINX_403 };
    await expect(rest.onCallNow()).rejects.toThrow(/^PagerDuty answered 403 to GET \/oncalls with a body that is not JSON/);
    pd.restPage = undefined;
    expect(await rest.onCallNow()).toEqual([{ name: 'Dan Oncall', email: 'dan@example.com' }]);
  });

  it("still reads PagerDuty's own JSON answers", async () => {
    expect(await client.send(TRIGGER)).toEqual({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: TRIGGER.dedup_key } });
    pd.mode = 'ratelimited';
    expect((await client.send(TRIGGER)).status).toBe(429);
  });
});
