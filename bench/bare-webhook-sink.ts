/**
 * What a storm's requests cost this machine with nothing of the bot in the
 * way: bare `node:http`, `GET /healthz` answered at once, and
 * `POST /alertmanager/webhook` answered 200 once its body has been read
 * whole, as the bot reads it before checking anything. The alert-storm
 * section sends it the very requests the bot gets, so the table can say how
 * much of the bot's ratio to /healthz is the bodies' transport alone. Not
 * test/support/webhook-sink.ts: that one parses and records every request,
 * work a floor must not do.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startWebhookSink(): Promise<number> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      Buffer.concat(chunks); // joined, as the bot joins a body before its handler reads it
      const known = (req.method === 'GET' && req.url === '/healthz') || (req.method === 'POST' && req.url === '/alertmanager/webhook');
      res.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
      res.end(known ? '{"status":"ok"}' : '{"error":"not_found"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
