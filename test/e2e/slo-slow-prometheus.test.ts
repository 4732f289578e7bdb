/**
 * A Prometheus that takes every query and never answers: the SLO refresh waits
 * for its timeout in a queue of its own, so the incident's status post and
 * header do not wait for it, and the figure then says why it is missing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { Harness } from '../support/harness.js';
import { CHECKOUT_AVAILABILITY_SLO_FILE } from '../support/slo-fixtures.js';


describe('a Prometheus that never answers', () => {
  let h: Harness;
  let dir: string;
  let hanging: Server;
  const waiting = new Set<ServerResponse>();
  let asked = 0;
  let clock: FixedClock;

  beforeEach(async () => {
    hanging = createServer((_req: IncomingMessage, res: ServerResponse) => {
      asked += 1;
      waiting.add(res);
      res.on('close', () => waiting.delete(res));
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    dir = mkdtempSync(join(tmpdir(), 'slo-slow-'));
    clock = new FixedClock(new Date('2026-11-30T00:00:00Z'));
    writeFileSync(join(dir, 'checkout.yaml'), CHECKOUT_AVAILABILITY_SLO_FILE);
    h = await Harness.start({
      env: { SLO_FILES: join(dir, 'checkout.yaml'), PROMETHEUS_URL: `http://127.0.0.1:${port}`, PROMETHEUS_TIMEOUT: '1s' },
      bot: { clock },
    });
  });
  afterEach(async () => {
    await h.stop();
    for (const res of waiting) res.destroy();
    hanging.closeAllConnections();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts the status update while the refresh still waits, then says Prometheus did not answer', async () => {
    await h.run('declare sev2 Checkout failing', { userId: 'U0ALICE' });
    const channel = await h.incidentChannel(1);
    await h.run('impact started 30m ago', { channelId: channel.id });
    await h.command('service checkout-api', { channelId: channel.id });
    await h.command('status identified Bad deploy', { channelId: channel.id });

    const deadline = Date.now() + 900;
    while (!channel.messages.some((m) => m.text.includes('*Identified*: Bad deploy')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    // Posted while the refresh's queries were still held open by the silent Prometheus.
    expect(channel.messages.some((m) => m.text.includes('*Identified*: Bad deploy'))).toBe(true);
    expect(waiting.size).toBeGreaterThan(0);
    const header = () => JSON.stringify(channel.messages.find((m) => channel.pins.has(m.ts))!.blocks);
    expect(header()).toContain('Identified');
    expect(header()).toContain('*checkout_availability*: being computed…');

    await h.settle();
    // Its three queries were asked at once: one timeout, not three in a row.
    expect(asked).toBeGreaterThanOrEqual(3);
    expect(header()).toContain(`figures missing: Prometheus at http://127.0.0.1:${(hanging.address() as AddressInfo).port} did not answer within 1 s; computed again at the next refresh`);
  }, 15_000);

  it('publishes the first postmortem as the canvas once the final figures are in, not "being computed"', async () => {
    await h.run('declare sev2 Checkout failing', { userId: 'U0ALICE' });
    const channel = await h.incidentChannel(1);
    await h.run('service checkout-api', { channelId: channel.id });
    await h.command('resolve Rolled back', { channelId: channel.id });
    await h.settle();
    // The first publish waited a moment (on the test's clock) for the final figures.
    clock.advance(1_000);
    await h.settle();
    const canvas = h.slack.canvases.get(channel.canvasId!)!;
    // The figure the canvas states is the final one: missing, with why, never "being computed".
    expect(canvas.markdown).toContain('did not answer within 1 s');
    expect(canvas.markdown).not.toMatch(/being computed/i);
    expect(h.slack.callsTo('files.completeUploadExternal')).toHaveLength(0);
  }, 15_000);
});
