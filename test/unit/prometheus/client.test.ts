/**
 * What the Prometheus adapter sends and how it reads every kind of answer,
 * against small loopback servers (no Prometheus binary needed): credentials,
 * form bodies, path prefixes, timeouts, proxies' errors and odd results.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../../src/prometheus/client.js';
import { PrometheusError } from '../../../src/prometheus/errors.js';

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly form: URLSearchParams;
}

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `127.0.0.1:${address.port}`;
}

/** A stand-in that records each request and answers with `answer`. */
async function stub(answer: (res: ServerResponse) => void = (res) => json(res, 200, vector('0.25'))) {
  const requests: Recorded[] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, form: new URLSearchParams(body) });
      answer(res);
    });
  });
  return { host: await listen(server), requests };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function vector(...values: string[]) {
  return { status: 'success', data: { resultType: 'vector', result: values.map((v, i) => ({ metric: { instance: `i${i}` }, value: [1764500000, v] })) } };
}

async function rejection(promise: Promise<unknown>): Promise<PrometheusError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PrometheusError);
  return error as PrometheusError;
}

const AT = new Date('2026-11-29T12:15:00Z');

describe('what the Prometheus adapter sends', () => {
  it('POSTs a form-encoded instant query to /api/v1/query, with the time in seconds', async () => {
    const { host, requests } = await stub();
    const client = new PrometheusClient({ url: `http://${host}`, timeoutMs: 2_000 });
    expect(await client.queryValue('sum(rate(x{path=~"/a&b"}[5m]))', AT)).toBe(0.25);
    const [request] = requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/query' });
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request!.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(request!.form)).toEqual({ query: 'sum(rate(x{path=~"/a&b"}[5m]))', time: '1795954500', timeout: '2' });
  });

  it('POSTs a range query to /api/v1/query_range with start, end and step', async () => {
    const { host, requests } = await stub((res) =>
      json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[1795954500, '1'], [1795954560, 'NaN'], [1795954620, '+Inf']] }] } }),
    );
    const client = new PrometheusClient({ url: `http://${host}/` });
    const points = await client.querySeries('up', AT, new Date(AT.getTime() + 120_000), 60);
    expect(points).toEqual([
      { t: new Date('2026-11-29T12:15:00Z'), v: 1 },
      { t: new Date('2026-11-29T12:16:00Z'), v: Number.NaN },
      { t: new Date('2026-11-29T12:17:00Z'), v: Number.POSITIVE_INFINITY },
    ]);
    expect(requests[0]!.path).toBe('/api/v1/query_range');
    expect(Object.fromEntries(requests[0]!.form)).toEqual({ query: 'up', start: '1795954500', end: '1795954620', step: '60', timeout: '10' });
  });

  it('keeps at most maxConcurrent queries in flight, the rest waiting their turn (each timed from its send)', async () => {
    let open = 0;
    let most = 0;
    const server = createHttpServer((req, res) => {
      open++;
      most = Math.max(most, open);
      req.resume().on('end', () => setTimeout(() => {
        open--;
        json(res, 200, vector('0.25'));
      }, 40));
    });
    const host = await listen(server);
    // 40 queries of 40 ms, 4 at a time: about 400 ms in all, longer than the 250 ms each may take once sent.
    const client = new PrometheusClient({ url: `http://${host}`, maxConcurrent: 4, timeoutMs: 250 });
    const answers = await Promise.all(Array.from({ length: 40 }, () => client.queryValue('up', AT)));
    expect(answers).toEqual(Array.from({ length: 40 }, () => 0.25));
    expect(most).toBe(4);
  });

  it('sends a bearer token', async () => {
    const { host, requests } = await stub();
    await new PrometheusClient({ url: `http://${host}`, bearerToken: 'tok-123' }).queryValue('up', AT);
    expect(requests[0]!.headers.authorization).toBe('Bearer tok-123');
  });

  it('sends basic auth from a username and password', async () => {
    const { host, requests } = await stub();
    await new PrometheusClient({ url: `http://${host}`, username: 'bot', password: 'pä:ss' }).queryValue('up', AT);
    expect(requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('bot:pä:ss').toString('base64')}`);
  });

  it('takes basic auth from the URL, keeps its path prefix, and never shows the credentials', async () => {
    const { host, requests } = await stub((res) => json(res, 401, { message: 'no' }));
    const client = new PrometheusClient({ url: `http://bot:s%40cret@${host}/prometheus/`, timeoutMs: 2_000 });
    const error = await rejection(client.queryValue('up', AT));
    expect(requests[0]!.path).toBe('/prometheus/api/v1/query');
    expect(requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('bot:s@cret').toString('base64')}`);
    expect(client.server).toBe(`http://${host}/prometheus`);
    expect(error.kind).toBe('http-status');
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(error.reason).toBe(`Prometheus at http://${host}/prometheus answered HTTP 401 Unauthorized: check the Prometheus credentials`);
    expect(`${error.message} ${client.describe(error.query)}`).not.toMatch(/s%40cret|s@cret|bot:/);
  });

  it('refuses settings that cannot work, saying what is wrong', () => {
    expect(() => new PrometheusClient({ url: 'prometheus:9090' })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => new PrometheusClient({ url: 'not a url' })).toThrow(/not a URL/);
    expect(() => new PrometheusClient({ url: 'http://h', bearerToken: 't', username: 'u', password: 'p' })).toThrow(/not both/);
    expect(() => new PrometheusClient({ url: 'http://u:p@h', username: 'u' })).toThrow(/given twice/);
    expect(() => new PrometheusClient({ url: 'http://h', password: 'p' })).toThrow(/needs a username/);
    expect(() => new PrometheusClient({ url: 'http://h', timeoutMs: 0 })).toThrow(/positive/);
  });
});

describe('how the Prometheus adapter reads answers', () => {
  const ask = async (answer: (res: ServerResponse) => void, expr = 'up') => {
    const { host } = await stub(answer);
    return new PrometheusClient({ url: `http://${host}`, timeoutMs: 2_000 }).queryValue(expr, AT);
  };

  it('reads a scalar and the special values', async () => {
    const scalar = (v: string) => (res: ServerResponse) => json(res, 200, { status: 'success', data: { resultType: 'scalar', result: [1795954500, v] } });
    expect(await ask(scalar('0.000623'))).toBe(0.000623);
    expect(await ask(scalar('-Inf'))).toBe(Number.NEGATIVE_INFINITY);
    expect(await ask(scalar('NaN'))).toBeNaN();
    expect((await rejection(ask(scalar('lots')))).kind).toBe('bad-response');
  });

  it('says a range vector needs a function around it', async () => {
    const error = await rejection(ask((res) => json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [] } })));
    expect(error.kind).toBe('bad-query');
    expect(error.reason).toContain('rate(...)');
  });

  it('turns Prometheus errors into query-failed, keeping errorType and text', async () => {
    const error = await rejection(ask((res) => json(res, 503, { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' })));
    expect(error).toMatchObject({ kind: 'query-failed', status: 503, errorType: 'timeout', prometheusMessage: 'query timed out in expression evaluation' });
    expect(error.reason).toBe('Prometheus could not run the query (timeout): query timed out in expression evaluation');
    expect(error.retryable).toBe(true);
  });

  it('says a proxy error is an HTTP status, retryable when it is a 5xx', async () => {
    const error = await rejection(ask((res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>')));
    expect(error).toMatchObject({ kind: 'http-status', status: 502 });
    expect(error.retryable).toBe(true);
  });

  it('refuses to follow a redirect (it would turn the POST into a bodiless GET) and says where it points', async () => {
    const error = await rejection(ask((res) => res.writeHead(302, { location: 'https://prom.example/' }).end()));
    expect(error.kind).toBe('http-status');
    expect(error.reason).toContain('redirects to https://prom.example/');
  });

  it('says an answer that is not the Prometheus API is a bad response', async () => {
    expect((await rejection(ask((res) => res.writeHead(200).end('<html>login</html>')))).kind).toBe('bad-response');
    expect((await rejection(ask((res) => json(res, 200, { data: [] })))).kind).toBe('bad-response');
    expect((await rejection(ask((res) => json(res, 200, { status: 'success', data: { resultType: 'vector', result: 'x' } })))).kind).toBe('bad-response');
  });

  it('refuses an empty query and a backwards range without asking', async () => {
    const { host, requests } = await stub();
    const client = new PrometheusClient({ url: `http://${host}` });
    expect((await rejection(client.queryValue('  ', AT))).kind).toBe('bad-query');
    expect((await rejection(client.querySeries('up', AT, new Date(AT.getTime() - 1), 60))).reason).toContain('ends before it starts');
    expect((await rejection(client.querySeries('up', AT, AT, 0))).reason).toContain('positive');
    expect(requests).toEqual([]);
  });
});

describe('the Prometheus adapter never waits longer than its bound', () => {
  it('times out on a server that accepts the connection and never answers', async () => {
    const host = await listen(createTcpServer(() => undefined));
    const client = new PrometheusClient({ url: `http://${host}`, timeoutMs: 300 });
    const began = Date.now();
    const error = await rejection(client.queryValue('up', AT));
    const took = Date.now() - began;
    expect(error.kind).toBe('timeout');
    expect(error.reason).toBe(`Prometheus at http://${host} did not answer within 0.3 s`);
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1_500);
  });

  it('times out on a server that sends its headers and then stalls the body', async () => {
    const { host } = await stub((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"success","data":{"resultType":"vec');
    });
    const client = new PrometheusClient({ url: `http://${host}`, timeoutMs: 300 });
    const began = Date.now();
    expect((await rejection(client.querySeries('up', AT, AT, 60))).kind).toBe('timeout');
    expect(Date.now() - began).toBeLessThan(1_500);
  });

  it('says unreachable, at once, when nothing listens on the port', async () => {
    const host = await listen(createTcpServer());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const error = await rejection(new PrometheusClient({ url: `http://${host}` }).queryValue('up', AT));
    expect(error.kind).toBe('unreachable');
    expect(error.reason).toContain('ECONNREFUSED');
  });
});
