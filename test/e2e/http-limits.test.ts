import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMITS } from '../../src/http/limits.js';
import { Harness } from '../support/harness.js';
import { flood } from '../support/raw-http.js';
import { postSigned, slashCommandBody } from '../support/signed-requests.js';

const MiB = 1024 * 1024;
const PD_SECRET = 'pd-webhook-secret';
const FORM = 'application/x-www-form-urlencoded';
const slackHeaders = () => ({ 'x-slack-signature': `v0=${'0'.repeat(64)}`, 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) });

/** A signed `/incident help` whose form carries an extra field, to make the body `bytes` long. */
function paddedHelp(h: Harness, bytes: number): string {
  const body = slashCommandBody({ text: 'help', responseUrl: h.slack.responseUrl('padded') });
  const padding = '&padding=';
  return body + padding + 'p'.repeat(bytes - body.length - padding.length);
}

function pagerDutySigned(body: string, secret = PD_SECRET): Record<string, string> {
  return { 'content-type': 'application/json', 'x-pagerduty-signature': `v1=${createHmac('sha256', secret).update(body).digest('hex')}` };
}

/** A PagerDuty v3 webhook of an event the bot ignores, padded to `bytes`. */
function paddedWebhook(bytes: number): string {
  const shape = (pad: string) => JSON.stringify({ event: { id: 'E1', event_type: 'service.updated', occurred_at: new Date().toISOString(), data: { pad } } });
  return shape('p'.repeat(bytes - shape('').length));
}

describe('request bodies are bounded before any signature is checked', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ env: { PAGERDUTY_WEBHOOK_SECRET: PD_SECRET } });
  });
  afterAll(async () => h.stop());

  it('refuses a declared Content-Length over the limit without waiting for a byte of the body', async () => {
    // Only the headers are sent: an answer proves nothing of the body was needed.
    const res = await flood({ url: `${h.url}/slack/events`, totalBytes: 64 * MiB, declared: true, headersOnly: true, headers: slackHeaders() });
    expect(res).toEqual({ status: 413, sentBytes: 0 });
  });

  it('cuts a chunked body at the limit and answers 413', async () => {
    const res = await flood({ url: `${h.url}/slack/events`, totalBytes: 64 * MiB, declared: false, headers: slackHeaders() });
    expect(res.status).toBe(413);
    // The limit, plus what the sockets' buffers took in before the answer: nowhere near the 64 MiB offered.
    expect(res.sentBytes).toBeGreaterThan(BODY_LIMITS.slackEvents);
    expect(res.sentBytes).toBeLessThan(BODY_LIMITS.slackEvents + 16 * MiB);
  });

  it('refuses an oversized body with 413 even when it is correctly signed', async () => {
    const ack = await postSigned(`${h.url}/slack/events`, paddedHelp(h, BODY_LIMITS.slackEvents + 1), FORM);
    expect(ack.status).toBe(413);
    expect(ack.json()).toEqual({ error: 'body_too_large', limitBytes: BODY_LIMITS.slackEvents });
  });

  it('lets a body of exactly the limit through to the signature check: 401 unsigned, 200 signed', async () => {
    const body = paddedHelp(h, BODY_LIMITS.slackEvents);
    expect(Buffer.byteLength(body)).toBe(BODY_LIMITS.slackEvents);
    expect((await postSigned(`${h.url}/slack/events`, body, FORM, { signature: null })).status).toBe(401);
    const ack = await postSigned(`${h.url}/slack/events`, body, FORM);
    expect(ack.status).toBe(200);
    await h.settle();
    expect(String(h.slack.responsesFor('padded').at(-1)?.text)).toContain('/incident declare');
  });

  it('bounds the PagerDuty webhook at its own, smaller limit', async () => {
    const url = `${h.url}/pagerduty/webhook`;
    const declared = await flood({ url, totalBytes: BODY_LIMITS.pagerDutyWebhook + 1, declared: true, headersOnly: true });
    expect(declared.status).toBe(413);
    const chunked = await flood({ url, totalBytes: 8 * MiB, declared: false });
    expect(chunked.status).toBe(413);
    const signedTooLarge = paddedWebhook(BODY_LIMITS.pagerDutyWebhook + 1);
    expect((await fetch(url, { method: 'POST', headers: pagerDutySigned(signedTooLarge), body: signedTooLarge })).status).toBe(413);
    // At the limit it reaches the signature check.
    const atLimit = paddedWebhook(BODY_LIMITS.pagerDutyWebhook);
    expect(Buffer.byteLength(atLimit)).toBe(BODY_LIMITS.pagerDutyWebhook);
    expect((await fetch(url, { method: 'POST', headers: pagerDutySigned(atLimit, 'wrong'), body: atLimit })).status).toBe(401);
    const ok = await fetch(url, { method: 'POST', headers: pagerDutySigned(atLimit), body: atLimit });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ outcome: 'ignored' });
  });

  it('takes no body on /healthz and none on a path that does not exist', async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const toHealth = await flood({ url: `${h.url}/healthz`, totalBytes: 8 * MiB, declared: false });
    expect(toHealth.status).toBe(404);
    const nowhere = await flood({ url: `${h.url}/nowhere`, totalBytes: 64 * MiB, declared: false });
    expect(nowhere.status).toBe(404);
    expect(nowhere.sentBytes).toBeLessThan(16 * MiB);
  });
});
