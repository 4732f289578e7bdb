import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { Harness } from '../support/harness.js';
import { sharedWorld } from '../support/shared-world.js';
import { slashCommandPayload } from '../support/signed-requests.js';
import { APP_TOKEN, BOT_TOKEN } from '../support/slack-stand-in.js';

interface Readiness {
  readonly status: number;
  readonly body: { status: string; reasons?: string[]; checks: Record<string, string> };
}

async function readyz(url: string): Promise<Readiness> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as Readiness['body'] };
}

/** Polls /readyz (bounded) until it answers `status`; resolves with that answer. */
async function readyzUntil(url: string, status: 200 | 503, timeout = 10_000): Promise<Readiness> {
  let last: Readiness | undefined;
  await expect.poll(async () => (last = await readyz(url)).status, { timeout, interval: 50 }).toBe(status);
  return last!;
}

const READY = { status: 'ready', checks: { database: 'ok', slackToken: 'ok', socketMode: 'ok', outbox: 'ok' } };

/** The readiness gauges of GET /metrics: incident_bot_ready, and each check's incident_bot_readiness_check_ok. */
async function readinessGauges(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const gauges: Record<string, number> = {};
  for (const [, name, check, value] of text.matchAll(/^(incident_bot_ready|incident_bot_readiness_check_ok)(?:\{check="(\w+)"\})? (\S+)$/gm)) gauges[check ?? name!] = Number(value);
  return gauges;
}
const ALL_OK = { incident_bot_ready: 1, database: 1, slackToken: 1, socketMode: 1, outbox: 1 };

// One bot in Socket Mode for every cause: each is caused, seen as a 503 with its reason, then undone.
describe('/readyz, each cause of unreadiness', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({
      // SQLite, whatever STORE says: the write-lock cause is SQLite's lock, held from a second connection on its file.
      store: 'sqlite',
      env: { SLACK_APP_TOKEN: APP_TOKEN, SLACK_SIGNING_SECRET: '', READY_MAX_OUTBOX_AGE: '1s' },
      bot: { tokenCheckEveryMs: 100 },
    });
  });
  afterAll(async () => h.stop());

  it('is ready once started, and says so in /metrics', async () => {
    expect(await readyzUntil(h.url, 200)).toEqual({ status: 200, body: READY });
    expect(await readinessGauges(h.url)).toEqual(ALL_OK);
  });

  it('is unready while another connection holds the database write lock, and ready once it lets go', async () => {
    const other = new Database(h.databaseFile);
    try {
      other.exec('BEGIN EXCLUSIVE');
      const locked = await readyz(h.url);
      expect(locked.status).toBe(503);
      expect(locked.body).toEqual({
        status: 'unready',
        reasons: [expect.stringMatching(/^The database cannot be written: another process has held its write lock .*SQLITE_BUSY/)],
        checks: { ...READY.checks, database: 'failing' },
      });
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
    expect((await readyz(h.url)).body).toEqual(READY);
  });

  it('is unready once the periodic auth.test finds the token revoked, and ready once Slack accepts it again', async () => {
    h.slack.failNext('auth.test', { kind: 'error', error: 'token_revoked' }, Number.POSITIVE_INFINITY);
    const refused = await readyzUntil(h.url, 503);
    expect(refused.body).toEqual({
      status: 'unready',
      reasons: [expect.stringMatching(/^Slack refused SLACK_BOT_TOKEN \(token_revoked\): the token has been revoked/)],
      checks: { ...READY.checks, slackToken: 'failing' },
    });
    // The bot is up (its /metrics answers) but cannot do its job: the gauges say which check.
    expect(await readinessGauges(h.url)).toEqual({ ...ALL_OK, incident_bot_ready: 0, slackToken: 0 });
    h.slack.clearFaults();
    expect((await readyzUntil(h.url, 200)).body).toEqual(READY);
    expect(await readinessGauges(h.url)).toEqual(ALL_OK);
  });

  it('is unready while the Socket Mode connection is down, and ready once the bot has reconnected', async () => {
    const opened = h.slack.callsTo('apps.connections.open').length;
    h.slack.closeSockets();
    const down = await readyzUntil(h.url, 503);
    expect(down.body).toEqual({
      status: 'unready',
      reasons: [expect.stringMatching(/^Socket Mode is not connected to Slack \((closed|reconnecting|connecting) since .*\): commands, buttons and events cannot reach the bot\.$/)],
      checks: { ...READY.checks, socketMode: 'failing' },
    });
    // The client waits its clientPingTimeout (5 s) before reconnecting.
    expect((await readyzUntil(h.url, 200, 15_000)).body).toEqual(READY);
    expect(h.slack.callsTo('apps.connections.open').length).toBe(opened + 1);
    expect(h.slack.socketCount).toBe(1);
  });

  it('is unready while a job waits longer than READY_MAX_OUTBOX_AGE, and ready once it is delivered', async () => {
    h.slack.failNext('conversations.create', { kind: 'http', status: 500 }, Number.POSITIVE_INFINITY);
    await h.slack.deliverOverSocket('slash_commands', slashCommandPayload({ text: 'declare sev2 Stuck behind Slack', responseUrl: h.slack.responseUrl('stuck-1'), triggerId: 'trigger-stuck' }));
    const behind = await readyzUntil(h.url, 503);
    expect(behind.body).toEqual({
      status: 'unready',
      reasons: [expect.stringMatching(/^The oldest undelivered outbox job \([a-z.]+\) has waited \d+ seconds?, longer than READY_MAX_OUTBOX_AGE \(1 second\)/)],
      checks: { ...READY.checks, outbox: 'failing' },
    });
    // Said on an unauthenticated route: the job's kind, never what the incident is about.
    expect(JSON.stringify(behind.body)).not.toContain('Stuck');
    expect(h.slack.callsTo('conversations.create').length).toBeGreaterThan(1);
    h.slack.clearFaults();
    expect((await readyzUntil(h.url, 200)).body).toEqual(READY);
    expect((await h.incidentChannel(1)).name).toBe('inc-1-stuck-behind-slack');
  });
});

describe('/readyz while starting', () => {
  it('answers 503 "starting" until Slack has accepted the token, then 200 (HTTP mode: no Socket Mode check)', async () => {
    const { slack, databaseFile, dispose } = await sharedWorld();
    const release = slack.hold('auth.test');
    const bot = createBot(
      loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.apiUrl, DATABASE_URL: databaseFile, PORT: '0', LOG_LEVEL: 'silent' }),
      { logger: pino({ level: 'silent' }), host: '127.0.0.1', outboxInline: true, tokenCheckEveryMs: 0 },
    );
    const started = bot.start();
    try {
      // The server listens before Slack answers auth.test, which the stand-in holds.
      await expect.poll(() => bot.port(), { timeout: 5_000, interval: 10 }).toBeGreaterThan(0);
      const url = `http://127.0.0.1:${bot.port()}`;
      expect(await readyz(url)).toEqual({
        status: 503,
        body: {
          status: 'starting',
          reasons: ['The bot is still starting: Slack has not accepted the bot token yet (an outage is waited out).'],
          checks: { database: 'ok', slackToken: 'pending', socketMode: 'off', outbox: 'ok' },
        },
      });
      release();
      await started;
      expect(await readyz(url)).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', slackToken: 'ok', socketMode: 'off', outbox: 'ok' } } });
    } finally {
      release();
      await started.catch(() => undefined);
      await bot.stop();
      await dispose();
    }
  });
});
