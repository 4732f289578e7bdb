import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function problemsOf(env: NodeJS.ProcessEnv, checks?: Parameters<typeof loadConfig>[1]): string[] {
  try {
    loadConfig(env, checks);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const VALID = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

describe('loadConfig', () => {
  it('lists every problem in one round, cross-variable ones included, in the order of .env.example', () => {
    expect(problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toEqual([
      'SLACK_BOT_TOKEN is required',
      // Used to come only in a second round, once SLACK_BOT_TOKEN was fixed.
      'SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      'PORT must be a number from 1 to 65535',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  it('lists an unusable database with the other problems, naming DATABASE_URL', () => {
    const asked: string[] = [];
    const database = (url: string) => {
      asked.push(url);
      return `could not open the database at ${url}: unable to open database file`;
    };
    expect(problemsOf({ PORT: '70000', DATABASE_URL: './data/x.db' }, { database })).toEqual([
      'SLACK_BOT_TOKEN is required',
      'SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
      'PORT must be a number from 1 to 65535',
      'DATABASE_URL is unusable: could not open the database at ./data/x.db: unable to open database file',
    ]);
    // Unset, the default is the one checked.
    expect(problemsOf(VALID, { database })).toEqual(['DATABASE_URL is unusable: could not open the database at ./data/incidents.db: unable to open database file']);
    expect(asked).toEqual(['./data/x.db', './data/incidents.db']);
    expect(problemsOf(VALID, { database: () => undefined })).toEqual([]);
  });

  it('says what each variable must be, in words, never in zod terms', () => {
    const bad: Record<string, string> = {
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      SLACK_APP_TOKEN: 'xoxb-not-an-app-token',
      PORT: '-1',
      SLACK_API_URL: 'slack.com/api',
      INCIDENT_ANNOUNCE_CHANNEL: '#incidents',
      TIMELINE_EMOJI: 'two words',
      PAGERDUTY_SERVICES: 'checkout',
      PAGE_SEVERITIES: 'critical',
      PAGERDUTY_EVENTS_URL: 'events.pagerduty.com',
      PAGERDUTY_API_URL: 'api.pagerduty.com',
      DIGEST_CRON: 'every monday',
      DIGEST_CHANNEL: 'incidents',
      DIGEST_DM_OWNERS: 'sometimes',
      DIGEST_TIMEZONE: 'Paris',
      LOG_LEVEL: 'loud',
    };
    const problems = problemsOf(bad);
    for (const variable of Object.keys(bad)) {
      expect(problems.filter((p) => p.startsWith(`${variable} `)), variable).toHaveLength(1);
    }
    for (const problem of problems) {
      expect(problem).not.toMatch(/invalid input|invalid option|expected|received|NaN|undefined|string|number,|Too (big|small)/i);
      expect(problem).toMatch(/^[A-Z_]+ (is|must) /);
    }
    expect(problems).toContain('PORT must be a number from 1 to 65535');
    expect(problems).toContain('DIGEST_DM_OWNERS must be true or false');
    expect(problems).toContain('SLACK_API_URL must be a URL like https://slack.com/api/');
  });

  it('refuses ports outside 0 to 65535 and anything not a whole number', () => {
    for (const port of ['65536', '3000.5', '1e3', 'x', '80 80']) {
      expect(problemsOf({ ...VALID, PORT: port }), port).toEqual(['PORT must be a number from 1 to 65535']);
    }
    // 0 asks the system for any free port: the tests start the bot that way.
    expect(loadConfig({ ...VALID, PORT: '0' }).http.port).toBe(0);
    expect(loadConfig({ ...VALID, PORT: ' 8080 ' }).http.port).toBe(8080);
    expect(loadConfig(VALID).http.port).toBe(3000);
  });

  it('does not ask for a signing secret in Socket Mode, even when something else is wrong', () => {
    expect(problemsOf({ SLACK_APP_TOKEN: 'xapp-1', PORT: 'x' })).toEqual(['SLACK_BOT_TOKEN is required', 'PORT must be a number from 1 to 65535']);
  });

  it('reads log levels and yes/no flags whatever their case', () => {
    const config = loadConfig({ ...VALID, LOG_LEVEL: 'DEBUG', DIGEST_DM_OWNERS: 'No' });
    expect(config.log.level).toBe('debug');
    expect(config.digest.dmOwners).toBe(false);
  });
});
