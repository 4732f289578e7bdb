import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.js';
import { sign, slashCommandBody, SIGNING_SECRET } from '../support/signed-requests.js';
import { SlackStandIn } from '../support/slack-stand-in.js';

/**
 * Acknowledged means recorded: the bot answers Slack's "OK" only once the
 * command's change is committed, so a process killed the instant that answer
 * arrives has lost nothing it acknowledged. The real bot (`npm start`'s
 * src/index.ts) runs in a child process on a database file; each round sends
 * signed commands, kills it as the first acknowledgement arrives, and reads
 * the file it left behind: SQLite-only, whatever STORE says.
 */

interface Sent {
  readonly text: string;
  readonly channelId: string;
  /** Where the bot answers it after the acknowledgement (the stand-in's response_url). */
  readonly responseId: string;
  /** What must be in the database if the command was acknowledged. */
  readonly recorded: (db: Database.Database) => boolean;
}

const marker = () => `m${randomUUID().replace(/-/g, '').slice(0, 10)}`;

const declare = (): Sent => {
  const title = `Crash ${marker()}`;
  return {
    text: `declare sev2 ${title}`,
    channelId: 'C0GENERAL',
    responseId: randomUUID(),
    recorded: (db) => db.prepare('select 1 from incidents where title = ?').get(title) !== undefined,
  };
};
const status = (channelId: string): Sent => {
  const m = marker();
  return {
    text: `status identified ${m}`,
    channelId,
    responseId: randomUUID(),
    recorded: (db) => db.prepare("select 1 from timeline_entries where kind = 'status_update' and text like ?").get(`%${m}%`) !== undefined,
  };
};
const note = (channelId: string): Sent => {
  const m = marker();
  return {
    text: `note ${m}`,
    channelId,
    responseId: randomUUID(),
    recorded: (db) => db.prepare("select 1 from timeline_entries where kind = 'note' and text like ?").get(`%${m}%`) !== undefined,
  };
};
const role = (channelId: string, which: string, userId: string): Sent => ({
  text: `role ${which} <@${userId}|${userId.slice(2).toLowerCase()}>`,
  channelId,
  responseId: randomUUID(),
  recorded: (db) => db.prepare('select 1 from role_assignments where incident_id = 1 and role = ? and user_id = ?').get(which, userId) !== undefined,
});

describe('a bot stopped the instant it acknowledges', () => {
  let slack: SlackStandIn;
  let tmp: string;
  let databaseFile: string;
  let bot: BotProcess | undefined;
  let channel = '';

  beforeAll(async () => {
    slack = new SlackStandIn();
    await slack.start();
    tmp = mkdtempSync(join(tmpdir(), 'incident-bot-crash-'));
    databaseFile = join(tmp, 'incidents.db');
  });
  afterEach(async () => {
    await bot?.dispose();
    bot = undefined;
  });
  afterAll(async () => {
    await slack?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const start = async () => {
    bot = await BotProcess.start({ slackApiUrl: slack.apiUrl, databaseFile });
    return bot;
  };

  function readDatabase<T>(read: (db: Database.Database) => T): T {
    const db = new Database(databaseFile);
    try {
      return read(db);
    } finally {
      db.close();
    }
  }

  /** What was acknowledged and is not in the database, with what the bot said about it (a refusal, had there been one). */
  function lost(acknowledged: readonly Sent[]): string[] {
    return readDatabase((db) => acknowledged.filter((c) => !c.recorded(db)))
      .map((c) => `${c.text} (said: ${JSON.stringify(slack.responsesFor(c.responseId).map((r) => r.text))})`);
  }

  /** Waits until the restarted bot's outbox has given INC-1 its channel (a kill right after the declaration can leave that to it). */
  async function incidentChannel(): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const row = readDatabase((db) => db.prepare('select channel_id from incidents where id = 1').get() as { channel_id: string | null } | undefined);
      if (row?.channel_id) return row.channel_id;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('INC-1 got no channel');
  }

  /** A signed POST over `agent`; resolves at the response's headers (the acknowledgement), or with the socket's error. */
  function post(b: BotProcess, agent: Agent, c: Sent, onStatus: (status: number) => void): Promise<{ status?: number; error?: string }> {
    const body = slashCommandBody({ text: c.text, channelId: c.channelId, userId: 'U0ALICE', responseUrl: slack.responseUrl(c.responseId) });
    const timestamp = Math.floor(Date.now() / 1000);
    return new Promise((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port: b.port,
        path: '/slack/events',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': sign(body, SIGNING_SECRET, timestamp) },
      });
      req.on('response', (res) => {
        onStatus(res.statusCode!);
        res.resume();
        resolve({ status: res.statusCode });
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      req.end(body);
    });
  }

  /**
   * Sends `commands` at once over connections opened beforehand (so that each
   * has reached the bot), and `signal` the moment the first 200 arrives.
   * Resolves, once the process has exited, with what each got.
   */
  async function sendThenSignal(b: BotProcess, commands: readonly Sent[], signal: NodeJS.Signals) {
    const agent = new Agent({ keepAlive: true, maxSockets: commands.length });
    await Promise.all(commands.map(() => new Promise((resolve) => request({ host: '127.0.0.1', port: b.port, path: '/healthz', agent }, (res) => res.resume().on('end', resolve)).end())));
    let signalled = false;
    const outcomes = await Promise.all(
      commands.map(async (command) => ({
        command,
        ...(await post(b, agent, command, (status) => {
          if (status === 200 && !signalled) {
            signalled = true;
            b.kill(signal);
          }
        })),
      })),
    );
    agent.destroy();
    const exit = await b.exited;
    return { acknowledged: outcomes.filter((o) => o.status === 200).map((o) => o.command), outcomes, exit };
  }

  it('with SIGKILL, has recorded every declaration, status, role and note it acknowledged', async () => {
    const rounds: ((channel: string) => Sent[])[] = [
      () => [declare()],
      (c) => [status(c)],
      (c) => [role(c, 'tech', 'U0BOB')],
      (c) => [note(c)],
      (c) => [declare(), status(c), note(c), role(c, 'comms', 'U0CAROL')],
    ];
    let acknowledged = 0;
    for (const round of rounds) {
      const b = await start();
      if (acknowledged > 0) channel = await incidentChannel();
      const result = await sendThenSignal(b, round(channel), 'SIGKILL');
      expect(result.exit.signal).toBe('SIGKILL');
      expect(result.acknowledged.length).toBeGreaterThan(0);
      acknowledged += result.acknowledged.length;
      expect(lost(result.acknowledged), 'acknowledged, then lost with the process').toEqual([]);
    }
  }, 40_000);

  it('with SIGTERM, answers what is in flight, records what it acknowledged, refuses new connections and exits 0', async () => {
    const b = await start();
    // On its own, this test first declares the incident it works in.
    if (!readDatabase((db) => db.prepare('select 1 from incidents where id = 1').get())) {
      const first = declare();
      await post(b, new Agent(), first, () => undefined);
    }
    channel = await incidentChannel();
    // A request in flight: its headers and half its body are in when the signal comes.
    const slowNote = note(channel);
    const slowBody = slashCommandBody({ text: slowNote.text, channelId: channel, userId: 'U0ALICE', responseUrl: slack.responseUrl(slowNote.responseId) });
    const timestamp = Math.floor(Date.now() / 1000);
    const socket = connect(b.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const half = Math.floor(slowBody.length / 2);
    socket.write(
      `POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(slowBody)}\r\n` +
        `X-Slack-Request-Timestamp: ${timestamp}\r\nX-Slack-Signature: ${sign(slowBody, SIGNING_SECRET, timestamp)}\r\n\r\n${slowBody.slice(0, half)}`,
    );

    const burst = [declare(), status(channel), note(channel), role(channel, 'scribe', 'U0DAN')];
    const sending = sendThenSignal(b, burst, 'SIGTERM');
    // Once the bot says it is stopping, a new connection is refused and the slow request still gets its answer.
    for (let i = 0; i < 200 && !b.logs.includes('"msg":"stopping"'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(b.logs).toContain('"msg":"stopping"');
    const late = await fetch(`${b.url}/healthz`).then((r) => r.status, () => 'refused');
    socket.write(slowBody.slice(half));
    const result = await sending;
    await closed;

    expect(late).toBe('refused');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(result.exit).toEqual({ code: 0, signal: null });
    // Every request that had reached the bot was answered: acknowledged, or (arriving once it was stopping) refused with 503.
    expect(result.outcomes.filter((o) => o.status !== 200 && o.status !== 503)).toEqual([]);
    expect(result.acknowledged.length).toBeGreaterThan(0);
    expect(lost([...result.acknowledged, slowNote])).toEqual([]);
    expect(b.logs).toContain('"msg":"incident bot stopped"');
  }, 20_000);
});
