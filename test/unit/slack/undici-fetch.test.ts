import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, WebClient } from '@slack/web-api';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config.js';
import { isTransient } from '../../../src/effects/failures.js';
import { undiciFetch } from '../../../src/slack/undici-fetch.js';
import { webClientOptions } from '../../../src/slack/web-client.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local server whose answer each test sets; it records every request and counts connections. */
class Server1 {
  readonly seen: Seen[] = [];
  connections = 0;
  answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('{"ok":true}');
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        this.answer(req, res);
      });
    });
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

describe('the Web API client’s fetch (undici request on kept-alive connections)', () => {
  const server = new Server1();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('sends the method, headers and form body, and hands back status, headers and body', async () => {
    server.answer = (_req, res) => {
      res.setHeader('x-oauth-scopes', 'chat:write, pins:write');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true,"ts":"1.2"}');
    };
    const fetch = undiciFetch();
    const res = await fetch(`${server.url}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: 'Bearer xoxb-1', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'channel=C1&text=caf%C3%A9',
    });
    expect(server.seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/chat.postMessage', body: 'channel=C1&text=caf%C3%A9' });
    expect(server.seen.at(-1)!.headers).toMatchObject({ authorization: 'Bearer xoxb-1', 'content-type': 'application/x-www-form-urlencoded' });
    expect({ ok: res.ok, status: res.status }).toEqual({ ok: true, status: 200 });
    expect(res.headers.get('X-OAuth-Scopes')).toBe('chat:write, pins:write');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.json()).toEqual({ ok: true, ts: '1.2' });
  });

  it('keeps its connections alive across calls in a row', async () => {
    server.answer = (_req, res) => res.end('{"ok":true}');
    const fetch = undiciFetch();
    const before = server.connections;
    for (let i = 0; i < 8; i++) await (await fetch(`${server.url}auth.test`, { method: 'POST', body: '' })).text();
    // undici may open a second one while the first is being released; never one per call.
    expect(server.connections - before).toBeLessThanOrEqual(2);
  });

  it('frees the connection of an answer whose body the caller never reads', async () => {
    server.answer = (req, res) => {
      res.statusCode = req.url?.endsWith('fails') ? 500 : 200;
      res.end(res.statusCode === 500 ? 'x'.repeat(256 * 1024) : '{"ok":true}');
    };
    // One connection only: an unread body left in it would hold the next call forever.
    const fetch = undiciFetch(new Agent({ connections: 1 }));
    expect((await fetch(`${server.url}fails`, { method: 'POST', body: '' })).status).toBe(500);
    const next = await fetch(`${server.url}auth.test`, { method: 'POST', body: '', signal: AbortSignal.timeout(2_000) });
    expect(next.status).toBe(200);
  });

  it('gives up when the signal fires, as the client’s timeout asks', async () => {
    server.answer = () => undefined; // never answers
    const fetch = undiciFetch();
    const started = Date.now();
    await expect(fetch(`${server.url}conversations.create`, { method: 'POST', body: '', signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('sends a FormData body (a file upload) as multipart', async () => {
    server.answer = (_req, res) => res.end('OK - 10');
    const form = new FormData();
    form.append('filename', 'postmortem.md');
    form.append('file', new Blob(['# INC-1\n']), 'postmortem.md');
    const res = await undiciFetch()(`${server.url}upload`, { method: 'POST', body: form });
    expect(await res.text()).toBe('OK - 10');
    const seen = server.seen.at(-1)!;
    expect(seen.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.body).toContain('name="file"; filename="postmortem.md"');
    expect(seen.body).toContain('# INC-1\n');
  });

  describe('under the WebClient, with the bot’s options (no retries of its own)', () => {
    const client = () => {
      const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: server.url, DATABASE_URL: ':memory:' });
      return new WebClient('xoxb-1', webClientOptions(config, pino({ level: 'silent' }), 200));
    };

    it('turns ok:false into the platform error the outbox reads, after one request', async () => {
      server.answer = (_req, res) => res.end('{"ok":false,"error":"channel_not_found"}');
      const before = server.seen.length;
      const error = await client().chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'channel_not_found' } });
      expect(isTransient(error)).toBe(false);
      expect(server.seen.length - before).toBe(1);
    });

    it('turns a 429 into a rate-limit error with its Retry-After, and a 503 into an HTTP error, each sent once', async () => {
      server.answer = (req, res) => {
        res.statusCode = req.url?.endsWith('pins.add') ? 429 : 503;
        if (res.statusCode === 429) res.setHeader('retry-after', '7');
        res.end();
      };
      const before = server.seen.length;
      const limited = await client().pins.add({ channel: 'C1', timestamp: '1.2' }).catch((e: unknown) => e);
      expect(limited).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
      const down = await client().chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e);
      expect(down).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
      expect([isTransient(limited), isTransient(down)]).toEqual([true, true]);
      expect(server.seen.length - before).toBe(2);
    });

    it('turns a call that never answers into a transient request error within its timeout', async () => {
      server.answer = () => undefined;
      const error = await client().conversations.create({ name: 'inc-1' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: ErrorCode.RequestError });
      expect(isTransient(error)).toBe(true);
    });
  });
});
