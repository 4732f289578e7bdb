import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HTTP_TIMEOUTS, UNBUDGETED_BODY_BYTES } from '../../../src/http/limits.js';
import { createHttpServer, listen, type HttpServer, type HttpServerOptions } from '../../../src/http/server.js';
import { dribble } from '../../support/raw-http.js';

const KiB = 1024;

/** The bot's server with one echoing route, on loopback. */
async function serve(options: Partial<HttpServerOptions> = {}): Promise<{ http: HttpServer; url: string }> {
  const http = createHttpServer(
    [
      {
        method: 'POST',
        path: '/echo',
        maxBodyBytes: 512 * KiB,
        handler: (_req, res, body) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ bytes: body.length }));
        },
      },
    ],
    { onError: () => undefined, ...options },
  );
  const port = await listen(http.server, 0, '127.0.0.1');
  return { http, url: `http://127.0.0.1:${port}` };
}

/** A chunked request that sends `bytes` and then waits, its body unfinished, until `end()`. */
function holdOpen(url: string, bytes: number): { status: Promise<number | undefined>; end: () => void } {
  const target = new URL(url);
  const req = request({ host: target.hostname, port: target.port, path: '/echo', method: 'POST', headers: { 'content-type': 'application/json' } });
  const status = new Promise<number | undefined>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
  });
  req.write(Buffer.alloc(bytes, 'a'));
  return { status, end: () => req.end() };
}

describe('the HTTP server', () => {
  let current: HttpServer | undefined;
  afterEach(async () => {
    await current?.close(0);
    current = undefined;
  });

  it('sets Node’s header, request and keep-alive timeouts to the documented values', async () => {
    const { http } = await serve();
    current = http;
    expect(http.server.headersTimeout).toBe(HTTP_TIMEOUTS.headersTimeoutMs);
    expect(http.server.requestTimeout).toBe(HTTP_TIMEOUTS.requestTimeoutMs);
    expect(http.server.keepAliveTimeout).toBe(HTTP_TIMEOUTS.keepAliveTimeoutMs);
    // Node's own defaults, which these replace: a minute for headers, five for a request.
    expect(HTTP_TIMEOUTS.headersTimeoutMs).toBeLessThan(60_000);
    expect(HTTP_TIMEOUTS.requestTimeoutMs).toBeLessThan(300_000);
  });

  it('cuts a client that sends its headers a byte at a time', async () => {
    const { http, url } = await serve({ timeouts: { headersTimeoutMs: 300, requestTimeoutMs: 600, checkEveryMs: 50 } });
    current = http;
    const head = `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Padding: ${'p'.repeat(200)}\r\n\r\n`;
    // Sent whole, the headers would take more than 5 s.
    const { answer, lastedMs } = await dribble(url, '', head, 25, 8_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(lastedMs).toBeLessThan(3_000);
  });

  it('cuts a client that sends its body a byte at a time', async () => {
    const { http, url } = await serve({ timeouts: { headersTimeoutMs: 300, requestTimeoutMs: 600, checkEveryMs: 50 } });
    current = http;
    const head = 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n';
    // The headers at once, then the body a byte every 25 ms (25 s for all of it).
    const { answer, lastedMs } = await dribble(url, head, ' '.repeat(1000), 25, 8_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(lastedMs).toBeLessThan(3_000);
  });

  it('refuses a body when the bodies being read hold the shared budget, but never a small one', async () => {
    // Room for 100 KiB beyond each body's free first 64 KiB.
    const { http, url } = await serve({ bodyBudgetBytes: 100 * KiB });
    current = http;
    const first = holdOpen(url, UNBUDGETED_BODY_BYTES + 80 * KiB);
    await new Promise((r) => setTimeout(r, 100));
    // 80 KiB of the budget are held: another 80 KiB do not fit.
    const second = holdOpen(url, UNBUDGETED_BODY_BYTES + 80 * KiB);
    expect(await second.status).toBe(503);
    const small = await fetch(`${url}/echo`, { method: 'POST', body: 'x'.repeat(UNBUDGETED_BODY_BYTES) });
    expect(await small.json()).toEqual({ bytes: UNBUDGETED_BODY_BYTES });
    first.end();
    expect(await first.status).toBe(200);
    // Answered, the first body gave its share back.
    const third = await fetch(`${url}/echo`, { method: 'POST', body: 'x'.repeat(UNBUDGETED_BODY_BYTES + 80 * KiB) });
    expect(third.status).toBe(200);
  });
});
