import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { BOT_TOKEN } from '../support/slack-stand-in.js';
import { sharedWorld } from '../support/shared-world.js';

describe('/healthz', () => {
  it('answers 503 until Slack has accepted the token, then 200', async () => {
    const { slack, databaseFile, dispose } = await sharedWorld();
    slack.failNext('auth.test', { kind: 'http', status: 503 }, 3);
    const bot = createBot(
      loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.apiUrl, DATABASE_URL: databaseFile, PORT: '0', LOG_LEVEL: 'silent' }),
      { logger: pino({ level: 'silent' }), identityRetry: { minTimeout: 100, maxTimeout: 100 }, host: '127.0.0.1' },
    );
    const started = bot.start();
    try {
      // The server listens before Slack answers; find its port from the bot's own health state.
      let port = 0;
      for (let i = 0; i < 100 && !port; i++) {
        await new Promise((r) => setTimeout(r, 10));
        port = bot.port();
      }
      const early = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(early.status).toBe(503);
      expect(await early.json()).toMatchObject({ status: 'starting', database: 'ok', slack: 'pending' });
      await started;
      const late = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(late.status).toBe(200);
      expect(slack.callsTo('auth.test').map((c) => c.status)).toEqual([503, 503, 503, 200]);
    } finally {
      await started.catch(() => undefined);
      await bot.stop();
      await dispose();
    }
  });

  it('refuses to start with a token Slack rejects', async () => {
    const { slack, databaseFile, dispose } = await sharedWorld();
    const bot = createBot(
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.apiUrl, DATABASE_URL: databaseFile, PORT: '0' }),
      { logger: pino({ level: 'silent' }), host: '127.0.0.1' },
    );
    try {
      await expect(bot.start()).rejects.toThrow(/^Slack refused SLACK_BOT_TOKEN \(invalid_auth\): /);
    } finally {
      await bot.stop();
      await dispose();
    }
  });

  it.each(['token_revoked', 'account_inactive', 'not_authed'])('says which variable holds the token Slack refuses with %s, without retrying', async (refusal) => {
    const { slack, databaseFile, dispose } = await sharedWorld();
    slack.failNext('auth.test', { kind: 'error', error: refusal });
    const bot = createBot(
      loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.apiUrl, DATABASE_URL: databaseFile, PORT: '0' }),
      { logger: pino({ level: 'silent' }), host: '127.0.0.1' },
    );
    try {
      await expect(bot.start()).rejects.toThrow(new RegExp(`^Slack refused SLACK_BOT_TOKEN \\(${refusal}\\): `));
      expect(slack.callsTo('auth.test')).toHaveLength(1);
    } finally {
      await bot.stop();
      await dispose();
    }
  });
});

describe('Socket Mode start', () => {
  it('says which variable holds the app-level token Slack refuses', async () => {
    const { slack, databaseFile, dispose } = await sharedWorld();
    const bot = createBot(
      loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-pasted-wrong', SLACK_API_URL: slack.apiUrl, DATABASE_URL: databaseFile, PORT: '0' }),
      { logger: pino({ level: 'silent' }), host: '127.0.0.1', outboxInline: true },
    );
    try {
      await expect(bot.start()).rejects.toThrow(/^Slack refused SLACK_APP_TOKEN \(invalid_auth\): .*App-Level Tokens/);
    } finally {
      await bot.stop();
      await dispose();
    }
  });
});

describe('configuration', () => {
  it('lists every problem at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', INCIDENT_ANNOUNCE_CHANNEL: '#incidents', LOG_LEVEL: 'loud', TIMELINE_EMOJI: 'two words' })).toThrowError(
      expect.objectContaining({
        problems: [
          'SLACK_BOT_TOKEN is required',
          'SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
          'PORT must be a number from 1 to 65535',
          'INCIDENT_ANNOUNCE_CHANNEL must be a channel id like C0123ABCD (not a #name)',
          'TIMELINE_EMOJI must be an emoji name like pushpin',
          'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
        ],
      }),
    );
  });

  it('needs a signing secret in HTTP mode but not in Socket Mode', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET is required in HTTP mode/);
    const socket = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(socket.slack.socketMode).toBe(true);
    expect(socket.http.port).toBe(3000);
    expect(socket.database.url).toBe('./data/incidents.db');
    expect(socket.incidents.timelineEmoji).toBe('pushpin');
    expect(socket.slack.apiUrl).toBe('https://slack.com/api/');
  });

  // `npm start` itself with a bad environment, and every message in words: test/e2e/first-run.test.ts, test/unit/config.test.ts.
});
