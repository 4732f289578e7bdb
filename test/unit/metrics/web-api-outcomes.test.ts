import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeteredWebClient } from '../../../src/metrics/web-api.js';
import { slackApiCalls } from '../../../src/metrics/registry.js';

/** A Web API that answers every method `ok`, except 429 for chat.update. */
let server: Server;
let client: MeteredWebClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.endsWith('/chat.update')) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end('{"ok":false,"error":"ratelimited"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new MeteredWebClient('xoxb-test', { slackApiUrl: `http://127.0.0.1:${port}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function series(method: string): Promise<Record<string, number>> {
  const { values } = await slackApiCalls.get();
  return Object.fromEntries(values.filter((v) => v.labels.method === method).map((v) => [v.labels.outcome, v.value]));
}

describe('Slack Web API calls counted by method and outcome', () => {
  it("gives a method all three outcomes from its first call, so its first error or 429 is a rise rate() can see", async () => {
    await client.apiCall('auth.test');
    expect(await series('auth.test')).toEqual({ ok: 1, error: 0, rate_limited: 0 });
  });

  it('counts a 429 as rate_limited, beside the ok and error it starts at 0', async () => {
    await expect(client.apiCall('chat.update', { channel: 'C1', ts: '1.2' })).rejects.toThrow();
    expect(await series('chat.update')).toEqual({ ok: 0, error: 0, rate_limited: 1 });
  });

  it('starts a method once: a second call adds to its series', async () => {
    await client.apiCall('auth.test');
    expect(await series('auth.test')).toEqual({ ok: 2, error: 0, rate_limited: 0 });
  });
});
