import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { respondEphemeral } from '../../../src/slack/gateway.js';

describe('answering through a response_url', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}/commands/T1/1/abc`;
  }

  it('posts the ephemeral answer Slack expects', async () => {
    let received: unknown;
    const url = await listen((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received = JSON.parse(body);
        res.end('ok');
      });
    });
    await respondEphemeral(url, 'INC-1 is ready');
    expect(received).toEqual({ response_type: 'ephemeral', replace_original: false, text: 'INC-1 is ready' });
  });

  it('gives up on a response_url that never answers instead of waiting for good', async () => {
    const url = await listen(() => undefined);
    await expect(respondEphemeral(url, 'INC-1 is ready', 200)).rejects.toThrow(/timeout|aborted/i);
  });
});
