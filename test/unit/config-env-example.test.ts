/**
 * `cp .env.example .env` is the README's set-up step: the copy, left as it is
 * but for the two Slack credentials, must run with the defaults the README
 * lists, read through the same parser the start uses (Node's, as loadDotEnv).
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const ROOT = new URL('../../', import.meta.url);
const example = readFileSync(new URL('.env.example', ROOT), 'utf8');
const readme = readFileSync(new URL('README.md', ROOT), 'utf8');

/** What a person fills in: the bot token and, for HTTP mode, the signing secret. */
const FILLED = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

/** The optional settings shown commented out, `# NAME=value`: each value is meant to be the default. */
const commentedDefaults = new Map([...example.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));

/**
 * The README's Configuration table: each variable with its default where the
 * default column is a literal (`3000`, `5m`; `0.5`, `0.1` for two variables),
 * not words (`critical` declares a SEV2, ...) or another variable (`TZ`).
 */
const readmeRows = [...readme.matchAll(/^\| (`[A-Z][A-Z0-9_]*`(?:, `[A-Z][A-Z0-9_]*`)*) \| ([^|]*) \|/gm)].flatMap((m) => {
  const names = [...m[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((n) => n[1]!);
  const literal = /^`[^`]*`(, `[^`]*`)*( \(.*\))?\s*$/.test(m[2]!);
  const defaults = literal ? [...m[2]!.matchAll(/`([^`]*)`/g)].map((d) => d[1]!).filter((d) => !/^[A-Z_]+$/.test(d)) : [];
  return names.map((name, i) => ({ name, default: defaults.length === names.length ? defaults[i] : undefined }));
});

describe('.env.example', () => {
  it('copied as it is, runs with the defaults: HTTP mode (no Socket Mode) and the calendar in TZ', () => {
    const env = { ...parseEnv(example), ...FILLED, TZ: 'Europe/Paris' };
    const config = loadConfig(env);
    // Its placeholder xapp- token turned Socket Mode on for everyone setting up HTTP mode.
    expect(config.slack.socketMode).toBe(false);
    expect(config.slack.appToken).toBeUndefined();
    // Its DIGEST_TIMEZONE=UTC overrode TZ, the documented default.
    expect(config.timeZone).toBe('Europe/Paris');
    expect(config).toEqual(loadConfig({ ...FILLED, TZ: 'Europe/Paris' }));
  });

  it('sets no value but the two Slack credentials, left empty to be filled in', () => {
    expect(parseEnv(example)).toEqual({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' });
  });

  it('shows each optional setting commented out with its default: uncommenting one changes nothing', () => {
    expect(commentedDefaults.size).toBeGreaterThan(30);
    const defaults = loadConfig(FILLED);
    for (const [name, value] of commentedDefaults) {
      expect(loadConfig({ ...FILLED, [name]: value }), `# ${name}=${value}`).toEqual(defaults);
    }
  });

  it('has every variable of the README table, with the default the README gives', () => {
    expect(readmeRows.length).toBeGreaterThan(30);
    const inExample = new Set([...commentedDefaults.keys(), ...Object.keys(parseEnv(example))]);
    for (const row of readmeRows) {
      expect(inExample, row.name).toContain(row.name);
      if (row.default !== undefined) {
        expect(commentedDefaults.get(row.name), row.name).toBe(row.default);
      }
    }
  });

  it('says that ALERTMANAGER_WEBHOOK_TOKEN needs INCIDENT_ANNOUNCE_CHANNEL', () => {
    const block = example.slice(0, example.indexOf('# ALERTMANAGER_WEBHOOK_TOKEN='));
    expect(block.slice(block.lastIndexOf('\n\n'))).toContain('INCIDENT_ANNOUNCE_CHANNEL is required too');
  });
});
