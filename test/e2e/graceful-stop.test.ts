import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness.js';
import { APP_TOKEN } from '../support/slack-stand-in.js';

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

const settledWithin = <T>(p: Promise<T>, ms: number) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

/** Opens a connection and sends `head` and the first half of `body`; `finish()` sends the rest and resolves with the answer. */
async function halfSent(url: string, head: string, body: string): Promise<{ finish: () => Promise<string> }> {
  const target = new URL(url);
  const socket = connect(Number(target.port), target.hostname);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let answer = '';
  socket.on('data', (d) => (answer += d.toString()));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const half = Math.floor(body.length / 2);
  socket.write(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`);
  return {
    finish: async () => {
      socket.write(body.slice(half));
      await closed;
      return answer;
    },
  };
}

describe('stopping the bot', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop().catch(() => undefined);
    h = undefined;
  });

  it('lets a listener still working after its acknowledgement finish before the database closes', async () => {
    const logs: LogLine[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    h = await Harness.start({ bot: { logger } });
    await h.run('declare sev2 Overdue things');
    const channel = (await h.incidentChannel(1)).id;
    await h.run('action Write the runbook due 2020-01-06', { channelId: channel });
    // `/incident digest here` posts after its acknowledgement: hold that post in Slack.
    const release = h.slack.hold('chat.postMessage');
    const posts = h.slack.callsTo('chat.postMessage').length;
    const { ack } = await h.command('digest here', { channelId: channel });
    expect(ack.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    const stopping = h.bot.stop();
    expect(await settledWithin(stopping, 300)).toBe(false);
    release();
    await stopping;
    expect(h.slack.callsTo('chat.postMessage').slice(posts).map((c) => c.status)).toContain(200);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('says when it stopped, how long the stop took and how many outbox jobs it left for the next start', async () => {
    const logs: LogLine[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    // SQLite, whatever STORE says: the jobs left are counted in its file once the bot has let go of it.
    h = await Harness.start({ store: 'sqlite', bot: { logger } });
    // Slack asks for a minute's wait before the channel: the set-up is rescheduled, not running, when the stop comes.
    h.slack.failNext('conversations.create', { kind: 'ratelimited', retryAfter: 60 }, 1);
    expect((await h.command('declare sev2 Left for the next start')).ack.status).toBe(200);
    await expect.poll(async () => (await h!.bot.store.outbox.list()).find((j) => j.kind === 'incident.setup')?.lastError ?? null, { timeout: 5_000 }).not.toBeNull();
    await h.bot.stop();

    const sqlite = new Database(h.databaseFile, { readonly: true });
    const left = sqlite.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'running')").get()!.n;
    sqlite.close();
    expect(left).toBeGreaterThan(0);
    const stopped = logs.filter((l) => l.msg === 'incident bot stopped');
    expect(stopped).toEqual([expect.objectContaining({ level: 30, pendingJobs: left, stopMs: expect.any(Number) })]);
  });

  it('in Socket Mode, closes the socket first, then drains the HTTP requests in flight', async () => {
    const secret = 'pd-secret';
    h = await Harness.start({ env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '', PAGERDUTY_WEBHOOK_SECRET: secret } });
    expect(h.slack.socketCount).toBe(1);
    const body = JSON.stringify({ event: { id: 'E1', event_type: 'service.updated', occurred_at: new Date().toISOString(), data: {} } });
    const signature = `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const inFlight = await halfSent(h.url, `POST /pagerduty/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-PagerDuty-Signature: ${signature}\r\n`, body);
    await new Promise((r) => setTimeout(r, 50));
    const stopping = h.bot.stop();
    // The socket is gone while the webhook is still being read: no new Slack event can arrive.
    await expect.poll(() => h!.slack.socketCount, { timeout: 2_000 }).toBe(0);
    expect(await settledWithin(stopping, 100)).toBe(false);
    expect(await inFlight.finish()).toMatch(/^HTTP\/1\.1 200 [\s\S]*"outcome":"ignored"/);
    await stopping;
  });

  it('cuts what is still in flight when the grace period is over', async () => {
    h = await Harness.start({ env: { PAGERDUTY_WEBHOOK_SECRET: 'pd-secret' }, bot: { stopGraceMs: 300 } });
    const inFlight = await halfSent(h.url, 'POST /pagerduty/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n', '{"event":{}}');
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await h.bot.stop();
    // It waited for the grace period, not forever (the request never finishes on its own).
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(await inFlight.finish()).toBe('');
  });
});
