import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

/**
 * Notify-only alert groups (no incident) each get a notice with a Declare
 * button. A notice Slack is slow to take, or refuses for a while, must not
 * hold up the notices of other groups.
 */
const TOKEN = 'am-token-1234567890';
const FIRING = JSON.parse(readFileSync('test/fixtures/alertmanager/firing.json', 'utf8')) as Record<string, unknown> & { alerts: Record<string, unknown>[] };
const ENV = { ALERTMANAGER_WEBHOOK_TOKEN: TOKEN };

const warning = (alertname: string) => ({
  ...FIRING,
  groupKey: `{}:{alertname="${alertname}"}`,
  commonLabels: {},
  alerts: [{ ...FIRING.alerts[0], fingerprint: `fp-${alertname}`, labels: { alertname, severity: 'warning' } }],
});

async function send(h: Harness, body: unknown): Promise<number> {
  const res = await fetch(`${h.url}/alertmanager/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

describe('notices of notify-only alert groups', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it('go out while another group\'s notice is still waiting on Slack', async () => {
    h = await Harness.start({ env: ENV });
    const release = h.slack.hold('chat.postMessage', (p) => String(p.text ?? '').includes('SlowCheckout'));
    expect(await send(h, warning('SlowCheckout'))).toBe(200);
    await expect.poll(() => h.slack.held.length, { timeout: 10_000 }).toBe(1);
    expect(await send(h, warning('DiskFilling'))).toBe(200);
    const announce = h.slack.channels.get('C0ANNOUNCE')!;
    await expect.poll(() => announce.messages.some((m) => m.text.includes('DiskFilling')), { timeout: 5_000 }).toBe(true);
    release();
    await h.settle();
    expect(announce.messages.filter((m) => m.text.includes('SlowCheckout'))).toHaveLength(1);
  });
});
