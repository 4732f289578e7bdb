import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMITS } from '../../src/http/limits.js';
import { BotProcess } from '../support/bot-process.js';
import { flood } from '../support/raw-http.js';
import { postSigned, slashCommandBody } from '../support/signed-requests.js';
import { SlackStandIn } from '../support/slack-stand-in.js';

const MiB = 1024 * 1024;
const ATTACKERS = 20;

/**
 * Anyone who reaches the port can post, unsigned. The bot runs in a process
 * of its own so that its memory is its own (the clients pushing the bodies
 * live in this one). The figure is the kernel's high-water mark of the bot's
 * resident memory (VmHWM), reset just before each flood, so no allocation
 * between two samples is missed; idle is the resident memory then, once the
 * bot has settled after its start (it grows for a second or two on its own
 * as the outbox thread loads).
 */
describe('a flood of oversized unsigned bodies', () => {
  let slack: SlackStandIn;
  let bot: BotProcess;
  let tmp: string;
  const idleAcks: number[] = [];

  beforeAll(async () => {
    slack = new SlackStandIn();
    await slack.start();
    tmp = mkdtempSync(join(tmpdir(), 'incident-bot-flood-'));
    bot = await BotProcess.start({ slackApiUrl: slack.apiUrl, databaseFile: join(tmp, 'incidents.db'), env: { LOG_LEVEL: 'error' } });
    // Warm the signed path (Bolt, the listener), then time it while idle.
    for (let i = 0; i < 5; i++) await helpAckMs();
    for (let i = 0; i < 7; i++) idleAcks.push(await helpAckMs());
    let last = 0;
    for (let i = 0; i < 30; i++) {
      const rss = bot.memoryKiB().rss;
      if (Math.abs(rss - last) < 1024) break;
      last = rss;
      await new Promise((r) => setTimeout(r, 300));
    }
  }, 30_000);
  afterAll(async () => {
    await bot?.dispose();
    await slack?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** `/incident help` signed as Slack would; resolves with the milliseconds until its acknowledgement. */
  async function helpAckMs(): Promise<number> {
    const body = slashCommandBody({ text: 'help', responseUrl: slack.responseUrl(randomUUID()) });
    const started = performance.now();
    const ack = await postSigned(`${bot.url}/slack/events`, body, 'application/x-www-form-urlencoded');
    expect(ack.status).toBe(200);
    return performance.now() - started;
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const oversized = (declared: boolean) =>
    flood({
      url: `${bot.url}/slack/events`,
      totalBytes: 64 * MiB,
      declared,
      headers: { 'x-slack-signature': `v0=${'0'.repeat(64)}`, 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) },
    });

  /** Twenty strangers with 64 MiB each, and three signed commands sent meanwhile; the bot's growth in MiB. */
  async function underFlood(declared: boolean) {
    bot.resetPeak();
    const idle = bot.memoryKiB().rss;
    const attackers = Array.from({ length: ATTACKERS }, () => oversized(declared));
    const busyAcks: number[] = [];
    for (let i = 0; i < 3; i++) busyAcks.push(await helpAckMs());
    const results = await Promise.all(attackers);
    const grewMiB = (bot.memoryKiB().peak - idle) / 1024;
    const ratio = median(busyAcks) / median(idleAcks);
    console.info(`${declared ? 'declared' : 'chunked'} flood: idle ${(idle / 1024).toFixed(1)} MiB, peak +${grewMiB.toFixed(1)} MiB; ack idle ${median(idleAcks).toFixed(1)} ms, under flood ${median(busyAcks).toFixed(1)} ms (x${ratio.toFixed(1)})`);
    return { results, grewMiB, ratio };
  }

  it('costs nothing for bodies declared too large, and a signed command is still acknowledged', async () => {
    const { results, grewMiB, ratio } = await underFlood(true);
    expect(results.map((r) => r.status)).toEqual(Array(ATTACKERS).fill(413));
    // Read whole, as before, one 64 MiB body alone took the bot from 157 to 348 MB.
    expect(grewMiB).toBeLessThan(4);
    expect(ratio).toBeLessThan(25);
  }, 20_000);

  it('costs at most the limit for each body streamed chunked, and a signed command is still acknowledged', async () => {
    const { results, grewMiB, ratio } = await underFlood(false);
    // 413 at the limit, or 503 when the bodies being read already hold the shared budget.
    for (const r of results) expect([413, 503]).toContain(r.status);
    // Each was cut at the limit: what one could push is the limit plus the sockets' buffers, far from 64 MiB.
    for (const r of results) expect(r.sentBytes).toBeLessThan(BODY_LIMITS.slackEvents + 16 * MiB);
    // What was read is garbage the moment it is refused, until V8's next collection: about one limit each.
    expect(grewMiB).toBeLessThan((ATTACKERS * BODY_LIMITS.slackEvents) / MiB + 6);
    expect(ratio).toBeLessThan(25);
  }, 20_000);
});
