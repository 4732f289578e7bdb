/**
 * How far back Prometheus keeps samples, read from /api/v1/status/runtimeinfo
 * as Prometheus 2.42 writes it (`1d`, `15d`, `10GiB`, `1d12h or 1GiB`, `2w`,
 * checked against the binary), asked at most once per ten minutes, and
 * nothing said when it cannot be had.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../../src/prometheus/client.js';
import { parseStorageRetention, STORAGE_RETENTION_KEPT_MS } from '../../../src/prometheus/retention.js';

const DAY = 86_400_000;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A stand-in answering runtimeinfo with `answer`; records the paths asked. */
async function stub(answer: (res: ServerResponse) => void) {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    answer(res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, paths };
}

const runtimeInfo = (storageRetention: string | undefined) => (res: ServerResponse) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { startTime: '2026-12-07T23:29:46Z', CWD: '/', storageRetention } }));

describe("Prometheus's storage retention", () => {
  it('reads the time part of what runtimeinfo says, and nothing from a size alone', () => {
    expect(parseStorageRetention('15d')).toEqual({ text: '15d', ms: 15 * DAY });
    expect(parseStorageRetention('1d12h or 1GiB')).toEqual({ text: '1d12h', ms: 1.5 * DAY });
    expect(parseStorageRetention('2w')).toEqual({ text: '2w', ms: 14 * DAY });
    expect(parseStorageRetention('1y')).toEqual({ text: '1y', ms: 365 * DAY });
    expect(parseStorageRetention('10GiB')).toBeUndefined();
    expect(parseStorageRetention('')).toBeUndefined();
    expect(parseStorageRetention('0s')).toBeUndefined();
  });

  it('is asked once for many questions within ten minutes, and again after', async () => {
    const prometheus = await stub(runtimeInfo('15d or 10GiB'));
    let now = 1_000_000;
    const client = new PrometheusClient({ url: `${prometheus.url}/prefix`, now: () => now });
    const answers = await Promise.all([client.storageRetention(), client.storageRetention(), client.storageRetention()]);
    expect(answers).toEqual([{ text: '15d', ms: 15 * DAY }, { text: '15d', ms: 15 * DAY }, { text: '15d', ms: 15 * DAY }]);
    now += STORAGE_RETENTION_KEPT_MS - 1;
    await client.storageRetention();
    expect(prometheus.paths).toEqual(['/prefix/api/v1/status/runtimeinfo']);
    now += 1;
    await client.storageRetention();
    expect(prometheus.paths).toHaveLength(2);
  });

  it('says nothing, without failing, when it cannot be had, and does not ask again at once', async () => {
    const forbidden = await stub((res) => res.writeHead(403).end('forbidden by the proxy'));
    const client = new PrometheusClient({ url: forbidden.url });
    expect(await client.storageRetention()).toBeUndefined();
    expect(await client.storageRetention()).toBeUndefined();
    expect(forbidden.paths).toHaveLength(1);

    const older = await stub(runtimeInfo(undefined));
    expect(await new PrometheusClient({ url: older.url }).storageRetention()).toBeUndefined();
    const notJson = await stub((res) => res.writeHead(200).end('<html>'));
    expect(await new PrometheusClient({ url: notJson.url }).storageRetention()).toBeUndefined();
    expect(await new PrometheusClient({ url: 'http://127.0.0.1:1' }).storageRetention()).toBeUndefined();
  });
});
