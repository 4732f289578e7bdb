import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      await expect(bot.start()).rejects.toThrow(/invalid_auth/);
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
          'PORT Invalid input: expected number, received NaN',
          'INCIDENT_ANNOUNCE_CHANNEL must be a channel id like C0123ABCD (not a #name)',
          'TIMELINE_EMOJI must be an emoji name like pushpin',
          'LOG_LEVEL Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
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

  it('stops `npm start` with one message naming every problem', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'incident-start-'));
    try {
      // Run from an empty folder so no .env is read: only the environment given here counts.
      const result = spawnSync(join(__dirname, '../../node_modules/.bin/tsx'), [join(__dirname, '../../src/index.ts')], {
        cwd,
        env: { PATH: process.env.PATH, PORT: 'x' },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Invalid configuration');
      expect(result.stderr).toContain('SLACK_BOT_TOKEN is required');
      expect(result.stderr).toContain('PORT');
      expect(result.stderr).toContain('.env.example');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
