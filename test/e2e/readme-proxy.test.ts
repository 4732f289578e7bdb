/**
 * The README's body limits and its nginx example are what an operator copies
 * in front of the bot: each POST endpoint must be in both, with the limit the
 * running bot really enforces, or the proxy answers 404 (or 413) for a webhook
 * the bot would have taken.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const UNIT = { KiB: 1024, MiB: 1024 * 1024, k: 1024, m: 1024 * 1024 } as const;

/** `| POST /x | 5 MiB | …` rows of the body-limit table. */
function tableLimits(): Map<string, number> {
  const rows = [...README.matchAll(/^\| `POST (\/[\w/]+)` \| (\d+) (KiB|MiB) \|/gm)];
  return new Map(rows.map(([, path, n, unit]) => [path!, Number(n) * UNIT[unit as 'KiB' | 'MiB']]));
}

/** `location = /x { client_max_body_size 5m; … }` lines of the nginx example. */
function nginxLimits(): Map<string, number> {
  const nginx = /```nginx\n([\s\S]*?)```/.exec(README)?.[1] ?? '';
  const rows = [...nginx.matchAll(/location = (\/[\w/]+)\s*\{\s*client_max_body_size (\d+)([km]);/g)];
  return new Map(rows.map(([, path, n, unit]) => [path!, Number(n) * UNIT[unit as 'k' | 'm']]));
}

/** The bot's answer to a body declared one byte over `bytes`, sent before any of the body. */
function overLimit(url: string, bytes: number): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(bytes + 1) } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

describe('the README in front of a proxy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ env: { PAGERDUTY_WEBHOOK_SECRET: 'pd-secret', ALERTMANAGER_WEBHOOK_TOKEN: 'am-token' } });
  });
  afterAll(async () => h.stop());

  it('lists every POST endpoint with the limit the bot enforces, and the nginx example passes each with that limit', async () => {
    const table = tableLimits();
    expect([...table.keys()].sort()).toEqual(['/alertmanager/webhook', '/pagerduty/webhook', '/slack/events']);
    for (const [path, bytes] of table) {
      expect(await overLimit(`${h.url}${path}`, bytes), path).toEqual({ status: 413, body: { error: 'body_too_large', limitBytes: bytes } });
    }
    expect(Object.fromEntries(nginxLimits())).toEqual(Object.fromEntries(table));
  });
});
