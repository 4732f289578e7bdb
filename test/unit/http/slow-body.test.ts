import { createHash } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyBudget, readBoundedBody } from '../../../src/http/bounded-body.js';

const KiB = 1024;

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** A server that reads each body with `budget` and answers its length and hash. */
async function serve(budget: BodyBudget): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void readBoundedBody(req, 1024 * KiB, budget).then((read) => {
      if (read.kind !== 'body') return res.writeHead(500).end(read.kind);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes: read.body.length, sha: sha(read.body) }));
      read.release();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

/** Posts `body` chunked, `piece` bytes every `everyMs`. */
function postSlowly(url: string, body: Buffer, piece: number, everyMs: number): Promise<{ bytes: number; sha: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path: '/', method: 'POST' }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(JSON.parse(text) as { bytes: number; sha: string }));
    });
    req.on('error', reject);
    let at = 0;
    const timer = setInterval(() => {
      req.write(body.subarray(at, at + piece));
      at += piece;
      if (at >= body.length) {
        clearInterval(timer);
        req.end();
      }
    }, everyMs);
  });
}

describe('a slow body read while collections come', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    server = undefined;
  });

  it('arrives byte for byte, its chunks moved into slabs that go back to the pool', async () => {
    const asked: string[] = [];
    // A collection for every 16 KiB of garbage: the small bodies below call for one each.
    const budget = new BodyBudget(2048 * KiB, 64 * KiB, { collectEveryBytes: 16 * KiB, collect: (o) => asked.push(o.type) });
    const served = await serve(budget);
    server = served.server;
    const slow = Buffer.alloc(300 * KiB);
    for (let i = 0; i < slow.length; i++) slow[i] = (i * 131) & 0xff;
    const answered = postSlowly(served.url, slow, 8 * KiB, 3);
    for (let i = 0; i < 30; i++) {
      const res = await fetch(served.url, { method: 'POST', body: Buffer.alloc(16 * KiB, i) });
      expect(((await res.json()) as { bytes: number }).bytes).toBe(16 * KiB);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await answered).toEqual({ bytes: slow.length, sha: sha(slow) });
    expect(asked.length).toBeGreaterThan(2);
    // The slow body lived through collections, so it was read into slabs, now idle for the next one.
    expect(budget.slabs.idleBytes).toBeGreaterThan(64 * KiB);
  });
});
